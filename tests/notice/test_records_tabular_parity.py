"""The spreadsheets say what the PDF says, cell by cell, in fi, sv and en.

A newcomer found empty XLSX cells where the PDF said "Not stated" (joint controllers, systems):
the words were the HTML template's, so the spreadsheets never had them. Every format now takes
its cells from `columns.row`, which says "Not stated" where the content is silent; a date column
gives a spreadsheet the date itself (`Column.date`). The records are read back as their readers
read them (openpyxl, csv, pypdf through the PDF's structure tree) and compared.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell

from notice import i18n
from notice.loader import Content, load_content
from notice.records import COLUMNS, activities
from notice.records.columns import Localizer, headers
from notice.records.output import render_records
from notice.records.tabular import csv_delimiter, values
from tests import REPO_ROOT
from tests.notice.records_content import REGISTER, pdf_table_rows, write_content
from tests.notice.test_records_columns_exact import UNSTATED_SITE

TODAY = dt.date(2026, 12, 4)
LANGUAGES = ("fi", "sv", "en")
KEYS = [column.key for column in COLUMNS]

SILENT: dict[str, Any] = {
    **REGISTER,
    "purposes": [
        REGISTER["purposes"][0],
        {k: v for k, v in REGISTER["purposes"][1].items() if k != "legitimate_interest"},
    ],
}
"""A register that says nothing of transfers or automated decisions, with a purpose on legitimate
interests that does not name the interest, on a site that names no representative and no data
protection officer; none has joint controllers or a `record` block (systems)."""
del SILENT["transfers"], SILENT["automated_decisions"]

NOT_STATED = {"fi": "Ei ilmoitettu", "sv": "Ej angivet", "en": "Not stated"}
NOT_APPLICABLE = {"fi": "Ei sovellu", "sv": "Ej tillämpligt", "en": "Not applicable"}
NONE_DESIGNATED = {"fi": "Ei nimitetty", "sv": "Inget utsett", "en": "None designated"}
NO_TRANSFERS = {
    "fi": "Ei siirtoja ETA:n ulkopuolelle",
    "sv": "Inga överföringar utanför EES",
    "en": "No transfers outside the EEA",
}
NONE_ABROAD = {
    "fi": "Ei ole: ei siirtoja ETA-alueen ulkopuolelle",
    "sv": "Inga: inga överföringar utanför EES",
    "en": "None: no transfers outside the EEA",
}
NO_DECISIONS = {
    "fi": "Ei automaattista päätöksentekoa eikä profilointia",
    "sv": "Inget automatiserat beslutsfattande eller profilering",
    "en": "No automated decisions or profiling",
}

SILENT_COLUMNS = (
    "joint_controllers",
    "representative",
    "dpo",
    "third_country_recipients",
    "transfers",
    "automated_decisions",
    "systems",
)
"""The columns the silent register leaves unstated in both of its activities."""


@pytest.fixture(scope="module")
def contents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Content]:
    folder = tmp_path_factory.mktemp("parity")
    return {
        "default": load_content(REPO_ROOT / "content"),
        "fixture": load_content(REPO_ROOT / "tests" / "fixtures" / "records"),
        "silent": load_content(write_content(folder / "silent", UNSTATED_SITE, SILENT)),
    }


@pytest.fixture(scope="module")
def render(contents: dict[str, Content]) -> Callable[[str, str, str], bytes]:
    """Render (content set, format, language) once for the whole module."""
    done: dict[tuple[str, str, str], bytes] = {}

    def get(which: str, fmt: str, lang: str) -> bytes:
        if (which, fmt, lang) not in done:
            done[which, fmt, lang] = render_records(contents[which], fmt, lang, today=TODAY)[0]
        return done[which, fmt, lang]

    return get


def xlsx_rows(data: bytes) -> list[dict[str, Cell]]:
    """Each activity's row of the records sheet, by column key, as openpyxl cells."""
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return [dict(zip(KEYS, line, strict=True)) for line in sheet.iter_rows(min_row=2)]


