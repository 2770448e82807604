"""The checker on format-2 registers of kinds the repository had not seen (issue 17).

Written from the law and from how such organisations publish, not from the rules: a private
clinic (fi/sv/en, Art 9(2)(h), Kanta, 1050/2018 s 34), a university study (6(1)(e), 9(2)(j),
1050/2018 s 31), a housing company's CCTV with its manager as joint controllers (fi/sv), a B2B
SaaS with US and Indian sub-processors (en) — all compliant — and a parish, a fitness app and a
security company with planted defects marked `# DEFECT: rule-id[, rule-id]` on their lines.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from notice import presence
from notice.checks import Finding, Severity, lexicon, run_checks
from notice.cli import main
from notice.loader import load_content

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "registers-real"
TODAY = dt.date(2026, 11, 24)
COMPLIANT = ["clinic", "research", "housing", "saas"]
DEFECTIVE = ["parish", "fitness", "security"]
_DEFECT = re.compile(r"#\s*DEFECT:\s*([\w, -]+)$")
SERIOUS = {Severity.error, Severity.warning}


def findings_of(root: Path) -> list[Finding]:
    return run_checks(load_content(root), today=TODAY)


def copy_of(tmp_path: Path, name: str) -> Path:
    return Path(shutil.copytree(REAL / name, tmp_path / name))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("name", COMPLIANT)
def test_compliant_register_has_no_errors_or_warnings(name: str) -> None:
    assert [f.format() for f in findings_of(REAL / name) if f.severity in SERIOUS] == []


def planted(name: str) -> set[tuple[Path, int, str]]:
    """Return (file, line, rule id) of every `# DEFECT:` marker in a tree."""
    found = set()
    for path in sorted((REAL / name).rglob("*.yaml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = _DEFECT.search(line)
            if match:
                found |= {(path, number, rule.strip()) for rule in match.group(1).split(",")}
    return found


@pytest.mark.parametrize("name", DEFECTIVE)
def test_every_planted_defect_is_found_at_its_line(name: str) -> None:
    reported = {(f.path, f.line, f.rule_id) for f in findings_of(REAL / name)}
    markers = planted(name)
    assert len(markers) >= 6
    assert sorted(markers - reported) == []


@pytest.mark.parametrize("name", DEFECTIVE)
def test_nothing_but_the_planted_defects_is_an_error_or_warning(name: str) -> None:
    serious = {
        (f.path, f.line, f.rule_id) for f in findings_of(REAL / name) if f.severity in SERIOUS
    }
    assert sorted(serious - planted(name)) == []


# --- the false results of issue 17, each with the defect it must still find -------------------


def test_we_set_no_cookies_is_valid_with_an_empty_list(tmp_path: Path) -> None:
    root = copy_of(tmp_path, "clinic")
    assert not [f for f in findings_of(root) if f.rule_id == "E23-cookie-inventory"]
    edit(
        root / "site.yaml",
        "en: Our website sets no cookies and uses no other tracking technologies.",
        "en: Our website uses cookies to remember your language.",
    )
    [finding] = [f for f in findings_of(root) if f.rule_id == "E23-cookie-inventory"]
    assert finding.message["en"] == "the cookie list is incomplete: the list is empty"


def test_retention_given_on_every_category_satisfies_e10(tmp_path: Path) -> None:
    root = copy_of(tmp_path, "housing")
    register = load_content(root).register("kameravalvonta")
    assert register.retention is None and presence.retention_present(register)
    assert not [f for f in findings_of(root) if f.rule_id == "E10-retention"]
    # One category without its own retention, and no register-level one: that category is named.
    path = root / "registers" / "kameravalvonta.yaml"
    edit(path, "    retention:\n      fi: Kaksi vuotta.\n      sv: Två år.\n", "")
    found = [(f.line, f.key_path) for f in findings_of(root) if f.rule_id == "E10-retention"]
    line = (
        path.read_text(encoding="utf-8")
        .splitlines()
        .index(
            "  - name: {fi: Tallenteen katselu- ja luovutusloki, sv: Logg över granskning och "
            "utlämnande av inspelningar}"
        )
    )
    assert found == [(line + 1, ("data_categories", 1))]


def test_sources_given_per_category_satisfy_e16(tmp_path: Path) -> None:
    root = copy_of(tmp_path, "clinic")
    register = load_content(root).register("potilasrekisteri")
    assert register.sources is None
    assert presence.sources_present(register) and presence.collected_from_others(register)
    assert not [f for f in findings_of(root) if f.rule_id.startswith("E16")]
    path = root / "registers" / "potilasrekisteri.yaml"
    edit(path, "    sources: [data_subject]\n", "")
    [finding] = [f for f in findings_of(root) if f.rule_id == "E16-category-source"]
    assert finding.message["en"] == (
        'categories state their sources, but "Laskutus- ja korvaustiedot" does not'
    )


def test_an_agency_name_is_not_a_demographics_claim(tmp_path: Path) -> None:
    root = copy_of(tmp_path, "research")
    assert not [f for f in findings_of(root) if f.rule_id == "ga-demographics"]
    edit(
        root / "site.yaml",
        "en: We measure which pages people sign up for the study from. Google signals is off.",
        "en: We measure which pages people sign up from, and their demographics.",
    )
    found = [f for f in findings_of(root) if f.rule_id == "ga-demographics"]
    assert [(f.language, f.key_path) for f in found] == [("en", ("analytics", "description", "en"))]


def test_anonymous_survey_answers_are_not_an_identification_claim(tmp_path: Path) -> None:
    root = copy_of(tmp_path, "research")
    assert not [f for f in findings_of(root) if f.rule_id == "E23-identification-claim"]
    edit(
        root / "registers" / "unitutkimus.yaml",
        "en: In the pilot phase we collect anonymous survey answers",
        "en: Visitors of the site remain anonymous. In the pilot phase we collect answers",
    )
    found = [f for f in findings_of(root) if f.rule_id == "E23-identification-claim"]
    assert [f.message["en"] for f in found] == [
        "text says visitors cannot be identified, but IP addresses are collected: "
        '"Visitors of the site remain anonymous."'
    ]


def test_customer_health_scores_are_not_health_data(tmp_path: Path) -> None:
    root = copy_of(tmp_path, "saas")
    assert not [f for f in findings_of(root) if f.rule_id == "E07-special-undeclared"]
    edit(
        root / "registers" / "customer-users.yaml",
        "{en: Customer health scores per company account}",
        "{en: Health conditions that users report to support}",
    )
    found = [f for f in findings_of(root) if f.rule_id == "E07-special-undeclared"]
    assert [f.message["en"] for f in found] == [
        'category looks like special-category data ("Health") but does not declare `special` '
        "with its Art 9(2) condition"
    ]


def test_a_denial_followed_by_human_review_is_not_an_automated_decision(tmp_path: Path) -> None:
    root = copy_of(tmp_path, "saas")
    assert not [f for f in findings_of(root) if f.rule_id.startswith("E15")]
    # "…, but" ends the denial's scope: a clause that affirms automated processing is a decision.
    edit(
        root / "registers" / "customer-users.yaml",
        "We make no decisions based solely on automated processing.",
        "We make no decisions based solely on automated processing, but an algorithm "
        "automatically suspends accounts with unusual sign-ins.",
    )
    assert [f.rule_id for f in findings_of(root) if f.rule_id.startswith("E15")] == [
        "E15-automated-details"
    ]


def test_a_complaint_text_does_not_stand_in_for_the_authority(tmp_path: Path) -> None:
    root = copy_of(tmp_path, "parish")
    assert {"E13-complaint", "complaint-not-authority"} <= {f.rule_id for f in findings_of(root)}
    # Naming the Ombudsman in the text answers complaint-not-authority but not E13-complaint.
    path = root / "registers" / "kerhot.yaml"
    edit(path, "Valitukset käsittelee seurakuntaneuvosto", "Voit valittaa tietosuojavaltuutetulle")
    edit(path, "Klagomål behandlas av församlingsrådet", "Du kan klaga hos dataombudsmannen")
    rules = {f.rule_id for f in findings_of(root)}
    assert "E13-complaint" in rules and "complaint-not-authority" not in rules


# --- language ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "words"),
    [
        (
            "fi",
            "Yhteistyökumppanimme ja kumppaneillemme",
            ["yhteistyökumppanimme", "kumppaneillemme"],
        ),
        ("fi", "Luovutamme tietoja yhteistyökumppaneille.", ["yhteistyökumppaneille"]),
        ("sv", "Uppgifterna lämnas till samarbetspartnerna.", ["samarbetspartnerna"]),
        ("fi", "Tilitoimisto Numero Oy (kirjanpitokumppani)", []),
    ],
)
def test_inflected_forms_are_found_by_their_stem(
    language: str, text: str, words: list[str]
) -> None:
    assert lexicon.find_all("vague", language, text) == words


def test_permanent_retention_is_recognised_in_each_language() -> None:
    assert lexicon.find("permanent", "fi", "Tiedot säilytetään pysyvästi.") == "pysyvästi"
    assert lexicon.find("permanent", "sv", "Uppgifterna bevaras permanent.") == "permanent"
    assert lexicon.find("permanent", "en", "The data is kept permanently.") == "permanently"


# --- messages and the rule list in Swedish -----------------------------------------------------


def test_check_speaks_swedish() -> None:
    result = CliRunner().invoke(
        main,
        ["check", "--content", str(REAL / "security"), "--today", "2026-11-24", "--lang", "sv"],
    )
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(
        "WARNING E16-category-source: kategorierna anger sina källor, men "
        '"Kreditupplysningar om kunden" gör det inte (tips: ' in line
        for line in lines
    )
    assert lines[-1] == "1 fel, 5 varningar; kontrollerade site.yaml och 1 register"


def test_explain_names_the_structured_field() -> None:
    result = CliRunner().invoke(main, ["check", "--explain", "E10-retention"])
    assert "`data_categories[].retention`" in result.output
    result = CliRunner().invoke(main, ["check", "--explain", "E16-sources", "--lang", "sv"])
    assert "Åtgärd: ange varje kategoris `data_categories[].sources`" in result.output


def test_provision_given_on_every_category_satisfies_e14(tmp_path: Path) -> None:
    root = copy_of(tmp_path, "clinic")
    path = root / "registers" / "potilasrekisteri.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("provision_requirement:")
    end = text.index("data_subjects:")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    assert presence.provision_present(load_content(root).register("potilasrekisteri"))
    assert not [f for f in findings_of(root) if f.rule_id == "E14-provision-requirement"]
    edit(path, "    provision: contractual\n", "")
    assert [f.key_path for f in findings_of(root) if f.rule_id == "E14-provision-requirement"] == [
        ("provision_requirement",)
    ]


def test_a_decision_with_human_involvement_needs_no_art_22_details(tmp_path: Path) -> None:
    root = copy_of(tmp_path, "saas")
    path = root / "registers" / "customer-users.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("automated_decisions:")
    end = text.index("security:")
    decision = (
        "automated_decisions:\n"
        "  - description: {en: Accounts get a renewal-risk score; a person decides.}\n"
        "    solely_automated: false\n"
    )
    path.write_text(text[:start] + decision + text[end:], encoding="utf-8")
    assert not [f for f in findings_of(root) if f.rule_id.startswith("E15")]
    edit(path, "    solely_automated: false\n", "")
    assert [f.rule_id for f in findings_of(root) if f.rule_id.startswith("E15")] == [
        "E15-automated-details"
    ]


def test_a_company_name_is_not_a_vague_recipient(tmp_path: Path) -> None:
    root = copy_of(tmp_path, "saas")
    path = root / "registers" / "customer-users.yaml"
    edit(path, "{en: Accounting firm Luku Oy}", "{en: Accounting firm Kasvu Partners Oy}")
    assert not [f for f in findings_of(root) if f.rule_id == "E08-recipients-vague"]
    edit(path, "{en: Accounting firm Kasvu Partners Oy}", "{en: Our accounting partners}")
    found = [f for f in findings_of(root) if f.rule_id == "E08-recipients-vague"]
    assert [f.message["en"] for f in found] == ["recipients are vague: partners"]


def test_direct_marketing_is_read_from_the_purpose_flag_in_format_2(tmp_path: Path) -> None:
    root = copy_of(tmp_path, "saas")
    path = root / "registers" / "customer-users.yaml"
    edit(
        path,
        "security:\n",
        "rights:\n  objection:\n    en: Object to processing on legitimate interests by "
        "writing to privacy@ledgerly.example.com.\nsecurity:\n",
    )
    # A product newsletter to users, not declared direct marketing: the words do not decide.
    newsletter = (
        "  - id: news\n    description: {en: Sending users our product newsletter.}\n"
        "    legal_bases: [legitimate_interests]\n"
        "    legitimate_interest: {en: Telling users about changes to the service they use.}\n"
    )
    edit(path, "  - id: billing\n", newsletter + "  - id: billing\n")
    assert not [f for f in findings_of(root) if f.rule_id == "E20-objection-marketing"]
    edit(path, "    legal_bases: [legitimate_interests]\n    legitimate_interest: {en: Telling",
         "    direct_marketing: true\n    legal_bases: [legitimate_interests]\n"
         "    legitimate_interest: {en: Telling")  # fmt: skip
    found = [f for f in findings_of(root) if f.rule_id == "E20-objection-marketing"]
    assert [f.key_path for f in found] == [("rights", "objection", "en")]


def test_we_set_no_cookies_is_contradicted_by_a_tracker_a_register_names(tmp_path: Path) -> None:
    root = copy_of(tmp_path, "clinic")
    path = root / "registers" / "potilasrekisteri.yaml"
    edit(path, "automated_decisions: none\n", "automated_decisions: none\nwebsite: true\n")
    assert not [f for f in findings_of(root) if f.rule_id == "E23-cookie-inventory"]
    edit(
        path,
        "  en: Patients of the clinic.\n",
        "  en: Patients of the clinic. Our booking page uses the Meta pixel.\n",
    )
    assert [f.rule_id for f in findings_of(root) if f.rule_id == "E23-cookie-inventory"] == [
        "E23-cookie-inventory"
    ]


@pytest.mark.parametrize(
    ("anchor", "text", "rule_id"),
    [
        (
            "security:\n",
            "rights:\n  erasure:\n    en: We cannot erase invoice and fee records before the "
            "Accounting Act allows it.\nsecurity:\n",
            "request-fee",
        ),
        (
            "security:\n",
            "rights:\n  access:\n    en: Ask by e-mail; you can also visit our office in person."
            "\nsecurity:\n",
            "request-in-person",
        ),
        (
            "    User data is kept while the customer contract is in force and deleted within 90 "
            "days after\n    it ends;",
            "    User data is kept while the customer contract is in force and permanently "
            "deleted 90 days after\n    it ends;",
            "retention-permanent",
        ),
        (
            "  en: Contact persons and users at our customer companies.\n",
            "  en: Contact persons and users at our customer companies. Trainees under 18 need "
            "a guardian's consent to attend our on-site courses.\n",
            "children-consent-age",
        ),
        (
            "security:\n",
            "consent:\n  en: You accept the terms of use when ordering; we send offers only with "
            "your separate consent.\nsecurity:\n",
            "consent-bundled",
        ),
    ],
    ids=["fee-records", "in-person-optional", "deleted", "camp-age", "separate-consent"],
)
def test_near_misses_of_the_new_rules(tmp_path: Path, anchor: str, text: str, rule_id: str) -> None:
    root = copy_of(tmp_path, "saas")
    edit(root / "registers" / "customer-users.yaml", anchor, text)
    assert rule_id not in {f.rule_id for f in findings_of(root)}


def test_a_tracker_named_in_finnish_case_after_a_denial_is_found(tmp_path: Path) -> None:
    # "We do not use the Meta pixel, but we use Hotjar" (partitive "Hotjaria").
    root = copy_of(tmp_path, "clinic")
    path = root / "registers" / "potilasrekisteri.yaml"
    edit(
        path,
        "  fi: Lääkäriaseman potilaat.\n",
        "  fi: Lääkäriaseman potilaat. Emme käytä Meta-pikseliä, mutta käytämme Hotjaria.\n",
    )
    found = [f for f in findings_of(root) if f.rule_id == "E08-tracker-not-recipient"]
    assert [(f.language, f.message["en"]) for f in found] == [
        ("fi", "Hotjar is used, but its company is not among the recipients")
    ]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Partner m.fl.", ["m.fl."]),
        ("Uppgifterna lämnas till våra partner.", ["våra partner"]),
        ("Revisorer, banker osv.", ["osv"]),
        ("Myndigheter med flera.", ["med flera"]),
        ("Vår redovisningspartner Siffra Ab sköter bokföringen.", []),
        ("Uppgifterna lämnas inte till tredje man.", []),
    ],
)
def test_vague_swedish_recipients_are_found_and_named_ones_are_not(
    text: str, words: list[str]
) -> None:
    from notice.checks.consistency import _vague_words

    assert list(_vague_words("sv", text)) == words
