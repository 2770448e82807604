"""Records of processing (Art 30) read back: rows, columns, CSV, XLSX, HTML, PDF and JSON-LD."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject
from rdflib import Namespace, URIRef
from rdflib.namespace import RDF

from notice.fonts import CSS_FAMILY
from notice.loader import Content, load_content
from notice.pdf import assert_font_embedded, embedded_fonts
from notice.records import COLUMNS, Activity, RecordsError, activities
from notice.records.columns import Localizer, headers, row
from notice.records.output import render_records
from tests.notice.records_content import FORMULAS, GREEK, parse_jsonld, write_content

TODAY = dt.date(2026, 11, 29)
DPV = Namespace("https://w3id.org/dpv#")
GDPR = Namespace("https://w3id.org/dpv/legal/eu/gdpr#")
DCT = Namespace("http://purl.org/dc/terms/")
LOC = Namespace("https://w3id.org/dpv/loc#")


@pytest.fixture(scope="module")
def default(repo_root: Path) -> Content:
    return load_content(repo_root / "content")


@pytest.fixture(scope="module")
def nordic(tmp_path_factory: pytest.TempPathFactory) -> Content:
    return load_content(write_content(tmp_path_factory.mktemp("records") / "content"))


def render(content: Content, fmt: str, lang: str) -> bytes:
    data, count = render_records(content, fmt, lang, today=TODAY)
    assert count == len(activities(content))
    return data


def customer(content: Content) -> list[Activity]:
    """Return the customer register's activities (the default content may hold more registers)."""
    return [a for a in activities(content) if a.register_id == "asiakasrekisteri"]


def column(key: str) -> int:
    return [c.key for c in COLUMNS].index(key)


# --- rows and columns ----------------------------------------------------------------------------


def test_one_activity_per_register_purpose(default: Content) -> None:
    items = activities(default)
    expected = [
        f"{r.id}/{p.id or n}" for r in default.registers for n, p in enumerate(r.purposes, start=1)
    ]
    assert [a.id for a in items] == expected
    assert len(customer(default)) == 6


def test_the_portals_own_processing_is_an_activity(default: Content) -> None:
    portal = [a for a in activities(default) if a.register_id == "tietosuojapyynnot"]
    assert [a.id.split("/")[1] for a in portal] == ["requests", "identity", "audit", "protection"]
    cells = row(portal[0], Localizer("en", ["fi", "sv", "en"]))
    name = default.register("tietosuojapyynnot").name
    assert cells[column("register")][0].text == name["en"]
    assert cells[column("legal_basis")][0].text.startswith("Legal obligation")


def test_every_art_30_item_has_a_column() -> None:
    keys = {c.key for c in COLUMNS}
    art30 = {
        "controller", "joint_controllers", "representative", "dpo",  # (a)
        "purpose",  # (b)
        "data_subjects", "data_categories",  # (c)
        "recipients", "third_country_recipients",  # (d)
        "transfers",  # (e)
        "retention",  # (f)
        "security",  # (g)
    }  # fmt: skip
    extra = {"legal_basis", "legitimate_interest", "special_categories", "sources"}
    extra |= {"automated_decisions", "systems", "review_date"}
    assert art30 | extra <= keys
    assert len(keys) == len(COLUMNS)


@pytest.mark.parametrize(
    ("lang", "purpose", "retention"),
    [
        ("en", "Purpose of processing", "Time limits for erasure"),
        ("fi", "Käsittelyn tarkoitus", "Tietojen poistamisen määräajat"),
        ("sv", "Ändamål med behandlingen", "Tidsfrister för radering"),
    ],
)
def test_headers_are_translated(lang: str, purpose: str, retention: str) -> None:
    names = headers(Localizer(lang))
    assert names[column("purpose")] == purpose
    assert names[column("retention")] == retention
    assert len(set(names)) == len(COLUMNS)


