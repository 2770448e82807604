"""Records as spreadsheets: CSV for any tool, XLSX for people who read them in Excel."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence

from notice.records.columns import COLUMNS, Localizer, cell_text, headers, row
from notice.records.rows import Activity
from notice.render import N_

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (CSV injection)."""


def neutralise(value: str) -> str:
    """Return `value` so that no spreadsheet runs it as a formula (a leading `'`)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


SHEET_NAME = N_("Processing activities")
"""The records sheet's name: Excel allows 31 characters, which the document's title exceeds."""


def sheet_name(loc: Localizer) -> str:
    """Return the records sheet's name in the record's language, cut to Excel's 31 characters."""
    return "".join(ch for ch in loc.fixed(SHEET_NAME).text if ch not in "[]:*?/\\")[:31]


DATE_FORMAT = "yyyy-mm-dd"
"""How a spreadsheet shows a date cell: ISO 8601, which reads the same in fi, sv and en (a long
format's month names would follow the reader's spreadsheet, not the record's language)."""


def values(activity: Activity, loc: Localizer) -> list[str | dt.date]:
    """Return an activity's cells for a spreadsheet: each cell's text as the HTML and PDF show it
    (`columns.row`, "Not stated" included), and a date column's date as a date."""
    out: list[str | dt.date] = []
    for column, cell in zip(COLUMNS, row(activity, loc), strict=True):
        date = column.date(activity) if column.date else None
        out.append(date if date is not None else cell_text(cell))
    return out


def _table(items: Sequence[Activity], loc: Localizer) -> list[list[str | dt.date]]:
    return [values(activity, loc) for activity in items]


CSV_DELIMITERS = {"semicolon": ";", "comma": ","}


def csv_delimiter(lang: str, choice: str | None = None) -> str:
    """Return the CSV field separator: `choice` (semicolon, comma), else by the records' language.

    Excel opens a CSV with the list separator of its regional settings: `;` in Finland and
    Sweden (where `,` is the decimal comma), so a comma file opened as one column there.
    """
    if choice is not None:
        return CSV_DELIMITERS[choice]
    return "," if lang == "en" else ";"


def records_csv(items: Sequence[Activity], loc: Localizer, delimiter: str | None = None) -> bytes:
    """Return the records as CSV: UTF-8 with a BOM (Excel's cue), header line, RFC 4180 quoting.

    Fields are separated by `delimiter`, by default as `csv_delimiter` chooses for the language.
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(
        buffer, delimiter=delimiter or csv_delimiter(loc.lang), lineterminator="\r\n"
    )
    writer.writerow([neutralise(header) for header in headers(loc)])
    for cells in _table(items, loc):
        # A date as ISO 8601: the one form every spreadsheet reads as a date whatever its locale.
        writer.writerow(
            [cell.isoformat() if isinstance(cell, dt.date) else neutralise(cell) for cell in cells]
        )
    return buffer.getvalue().encode("utf-8-sig")


def records_xlsx(
    items: Sequence[Activity],
    loc: Localizer,
    title: str,
    *,
    controller: str,
    generated: dt.date,
    internal: str,
) -> bytes:
    """Return the records as an XLSX workbook: frozen header row, set widths, wrapped text.

    A date is a date cell shown as `DATE_FORMAT` (it sorts and filters as a date). A second
    sheet says what the workbook is, whose it is, when it was made, and that it is internal:
    the first sheet's first row stays the header row that filters and freezes need.
    """
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook always has its first sheet
    # Sheet names: at most 31 characters, none of []:*?/\ ; the title did not fit in English
    # ("Records of processing activitie"), so the sheet has its own short name in each language.
    sheet.title = sheet_name(loc)
    wrap = Alignment(wrap_text=True, vertical="top")
    sheet.append(headers(loc))
    for cells in _table(items, loc):
        # XML 1.0 cannot hold most control characters, which YAML's "\x0b" escapes can make.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in cells])
    for row_cells in sheet.iter_rows():
        for cell in row_cells:
            cell.alignment = wrap
            # Text stays text: a value starting with `=` must not become a formula.
            if isinstance(cell.value, str):
                cell.data_type = "s"
            elif isinstance(cell.value, dt.date):
                cell.number_format = DATE_FORMAT
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "B2"  # the header row and the activity column stay in view
    sheet.auto_filter.ref = sheet.dimensions
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    about = workbook.create_sheet(loc.fixed(N_("About")).text)
    for line in (
        [title],
        [loc.fixed(N_("Controller")).text, controller],
        [loc.fixed(N_("Generated")).text, generated],
        [internal],
    ):
        about.append(line)
    about["B3"].number_format = DATE_FORMAT
    about["A1"].font = Font(bold=True)
    about.column_dimensions["A"].width = 24
    about.column_dimensions["B"].width = 60
    workbook.properties.title = title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
