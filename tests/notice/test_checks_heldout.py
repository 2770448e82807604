"""The checker on held-out registers of kinds it was not developed on (issue 17).

Compliant: a trade union, a Swedish-speaking shop's loyalty club, a hotel, a public library, a
Swedish-only adult education centre, an English-only coworking space, a regional biobank and a
shopping centre's camera surveillance. With defects marked `# DEFECT: rule-id[, rule-id]` on
their lines: a sports club, a dental clinic, a driving school, a veterinary clinic, a car repair
shop, a rental-housing company, a children's hobby app, a coffee shop's newsletter and a cohort
study (tests/fixtures/registers-heldout/README.md). `scripts/score_checks.py` prints the same
measure.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from notice.checks import Finding, Severity, lexicon, run_checks
from notice.checks.consistency import _names_marketing_objection
from notice.checks.fairness import _wrong_age
from notice.cli import main
from notice.loader import load_content

HELDOUT = Path(__file__).resolve().parents[1] / "fixtures" / "registers-heldout"
TODAY = dt.date(2026, 11, 24)
COMPLIANT = [
    "union",
    "loyalty",
    "hotel",
    "library",
    "adulted",
    "coworking",
    "biobank",
    "shoppingcentre",
]
DEFECTIVE = [
    "sportsclub",
    "dental",
    "drivingschool",
    "veterinary",
    "carrepair",
    "landlord",
    "hobbyapp",
    "newsletter",
    "cohort",
]
_DEFECT = re.compile(r"#\s*DEFECT:\s*([\w, -]+)$")
SERIOUS = {Severity.error, Severity.warning}


def findings_of(root: Path) -> list[Finding]:
    return run_checks(load_content(root), today=TODAY)


def planted(root: Path) -> set[tuple[Path, int, str]]:
    """Return (file, line, rule id) of every `# DEFECT:` marker in a tree."""
    found = set()
    for path in sorted(root.rglob("*.yaml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = _DEFECT.search(line)
            if match:
                found |= {(path, number, rule.strip()) for rule in match.group(1).split(",")}
    return found


def copy_of(tmp_path: Path, name: str) -> Path:
    return Path(shutil.copytree(HELDOUT / name, tmp_path / name))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("name", COMPLIANT)
def test_a_compliant_register_gets_no_error_and_no_warning(name: str) -> None:
    assert [f.format() for f in findings_of(HELDOUT / name) if f.severity in SERIOUS] == []


@pytest.mark.parametrize("name", DEFECTIVE)
def test_every_planted_defect_is_found_at_its_line(name: str) -> None:
    reported = {(f.path, f.line, f.rule_id) for f in findings_of(HELDOUT / name)}
    markers = planted(HELDOUT / name)
    assert len(markers) >= 6
    assert sorted(markers - reported) == []


@pytest.mark.parametrize("name", DEFECTIVE)
def test_nothing_but_the_planted_defects_is_an_error_or_warning(name: str) -> None:
    serious = {
        (f.path, f.line, f.rule_id) for f in findings_of(HELDOUT / name) if f.severity in SERIOUS
    }
    assert sorted(serious - planted(HELDOUT / name)) == []


@pytest.mark.parametrize("name", COMPLIANT + DEFECTIVE)
def test_every_held_out_register_builds_with_its_pdfs(tmp_path: Path, name: str) -> None:
    out = tmp_path / "site"
    args = ["build", "--content", str(HELDOUT / name), "--out", str(out), "--jobs", "1"]
    args += ["--cache-dir", str(tmp_path / "cache")]
    if name in DEFECTIVE:
        args.append("--allow-errors")
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    content = load_content(HELDOUT / name)
    pdfs = sorted(out.rglob("*.pdf"))
    assert len(pdfs) == len(content.registers) * len(content.site.languages)
    for register in content.registers:
        for lang in content.site.languages:
            [pdf] = [p for p in pdfs if p.stem == register.slug[lang]]
            reader = PdfReader(pdf)
            text = " ".join(page.extract_text() for page in reader.pages)
            assert len(reader.pages) >= 1
            assert register.name[lang] in " ".join(text.split())


# --- what the held-out registers taught the checker ---------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "words"),
    [
        ("fi", "Kolmannet osapuolet", ["kolmannet osapuolet"]),
        ("fi", "Luovutamme tietoja kolmansille osapuolille.", ["kolmansille osapuolille"]),
        ("sv", "Uppgifter lämnas till tredje parter.", ["tredje parter"]),
        ("en", "Third parties", ["third parties"]),
        ("fi", "Kolmas osapuoli, Posti Oy, toimittaa tilaukset.", []),
    ],
)
def test_third_parties_as_a_whole_are_vague(language: str, text: str, words: list[str]) -> None:
    assert lexicon.find_all("vague", language, text) == words


def test_third_parties_denied_are_not_a_vague_recipient(tmp_path: Path) -> None:
    root = copy_of(tmp_path, "hotel")
    path = root / "registers" / "asiakasrekisteri.yaml"
    denial = (
        "disclosures:\n  fi: Emme luovuta tietoja kolmansille osapuolille markkinointiin.\n"
        "  en: We do not disclose data to third parties for marketing.\ntransfers: none\n"
    )
    edit(path, "transfers: none\n", denial)
    assert not [f for f in findings_of(root) if f.rule_id == "E08-recipients-vague"]
    edit(path, "Emme luovuta tietoja kolmansille", "Luovutamme tietoja kolmansille")
    found = [f for f in findings_of(root) if f.rule_id == "E08-recipients-vague"]
    assert [(f.language, f.message["en"]) for f in found] == [
        ("fi", "recipients are vague: kolmansille osapuolille")
    ]


def test_refusing_the_marketing_e_mail_is_objecting_to_direct_marketing(tmp_path: Path) -> None:
    root = copy_of(tmp_path, "union")
    assert not [f for f in findings_of(root) if f.rule_id == "E20-objection-marketing"]
    path = root / "registers" / "jasenrekisteri.yaml"
    edit(path, "kieltää jäsenetuja koskevan sähköpostin", "muuttaa jäsenetujasi")
    found = [f for f in findings_of(root) if f.rule_id == "E20-objection-marketing"]
    assert [f.language for f in found] == ["fi"]


def test_the_special_category_is_named_in_the_readers_language() -> None:
    [finding] = [f for f in findings_of(HELDOUT / "dental") if f.rule_id == "E07-special-condition"]
    assert finding.message == {
        "en": "special-category data (health) without the Art 9(2) condition that allows it",
        "fi": "erityiseen henkilötietoryhmään kuuluva tieto (terveystiedot) ilman 9 artiklan 2 "
        "kohdan perustetta",
        "sv": "uppgifter av särskild kategori (hälsa) utan villkoret i artikel 9.2 som "
        "tillåter dem",
    }


def test_a_tracker_the_cookie_text_affirms_after_a_denial_needs_the_list(tmp_path: Path) -> None:
    root = copy_of(tmp_path, "dental")
    rules = {f.rule_id for f in findings_of(root)}
    assert {"E23-cookie-inventory", "E23-consent-mechanism"} <= rules
    # Denying every tracker is the truth with an empty list.
    edit(
        root / "site.yaml",
        "mutta käytämme Hotjaria ajanvarauksen käytettävyyden parantamiseen oikeutetun etumme "
        "perusteella.",
        "emmekä Hotjaria.",
    )
    edit(
        root / "site.yaml",
        "men vi använder Hotjar för att förbättra tidsbokningens användbarhet på grund av vårt "
        "berättigade intresse.",
        "och inte heller Hotjar.",
    )
    rules = {f.rule_id for f in findings_of(root)}
    assert not {"E23-cookie-inventory", "E23-consent-mechanism"} & rules


_LIBRARY_RETENTION = {
    "fi": "  fi: Asiakkaan tiedot poistetaan, kun korttia ei ole käytetty kolmeen vuoteen eikä "
    "hänellä ole lainoja tai maksuja.",
    "sv": "  sv: Kundens uppgifter raderas när kortet inte har använts på tre år och kunden inte "
    "har några lån eller avgifter.",
    "en": "  en: A customer's data is deleted when the card has not been used for three years and "
    "there are no loans or fees.",
}


@pytest.mark.parametrize(
    ("language", "text", "found"),
    [
        ("en", "Client data is kept for as long as necessary.", True),
        ("fi", "Asiakkaan tiedot säilytetään niin kauan kuin on tarpeen.", True),
        ("sv", "Uppgifterna sparas så länge det behövs.", True),
        ("fi", "Tietoja säilytetään toistaiseksi.", True),
        ("fi", "Tiedot säilytetään toistaiseksi voimassa olevan asiakkuuden ajan.", False),
        ("sv", "Uppgifterna sparas tills vidare.", True),
        ("en", "Records are kept indefinitely.", True),
        ("en", "Kept as long as necessary, at most two years after the last visit.", False),
        ("fi", "Säilytetään niin kauan kuin on tarpeen, enintään 2 vuotta.", False),
        ("en", "Client data is kept as long as the customer relationship lasts.", False),
        ("sv", "Sparas så länge bokföringslagen 1336/1997 kräver.", False),
    ],
)
def test_as_long_as_necessary_is_no_retention_period(
    tmp_path: Path, language: str, text: str, found: bool
) -> None:
    root = copy_of(tmp_path, "library")
    path = root / "registers" / "asiakasrekisteri.yaml"
    edit(path, _LIBRARY_RETENTION[language], f"  {language}: {text}")
    hits = [(f.rule_id, f.language) for f in findings_of(root) if f.rule_id == "retention-vague"]
    assert hits == ([("retention-vague", language)] if found else [])


def test_a_card_application_signed_by_a_guardian_is_no_signed_request(tmp_path: Path) -> None:
    root = copy_of(tmp_path, "library")
    assert not [f for f in findings_of(root) if f.rule_id == "legacy-signed-request"]
    path = root / "registers" / "asiakasrekisteri.yaml"
    edit(
        path,
        "koska huoltaja vastaa lapsen lainoista.",
        "koska huoltaja vastaa lapsen lainoista. Tietojen tarkastuspyyntö on allekirjoitettava.",
    )
    found = [f for f in findings_of(root) if f.rule_id == "legacy-signed-request"]
    assert [(f.key_path, f.language) for f in found] == [(("data_subjects", "fi"), "fi")]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "sv",
            "Du kan när som helst avbeställa kursnyheterna via länken i varje e-postmeddelande.",
        ),
        ("fi", "Voit lopettaa tilauksen jokaisen sähköpostiviestin peruutuslinkistä."),
        ("en", "You can unsubscribe from the community e-mail at any time."),
    ],
)
def test_cancelling_the_e_mails_is_named_as_objecting(language: str, text: str) -> None:
    assert _names_marketing_objection(language, text)
    assert not _names_marketing_objection(language, text.split(" ")[0] + " ...")


# --- what the format-2.1 held-out registers taught the checker ------------------------------------


@pytest.mark.parametrize(
    ("language", "sentence", "wrong"),
    [
        ("en", "The app's users (aged 9 to 15) and their guardians.", False),
        ("fi", "Sovelluksen käyttäjät (9–15-vuotiaat) ja heidän huoltajansa.", False),
        ("sv", "Appens användare (9–15 år) och deras vårdnadshavare.", False),
        ("en", "A child of 15 consents to the app on their own.", True),
        ("fi", "Alle 18-vuotiaan sovellustilin avaa huoltaja.", True),
    ],
)
def test_an_age_range_of_users_is_no_consent_age(language: str, sentence: str, wrong: bool) -> None:
    assert _wrong_age(language, sentence) is wrong


@pytest.mark.parametrize(
    ("language", "concept", "text"),
    [
        ("sv", "marketing", "Du kan invända mot direktmarknadsföring."),
        ("fi", "terms", "Tilaamalla hyväksyt toimitusehdot."),
        ("sv", "terms", "Du godkänner leveransvillkoren."),
    ],
)
def test_compound_words_name_their_head_word(language: str, concept: str, text: str) -> None:
    assert lexicon.has(concept, language, text)


def test_the_newsletters_bundled_consent_is_found_in_both_languages() -> None:
    found = [f for f in findings_of(HELDOUT / "newsletter") if f.rule_id == "consent-bundled"]
    assert sorted(f.language or "" for f in found) == ["fi", "sv"]
    [swedish] = [f for f in found if f.language == "sv"]
    assert swedish.message["en"] == (
        'marketing is bundled with the terms of the service: "Genom att beställa godkänner du '
        'leveransvillkoren och samtidigt att du får nyhe…"'
    )
