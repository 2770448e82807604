"""Golden output of the notice site: the built fixture, committed under tests/golden/ for review.

    python -m tests.golden_tool regenerate   # rebuild tests/golden/ (then review `git diff`)
    python -m tests.golden_tool check        # compare a fresh build with it

Only text outputs are kept (HTML, JSON, JSON-LD, XML): PDFs carry creation dates and binary
streams whose diffs no one can review, and static files are copies of `static/`. The build runs
without PDFs, so the pages do not link any.
"""

from __future__ import annotations

import difflib
import shutil
import sys
import tempfile
from pathlib import Path

from notice.build import build_site
from tests import REPO_ROOT

FIXTURE = REPO_ROOT / "tests" / "fixtures" / "small"
GOLDEN = REPO_ROOT / "tests" / "golden"
SUFFIXES = frozenset({".html", ".json", ".jsonld", ".xml"})
DIFF_LINES = 60


def build_fixture(out_dir: Path) -> Path:
    """Build the fixture content into `out_dir` the way the golden tree was built."""
    build_site(FIXTURE, out_dir, pdf=False, jobs=1)
    return out_dir


def golden_files(tree: Path) -> dict[str, Path]:
    """Return the files of `tree` that golden output covers, by relative path."""
    return {
        path.relative_to(tree).as_posix(): path
        for path in sorted(tree.rglob("*"))
        if path.is_file() and path.suffix in SUFFIXES and not path.name.startswith(".")
    }


def compare(built: Path, golden: Path = GOLDEN) -> list[str]:
    """Return one readable problem per differing, missing or unexpected file (empty: identical)."""
    have, want = golden_files(built), golden_files(golden)
    problems = [f"missing from the build: {path}" for path in sorted(want.keys() - have.keys())]
    problems += [f"not in tests/golden: {path}" for path in sorted(have.keys() - want.keys())]
    for path in sorted(have.keys() & want.keys()):
        expected = want[path].read_text(encoding="utf-8")
        actual = have[path].read_text(encoding="utf-8")
        if expected != actual:
            diff = difflib.unified_diff(
                expected.splitlines(),
                actual.splitlines(),
                f"golden/{path}",
                f"built/{path}",
                lineterm="",
            )
            lines = list(diff)
            shown = "\n".join(lines[:DIFF_LINES])
            more = (
                f"\n... {len(lines) - DIFF_LINES} more diff lines"
                if len(lines) > DIFF_LINES
                else ""
            )
            problems.append(f"differs: {path}\n{shown}{more}")
    return problems


def regenerate(golden: Path = GOLDEN) -> list[str]:
    """Rebuild the golden tree from the fixture; return the files it now holds."""
    with tempfile.TemporaryDirectory() as tmp:
        built = build_fixture(Path(tmp) / "site")
        if golden.exists():
            # Only the site's own files: tests/golden/letters/ (tests.golden_letters) stays.
            for old in golden_files(golden).values():
                old.unlink()
            for folder in sorted(golden.rglob("*"), reverse=True):
                if folder.is_dir() and not any(folder.iterdir()):
                    folder.rmdir()
        for relative, source in golden_files(built).items():
            target = golden / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        return sorted(golden_files(golden))


def main(argv: list[str]) -> int:
    """Run `regenerate` or `check`; return the exit status."""
    command = argv[0] if argv else "check"
    if command == "regenerate":
        files = regenerate()
        print(
            f"wrote {len(files)} files to {GOLDEN.relative_to(REPO_ROOT)}; "
            "review them with git diff"
        )
        return 0
    if command == "check":
        with tempfile.TemporaryDirectory() as tmp:
            problems = compare(build_fixture(Path(tmp) / "site"))
        print("\n".join(problems) or "golden output matches")
        return 1 if problems else 0
    print("usage: python -m tests.golden_tool [regenerate|check]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
