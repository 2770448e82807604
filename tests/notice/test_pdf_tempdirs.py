"""PDFs leave no `weasyprint-*` folder behind in the temporary directory.

WeasyPrint copies a document's `@font-face` fonts into a `weasyprint-*` folder and removed it only
when the collector reached the font configuration; PDF worker processes end without collecting, so
every build with PDFs left folders in /tmp (the test suite over a hundred). Each command runs in
its own process with a private TMPDIR, the way a person runs it, and that folder must be empty
once the command is done.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests import REPO_ROOT

SMALL = REPO_ROOT / "tests" / "fixtures" / "small"
RECORDS = REPO_ROOT / "tests" / "fixtures" / "records"


def _run(args: list[str], tmp: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TMPDIR": str(tmp), "SELOSTE_CACHE_DIR": str(tmp.parent / "cache")}
    return subprocess.run(
        [sys.executable, *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _left(tmp: Path) -> list[str]:
    return sorted(path.name for path in tmp.glob("weasyprint-*"))


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_build_with_pdfs_leaves_no_font_folder(tmp_path: Path, jobs: str) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    content = tmp_path / "content"
    shutil.copytree(SMALL, content)
    out = tmp_path / "site"
    args = ["build.py", "--content", str(content), "--out", str(out), "--jobs", jobs]
    done = _run(args, tmp)
    assert done.returncode == 0, done.stderr
    assert sorted(out.rglob("*.pdf")), "the build rendered no PDF"
    assert _left(tmp) == []


def test_records_as_pdf_leave_no_font_folder(tmp_path: Path) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    out = tmp_path / "records.pdf"
    args = ["-m", "notice.cli", "records", "--content", str(RECORDS), "--format", "pdf"]
    done = _run([*args, "--out", str(out)], tmp)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF-")
    assert _left(tmp) == []


LETTER = """
import os, sys
from pathlib import Path
from notice.pdf import pdf_style, render_pdf
from portal.core.letters import LETTERS_CSS
html = '<!DOCTYPE html><html lang="fi"><head><title>Kirje</title></head><p>Hei</p></html>'
for _ in range(2):
    style = pdf_style(LETTERS_CSS)
    pdf = render_pdf(html, Path.cwd().as_uri() + "/", title="Kirje", lang="fi", style=style)
    assert pdf.startswith(b"%PDF-")
print(len(list(Path(os.environ["TMPDIR"]).glob("weasyprint-*"))))
"""


def test_the_shared_letter_fonts_go_when_the_process_ends(tmp_path: Path) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    done = _run(["-c", LETTER], tmp)
    assert done.returncode == 0, done.stderr
    # While the process lives, its letters share one font folder, in the private TMPDIR...
    assert done.stdout.strip() == "1"
    # ...and it is gone when the process is: nothing on stderr about a failed clean-up either.
    assert _left(tmp) == []
    assert "Exception ignored" not in done.stderr
