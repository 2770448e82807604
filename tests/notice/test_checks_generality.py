"""Rules find kinds of defects, not the seed's sentences: other wording, other languages."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from notice.checks import Finding, run_checks
from notice.loader import load_content
from tests.notice.fixtures_checks import REGISTER, SITE, TODAY, write_content


def only(language: str, tree: Any) -> Any:
    """Return `tree` with every localized text reduced to one language (fi text reused)."""
    if isinstance(tree, dict):
        if tree and set(tree) <= {"fi", "en"} and all(isinstance(v, str) for v in tree.values()):
            return {language: tree.get("en", tree.get("fi"))}
        return {key: only(language, value) for key, value in tree.items()}
    if isinstance(tree, list):
        return [only(language, item) for item in tree]
    return tree


def findings_for(
    tmp_path: Path, language: str, site_edits: dict[str, Any], register_edits: dict[str, Any]
) -> list[Finding]:
    site, register = only(language, copy.deepcopy(SITE)), only(language, copy.deepcopy(REGISTER))
    site["languages"] = [language]
    register["slug"] = {language: "register"}
    site.update(site_edits)
    register.update(register_edits)
    root = write_content(tmp_path / "content", site, [register])
    return run_checks(load_content(root, allow_html=True), today=dt.date.fromisoformat(TODAY))


def t(text: str) -> dict[str, str]:
    """Return an English-only localized text."""
    return {"en": text}


def ids(findings: list[Finding]) -> set[str]:
    return {f.rule_id for f in findings}


def test_an_english_notice_with_the_seeds_kinds_of_defects(tmp_path: Path) -> None:
    found = findings_for(
        tmp_path,
        "en",
        {
            "consent": None,
            "cookie_intro": t(
                "Your IP address is logged. You remain anonymous to us. To refuse cookies, "
                "change the settings of your browser. [Company name] uses Lorem ipsum."
            ),
            "analytics": {
                "service": "google_analytics_4",
                "opt_out": t("Install the Google Analytics opt-out browser add-on."),
                "description": t("We use Google Analytics Demographics and Interests reports."),
            },
        },
        {
            "purposes": [
                {
                    "description": t("Client management and newsletters with advertising."),
                    "legitimate_interest": t("Client relationship"),
                }
            ],
            "consent": t("We don't require your consent for this."),
            "transfers_note": t(
                "Personal data may be moved outside the European Union where necessary."
            ),
            "recipients": [{"name": t("Our partners and service providers, etc.")}],
            "rights": {
                "access": t("Requests must be made in a letter with your signature."),
                "objection": t("You have the right to see your data and have it corrected."),
                "complaint": t(
                    "Data Protection Ombudsman, Ratapihantie 9, 00521 Helsinki, tel. 029 56 66700."
                ),
            },
            "automated_decisions": None,
            "prepared": "2023-09-01",
            "updated": "2024-05-01",
        },
    )
    assert {
        "E05-legal-basis",
        "E06-interest-is-relationship",
        "E08-google-not-named",
        "E08-recipients-vague",
        "E09-ga-us-transfer",
        "E09-transfers-conditional",
        "E09-transfers-eu-not-eea",
        "E12-withdrawal",
        "E13-authority-outdated",
        "E15-automated-decisions",
        "E20-objection-content",
        "E22-stale",
        "E23-browser-settings",
        "E23-consent-mechanism",
        "E23-identification-claim",
        "consent-not-needed",
        "ga-demographics",
        "ga-opt-out-addon",
        "legacy-signed-request",
        "placeholder",
    } <= ids(found)
    assert {f.language for f in found} <= {"en", None}


@pytest.mark.parametrize(
    ("rule_id", "register_edits"),
    [
        ("consent-not-needed", {"consent": {"sv": "Samtycke behövs inte."}}),
        (
            "E09-transfers-conditional",
            {"transfers_note": {"sv": "Uppgifter överförs inte utanför EES om inte nödvändigt."}},
        ),
        ("legacy-signed-request", {"rights": {"access": {"sv": "Begäran ska undertecknas."}}}),
        ("placeholder", {"data_subjects": {"sv": "Kunder, TODO"}}),
        ("hedging", {"data_subjects": {"sv": "Kunder och eventuellt deras kontaktpersoner."}}),
    ],
)
def test_a_swedish_notice_is_checked_too(
    tmp_path: Path, rule_id: str, register_edits: dict[str, Any]
) -> None:
    found = [f for f in findings_for(tmp_path, "sv", {}, register_edits) if f.rule_id == rule_id]
    assert found and {f.language for f in found} <= {"sv", None}


def test_a_cookie_named_in_one_language_only_is_reported_as_disagreement(tmp_path: Path) -> None:
    site = copy.deepcopy(SITE)
    site["cookie_intro"] = {"fi": "Eväste `_ga` laskee kävijät.", "en": "A cookie counts visitors."}
    root = write_content(tmp_path / "content", site, [copy.deepcopy(REGISTER)])
    found = run_checks(load_content(root), today=dt.date.fromisoformat(TODAY))
    (finding,) = [f for f in found if f.rule_id == "languages-disagree"]
    assert (finding.key_path, finding.language) == (("cookie_intro", "en"), "en")
    assert finding.message["en"].endswith(": _ga")