def spreadsheet_texts(data: bytes, fmt: str, lang: str) -> list[dict[str, str]]:
    """Each activity's row as text, by column key: an XLSX cell's value, or a CSV field."""
    if fmt == "xlsx":
        return [
            {key: cell.value for key, cell in line.items() if isinstance(cell.value, str)}
            for line in xlsx_rows(data)
        ]
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=csv_delimiter(lang))
    return [dict(zip(KEYS, line, strict=True)) for line in list(reader)[1:]]


# --- the fixed wordings, exactly, in every tabular format ----------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_silent_register_says_not_stated_in_the_spreadsheets(
    render: Callable[[str, str, str], bytes], fmt: str, lang: str
) -> None:
    first, second = spreadsheet_texts(render("silent", fmt, lang), fmt, lang)
    unstated = dict.fromkeys(SILENT_COLUMNS, NOT_STATED[lang])
    assert {key: first[key] for key in SILENT_COLUMNS} == unstated
    assert {key: second[key] for key in SILENT_COLUMNS} == unstated
    # A contract needs no interest; legitimate interests without the interest named do.
    assert first["legitimate_interest"] == NOT_APPLICABLE[lang]
    assert second["legitimate_interest"] == NOT_STATED[lang]
    assert first["special_categories"] == second["special_categories"] == NOT_APPLICABLE[lang]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_default_records_fixed_wordings_in_the_spreadsheets(
    render: Callable[[str, str, str], bytes], fmt: str, lang: str
) -> None:
    rows = spreadsheet_texts(render("default", fmt, lang), fmt, lang)
    customers = rows[0]
    assert customers["activity"].endswith("\nasiakasrekisteri/customers")
    assert {key: customers[key] for key in (*SILENT_COLUMNS, "legitimate_interest")} == {
        "joint_controllers": NOT_STATED[lang],
        "representative": NONE_DESIGNATED[lang],
        "dpo": NONE_DESIGNATED[lang],
        "third_country_recipients": NONE_ABROAD[lang],
        "transfers": NO_TRANSFERS[lang],
        "automated_decisions": NO_DECISIONS[lang],
        "systems": NOT_STATED[lang],
        "legitimate_interest": NOT_APPLICABLE[lang],
    }
    # No register of the default content has joint controllers or names its systems.
    assert {line["joint_controllers"] for line in rows} == {NOT_STATED[lang]}
    assert {line["systems"] for line in rows} == {NOT_STATED[lang]}


# --- dates are dates -----------------------------------------------------------------------------

