"""The checker finds every defect of LEGAL.md §2–3 in the faithful seed, and none in content/."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from notice.checks import Finding, Severity, run_checks
from notice.loader import Content, KeyPath, load_content
from tests import REPO_ROOT

SEED = REPO_ROOT / "tests" / "fixtures" / "seed-original"
TODAY = dt.date(2026, 11, 24)
REG = "asiakasrekisteri"

# (defect in LEGAL.md §2-3, rule id, owner, key path of the offending value)
SEED_DEFECTS = [
    ("placeholder e-mail", "placeholder", REG, ("purposes", 3, "description", "fi")),
    ("placeholder list item", "placeholder", "site", ("cookie_intro", "fi")),
    ("empty automated decisions", "E15-automated-decisions", REG, ("automated_decisions", "fi")),
    (
        "provision requirement unanswered",
        "E14-provision-requirement",
        REG,
        ("provision_requirement",),
    ),
    ("no basis per purpose", "E05-legal-basis", REG, ("purposes", 0)),
    ("no basis per purpose", "E05-legal-basis", REG, ("purposes", 4)),
    ("consent is not needed", "consent-not-needed", REG, ("consent", "fi")),
    (
        "interest is a relationship",
        "E06-interest-is-relationship",
        REG,
        ("purposes", 0, "legitimate_interest", "fi"),
    ),
    ("withdrawal missing", "E12-withdrawal", REG, ("consent",)),
    (
        "objection describes other rights",
        "E20-objection-content",
        REG,
        ("rights", "objection", "fi"),
    ),
    (
        "objection silent on direct marketing",
        "E20-objection-marketing",
        REG,
        ("rights", "objection", "fi"),
    ),
    (
        "direct-marketing objection in access",
        "E20-objection-buried",
        REG,
        ("rights", "access", "fi"),
    ),
    ("transfer conditional", "E09-transfers-conditional", REG, ("transfers_note", "fi")),
    ("transfer EU not EEA", "E09-transfers-eu-not-eea", REG, ("transfers_note", "fi")),
    (
        "transfer without country or mechanism",
        "E09-transfers-unspecified",
        REG,
        ("transfers_note", "fi"),
    ),
    ("no cookie inventory", "E23-cookie-inventory", "site", ("cookie_intro",)),
    ("browser settings as control", "E23-browser-settings", "site", ("cookie_intro", "fi")),
    ("cannot be identified with IP", "E23-identification-claim", "site", ("cookie_intro", "fi")),
    (
        "cannot be identified with IP",
        "E23-identification-claim",
        "site",
        ("analytics", "description", "fi"),
    ),
    ("Universal Analytics", "ga-universal-analytics", "site", ("analytics", "service")),
    ("Demographics", "ga-demographics", "site", ("analytics", "description", "fi")),
    ("Chrome add-on opt-out", "ga-opt-out-addon", "site", ("analytics", "opt_out", "fi")),
    ("no US transfer", "E09-ga-us-transfer", REG, ("website",)),
    ("recipients vague", "E08-recipients-vague", REG, ("recipients", 0, "name", "fi")),
    ("Google not named", "E08-google-not-named", REG, ("recipients",)),
    ("access request must be signed", "legacy-signed-request", REG, ("rights", "access", "fi")),
    ("hand-signed rectification", "legacy-signed-request", REG, ("rights", "rectification", "fi")),
    ("written certificate", "legacy-refusal-certificate", REG, ("rights", "rectification", "fi")),
    ("ombudsman to decide", "legacy-ombudsman-referral", REG, ("rights", "rectification", "fi")),
    ("old authority address", "E13-authority-outdated", REG, ("rights", "complaint", "fi")),
    ("stale", "E22-stale", REG, ("prepared",)),
    ("raw HTML", "raw-html", REG, ("purposes", 0, "description", "fi")),
    ("raw HTML list", "raw-html", REG, ("data_categories", 0, "fi")),
    ("near-duplicate paragraphs", "near-duplicate", REG, ("disclosures", "fi")),
    ("hedging", "hedging", REG, ("purposes", 1, "description", "fi")),
    ("typo luottihakemukseen", "typo", REG, ("sources", "fi")),
    ("typo katseluaajat", "typo", "site", ("cookie_intro", "fi")),
    ("typo yhteys henkilö", "typo", REG, ("purposes", 3, "description", "fi")),
    ("typo ulkoitus kumppanit", "typo", REG, ("recipients", 0, "name", "fi")),
    ("typo henkilökohtai-semman", "typo", REG, ("purposes", 1, "description", "fi")),
    ("missing business id", "E01-business-id", "site", ("controller",)),
    ("sources only as subcontractors", "E16-sources-unnamed", REG, ("sources", "fi")),
]


@pytest.fixture(scope="module")
def seed() -> tuple[Content, list[Finding]]:
    content = load_content(SEED, allow_html=True)
    return content, run_checks(content, today=TODAY)


@pytest.mark.parametrize(
    ("rule_id", "owner", "key_path"),
    [row[1:] for row in SEED_DEFECTS],
    ids=[f"{row[0]}:{row[1]}" for row in SEED_DEFECTS],
)
def test_seed_defect_is_found_on_its_line(
    seed: tuple[Content, list[Finding]], rule_id: str, owner: str, key_path: KeyPath
) -> None:
    content, findings = seed
    matching = [
        f for f in findings if (f.rule_id, f.owner, f.key_path) == (rule_id, owner, key_path)
    ]
    assert matching, f"{rule_id} not reported at {owner}:{key_path}"
    path, line = content.locate(owner, key_path)
    assert (matching[0].path, matching[0].line) == (path, line)


def test_seed_lines_point_at_the_offending_keys(seed: tuple[Content, list[Finding]]) -> None:
    content, findings = seed
    for finding in findings:
        if finding.key_path not in content.sources[finding.owner].lines:
            continue  # a missing key: the finding points at its nearest ancestor
        source = finding.path.read_text(encoding="utf-8").splitlines()
        text = source[finding.line - 1].strip()
        last = finding.key_path[-1]
        if isinstance(last, int):
            assert text.startswith("- ") or "[" in text, (finding, text)
        else:  # block style `key:` or flow style `{key: ...}`
            assert re.search(rf"(^|[\s{{,]){re.escape(last)}:", text), (finding, text)


def test_seed_fails_the_check(seed: tuple[Content, list[Finding]]) -> None:
    _, findings = seed
    assert any(f.severity is Severity.error for f in findings)
    assert {f.language for f in findings} <= {"fi", None}


def test_default_content_has_no_errors_and_only_known_warnings() -> None:
    content = load_content(REPO_ROOT / "content", allow_html=True)
    findings = run_checks(content, today=TODAY)
    assert [f for f in findings if f.severity is Severity.error] == []
    warnings = {
        (f.rule_id, f.owner, f.key_path) for f in findings if f.severity is Severity.warning
    }
    # Facts the seed does not give: the business id, postal code and city.
    assert warnings == {
        ("E01-business-id", "site", ("controller",)),
        ("E01-postal-address", "site", ("controller",)),
    }
