"""Score the checker on the real-kind and held-out registers: false errors, false warnings, recall.

Every tree under the given folders (default: tests/fixtures/registers-real and
tests/fixtures/registers-heldout) is checked as `notice check --today 2026-11-24` would check it.
A planted defect is a `# DEFECT: rule-id[, rule-id]` comment on a line; it is found when a
finding of that rule is reported at that file and line. Every error or warning that is not a
planted defect is false. Usage:

    .venv/bin/python scripts/score_checks.py [-v] [FOLDER ...]
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

from notice.checks import Severity, run_checks
from notice.loader import load_content

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = [ROOT / "tests/fixtures/registers-real", ROOT / "tests/fixtures/registers-heldout"]
TODAY = dt.date(2026, 11, 24)
_DEFECT = re.compile(r"#\s*DEFECT:\s*([\w, -]+)$")


def planted(tree: Path) -> set[tuple[Path, int, str]]:
    """Return (file, line, rule id) of every `# DEFECT:` marker in a content tree."""
    found = set()
    for path in sorted(tree.rglob("*.yaml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = _DEFECT.search(line)
            if match:
                found |= {(path, number, rule.strip()) for rule in match.group(1).split(",")}
    return found


def score(tree: Path, verbose: bool) -> tuple[int, int, int, int]:
    """Print one tree's score; return (false errors, false warnings, defects found, defects)."""
    findings = run_checks(load_content(tree), today=TODAY)
    markers = planted(tree)
    reported = {(f.path, f.line, f.rule_id) for f in findings}
    false_errors = false_warnings = 0
    for finding in findings:
        if (finding.path, finding.line, finding.rule_id) in markers:
            continue
        if finding.severity is Severity.error:
            false_errors += 1
        elif finding.severity is Severity.warning:
            false_warnings += 1
        else:
            continue
        print(f"  FALSE {finding.format()}")
    missed = sorted(markers - reported)
    for path, line, rule_id in missed:
        print(f"  MISSED {path.relative_to(ROOT)}:{line}: {rule_id}")
    if verbose:
        for finding in findings:
            print(f"  {finding.format()}")
    found = len(markers) - len(missed)
    print(
        f"{tree.relative_to(ROOT)}: {false_errors} false errors, {false_warnings} false warnings, "
        f"{found}/{len(markers)} defects found"
    )
    return false_errors, false_warnings, found, len(markers)


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    folders = [Path(a).resolve() for a in argv if a != "-v"] or DEFAULT
    totals = [0, 0, 0, 0]
    for folder in folders:
        for tree in sorted(p.parent for p in folder.glob("*/site.yaml")):
            for index, value in enumerate(score(tree, verbose)):
                totals[index] += value
    print(
        f"TOTAL: {totals[0]} false errors, {totals[1]} false warnings, "
        f"recall {totals[2]}/{totals[3]}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