def test_default_content_cells(default: Content) -> None:
    loc = Localizer("fi", ["fi", "sv", "en"])
    cells = [row(a, loc) for a in customer(default)]
    first, analytics = cells[0], cells[5]
    assert first[column("purpose")][0].text.startswith("Asiakassuhteen hoitaminen")
    assert first[column("legal_basis")][0].text.startswith("Sopimus")
    assert [p.text for p in first[column("legitimate_interest")]] == ["Ei sovellu"]
    assert cells[2][column("legitimate_interest")][0].text.startswith("Varmistaa")
    assert analytics[column("legal_basis")][0].text.startswith("Suostumus")
    assert [p.text for p in first[column("controller")]][:2] == [
        "Esa Kemppainen",
        "Impivaarantie 25",
    ]
    assert first[column("dpo")][0].text == "Ei nimitetty"
    # Google serves the analytics purpose only: only that activity transfers data to the US.
    assert [p.text for p in first[column("transfers")]] == ["Ei siirtoja ETA:n ulkopuolelle"]
    assert [p.text for p in first[column("third_country_recipients")]] == [
        "Ei ole: ei siirtoja ETA-alueen ulkopuolelle"
    ]
    transfers = [p.text for p in analytics[column("transfers")]]
    assert transfers[0].startswith("Google LLC (Yhdysvallat): Euroopan komission")
    assert "2023/1795" in transfers[1]
    (third,) = [p.text for p in analytics[column("third_country_recipients")]]
    assert third.startswith("Google LLC (") and third.endswith(", Yhdysvallat)")
    assert len(first[column("data_categories")]) == len(
        default.register("asiakasrekisteri").data_categories
    )
    security = [p.text for p in first[column("security")]]
    assert security[0].startswith("Manuaalinen aineisto: ")
    assert first[column("automated_decisions")][0].text.startswith("Ei automaattista")
    register = default.register("asiakasrekisteri")
    reviewed = register.updated or register.prepared
    review = first[column("review_date")][0].text
    assert review == f"{reviewed.day}. {review.split()[1]} {reviewed.year}"
    assert review.split()[1].endswith("kuuta")  # a Finnish month name, e.g. marraskuuta


def test_missing_legitimate_interest_is_not_stated(tmp_path: Path) -> None:
    from tests.notice.records_content import REGISTER, SITE

    purpose = {k: v for k, v in REGISTER["purposes"][1].items() if k != "legitimate_interest"}
    register = {**REGISTER, "purposes": [purpose]}
    content = load_content(write_content(tmp_path / "content", SITE, register))
    cell = row(activities(content)[0], Localizer("en"))[column("legitimate_interest")]
    assert [(piece.text, piece.lang) for piece in cell] == [("Not stated", "en")]
    soup = BeautifulSoup(render(content, "html", "en"), "html.parser")
    td = soup.find("tr", class_="legitimate_interest").td
    assert [(p.get_text(strip=True), p["class"]) for p in td.find_all("p")] == [
        ("Not stated", ["none"])
    ]
    # Only the unstated cell is set apart: a stated one is a plain paragraph.
    assert soup.find("tr", class_="purpose").td.p.get("class") is None


def test_missing_language_falls_back_to_the_site_default(nordic: Content) -> None:
    cells = row(activities(nordic)[0], Localizer("fi", ["sv", "en"]))
    purpose = cells[column("purpose")][0]
    assert (purpose.text, purpose.lang) == ("Leverera beställda böcker.", "sv")
    assert cells[column("legal_basis")][0].lang == "fi"


# --- CSV -----------------------------------------------------------------------------------------


def test_csv_reads_back_with_bom_and_non_ascii(nordic: Content) -> None:
    data = render(nordic, "csv", "sv")
    assert data.startswith(b"\xef\xbb\xbf")
    # Swedish records are read by Excel under Swedish or Finnish settings: `;` separates.
    assert data.decode("utf-8-sig").split("\r\n", 1)[0].count(";") == len(COLUMNS) - 1
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert table[0] == headers(Localizer("sv"))
    assert len(table) == 1 + 2
    body = table[1]
    assert body[column("register")] == "Kundregister"
    assert body[column("controller")].splitlines()[0] == "Åbo Bokhandel Ab"
    assert "jörg@example.com" in body[column("controller")].splitlines()
    assert body[column("dpo")].splitlines()[0] == "Dataskyddsombud Märta Öhman"
    assert body[column("recipients")].splitlines()[0].startswith(GREEK)
    assert (
        body[column("transfers")].splitlines()[0].startswith("Bengaluru Support Pvt Ltd (Indien)")
    )


def test_csv_neutralises_formulas(nordic: Content) -> None:
    text = render(nordic, "csv", "en").decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text, newline="")))
    # A formula-like recipient alone in a cell: its cell starts with a quote, never with `=`.
    loc = Localizer("en", ["sv", "en"])
    recipients = row(activities(nordic)[0], loc)[column("recipients")]
    assert [p.text.split(" (")[0] for p in recipients[1:]] == list(FORMULAS)
    for line in table[1:]:
        for value in line:
            assert not value.startswith(("=", "+", "-", "@")), value


