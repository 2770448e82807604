"""Pages, PDFs and JSON show the v2 structure of real registers, in fi, sv and en."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from pypdf import PdfReader

from notice.build import build_site

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "registers-real"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("real")
    built = {}
    for name in ("municipality", "webshop", "employer", "charity"):
        build_site(REAL / name, out / name, pdf=False)
        built[name] = out / name
    return built


def page(root: Path, path: str) -> Tag:
    soup = BeautifulSoup((root / path / "index.html").read_text(encoding="utf-8"), "lxml")
    main = soup.find("main")
    assert isinstance(main, Tag)
    return main


def section(main: Tag, section_id: str) -> Tag:
    found = main.find("section", id=section_id)
    assert isinstance(found, Tag), section_id
    return found


def facts(block: Tag) -> dict[str, str]:
    """Return a `dl.facts` as {term: description}, texts normalised."""
    terms = [dt.get_text(" ", strip=True) for dt in block.find_all("dt")]
    values = [dd.get_text(" ", strip=True) for dd in block.find_all("dd")]
    return dict(zip(terms, values, strict=True))


MUNICIPALITY = {
    "fi": "fi/varhaiskasvatuksen-asiakasrekisteri",
    "sv": "sv/smabarnspedagogikens-kundregister",
    "en": "en/early-childhood-education-clients",
}


def test_joint_controller_and_dpo_by_title_in_every_language(sites: dict[str, Path]) -> None:
    expected = {
        "fi": ("Yhteisrekisterinpitäjät", "Opetushallitus", "Kaupungin tietosuojavastaava"),
        "sv": (
            "Gemensamt personuppgiftsansvariga",
            "Utbildningsstyrelsen (Opetushallitus)",
            "Stadens dataskyddsombud",
        ),
        "en": (
            "Joint controllers",
            "Finnish National Agency for Education (Opetushallitus)",
            "The city's data protection officer",
        ),
    }
    for lang, path in MUNICIPALITY.items():
        controller = section(page(sites["municipality"], path), "controller")
        heading, joint, dpo = expected[lang]
        assert controller.find("h3", id="joint-controllers").get_text(strip=True) == heading
        names = [a.strong.get_text(strip=True) for a in controller.find_all("address")]
        # The localized name, and the official one beside it where it differs.
        localized = {"fi": "Esimerkin kaupunki", "sv": "Exempelby stad", "en": "City of Esimerkki"}
        assert names[0] == localized[lang] + ("" if lang == "fi" else " (Esimerkin kaupunki)")
        assert dpo in names and joint in names
        terms = facts(controller.find("dl", class_="facts"))
        assert len(terms) == 2 and all(terms.values())


def test_special_category_condition_and_law_are_shown(sites: dict[str, Path]) -> None:
    content = section(page(sites["municipality"], MUNICIPALITY["sv"]), "data-content")
    items = content.find("ul", class_="categories").find_all("li", recursive=False)
    allergies = next(li for li in items if "Allergier" in li.get_text())
    shown = facts(allergies.find("dl"))
    assert shown["Särskild kategori av personuppgifter (artikel 9)"] == "uppgifter om hälsa"
    condition = shown["Villkor för behandlingen"]
    assert condition.startswith("ett viktigt allmänintresse som föreskrivs i lag (artikel 9.2 g)")
    assert "1050/2018" in condition


def test_retention_and_sources_per_category(sites: dict[str, Path]) -> None:
    main = page(sites["municipality"], MUNICIPALITY["en"])
    retention = facts(section(main, "retention").find("dl", class_="retention"))
    assert retention["Allergies, special diets and need for support"] == (
        "Erased when the child's early childhood education ends."
    )
    sources = facts(section(main, "sources").find("dl", class_="sources"))
    first = sources["Names, personal identity codes and contact details of the child and guardians"]
    assert first.startswith("From you; Population Information System")
    assert first.endswith("(not publicly accessible)")


def test_recipients_are_grouped_by_role_with_their_country(sites: dict[str, Path]) -> None:
    recipients = section(page(sites["municipality"], MUNICIPALITY["fi"]), "recipients")
    headings = [h.get_text(strip=True) for h in recipients.find_all("h3")]
    assert headings == ["Lukuumme tietoja käsittelevä henkilötietojen käsittelijä", "Viranomainen"]
    vendor = recipients.find("ul").li.get_text(" ", strip=True)
    assert "(Suomi)" in vendor
    links = [a["href"] for a in recipients.find("ul").li.find_all("a")]
    assert links == ["#purpose-1", "#purpose-2"]


def test_rights_follow_the_legal_bases(sites: dict[str, Path]) -> None:
    # Public task and legal obligation: objection applies, portability does not; no marketing.
    main = page(sites["municipality"], MUNICIPALITY["en"])
    rights = section(main, "rights")
    assert rights.find("section", id="right-objection") is not None
    assert rights.find("section", id="right-portability") is None
    assert "does not apply" in rights.find("section", id="rights-not-applicable").get_text()
    objection = rights.find("section", id="right-objection").get_text()
    assert "direct marketing" not in objection
    first = main.find("section", class_="first-layer")
    assert first.find("p", class_="callout") is None
    assert "data portability" not in first.get_text()
    assert "children" in section(main, "data-subjects").get_text().lower()


def test_direct_marketing_callout_only_where_there_is_direct_marketing(
    sites: dict[str, Path],
) -> None:
    newsletter = page(sites["webshop"], "en/newsletter")
    assert newsletter.find("p", class_="callout") is not None
    employer = page(sites["employer"], "en/job-applicants")
    assert employer.find("p", class_="callout") is None
    charity = page(sites["charity"], "en/members-and-supporters")
    assert charity.find("p", class_="callout") is not None  # v1 text names direct marketing


def test_transfer_shows_country_every_mechanism_and_the_decision(sites: dict[str, Path]) -> None:
    for lang, country, sccs in [
        ("en", "United States", "Standard contractual clauses"),
        ("fi", "Yhdysvallat", "Vakiosopimuslausekkeet"),
    ]:
        transfers = section(
            page(sites["webshop"], f"{lang}/{'newsletter' if lang == 'en' else 'uutiskirje'}"),
            "transfers",
        )
        item = transfers.find("ul", class_="transfers").li.get_text(" ", strip=True)
        assert item.startswith(f"Mailchimp (The Rocket Science Group LLC), {country}")
        assert sccs in item and "(EU) 2023/1795" in item


def test_automated_decision_details(sites: dict[str, Path]) -> None:
    automated = section(page(sites["webshop"], "en/customers"), "automated-decisions")
    shown = facts(automated.find("dl", class_="decision"))
    assert list(shown) == [
        "Logic involved",
        "Significance for you",
        "Consequences",
        "Why it is allowed",
        "Your safeguards",
    ]
    assert shown["Why it is allowed"] == "necessary for a contract with you (Article 22(2)(a))"


def test_criminal_data_and_consent_withdrawal_per_purpose(sites: dict[str, Path]) -> None:
    main = page(sites["employer"], "fi/tyonhakijat")
    content = section(main, "data-content").get_text(" ", strip=True)
    assert "Rikostuomioihin ja rikkomuksiin liittyvät tiedot (10 artikla)" in content
    assert "504/2002" in content
    purposes = section(main, "purposes").get_text(" ", strip=True)
    assert "Suostumuksen peruminen: Poistu osaajapoolista" in purposes


def test_json_export_carries_the_structure(sites: dict[str, Path]) -> None:
    data = json.loads(
        (sites["municipality"] / "registers" / "varhaiskasvatus.json").read_text("utf-8")
    )
    assert data["joint_controllers"][0]["name"] == "Opetushallitus"
    assert data["data_categories"][2]["special"]["condition"] == "substantial_public_interest"
    assert data["purposes"][0]["legal_bases"] == ["public_task", "legal_obligation"]


def test_pdf_shows_the_structure(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(REAL / "municipality", out, pdf=True, jobs=1)
    reader = PdfReader(
        out / "en" / "early-childhood-education-clients" / "early-childhood-education-clients.pdf"
    )
    text = " ".join((p.extract_text() or "") for p in reader.pages)
    for phrase in ("Joint controllers", "Essence of the arrangement", "Article 9(2)(g)"):
        assert phrase in " ".join(text.split()), phrase
