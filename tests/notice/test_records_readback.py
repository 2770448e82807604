"""The records of processing read back as an authority would read them, in fi, sv and en.

Every format (PDF, XLSX, CSV, HTML, JSON-LD) is rendered from the default content and from a
Swedish bookshop's content, read back with the tool a reader would use (pypdf, openpyxl, csv,
BeautifulSoup, json), and searched for what a programme leaves behind: Python reprs, `None`,
untranslated English messages, format placeholders, ISO codes where a country's name belongs.
The PDF is also checked glyph by glyph: letters and digits are drawn in the notice's text font,
never in the emoji font (which Pango picks for digits when a stylesheet names it).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from openpyxl import load_workbook
from pypdf import PdfReader

from notice import i18n
from notice.loader import Content, load_content
from notice.pdf import embedded_fonts, font_names
from notice.records.output import render_records
from notice.records.tabular import csv_delimiter
from tests.notice.records_content import records_text, write_content

TODAY = dt.date(2026, 12, 4)
LANGUAGES = ("fi", "sv", "en")
TEXT_FONT = "Seloste-Noto-Sans"

GENERATED = {
    "fi": "Muodostettu: 4. joulukuuta 2026",
    "sv": "Skapad: 4 december 2026",
    "en": "Generated: 4 December 2026",
}
"""The generated line as each language writes the date (no spaced-out digits, no ISO date)."""

UNITED_STATES = {"fi": "Yhdysvallat", "sv": "USA", "en": "United States"}
"""Google LLC's country in the default content's transfers, by its localized name."""

REPRS = [
    (re.compile(r"\{'|'\}|\{\"[a-z_]+\":"), "dict repr"),
    (re.compile(r"<[A-Z]\w*\.\w+: "), "enum repr"),
    (re.compile(r"\b[a-z_]+=(?:\{|'|<|None\b)"), "dataclass repr"),
    (re.compile(r"%\(\w+\)s|\{\{|\}\}"), "unfilled placeholder"),
    (re.compile(r"\[\]|\bnan\b|\bundefined\b"), "empty container or NaN"),
]

ENGLISH_NONE = re.compile(r"(?:^|\s)None (?:designated|in the rules)$|(?:^|\s)None: no transfers")
"""English cells (or a PDF's header-and-cell lines) that legitimately hold the word "None": no
EU representative or data protection officer designated, no transfers. A bare "None" reads as an
empty value in a spreadsheet and is not one of them."""


@pytest.fixture(scope="module")
def contents(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Content]:
    return {
        "default": load_content(repo_root / "content"),
        "bookshop": load_content(write_content(tmp_path_factory.mktemp("records") / "content")),
    }


def render(content: Content, fmt: str, lang: str) -> bytes:
    return render_records(content, fmt, lang, today=TODAY)[0]


@pytest.fixture(scope="module")
def default_pdfs(contents: dict[str, Content]) -> dict[str, bytes]:
    return {lang: render(contents["default"], "pdf", lang) for lang in LANGUAGES}


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def drawn_by_font(data: bytes) -> dict[str, set[str]]:
    """Return, for each font a PDF draws text with, the characters it draws."""
    drawn: dict[str, set[str]] = defaultdict(set)
    for page in PdfReader(io.BytesIO(data)).pages:

        def visit(text: str, _cm: Any, _tm: Any, font: Any, _size: Any) -> None:
            if font is not None and text.strip():
                name = str(font.get("/BaseFont", "")).lstrip("/").split("+", 1)[-1]
                drawn[name].update(text.strip())

        page.extract_text(visitor_text=visit)
    return drawn


def cells(content: Content, fmt: str, lang: str) -> list[str]:
    """Return the text of every cell (or paragraph) of the records in `fmt`, as read back."""
    data = render(content, fmt, lang)
    if fmt == "xlsx":
        book = load_workbook(io.BytesIO(data), read_only=True)
        return [
            str(value)
            for sheet in book.worksheets
            for line in sheet.iter_rows(values_only=True)
            for value in line
            if value is not None
        ]
    if fmt == "csv":
        text = io.StringIO(data.decode("utf-8-sig"))
        return [cell for line in csv.reader(text, delimiter=csv_delimiter(lang)) for cell in line]
    if fmt == "html":
        soup = BeautifulSoup(data, "html.parser")
        return [
            element.get_text(" ", strip=True)
            for element in soup.find_all(["h1", "p", "caption", "th", "td", "li"])
        ]
    if fmt == "json":
        return list(json_strings(json.loads(data)))
    return pdf_text(data).splitlines()


def json_strings(value: Any) -> Iterator[str]:
    """Yield every string of a JSON document, keys included; a null is yielded as `None`."""
    if value is None:
        yield "None"
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from json_strings(item)
    else:
        yield str(value)


def english_messages(lang: str) -> list[str]:
    """Return the notice catalog's English messages of 3+ words that `lang` translates."""
    with i18n.po_path(lang).open("rb") as handle:
        catalog = read_po(handle)
    return [
        message.id
        for message in catalog
        if isinstance(message.id, str)
        and message.string
        and message.string != message.id
        and len(message.id.split()) >= 3
        and "%(" not in message.id
    ]


def artefacts(texts: list[str], lang: str) -> list[str]:
    """Return what in `texts` a programme left behind rather than a person wrote."""
    found = []
    for text in texts:
        for pattern, what in REPRS:
            if pattern.search(text):
                found.append(f"{what}: {text[:120]}")
        if re.search(r"\bNone\b", text) and not (lang == "en" and ENGLISH_NONE.search(text)):
            found.append(f"None: {text[:120]}")
    if lang != "en":
        joined = "\n".join(texts)
        found += [f"untranslated: {msgid}" for msgid in english_messages(lang) if msgid in joined]
    return found


# --- PDF -------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_pdf_sets_letters_and_digits_in_the_text_font(
    default_pdfs: dict[str, bytes], lang: str
) -> None:
    data = default_pdfs[lang]
    drawn = drawn_by_font(data)
    assert {name.split("-")[0] for name in drawn} == {"Seloste"}, sorted(drawn)
    digits = set("0123456789")
    assert digits <= set().union(*drawn.values())
    misplaced = {
        name: "".join(sorted(ch for ch in chars if ch.isascii() and ch.isalnum()))
        for name, chars in drawn.items()
        if not name.startswith(TEXT_FONT)
    }
    assert misplaced == {}
    assert sorted(embedded_fonts(data)) == sorted(font_names(data))
    assert not any("Emoji" in name for name in embedded_fonts(data))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_pdf_reads_its_date_country_and_page_numbers(
    default_pdfs: dict[str, bytes], lang: str
) -> None:
    text = pdf_text(default_pdfs[lang])
    lines = text.splitlines()
    assert lines[1].endswith(f" · {GENERATED[lang]}")
    assert UNITED_STATES[lang] in text
    pages = len(PdfReader(io.BytesIO(default_pdfs[lang])).pages)
    assert f"1 / {pages}" in lines and f"{pages} / {pages}" in lines
    assert artefacts(lines, lang) == []