def test_csv_cell_starting_with_formula_is_prefixed(tmp_path: Path) -> None:
    from tests.notice.records_content import REGISTER, SITE

    register = {**REGISTER, "name": {"sv": "=1+1", "en": "@risky"}}
    content = load_content(write_content(tmp_path / "content", SITE, register))
    sv_text = render(content, "csv", "sv").decode("utf-8-sig")
    sv = list(csv.reader(io.StringIO(sv_text), delimiter=";"))
    en = list(csv.reader(io.StringIO(render(content, "csv", "en").decode("utf-8-sig"))))
    assert sv[1][column("register")] == "'=1+1"
    assert en[1][column("register")] == "'@risky"


# --- XLSX ----------------------------------------------------------------------------------------


def test_xlsx_reads_back(nordic: Content) -> None:
    from tests.notice.records_content import REGISTER, SITE  # noqa: F401 - the same content

    book = load_workbook(io.BytesIO(render(nordic, "xlsx", "sv")))
    sheet = book.active
    assert sheet is not None
    values = [[cell.value for cell in line] for line in sheet.iter_rows()]
    assert values[0] == headers(Localizer("sv"))
    assert len(values) == 3
    assert values[1][column("controller")].splitlines()[0] == "Åbo Bokhandel Ab"
    assert GREEK in values[1][column("recipients")]
    assert sheet.freeze_panes == "B2"
    for index, col in enumerate(COLUMNS):
        letter = sheet.cell(row=1, column=index + 1).column_letter
        assert sheet.column_dimensions[letter].width == col.width
    assert sheet.cell(row=2, column=column("purpose") + 1).alignment.wrap_text
    assert sheet.cell(row=1, column=1).font.bold
    assert book.properties.title == "Register över behandling"
    assert book.sheetnames[1] == "Om"
    about = [[c.value for c in line] for line in book["Om"].iter_rows()]
    assert about[0] == ["Register över behandling", None]
    assert about[1] == ["Personuppgiftsansvarig", "Åbo Bokhandel Ab"]
    # The generated date is a date cell (sorting and filtering read it), shown as ISO 8601.
    assert about[2] == ["Skapad", dt.datetime(2026, 11, 29)]
    assert book["Om"]["B3"].is_date and book["Om"]["B3"].number_format == "yyyy-mm-dd"
    assert about[3][0].startswith("Internt dokument (artikel 30")


@pytest.mark.parametrize(
    ("lang", "sheet_name", "title"),
    [
        ("fi", "Käsittelytoimet", "Seloste käsittelytoimista"),
        ("sv", "Behandlingar", "Register över behandling"),
        ("en", "Processing activities", "Records of processing activities"),
    ],
)
def test_the_xlsx_sheet_has_a_whole_name_in_each_language(
    default: Content, lang: str, sheet_name: str, title: str
) -> None:
    # The title itself (32 characters in English) was cut at Excel's 31: "...activitie".
    book = load_workbook(io.BytesIO(render(default, "xlsx", lang)))
    assert book.sheetnames[0] == sheet_name
    assert book.properties.title == title
    assert book.worksheets[1]["A1"].value == title


@pytest.mark.parametrize(
    ("lang", "none"), [("fi", "Ei sovellu"), ("sv", "Ej tillämpligt"), ("en", "Not applicable")]
)
def test_no_special_categories_says_not_applicable_as_the_other_columns_do(
    default: Content, lang: str, none: str
) -> None:
    sheet = load_workbook(io.BytesIO(render(default, "xlsx", lang))).active
    assert sheet is not None
    first = [cell.value for cell in sheet[2]]  # asiakasrekisteri/customers: no special data
    assert first[column("activity")].endswith("\nasiakasrekisteri/customers")
    assert first[column("legitimate_interest")] == none
    assert first[column("special_categories")] == none


def test_special_categories_are_not_stated_without_data_categories(tmp_path: Path) -> None:
    from tests.notice.records_content import REGISTER, SITE

    register = {**REGISTER, "data_categories": []}
    register["purposes"] = [
        {k: v for k, v in p.items() if k != "data_categories"} for p in REGISTER["purposes"]
    ]
    content = load_content(write_content(tmp_path / "content", SITE, register))
    cell = row(activities(content)[0], Localizer("en"))[column("special_categories")]
    assert [piece.text for piece in cell] == ["Not stated"]


