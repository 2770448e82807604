"""The checker on registers of real kinds written unlike ours (tests/fixtures/registers-real).

Compliant notices get no errors and no warnings; every defect planted in the broadband operator's
notice (marked `# DEFECT: rule-id` on its line) is reported at that line, and nothing else is an
error.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from notice.checks import Finding, Severity, run_checks
from notice.loader import load_content

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "registers-real"
TODAY = dt.date(2026, 11, 24)
COMPLIANT = ["municipality", "webshop", "employer", "charity"]
_DEFECT = re.compile(r"#\s*DEFECT:\s*([\w-]+)")


def findings_of(name: str) -> list[Finding]:
    return run_checks(load_content(REAL / name), today=TODAY)


@pytest.mark.parametrize("name", COMPLIANT)
def test_compliant_register_has_no_errors_or_warnings(name: str) -> None:
    serious = [
        finding.format()
        for finding in findings_of(name)
        if finding.severity in {Severity.error, Severity.warning}
    ]
    assert serious == []


def planted() -> set[tuple[Path, int, str]]:
    """Return (file, line, rule id) of every `# DEFECT:` marker in the broadband tree."""
    found = set()
    for path in sorted((REAL / "broadband").rglob("*.yaml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = _DEFECT.search(line)
            if match:
                found.add((path, number, match.group(1)))
    return found


def test_every_planted_defect_is_found_at_its_line() -> None:
    reported = {(f.path, f.line, f.rule_id) for f in findings_of("broadband")}
    markers = planted()
    assert len(markers) >= 7
    assert sorted(markers - reported) == []


def test_the_broadband_notice_fails_only_for_its_planted_errors() -> None:
    findings = findings_of("broadband")
    errors = {(f.path, f.line, f.rule_id) for f in findings if f.severity is Severity.error}
    assert errors
    assert sorted(errors - planted()) == []


def test_a_recipient_placed_only_in_words_is_a_transfer_too() -> None:
    findings = [f for f in findings_of("broadband") if f.rule_id == "E09-transfer-mechanism"]
    assert {f.message["en"].split(" is ")[0] for f in findings} == {
        "CRM-järjestelmän toimittaja (United States)",
        "Asiakastukikeskus Intiassa (India)",
    }


def test_plain_language_objection_and_opt_out_category_are_not_e20_findings() -> None:
    # The charity never says "object", and keeps "marketing opt-out" as data and in retention.
    findings = findings_of("charity")
    assert [f for f in findings if f.rule_id.startswith("E20")] == []
    content = load_content(REAL / "charity")
    register = content.register("members")
    assert "opt-out" in register.data_categories[3].name["en"]
    assert register.direct_marketing  # read from the v1 description


def test_negations_and_permissions_are_not_hedging() -> None:
    assert [f for f in findings_of("charity") if f.rule_id == "hedging"] == []
