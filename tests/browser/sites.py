"""Build notice sites for browser tests through the `notice` command, as a user would."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import REPO_ROOT

SITE_SOURCES: dict[str, Path] = {
    "content": REPO_ROOT / "content",
    "small": REPO_ROOT / "tests" / "fixtures" / "small",
    "themed": REPO_ROOT / "tests" / "fixtures" / "themed",
}
"""Content folders whose built sites the browser site tests check, by short name."""


@dataclass(frozen=True)
class BuiltSite:
    """A notice site built into a temporary folder."""

    name: str
    root: Path
    pages: tuple[Path, ...]
    """Every generated HTML file, sorted."""

    def url_path(self, page: Path) -> str:
        """Return the URL path of `page` relative to the site root (`fi/` for `fi/index.html`)."""
        return page.relative_to(self.root).as_posix().removesuffix("index.html")


def build_site(name: str, content: Path, out: Path) -> BuiltSite:
    """Build `content` into `out` without PDFs with `notice build`, failing with its output."""
    if not content.is_dir():
        pytest.fail(f"no content to build at {content}", pytrace=False)
    command = [sys.executable, "-m", "notice.cli", "build"]
    command += ["--content", str(content), "--out", str(out), "--no-pdf"]
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO_ROOT, check=False)
    if result.returncode != 0:
        pytest.fail(
            f"`notice build` of {content} failed (exit {result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}",
            pytrace=False,
        )
    pages = tuple(sorted(out.rglob("*.html")))
    if not (out / "index.html").is_file() or len(pages) < 3:
        pytest.fail(f"the build of {content} produced too few pages: {pages}", pytrace=False)
    return BuiltSite(name, out, pages)