def test_xlsx_keeps_formula_like_text_as_text(tmp_path: Path) -> None:
    from tests.notice.records_content import REGISTER, SITE

    register = {**REGISTER, "name": {"sv": "=1+1", "en": "=1+1"}}
    content = load_content(write_content(tmp_path / "content", SITE, register))
    sheet = load_workbook(io.BytesIO(render(content, "xlsx", "en"))).active
    assert sheet is not None
    cell = sheet.cell(row=2, column=column("register") + 1)
    assert (cell.value, cell.data_type) == ("=1+1", "s")


def test_xlsx_drops_control_characters_xml_cannot_hold(tmp_path: Path) -> None:
    from tests.notice.records_content import REGISTER, SITE

    register = {**REGISTER, "name": {"sv": "Kund\x0bregister", "en": "Customer\x07s"}}
    content = load_content(write_content(tmp_path / "content", SITE, register))
    sheet = load_workbook(io.BytesIO(render(content, "xlsx", "sv"))).active
    assert sheet is not None
    assert sheet.cell(row=2, column=column("register") + 1).value == "Kundregister"


# --- HTML ----------------------------------------------------------------------------------------


def test_html_structure(default: Content) -> None:
    soup = BeautifulSoup(render(default, "html", "fi"), "html.parser")
    assert soup.html is not None and soup.html["lang"] == "fi"
    assert soup.title is not None and soup.title.string.startswith("Seloste käsittelytoimista")
    tables = soup.find_all("table")
    count = len(activities(default))
    assert len(tables) == 1 + count
    overview = tables[0]
    assert overview.caption.get_text(strip=True) == f"{count} käsittelytoimea"
    assert [th["scope"] for th in overview.thead.find_all("th")] == ["col"] * 4
    assert len(overview.tbody.find_all("tr")) == count
    for table in tables[1:]:
        assert table.caption.small.get_text() in {a.id for a in activities(default)}
        heads = table.find_all("th")
        assert {th["scope"] for th in heads} == {"row"}
        assert len(heads) == len(COLUMNS) - 1
    first = soup.find(id="activity-" + customer(default)[0].id.replace("/", "-")).table
    labels = [th.get_text(strip=True) for th in first.find_all("th")]
    assert "Tietojen poistamisen määräajat" in labels
    joint = first.find("tr", class_="joint_controllers")
    assert joint.td.get_text(strip=True) == "Ei ilmoitettu"
    categories = first.find("tr", class_="data_categories").td.find_all("li")
    assert len(categories) == len(default.register("asiakasrekisteri").data_categories)
    # Links of the overview reach the activity tables.
    for link in overview.find_all("a"):
        assert soup.find(id=link["href"][1:]) is not None
    assert not soup.find_all(["script", "img", "iframe"])
    assert not soup.find_all("link")  # one self-contained file: no request anywhere


def test_html_marks_fallback_language(nordic: Content) -> None:
    soup = BeautifulSoup(render(nordic, "html", "fi"), "html.parser")
    purpose = soup.find_all("table")[1].find("tr", class_="purpose").td.p
    assert purpose["lang"] == "sv"
    assert purpose.get_text() == "Leverera beställda böcker."
    basis = soup.find_all("table")[1].find("tr", class_="legal_basis").td.p
    assert not basis.has_attr("lang")


# --- PDF -----------------------------------------------------------------------------------------


def structure_types(reader: PdfReader) -> Counter[str]:
    """Count the structure elements (`/Table`, `/TH`, ...) of a tagged PDF's structure tree."""
    found: Counter[str] = Counter()
    pending = [reader.trailer["/Root"]["/StructTreeRoot"]]
    while pending:
        node = pending.pop().get_object()
        if not isinstance(node, DictionaryObject):
            continue  # a marked-content id: the leaves of the tree
        if "/S" in node:
            found[str(node["/S"])] += 1
        kids = node.get("/K")
        if kids is not None:
            kids = kids.get_object()
            pending.extend(kids if isinstance(kids, ArrayObject) else [kids])
    return found


def test_pdf_is_tagged_with_the_notice_font(default: Content) -> None:
    data = render(default, "pdf", "fi")
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "fi"
    assert reader.metadata is not None
    assert reader.metadata.title == "Seloste käsittelytoimista – Esa Kemppainen"
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for expected in (
        "Tietojen poistamisen määräajat",
        *(activity.id for activity in activities(default)),
        "Käsittelyn tarkoitus",
    ):
        assert expected in text
    assert "Seloste-Noto-Sans" in embedded_fonts(data)
    assert_font_embedded(data, CSS_FAMILY)  # the notice's font and only its fallbacks
    tags = structure_types(reader)
    count = len(activities(default))
    assert tags["/Table"] >= 1 + count  # a table broken across pages is tagged per page
    assert tags["/Caption"] == 1 + count
    assert tags["/TH"] >= 4 + count * (len(COLUMNS) - 1)
    assert tags["/H1"] == 1