ACTIVITY_NAMES = {
    "fi": ["Asiakassuhteen hoitaminen", "Pyytäjän henkilöllisyyden varmistaminen"],
    "sv": ["Att sköta kundrelationen", "Att bekräfta identiteten hos den som begär"],
    "en": ["Managing the customer relationship", "Confirming the requester's identity"],
}
"""Two activities of the default content by name (the purpose's first clause) in each language."""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_activity_is_named_in_the_records_language_then_its_id(
    default_pdfs: dict[str, bytes], contents: dict[str, Content], lang: str
) -> None:
    customers, identity = ACTIVITY_NAMES[lang]
    # The PDF's overview and each activity's caption: the name, then the id (lines may wrap).
    text = " ".join(pdf_text(default_pdfs[lang]).split())
    assert text.count(f"{customers} asiakasrekisteri/customers") == 2  # overview and caption
    assert text.count(f"{identity} tietosuojapyynnot/identity") == 2
    # The spreadsheet's first column: the name, then the id, in one cell.
    sheet = load_workbook(io.BytesIO(render(contents["default"], "xlsx", lang))).active
    assert sheet is not None
    firsts = [cell.value for cell in sheet["A"]]
    assert firsts[1] == f"{customers}\nasiakasrekisteri/customers"
    assert f"{identity}\ntietosuojapyynnot/identity" in firsts


def test_a_foreign_name_is_drawn_in_a_fallback_font_and_digits_are_not(
    contents: dict[str, Content],
) -> None:
    drawn = drawn_by_font(render(contents["bookshop"], "pdf", "sv"))
    for name, chars in drawn.items():
        if not name.startswith(TEXT_FONT):
            assert not any(ch.isdigit() or ch.isascii() and ch.isalpha() for ch in chars), name


# --- every format, every language --------------------------------------------------------------


