"""Each rule fires on its trigger fixture and stays silent on its near miss; the table is sound."""

from __future__ import annotations

import datetime as dt
import string
from pathlib import Path
from typing import Any

import pytest

from notice.checks import RULES, Finding, Rule, Severity, run_checks
from notice.checks.findings import UI_LANGUAGES
from notice.loader import load_content
from tests.notice.fixtures_checks import CASES, REGISTER, SITE, TODAY, Edit, build, write_content

RULE_IDS = [rule.id for rule in RULES]


def check(tmp_path: Path, edit: Edit) -> list[Finding]:
    """Write the clean content with `edit` applied, load it and return its findings."""
    site, register = build(edit)
    root = write_content(tmp_path / "content", site, [register])
    content = load_content(root, allow_html=True)
    return run_checks(content, today=dt.date.fromisoformat(TODAY))


def test_clean_content_has_no_findings(tmp_path: Path) -> None:
    assert check(tmp_path, lambda site, register: None) == []


def locate(tmp_path: Path, finding: Finding) -> tuple[Path, int]:
    """Return where the loader places the finding's key."""
    content = load_content(tmp_path / "content", allow_html=True)
    return content.locate(finding.owner, finding.key_path)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_fires_on_its_trigger(tmp_path: Path, rule_id: str) -> None:
    assert rule_id in CASES, f"rule {rule_id} has no fixtures in tests/notice/fixtures_checks"
    findings = [f for f in check(tmp_path, CASES[rule_id].trigger) if f.rule_id == rule_id]
    assert findings
    for finding in findings:
        assert (finding.path, finding.line) == locate(tmp_path, finding)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_is_silent_on_its_near_miss(tmp_path: Path, rule_id: str) -> None:
    assert rule_id in CASES, f"rule {rule_id} has no fixtures in tests/notice/fixtures_checks"
    assert rule_id not in {f.rule_id for f in check(tmp_path, CASES[rule_id].clean)}


def test_every_case_names_a_rule() -> None:
    assert set(CASES) <= set(RULE_IDS)


def test_rule_ids_are_unique_and_readable() -> None:
    assert len(RULE_IDS) == len(set(RULE_IDS))
    for rule_id in RULE_IDS:
        assert set(rule_id) <= set(string.ascii_lowercase + string.ascii_uppercase + "0123456789-")


@pytest.mark.parametrize("rule", RULES, ids=RULE_IDS)
def test_rule_speaks_every_ui_language_with_the_same_parameters(rule: Rule) -> None:
    fields = {
        lang: {name for _, name, _, _ in string.Formatter().parse(rule.message[lang]) if name}
        for lang in UI_LANGUAGES
    }
    assert set(rule.message) == set(rule.hint) == set(UI_LANGUAGES)
    assert all(rule.message[lang] and rule.hint[lang] for lang in UI_LANGUAGES)
    assert fields["en"] == fields["fi"]
    assert rule.element == "-" or (rule.element[0] == "E" and rule.element[1:].isdigit())


def test_every_mandatory_element_has_an_error_rule() -> None:
    # LEGAL.md §1: mandatory elements are errors when missing; "where applicable" ones warn.
    mandatory = {"E01", "E04", "E05", "E07", "E10", "E11", "E13", "E14", "E15", "E22", "E23"}
    errors = {r.element for r in RULES if r.severity is Severity.error}
    assert mandatory <= errors
    assert {"E02", "E03", "E06", "E08", "E09", "E12", "E16", "E20", "E21"} <= {
        r.element for r in RULES
    }


def test_texts_report_their_language(tmp_path: Path) -> None:
    edit = CASES["hedging"].trigger
    findings = [f for f in check(tmp_path, edit) if f.rule_id == "hedging"]
    assert {f.language for f in findings} == {"fi", "en"}
    assert {f.key_path for f in findings} == {("data_subjects", "fi"), ("data_subjects", "en")}


def test_stale_uses_prepared_when_never_updated(tmp_path: Path) -> None:
    def edit(site: dict[str, Any], register: dict[str, Any]) -> None:
        del register["updated"]
        register["prepared"] = "2019-10-03"

    findings = [f for f in check(tmp_path, edit) if f.rule_id == "E22-stale"]
    assert [(f.key_path, f.message["en"]) for f in findings] == [
        (("prepared",), "the notice was last reviewed on 2019-10-03, over 12 months ago")
    ]


def test_typo_keeps_the_inflection(tmp_path: Path) -> None:
    def edit(site: dict[str, Any], register: dict[str, Any]) -> None:
        register["sources"] = {"fi": "Yhteys henkilöltä ja luottihakemuksesta.", "en": "From you."}

    (finding,) = [f for f in check(tmp_path, edit) if f.rule_id == "typo"]
    assert finding.message["en"] == (
        "spelling: Yhteys henkilöltä → Yhteyshenkilöltä; luottihakemuksesta → luottohakemuksesta"
    )


def test_findings_format_as_linter_lines(tmp_path: Path) -> None:
    (finding,) = [f for f in check(tmp_path, CASES["typo"].trigger) if f.rule_id == "typo"]
    line = finding.format("fi")
    assert line.startswith(f"{finding.path}:{finding.line}: INFO typo: [fi] oikeinkirjoitus: ")
    assert line.endswith("(vihje: korjaa kirjoitusasu)")
    assert "(hint: correct the spelling)" in finding.format("en")


def test_base_fixture_is_two_languages() -> None:
    assert SITE["languages"] == ["fi", "en"] and REGISTER["website"] is True