REVIEWED = {
    "pyynnot/requests": dt.datetime(2026, 11, 1),  # no record block: prepared
    "pyynnot/audit": dt.datetime(2026, 11, 1),
    "varhaiskasvatus/ecec": dt.datetime(2026, 10, 1),  # record.review_date, not updated
    "varhaiskasvatus/survey": dt.datetime(2026, 10, 1),
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_last_reviewed_is_a_date_cell(render: Callable[[str, str, str], bytes], lang: str) -> None:
    rows = xlsx_rows(render("fixture", "xlsx", lang))
    found = {}
    for line in rows:
        cell = line["review_date"]
        assert cell.is_date and cell.number_format == "yyyy-mm-dd", cell.number_format
        found[str(line["activity"].value).splitlines()[-1]] = cell.value
    assert found == REVIEWED
    # CSV has no cell types: ISO 8601, which a spreadsheet reads as a date in any locale.
    csv_rows = spreadsheet_texts(render("fixture", "csv", lang), "csv", lang)
    assert [line["review_date"] for line in csv_rows] == [
        date.date().isoformat() for date in REVIEWED.values()
    ]


def test_a_missing_review_date_is_not_stated_not_an_empty_or_date_cell(
    contents: dict[str, Content],
) -> None:
    activity = dataclasses.replace(activities(contents["fixture"])[0], review_date=None)
    for lang in LANGUAGES:
        cells = values(activity, Localizer(lang, ["fi", "sv", "en"]))
        assert cells[KEYS.index("review_date")] == NOT_STATED[lang]
        assert all(cell != "" for cell in cells)


# --- parity: every cell of the XLSX is the PDF's -------------------------------------------------


def pdf_words(text: str) -> str:
    """A PDF cell's text without its layout: no hyphenation (U+2010 at a line's end), list
    markers or white space. The PDF breaks lines inside a URL and after a hyphen too, where no
    space was: the comparison is of the characters, which carry what the cell says."""
    return compact(text.replace("\u2010\n", "").replace("•", ""))


def compact(text: str) -> str:
    return "".join(text.split())


def xlsx_words(cell: Cell, lang: str) -> str:
    """An XLSX cell's text as `pdf_words` compares it; a date cell as the PDF writes the date."""
    if cell.value is None:
        return ""
    if isinstance(cell.value, dt.datetime):
        return compact(i18n.format_date(cell.value.date(), lang))
    return compact(str(cell.value))


PARITY = [
    *(("default", lang) for lang in LANGUAGES),
    *(("silent", lang) for lang in LANGUAGES),
    ("fixture", "fi"),
]


@pytest.mark.parametrize(("which", "lang"), PARITY)
def test_every_xlsx_cell_says_what_the_pdf_says(
    render: Callable[[str, str, str], bytes], which: str, lang: str
) -> None:
    rows = xlsx_rows(render(which, "xlsx", lang))
    header = load_workbook(io.BytesIO(render(which, "xlsx", lang))).worksheets[0][1]
    tables = pdf_table_rows(render(which, "pdf", lang))
    overview = [cells for cells in tables if [kind for kind, _ in cells] == ["/TH", *["/TD"] * 3]]
    detail = [cells for cells in tables if [kind for kind, _ in cells] == ["/TH", "/TD"]]
    assert len(overview) == len(rows)
    assert len(detail) == len(rows) * (len(COLUMNS) - 1)
    for index, line in enumerate(rows):
        name, *firsts = overview[index]
        assert pdf_words(name[1]) == xlsx_words(line["activity"], lang)
        for key, (_, text) in zip(("register", "purpose", "legal_basis"), firsts, strict=True):
            assert pdf_words(text) == xlsx_words(line[key], lang), (index, key)
        table = detail[index * (len(COLUMNS) - 1) : (index + 1) * (len(COLUMNS) - 1)]
        for number, (key, ((_, label), (_, text))) in enumerate(
            zip(KEYS[1:], table, strict=True), start=2
        ):
            cell = line[key]
            assert pdf_words(label) == compact(header[number - 1].value)
            # Empty in one, empty in the other; and no cell of either is empty.
            assert (cell.value is None) == (pdf_words(text) == ""), (index, key)
            assert cell.value is not None, (index, key)
            assert pdf_words(text) == xlsx_words(cell, lang), (index, key)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_pdf_says_not_stated_in_the_columns_the_spreadsheets_do(
    render: Callable[[str, str, str], bytes], lang: str
) -> None:
    tables = pdf_table_rows(render("silent", "pdf", lang))
    said = [
        pdf_words(cells[0][1])
        for cells in tables
        if len(cells) == 2 and pdf_words(cells[1][1]) == compact(NOT_STATED[lang])
    ]
    names = {key: compact(name) for key, name in zip(KEYS, headers(Localizer(lang)), strict=True)}
    first = [names[key] for key in KEYS if key in SILENT_COLUMNS]
    second = [names[key] for key in KEYS if key in (*SILENT_COLUMNS, "legitimate_interest")]
    assert said == first + second


def test_the_silent_content_is_what_the_tests_say(tmp_path: Path) -> None:
    """SILENT keeps what it means to keep: the customers' purposes, one of them the interests'."""
    content = load_content(write_content(tmp_path / "silent", UNSTATED_SITE, SILENT))
    (register,) = content.registers
    assert register.transfers is None and register.automated_decisions is None
    assert [p.legitimate_interest for p in register.purposes] == [None, None]
    assert [b.value for p in register.purposes for b in p.bases] == [
        "contract",
        "legitimate_interests",
    ]