FORMATS_READ = [
    (which, fmt)
    for which in ("default", "bookshop")
    for fmt in ("xlsx", "csv", "html", "json", "pdf")
    if (which, fmt) != ("default", "pdf")  # the default PDFs are read in the PDF tests above
]


@pytest.mark.parametrize(("which", "fmt"), FORMATS_READ)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_records_read_back_without_programming_artefacts(
    contents: dict[str, Content], which: str, lang: str, fmt: str
) -> None:
    texts = cells(contents[which], fmt, lang)
    assert texts, "nothing read back"
    assert artefacts(texts, lang) == []


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "html"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_countries_are_named_in_the_records_language(
    contents: dict[str, Content], lang: str, fmt: str
) -> None:
    texts = cells(contents["default"], fmt, lang)
    transfers = [text for text in texts if "Google LLC" in text and "(" in text]
    assert transfers, texts[:20]
    assert any(UNITED_STATES[lang] in text for text in transfers)
    # The ISO code stands alone nowhere (the "EU–US Data Privacy Framework" is a name).
    assert not [t for t in transfers if re.search(r"(?<!EU–)\bUS\b(?! Data)", t)]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_html_gives_the_generated_date_in_words_and_xlsx_as_a_date(
    contents: dict[str, Content], lang: str
) -> None:
    html = cells(contents["default"], "html", lang)
    assert [text for text in html if text.endswith(f" · {GENERATED[lang]}")] == [html[1]]
    # The spreadsheet's about sheet: the label in the record's language, the date a date cell.
    about = load_workbook(io.BytesIO(render(contents["default"], "xlsx", lang))).worksheets[1]
    label = GENERATED[lang].split(": ", 1)[0]
    assert (about["A3"].value, about["B3"].value) == (label, dt.datetime(2026, 12, 4))
    assert about["B3"].is_date and about["B3"].number_format == "yyyy-mm-dd"


def test_an_emoji_still_comes_from_the_emoji_font_and_only_the_emoji(tmp_path: Path) -> None:
    from tests.notice.records_content import REGISTER, SITE

    name = "Paket 📦 Leverans 24 Ab"
    register = {**REGISTER, "recipients": [{"name": {"sv": name, "en": name}, "role": "processor"}]}
    content = load_content(write_content(tmp_path / "content", SITE, register))
    drawn = drawn_by_font(render(content, "pdf", "sv"))
    others = {
        font: "".join(sorted(chars)) for font, chars in drawn.items() if "Seloste" not in font
    }
    assert others == {"Noto-Color-Emoji": "📦"}


SPEAKING_TO_THE_PERSON = {
    "fi": re.compile(
        r"\b(?:sinä|sinun|sinua|sinulta|sinulle|itseltäsi|tietosi|tietojasi|suostumuksellasi|"
        r"evästevalintasi|edustat|lueteltu alla)\b",
        re.IGNORECASE,
    ),
    "sv": re.compile(r"\b(?:du|dig|din|ditt|dina|nedan)\b", re.IGNORECASE),
    "en": re.compile(r"\b(?:you|your|yours|listed below)\b", re.IGNORECASE),
}
"""Words of a text written to the data subject or for the notice's page, never the records'."""

OWN_SOURCES = {
    "fi": "Tiedot saadaan pääosin asiakkailta ja heidän yhteyshenkilöiltään itseltään",
    "sv": "Uppgifterna fås huvudsakligen av kunderna och deras kontaktpersoner själva",
    "en": "Mainly from the customers and their contact persons themselves",
}
"""The customer register's sources in the controller's words (its `record.sources`)."""


def speaking_to_the_person(text: str, lang: str) -> list[str]:
    return [
        text[max(match.start() - 40, 0) : match.end() + 40]
        for match in SPEAKING_TO_THE_PERSON[lang].finditer(text)
    ]


@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_default_records_speak_of_the_data_subject_not_to_them(
    contents: dict[str, Content], fmt: str, lang: str
) -> None:
    # The records are the controller's own document (Art 30): the registers' `record` blocks
    # give their sources and retention in its words, and no category speaks to "you".
    text = records_text(render(contents["default"], fmt, lang), fmt, lang)
    assert speaking_to_the_person(text, lang) == []
    assert OWN_SOURCES[lang] in text


def test_the_default_records_json_speaks_to_no_one_in_any_language(
    contents: dict[str, Content],
) -> None:
    text = " ".join(" ".join(cells(contents["default"], "json", "en")).split())
    assert [hit for lang in LANGUAGES for hit in speaking_to_the_person(text, lang)] == []
    assert all(OWN_SOURCES[lang] in text for lang in LANGUAGES)