def test_pdf_with_swedish_text(tmp_path: Path) -> None:
    from tests.notice.records_content import REGISTER, SITE

    plain = {**REGISTER, "recipients": [{"name": {"sv": "Åländsk Tryckeri Ab", "en": "Print"}}]}
    content = load_content(write_content(tmp_path / "content", SITE, plain))
    reader = PdfReader(io.BytesIO(render(content, "pdf", "sv")))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Åländsk Tryckeri Ab" in text
    assert "Överföringar till tredjeländer och skyddsåtgärder" in text


def test_pdf_prints_greek_arabic_and_cjk_names(tmp_path: Path) -> None:
    from tests.notice.records_content import REGISTER, SITE

    names = (GREEK, "شركة الخليج للحوسبة", "株式会社クラウド")
    register = {
        **REGISTER,
        "recipients": [{"name": {"sv": name, "en": name}, "role": "processor"} for name in names],
    }
    content = load_content(write_content(tmp_path / "content", SITE, register))
    data = render(content, "pdf", "sv")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert GREEK in text and "株式会社クラウド" in text
    assert any(name.startswith("Noto-Sans-Arabic") for name in embedded_fonts(data))


def test_pdf_refuses_a_script_outside_the_allowed_fonts(tmp_path: Path) -> None:
    from tests.notice.records_content import REGISTER, SITE

    # Runic is in no font the PDF may embed: the system's Noto Sans Runic would creep in.
    runic = {"name": {"sv": "ᚠᚢᚦ Runstenar Ab", "en": "Runestones"}, "role": "processor"}
    content = load_content(
        write_content(tmp_path / "content", SITE, {**REGISTER, "recipients": [runic]})
    )
    with pytest.raises(RecordsError) as caught:
        render_records(content, "pdf", "sv", today=TODAY)
    message = str(caught.value)
    assert "kundregister/1: recipients: ᚠ (U+16A0)" in message
    assert "--format html" in message


# --- JSON-LD -------------------------------------------------------------------------------------


def test_jsonld_parses_as_dpv_rdf(default: Content) -> None:
    data = render(default, "json", "fi")
    json.loads(data)  # plain JSON first: a clear failure if it is not
    graph = parse_jsonld(data)
    processes = set(graph.subjects(RDF.type, DPV.Process))
    assert len(processes) == len(activities(default))
    base = "https://www.proleader.fi/tietosuoja/records-of-processing#"
    first, consent = (URIRef(base + customer(default)[i].id) for i in (0, 5))
    assert first in processes
    assert (first, DPV.hasLegalBasis, GDPR["A6-1-b"]) in graph
    assert (consent, DPV.hasLegalBasis, GDPR["A6-1-a"]) in graph
    purpose = graph.value(first, DPV.hasPurpose)
    descriptions = set(graph.objects(purpose, DCT.description))
    assert {d.language for d in descriptions} == {"fi", "sv", "en"}
    assert list(graph.objects(first, DPV.hasProcessing)) == []
    transfers = list(graph.objects(consent, DPV.hasProcessing))
    assert len(transfers) == 1
    assert (transfers[0], RDF.type, DPV.Transfer) in graph
    assert (transfers[0], DPV.hasLegalBasis, GDPR["A45-3"]) in graph
    assert (transfers[0], DPV.hasThirdCountry, LOC.US) in graph
    categories = default.register("asiakasrekisteri").data_categories
    assert len(set(graph.objects(first, DPV.hasPersonalData))) == len(categories)


def test_jsonld_keeps_greek_and_swedish(nordic: Content) -> None:
    graph = parse_jsonld(render(nordic, "json", "sv"))
    names = {str(o) for o in graph.objects(None, DPV.hasName)}
    assert GREEK in names and "Åbo Bokhandel Ab" in names
    assert "Dataskyddsombud Märta Öhman" in names
    transfer = next(graph.subjects(RDF.type, DPV.Transfer))
    assert (transfer, DPV.hasLegalBasis, GDPR["A46-2-c"]) in graph
