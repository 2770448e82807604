"""Records of a v2 register set: joint controllers, processors abroad, per-category retention."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from openpyxl import load_workbook
from rdflib import Namespace
from rdflib.namespace import RDF

from notice.build import build_site
from notice.checks import run_checks
from notice.cli import main
from notice.loader import Content, load_content
from notice.records import COLUMNS, activities, record_gaps
from notice.records.columns import Cell, Localizer, cell_text, row
from notice.records.output import render_records
from notice.records.tabular import csv_delimiter
from tests import REPO_ROOT
from tests.notice.records_content import REGISTER, SITE, parse_jsonld, write_content

FIXTURE = REPO_ROOT / "tests" / "fixtures" / "records"
TODAY = dt.date(2026, 11, 29)
GREEK = "Ελληνική Υπηρεσία Νέφους Α.Ε."
DPV = Namespace("https://w3id.org/dpv#")
GDPR = Namespace("https://w3id.org/dpv/legal/eu/gdpr#")
LOC = Namespace("https://w3id.org/dpv/loc#")


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(FIXTURE)


def cells(content: Content, activity_id: str, lang: str) -> dict[str, Cell]:
    activity = next(a for a in activities(content) if a.id == activity_id)
    values = row(activity, Localizer(lang, ["fi", "sv", "en"]))
    return {column.key: cell for column, cell in zip(COLUMNS, values, strict=True)}


def lines(cell: Cell) -> list[str]:
    return cell_text(cell).splitlines()


def test_activities_use_purpose_ids_and_include_the_portal(content: Content) -> None:
    ids = [a.id for a in activities(content)]
    assert ids == [
        "pyynnot/requests",
        "pyynnot/audit",
        "varhaiskasvatus/ecec",
        "varhaiskasvatus/survey",
    ]


def test_recipients_are_those_of_the_purpose(content: Content) -> None:
    ecec = lines(cells(content, "varhaiskasvatus/ecec", "en")["recipients"])
    survey = lines(cells(content, "varhaiskasvatus/survey", "en")["recipients"])
    assert [line.split(" (")[0] for line in ecec] == [GREEK, "Bengaluru Support Pvt Ltd", "Kela"]
    assert [line.split(" (")[0] for line in survey] == [
        GREEK,
        "Survey Service Ltd",
        "Surveyor Inc.",
    ]
    assert ecec[0].endswith(", Greece)")


def test_third_countries_and_transfers(content: Content) -> None:
    ecec = cells(content, "varhaiskasvatus/ecec", "fi")
    survey = cells(content, "varhaiskasvatus/survey", "fi")
    # Greece is in the EEA: a recipient there is no transfer.
    assert [line.split(" (")[0] for line in lines(ecec["third_country_recipients"])] == [
        "Bengaluru Support Pvt Ltd"
    ]
    assert lines(ecec["transfers"])[0] == (
        "Bengaluru Support Pvt Ltd (Intia): Vakiosopimuslausekkeet "
        "(46 artiklan 2 kohdan c alakohta); (EU) 2021/914"
    )
    assert lines(survey["transfers"])[0].startswith("Surveyor Inc. (Yhdysvallat): ")
    pyynnot = cells(content, "pyynnot/requests", "fi")
    assert lines(pyynnot["transfers"]) == ["Ei siirtoja ETA:n ulkopuolelle"]


def test_joint_controller_dpo_and_controller_in_swedish(content: Content) -> None:
    sv = cells(content, "varhaiskasvatus/ecec", "sv")
    assert lines(sv["controller"])[0] == "Österbottens samkommun"
    joint = lines(sv["joint_controllers"])
    assert joint[0] == "Utbildningsstyrelsen: Upprätthåller datalagret Varda."
    assert joint[1] == "kirjaamo@oph.fi"
    assert joint[2].startswith("Vardera ansvarar")
    assert lines(sv["dpo"]) == ["Dataskyddsombud", "tietosuoja@example-kuntayhtyma.fi"]


def test_bases_law_special_data_and_retention_per_category(content: Content) -> None:
    fi = cells(content, "varhaiskasvatus/ecec", "fi")
    assert lines(fi["legal_basis"]) == [
        "Yleistä etua koskeva tehtävä (6 artiklan 1 kohdan e alakohta)",
        "Lakisääteinen velvoite (6 artiklan 1 kohdan c alakohta)",
        "Varhaiskasvatuslaki 540/2018",
    ]
    assert lines(fi["special_categories"]) == [
        "Terveystiedot (laissa säädetty tärkeä yleinen etu (9 artiklan 2 kohdan g alakohta); "
        "Tietosuojalaki 1050/2018 6 §)"
    ]
    assert lines(fi["retention"]) == [
        "Muut tiedot säilytetään 2 vuotta asiakkuuden päättymisestä.",
        "Lapsen ja huoltajan yhteystiedot: 10 vuotta",
        "Terveystiedot: Lapsen 18 ikävuoteen",
        "Tulotiedot: 6 vuotta",
    ]
    assert lines(fi["sources"])[1:] == [
        "Lapsen ja huoltajan yhteystiedot: Väestötietojärjestelmä",
        "Tulotiedot: Tulorekisteri",
    ]


def test_record_block_fills_systems_security_and_review(content: Content) -> None:
    en = cells(content, "varhaiskasvatus/survey", "en")
    assert lines(en["systems"]) == ["Daisy", "Varda", "Webropol"]
    assert lines(en["security"])[-1].startswith("In detail: Two-factor sign-in")
    assert lines(en["review_date"]) == ["1 October 2026"]
    portal = cells(content, "pyynnot/audit", "en")
    assert lines(portal["systems"]) == ["Not stated"]  # no record block: no systems told
    assert lines(portal["review_date"]) == ["1 November 2026"]  # no record: the prepared date


def test_structured_automated_decisions(tmp_path: Path) -> None:
    decision = {
        "description": {"sv": "Kreditpoäng", "en": "Credit scoring"},
        "logic": {"sv": "Betalningshistorik", "en": "Payment history"},
        "significance": {"sv": "Kredit", "en": "Whether credit is given"},
        "consequences": {"sv": "Avslag", "en": "Refusal"},
        "ground": "contract",
        "safeguards": {"sv": "Handläggare", "en": "A person reviews on request"},
    }
    register = {**REGISTER, "automated_decisions": [decision]}
    loaded = load_content(write_content(tmp_path / "content", SITE, register))
    en = cells(loaded, "kundregister/1", "en")
    assert lines(en["automated_decisions"]) == [
        "Credit scoring",
        "Logic: Payment history",
        "Significance: Whether credit is given",
        "Consequences: Refusal",
        "Safeguards: A person reviews on request",
        "Ground: necessary for a contract with the data subject (Article 22(2)(a))",
    ]


def test_xlsx_of_the_fixture(content: Content) -> None:
    data, count = render_records(content, "xlsx", "sv", today=TODAY)
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    values = [[c.value for c in line] for line in sheet.iter_rows()]
    assert count == 4 and len(values) == 5
    recipients = [c.key for c in COLUMNS].index("recipients")
    assert GREEK in values[3][recipients]


def test_jsonld_of_the_fixture(content: Content) -> None:
    data, _ = render_records(content, "json", "en", today=TODAY)
    graph = parse_jsonld(data)
    base = "https://www.example-kuntayhtyma.fi/tietosuoja/records-of-processing#"
    ecec = next(
        s for s in graph.subjects(RDF.type, DPV.Process) if str(s) == base + "varhaiskasvatus/ecec"
    )
    assert {GDPR["A6-1-e"], GDPR["A6-1-c"]} <= set(graph.objects(ecec, DPV.hasLegalBasis))
    (transfer,) = graph.objects(ecec, DPV.hasProcessing)
    assert (transfer, DPV.hasThirdCountry, LOC.IN) in graph
    assert (transfer, DPV.hasLegalBasis, GDPR["A46-2-c"]) in graph
    special = [
        node
        for node in graph.objects(ecec, DPV.hasPersonalData)
        if (node, RDF.type, DPV.SpecialCategoryPersonalData) in graph
    ]
    assert [graph.value(node, DPV.hasLegalBasis) for node in special] == [GDPR["A9-2-g"]]
    assert graph.value(ecec, DPV.hasJointDataControllers) is not None
    assert graph.value(ecec, DPV.hasDataProtectionOfficer) is not None
    assert {str(o) for o in graph.objects(ecec, DPV.isImplementedUsingTechnology)} == {
        "Daisy",
        "Varda",
        "Webropol",
    }


def test_record_block_is_never_published(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(FIXTURE, out, pdf=False)
    published = [p for p in out.rglob("*") if p.is_file() and ".seloste-" not in str(p)]
    assert any(p.suffix == ".json" for p in published)
    for path in published:
        text = path.read_bytes().decode("utf-8", errors="replace")
        assert "Webropol" not in text, path
        assert "monthly log review" not in text, path
        assert "review_date" not in text, path


def test_records_command_warns_where_a_record_is_incomplete(tmp_path: Path) -> None:
    register = {**REGISTER, "record": {"systems": ["CRM"]}}
    register = {
        **register,
        "recipients": [{"name": {"sv": "Molnet Ab", "en": "Cloud"}, "role": "processor"}],
    }
    folder = write_content(tmp_path / "content", SITE, register)
    result = CliRunner().invoke(
        main,
        ["records", "--content", str(folder), "--format", "csv", "--out", str(tmp_path / "r.csv")],
    )
    assert result.exit_code == 0, result.output
    assert "WARNING R30-recipient-country" in result.output
    # The records are in Swedish, and so are the checker's words about them.
    assert "kan inte säga om mottagaren ”Molnet Ab” finns i ett tredjeland" in result.output
    assert (tmp_path / "r.csv").is_file()
    finnish = CliRunner().invoke(
        main,
        ["records", "--content", str(folder), "--lang", "fi", "--out", str(tmp_path / "r.xlsx")],
    )
    assert (
        "ei kerro, onko vastaanottaja ”Molnet Ab” kolmannessa maassa" in finnish.output
    )  # sv name
    assert [f.rule_id for f in record_gaps(load_content(folder))] == ["R30-recipient-country"]
    assert record_gaps(load_content(FIXTURE), TODAY) == []


MOLNET = {"name": {"sv": "Molnet Ab", "en": "Cloud"}, "role": "processor"}
GOOGLE_LLC = {
    "name": {"sv": "Google LLC", "en": "Google LLC"},
    "role": "sub_processor",
    "country": "US",
    "transfer": {"mechanisms": ["adequacy"], "decision": "(EU) 2023/1795"},
}


@pytest.mark.parametrize(
    ("recipients", "transfers", "warned"),
    [
        # A transfer listed on its own: the processor without a country may be the one abroad.
        ([MOLNET], REGISTER["transfers"], True),
        # Nothing says whether data leaves the EEA.
        ([MOLNET], None, True),
        # No transfers: no recipient is abroad.
        ([MOLNET], "none", False),
        # The recipients placed abroad are the transfers (E09): the processor is not among them.
        ([MOLNET, GOOGLE_LLC], None, False),
    ],
)
def test_a_recipient_without_a_country_is_asked_for_only_where_it_may_be_abroad(
    tmp_path: Path, recipients: list[dict[str, object]], transfers: object, warned: bool
) -> None:
    # Art 30(1)(d) asks the record to name the recipients in third countries, not every
    # recipient's country.
    register = {**REGISTER, "record": {"systems": ["CRM"]}, "recipients": recipients}
    register.pop("transfers")
    if transfers is not None:
        register["transfers"] = transfers
    folder = write_content(tmp_path / "content", SITE, register)
    gaps = [f.rule_id for f in record_gaps(load_content(folder))]
    assert gaps == (["R30-recipient-country"] if warned else [])


def test_the_records_own_words_are_no_copy_on_the_notice(tmp_path: Path) -> None:
    # `record.retention` restates the notice's `retention` for the records, which the notice
    # never shows: not a paragraph repeated on the page (near-duplicate).
    said = {
        "sv": "Kunduppgifterna bevaras i sex år efter räkenskapsperiodens slut, och "
        "uppgifterna om beställningarna lika länge som bokföringslagen kräver.",
        "en": "The customer data is kept for six years after the end of the financial year, "
        "and the order data for as long as the Accounting Act requires.",
    }
    register = {**REGISTER, "retention": said, "record": {"retention": said}}
    folder = write_content(tmp_path / "content", SITE, register)
    assert [f for f in run_checks(load_content(folder)) if f.rule_id == "near-duplicate"] == []
    copied = {**REGISTER, "retention": said, "disclosures": said}
    folder = write_content(tmp_path / "copied", SITE, copied)
    assert [f for f in run_checks(load_content(folder)) if f.rule_id == "near-duplicate"] != []


def test_purpose_without_transfers_says_so_when_another_has_one(tmp_path: Path) -> None:
    purposes = [
        {**REGISTER["purposes"][0], "id": "orders"},
        {**REGISTER["purposes"][1], "id": "fraud"},
    ]
    abroad = {
        "name": {"sv": "Bengaluru Support", "en": "Bengaluru Support"},
        "role": "processor",
        "purposes": ["fraud"],
        "country": "IN",
        "transfer": {"mechanisms": ["sccs"]},
    }
    register = {**REGISTER, "purposes": purposes, "recipients": [abroad]}
    del register["transfers"]
    loaded = load_content(write_content(tmp_path / "content", SITE, register))
    assert lines(cells(loaded, "kundregister/orders", "en")["transfers"]) == [
        "No transfers outside the EEA"
    ]
    assert lines(cells(loaded, "kundregister/fraud", "en")["transfers"]) == [
        "Bengaluru Support (India): Standard contractual clauses (Article 46(2)(c))"
    ]


REAL = sorted(
    p for p in (REPO_ROOT / "tests" / "fixtures" / "registers-real").glob("*") if p.is_dir()
)


@pytest.mark.parametrize("folder", REAL, ids=[p.name for p in REAL])
def test_registers_of_real_kinds_make_records(folder: Path) -> None:
    loaded = load_content(folder, allow_html=True)
    purposes = sum(max(1, len(r.purposes)) for r in loaded.registers)
    lang = loaded.site.languages[0].value
    data, count = render_records(loaded, "csv", lang, today=TODAY)
    text = data.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text, newline=""), delimiter=csv_delimiter(lang)))
    assert count == purposes == len(table) - 1
    assert all(len(line) == len(COLUMNS) for line in table)
    html, _ = render_records(loaded, "html", lang, today=TODAY)
    soup = BeautifulSoup(html, "html.parser")
    assert len(soup.find_all("table", class_="record")) == purposes
    jsonld, _ = render_records(loaded, "json", lang, today=TODAY)
    graph = parse_jsonld(jsonld)
    assert len(set(graph.subjects(RDF.type, DPV.Process))) == purposes


@pytest.mark.parametrize(
    ("folder", "lang", "expected"),
    [
        (  # the category is named in Finnish only: its name keeps `fi`, the line is English
            "parish",
            "en",
            '<span lang="fi">Allergiat ja erityisruokavaliot</span> '
            "(the data subject's explicit consent (Article 9(2)(a)))",
        ),
        (
            "parish",
            "fi",
            "Allergiat ja erityisruokavaliot (rekisteröidyn nimenomainen suostumus (9 artiklan "
            "2 kohdan a alakohta))",
        ),
        (  # the name and the law fall back to Finnish, the ground is Swedish
            "employer",
            "sv",
            '<span lang="fi">Rikostaustaotteen esittäminen lasten kanssa työskenteleviltä '
            "(otetta ei säilytetä)</span> (Fällande domar i brottmål och lagöverträdelser "
            '(artikel 10); <span lang="fi">Laki lasten kanssa työskentelevien rikostaustan '
            "selvittämisestä 504/2002</span>)",
        ),
    ],
)
def test_a_special_category_line_is_tagged_with_the_language_of_its_text(
    folder: str, lang: str, expected: str
) -> None:
    loaded = load_content(REPO_ROOT / "tests" / "fixtures" / "registers-real" / folder)
    html, _ = render_records(loaded, "html", lang, today=TODAY)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html["lang"] == lang
    (line,) = {
        tr.td.p
        for tr in soup.find_all("tr", class_="special_categories")
        if tr.td.p.get_text() and "none" not in (tr.td.p.get("class") or [])
    }
    assert not line.has_attr("lang")  # the record's own language: the ground is in it
    assert line.decode_contents() == expected


def test_a_categorys_own_record_words_go_to_the_records_only(tmp_path: Path) -> None:
    # The notice (and an Art 15 letter) speaks to the person; the records name the category.
    spoken = _category("Företag som du företräder", "Company you represent", "Tills du ber oss.")
    register = {
        **REGISTER,
        "data_categories": [
            {
                **spoken,
                "record": {
                    "name": {"sv": "Företag som kontaktpersonen företräder", "en": "Represented"},
                    "retention": {"sv": "Tills den registrerade ber om radering.", "en": "Asked."},
                },
            }
        ],
    }
    folder = write_content(tmp_path / "content", SITE, register)
    data, _ = render_records(load_content(folder), "csv", "sv", today=TODAY)
    text = data.decode("utf-8-sig")
    assert "Företag som kontaktpersonen företräder: Tills den registrerade ber om radering." in text
    assert "du" not in text.split()
    out = tmp_path / "site"
    build_site(folder, out, pdf=False, allow_errors=True)  # a bare register: not a whole notice
    published = [p.read_text("utf-8") for p in out.rglob("*") if p.suffix in (".html", ".json")]
    assert any("Företag som du företräder" in page for page in published)
    assert not any("kontaktpersonen" in page or "registrerade ber" in page for page in published)


def _category(sv: str, en: str, retention_sv: str) -> dict[str, object]:
    return {"name": {"sv": sv, "en": en}, "retention": {"sv": retention_sv, "en": "Until asked."}}
