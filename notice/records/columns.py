"""The columns of a record of processing: one table drives every writer and `docs/records.md`.

Each column names its header (a gettext msgid), the provision it answers, a description for the
docs, a spreadsheet width and the function that turns an activity into the column's cell. A cell
is a list of pieces of Markdown, each with the language it is written in (a text missing in the
record's language falls back to the site's first language, and says so by its `lang`).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from notice import countries, i18n
from notice.markdown import render_inline
from notice.records import labels
from notice.records.rows import Activity, Decision, Party, Receiver
from notice.render import N_, role_repeats_name


class Piece(NamedTuple):
    """One item of a cell: Markdown text and the language it is written in."""

    text: str
    lang: str
    parts: tuple[Piece, ...] = ()
    """The spans `text` is joined from, when some are in another language than `lang` (a name
    that falls back to the site's first language inside a line of fixed, translated words)."""


def line(loc: Localizer, *parts: str | Piece) -> Piece:
    """Join fixed words (str, in the record's language) and texts into one line.

    A line whose words are all in one language is in that language (a Swedish category and its
    Swedish period, joined by ": "); else it is in `loc.lang` and each text in another language
    keeps its own tag as a span.
    """
    pieces: list[Piece] = []
    for part in parts:
        if isinstance(part, str):
            pieces.append(Piece(part, loc.lang))
        elif part.parts:  # a line inside a line: its spans keep their languages
            pieces.extend(part.parts)
        else:
            pieces.append(part)
    if len(pieces) == 1:
        return pieces[0]
    text = "".join(piece.text for piece in pieces)
    # Words decide a line's language; joining punctuation (": ", " (") has none.
    langs = {piece.lang for piece in pieces if any(ch.isalpha() for ch in piece.text)}
    if len(langs) <= 1:
        return Piece(text, langs.pop() if langs else loc.lang)
    return Piece(text, loc.lang, tuple(pieces))


Cell = list[Piece]


class Localizer:
    """Pick texts and translate fixed strings for one language of the record."""

    def __init__(self, lang: str, fallbacks: Sequence[str] = ()) -> None:
        self.lang = lang
        self.order = [lang, *(f for f in fallbacks if f != lang)]
        self.gettext = i18n.translations(lang).gettext

    def piece(self, text: Mapping[str, str]) -> Piece:
        """Return `text` in the record's language, else the first fallback that has it."""
        if "" in text:
            return Piece(text[""], self.lang)
        for lang in self.order:
            if lang in text:
                return Piece(text[lang], lang)
        lang, value = next(iter(sorted(text.items())), (self.lang, ""))
        return Piece(value, lang)

    def pieces(self, texts: Sequence[Mapping[str, str]]) -> Cell:
        """Return each text in the record's language."""
        return [self.piece(text) for text in texts if text]

    def fixed(self, message: str) -> Piece:
        """Return the translated fixed string `message` (a label: nothing is filled in)."""
        return Piece(self.gettext(message), self.lang)

    def label(self, message: str) -> str:
        """Return the translated fixed string `message`, as text in the record's language."""
        return self.gettext(message)


@dataclass(frozen=True)
class Column:
    """One column of the record: header, legal source, docs, width and how to fill it."""

    key: str
    header: str
    """Column header, a gettext msgid (English)."""
    source: str
    """The provision the column answers (`Art 30(1)(b)`), or why it is there."""
    description: str
    """What the column holds, for `docs/records.md`."""
    width: int
    """Spreadsheet column width, in characters."""
    cell: Callable[[Activity, Localizer], Cell]
    date: Callable[[Activity], dt.date | None] | None = None
    """For a column of dates: the date itself, which a spreadsheet stores as a date cell (the
    cell's text, which the HTML and PDF show, is the date in words)."""


NAME_LENGTH = 80
"""An activity's name: its purpose's first clause, cut at a word to at most this length."""

_CLAUSE_END = re.compile(r"[:;](?=\s)|[.?!](?=\s+[^\w\s]*[A-ZÅÄÖÜ]|\s*$)")
"""A colon or semicolon, or a full stop before a new sentence (not `e.g. a`) or the end."""
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()>#+\-.!<])")


def headline(text: str) -> str:
    """Return the first clause of a plain text (to its first `:`, `.` or `;`), cut at a word."""
    text = " ".join(text.split())
    end = _CLAUSE_END.search(text)
    if end and end.start() > 0:
        text = text[: end.start()]
    if text.count("(") > text.count(")"):  # "(see Cookies. ...": not half a parenthesis
        text = text[: text.rfind("(")].rstrip() or text
    if len(text) > NAME_LENGTH:
        cut = text[: NAME_LENGTH - 1]
        cut = cut[: cut.rfind(" ")] if " " in cut else cut
        text = cut.rstrip(" ,;:-–—") + "…"
    return text


def activity_name(activity: Activity, loc: Localizer) -> Piece:
    """Return the activity's name: its purpose's first clause (the register's name without one).

    Markdown of the purpose is read as plain text, and the name escaped back: a cut never leaves
    half a link or an open emphasis.
    """
    source = loc.piece(activity.purpose) if activity.purpose else Piece("", loc.lang)
    name = headline(plain(source)) if source.text.strip() else ""
    if not name:
        source = loc.piece(activity.register_name)
        name = plain(source)
    return Piece(_MARKDOWN_SPECIALS.sub(r"\\\1", name), source.lang)


def _activity(activity: Activity, loc: Localizer) -> Cell:
    """The activity's name, then its id (`<register id>/<purpose id>`) for cross-reference."""
    return [activity_name(activity, loc), Piece(activity.id, loc.lang)]


def _party(party: Party, loc: Localizer) -> Cell:
    name = loc.piece(party.name)
    first = line(loc, name, ": ", loc.piece(party.role)) if party.role else line(loc, name)
    cell = [first, *(Piece(detail, loc.lang) for detail in party.details)]
    if party.essence:
        cell.append(loc.piece(party.essence))
    if party.dpo is not None:
        officer = _party(party.dpo, loc)
        label = loc.label(N_("Data protection officer"))
        cell += [line(loc, f"{label}: ", officer[0]), *officer[1:]]
    return cell


def _party_or_none(party: Party | str | None, loc: Localizer, none: str) -> Cell:
    if party is None:
        return []
    if isinstance(party, str):
        return [loc.fixed(none)]
    return _party(party, loc)


def _recipient(receiver: Receiver, loc: Localizer) -> Piece:
    name = loc.piece(receiver.name)
    extras = []
    role = loc.label(labels.ROLES[receiver.role]) if receiver.role else None
    if role and not role_repeats_name(name.text, role):  # not "Myndigheter, såsom … (Myndighet"
        extras.append(role)
    if receiver.country:
        extras.append(countries.name(receiver.country, loc.lang))
    return line(loc, name, f" ({', '.join(extras)})") if extras else line(loc, name)


def _third_country_recipients(activity: Activity, loc: Localizer) -> Cell:
    """The recipients abroad; `transfers: none` with none abroad says so, not Not stated (and
    not a bare "None", which a spreadsheet's reader takes for an empty value)."""
    abroad: Cell = [_recipient(r, loc) for r in activity.third_country_recipients]
    if not abroad and isinstance(activity.transfers, str):
        return [loc.fixed(N_("None: no transfers outside the EEA"))]
    return abroad


def _transfers(activity: Activity, loc: Localizer) -> Cell:
    if activity.transfers is None:
        return []
    if isinstance(activity.transfers, str):
        return [loc.fixed(N_("No transfers outside the EEA"))]
    cell = []
    for transfer in activity.transfers:
        grounds: list[str | Piece] = [
            loc.label(labels.MECHANISMS.get(m, m)) for m in transfer.mechanisms
        ]
        if transfer.derogation_ground:
            grounds.append(loc.label(labels.DEROGATIONS[transfer.derogation_ground]))
        if transfer.scc_module:
            grounds.append(loc.label(labels.SCC_MODULES[transfer.scc_module]))
        if transfer.decision:
            grounds.append(loc.piece(transfer.decision))
        country = countries.name(transfer.country, loc.lang) if transfer.country else "?"
        what: list[str | Piece] = [loc.label(labels.NO_MECHANISM)]
        if grounds:
            what = [grounds[0]]
            for ground in grounds[1:]:
                what += ["; ", ground]
        where = f"{country}; {loc.label(transfer.service)}" if transfer.service else country
        cell.append(line(loc, loc.piece(transfer.recipient), f" ({where}): ", *what))
        if transfer.details:
            cell.append(loc.piece(transfer.details))
        if transfer.impact_assessment:
            label = loc.label(N_("Transfer impact assessment"))
            cell.append(line(loc, f"{label}: ", loc.piece(transfer.impact_assessment)))
    return cell


def _retention(activity: Activity, loc: Localizer) -> Cell:
    cell = []
    for item in activity.retention:
        period = loc.piece(item.period)
        if item.category:
            cell.append(line(loc, loc.piece(item.category), ": ", period))
        else:
            cell.append(period)
    return cell


def _security(activity: Activity, loc: Localizer) -> Cell:
    cell = []
    for measure in activity.security:
        cell.append(line(loc, f"{loc.label(measure.label)}: ", loc.piece(measure.text)))
    return cell


def _special(activity: Activity, loc: Localizer) -> Cell:
    cell = []
    for item in activity.special_categories:
        name = loc.piece(item.category)
        if item.kind == "criminal":
            ground = loc.fixed(labels.CRIMINAL).text
        elif item.condition:
            ground = loc.fixed(labels.CONDITIONS[item.condition]).text
        else:
            ground = "Art 9(2): ?"
        law = ("; ", loc.piece(item.law)) if item.law else ()
        cell.append(line(loc, name, f" ({ground}", *law, ")"))
    if not cell and activity.data_categories:
        # As the legitimate-interest column says: stated categories, none of them special.
        return [loc.fixed(N_("Not applicable"))]
    return cell


def _sources(activity: Activity, loc: Localizer) -> Cell:
    cell = loc.pieces(activity.sources)
    for source in activity.named_sources:
        public = f" ({loc.label(labels.PUBLIC_SOURCE)})" if source.public else ""
        cell.append(line(loc, loc.piece(source.category), ": ", loc.piece(source.name), public))
    return cell


def _decision(decision: Decision, loc: Localizer) -> Cell:
    cell = [loc.piece(decision.description)]
    for label, text in (
        (labels.LOGIC, decision.logic),
        (labels.SIGNIFICANCE, decision.significance),
        (labels.CONSEQUENCES, decision.consequences),
        (labels.SAFEGUARDS, decision.safeguards),
    ):
        if text:
            cell.append(line(loc, f"{loc.label(label)}: ", loc.piece(text)))
    if decision.ground:
        ground = loc.fixed(labels.DECISION_GROUNDS[decision.ground]).text
        cell.append(Piece(f"{loc.fixed(labels.GROUND).text}: {ground}", loc.lang))
    return cell


def _automated(activity: Activity, loc: Localizer) -> Cell:
    decisions = activity.automated_decisions
    if decisions is None:
        return []
    if isinstance(decisions, str):
        return [loc.fixed(N_("No automated decisions or profiling"))]
    return [piece for decision in decisions for piece in _decision(decision, loc)]


def _legitimate_interest(activity: Activity, loc: Localizer) -> Cell:
    if activity.legitimate_interest:
        return [loc.piece(activity.legitimate_interest)]
    if "legitimate_interests" in activity.legal_bases:
        return []  # missing: the record shows it as not stated
    return [loc.fixed(N_("Not applicable"))] if activity.legal_bases else []


def _legal_basis(activity: Activity, loc: Localizer) -> Cell:
    cell = [loc.fixed(labels.BASES[basis]) for basis in activity.legal_bases]
    if activity.national_law:
        cell.append(loc.piece(activity.national_law))
    return cell


def _review_date(activity: Activity) -> dt.date | None:
    return activity.review_date


def _date(activity: Activity, loc: Localizer) -> Cell:
    reviewed = _review_date(activity)
    if reviewed is None:
        return []
    return [Piece(i18n.format_date(reviewed, loc.lang), loc.lang)]


COLUMNS: tuple[Column, ...] = (
    Column(
        "activity",
        N_("Activity"),
        "identifier",
        "The activity's name (its purpose's first clause, at most 80 characters), then its id "
        "`<register id>/<purpose id>` (or the purpose's number when it has no `id`).",
        30,
        _activity,
    ),
    Column(
        "register",
        N_("Register"),
        "Art 30(1)",
        "Name of the register the activity belongs to.",
        22,
        lambda a, loc: [loc.piece(a.register_name)],
    ),
    Column(
        "purpose",
        N_("Purpose of processing"),
        "Art 30(1)(b)",
        "The purpose of this activity, as the notice states it.",
        40,
        lambda a, loc: loc.pieces([a.purpose]),
    ),
    Column(
        "legal_basis",
        N_("Legal basis"),
        "Art 6(1)",
        "The Art 6(1) basis (or bases) of the purpose, and the law behind (c) or (e) (Art 6(3)).",
        24,
        _legal_basis,
    ),
    Column(
        "legitimate_interest",
        N_("Legitimate interest"),
        "Art 6(1)(f), 13(1)(d)",
        "The interest pursued, when the basis is legitimate interests.",
        30,
        _legitimate_interest,
    ),
    Column(
        "special_categories",
        N_("Special categories and Art 9(2) condition"),
        "Art 9(2), 30(1)(c)",
        "Special-category (Art 9) and criminal-offence (Art 10) data, with the condition and law.",
        30,
        _special,
    ),
    Column(
        "controller",
        N_("Controller"),
        "Art 30(1)(a)",
        "The controller's name and contact details.",
        28,
        lambda a, loc: _party(a.controller, loc),
    ),
    Column(
        "joint_controllers",
        N_("Joint controllers"),
        "Art 26, 30(1)(a)",
        "Each joint controller, its part of the arrangement and its contact details.",
        28,
        lambda a, loc: [piece for p in a.joint_controllers for piece in _party(p, loc)],
    ),
    Column(
        "representative",
        N_("Representative in the EU"),
        "Art 27, 30(1)(a)",
        "The EU representative's contact details, or that there is none.",
        24,
        lambda a, loc: _party_or_none(a.representative, loc, N_("None designated")),
    ),
    Column(
        "dpo",
        N_("Data protection officer"),
        "Art 37, 30(1)(a)",
        "The DPO's contact details, or that none is designated.",
        24,
        lambda a, loc: _party_or_none(a.dpo, loc, N_("None designated")),
    ),
    Column(
        "contact",
        N_("Contact person"),
        "Art 30(1)(a)",
        "Who answers for the register: its contact, else its own controller, else the site's.",
        24,
        lambda a, loc: _party(a.contact, loc) if a.contact else [],
    ),
    Column(
        "data_subjects",
        N_("Categories of data subjects"),
        "Art 30(1)(c)",
        "Whose data the register holds.",
        32,
        lambda a, loc: loc.pieces(a.data_subjects),
    ),
    Column(
        "data_categories",
        N_("Categories of personal data"),
        "Art 30(1)(c)",
        "What data the register holds, one category per line.",
        40,
        lambda a, loc: loc.pieces(a.data_categories),
    ),
    Column(
        "sources",
        N_("Sources of the data"),
        "Art 14(2)(f)",
        "Where the data comes from: the register's account (`record.sources`, else the notice's "
        "`sources`), then each category's named sources.",
        32,
        _sources,
    ),
    Column(
        "recipients",
        N_("Categories of recipients"),
        "Art 30(1)(d)",
        "The recipients of this purpose (all that serve it, or the register's every recipient when "
        "none names its purposes), with role and country.",
        36,
        lambda a, loc: [_recipient(r, loc) for r in a.recipients],
    ),
    Column(
        "third_country_recipients",
        N_("Recipients in third countries"),
        "Art 30(1)(d)",
        "Recipients outside the EEA, with their country.",
        28,
        _third_country_recipients,
    ),
    Column(
        "transfers",
        N_("Transfers to third countries and safeguards"),
        "Art 30(1)(e), 46, 49(1)",
        "Each transfer outside the EEA: recipient, country, mechanism and the safeguard by name; "
        "in a register with `website: true`, the website analytics' (site.yaml) too.",
        40,
        _transfers,
    ),
    Column(
        "retention",
        N_("Time limits for erasure"),
        "Art 30(1)(f)",
        "How long the data is kept: the register's period (`record.retention`, else the "
        "notice's `retention`), then each category's own; in an "
        "activity the website analytics serves (`website: true`), the analytics' event-data "
        "retention and cookie lifetimes (site.yaml).",
        36,
        _retention,
    ),
    Column(
        "security",
        N_("Technical and organisational security measures"),
        "Art 30(1)(g), 32(1)",
        "The security measures: the notice's `security`, then `record.security_measures`.",
        44,
        _security,
    ),
    Column(
        "automated_decisions",
        N_("Automated decisions and profiling"),
        "Art 22, 13(2)(f)",
        "Each automated decision with its logic, significance, consequences, Art 22(2) ground "
        "and safeguards, or that there are none.",
        30,
        _automated,
    ),
    Column(
        "systems",
        N_("Systems"),
        "accountability (Art 5(2))",
        "Information systems the register is kept in (`record.systems`).",
        24,
        lambda a, loc: [Piece(system, loc.lang) for system in a.systems],
    ),
    Column(
        "review_date",
        N_("Last reviewed"),
        "accountability (Art 5(2))",
        "When the record was last reviewed (`record.review_date`), else the notice (`updated`).",
        16,
        _date,
        date=_review_date,
    ),
)


NOT_STATED = N_("Not stated")
"""What a cell says when the content does not tell: in every format alike, so that a spreadsheet's
reader does not see an empty cell where the PDF says the record is silent."""


def not_stated(loc: Localizer) -> Cell:
    """Return the cell of a column the content does not fill, in the record's language."""
    return [loc.fixed(NOT_STATED)]


def row(activity: Activity, loc: Localizer) -> list[Cell]:
    """Return the cells of `activity`, one per column, in column order, as every format shows
    them (CSV, XLSX, HTML, PDF): a column the content leaves empty says `NOT_STATED`."""
    return [column.cell(activity, loc) or not_stated(loc) for column in COLUMNS]


def headers(loc: Localizer) -> list[str]:
    """Return the translated column headers."""
    return [loc.fixed(column.header).text for column in COLUMNS]


_TAG = re.compile(r"<[^>]+>")


def plain(piece: Piece) -> str:
    """Return a piece's Markdown as plain text (emphasis and link markup removed)."""
    return html.unescape(_TAG.sub("", str(render_inline(piece.text, piece.lang))))


def cell_text(cell: Cell) -> str:
    """Return a cell as plain text, one piece per line."""
    return "\n".join(plain(piece) for piece in cell)


def columns_markdown() -> str:
    """Return `docs/records.md`: the command and every column of a record."""
    lines = [
        "# Records of processing (GDPR Art 30)",
        "",
        "<!-- Generated by `python -m notice.docs` from notice/records/columns.py. -->",
        "",
        "`notice records` writes the controller's records of processing activities from the same",
        "YAML as the notices: one row per processing activity (a register's purpose). The records",
        "are internal (they go to the supervisory authority on request, Art 30(4)), so the",
        "command never writes them into the published site and refuses an `--out` inside it.",
        "",
        "```",
        "notice records [--content DIR] [--format csv|xlsx|html|pdf|json] [--lang fi|sv|en]",
        "               [--out FILE] [--csv-delimiter semicolon|comma]",
        "```",
        "",
        "- `csv`: UTF-8 with a byte-order mark (Excel reads ä and ö right), one line per",
        "  activity; a cell starting with `=`, `+`, `-` or `@` is prefixed with `'`, so a",
        "  spreadsheet never runs it as a formula. Cells with several items put one per line.",
        "  Fields are separated by `;` in fi and sv (Excel under Finnish or Swedish settings",
        "  expects it, and shows a comma file as one column) and by `,` in en;",
        "  `--csv-delimiter` chooses either. A date is written as ISO 8601 (`2026-10-01`), which",
        "  a spreadsheet reads as a date in any locale.",
        "- `xlsx`: the records (header row frozen, readable widths, wrapped text), an about sheet;",
        "  dates (last reviewed, generated) are date cells shown as `yyyy-mm-dd`.",
        "- `html`: a printable, accessible document: an overview table and one table per activity.",
        "- `pdf`: the same document as a tagged PDF (PDF/UA-1) through the notice's PDF pipeline.",
        "- `json`: JSON-LD in W3C DPV terms, every language at once.",
        "",
        "Every format says the same in each cell: a column the content leaves empty says",
        '"Not stated" (fi "Ei ilmoitettu", sv "Ej angivet") in the spreadsheets as in the',
        "document, never an empty cell.",
        "",
        "The format defaults to `xlsx` and the language to the site's first; texts missing in",
        "the chosen language are taken from the site's languages in order and marked with their",
        "language (`lang` in HTML, `/Lang` in the PDF's structure), the text alone: in \"Logic:",
        '<Swedish text>" of a Finnish record the label stays Finnish. Without `--out` the file is',
        "`records/records-of-processing-<lang>.<ext>`",
        "in the current folder. The PDF uses the notice's font and its fallbacks (Greek,",
        "Cyrillic, Arabic, Hebrew, CJK ...); text in a script none of them covers makes the PDF",
        "refuse, naming the activity, column and characters; the other formats carry every script.",
        "",
        "## What only the record says",
        "",
        "A register may add a `record` block with what Art 30 asks and the notice does not show;",
        "it is never rendered into the notice, its PDF or its JSON:",
        "",
        "```yaml",
        "record:",
        "  systems: [Daisy, Webropol]",
        "  security_measures: {fi: ..., sv: ..., en: ...}  # in more detail than `security`",
        "  review_date: 2026-10-01",
        "  # The record's own words where the notice's speak to the data subject or the page:",
        "  sources: {en: From the data subject and from address update services.}",
        "  retention: {en: Customer data 10 years after the customer relationship ends.}",
        "data_categories:",
        "  - name: {en: Company or organisation you represent}",
        "    record:  # the category in the record's words; also `retention`",
        "      name: {en: Company or organisation the contact person represents}",
        "```",
        "",
        "The records are the controller's document for itself and the supervisory authority:",
        'their fixed words name the data subject ("the data subject\'s explicit consent"), never',
        '"you"; `record.sources` and `record.retention` give the register\'s own texts so too,',
        "and a data category's `record.name` and `record.retention` its own.",
        "",
        "`notice check` (and `notice records`, on stderr) warns where a record would be",
        "incomplete: no security measures (`R30-security`), a data category without a time limit",
        "for erasure (`R30-retention`), an external recipient without a `country` in a register",
        "that keeps a `record` block and whose transfers do not tell whether it is abroad",
        "(neither `transfers: none` nor only recipients placed in third countries:",
        "`R30-recipient-country`), a review over 12 months old (`R30-review`). See",
        "[checks.md](checks.md).",
        "",
        "## Columns",
        "",
        "| Column | fi | sv | Source | What it holds |",
        "|---|---|---|---|---|",
    ]
    fi, sv = Localizer("fi"), Localizer("sv")
    for column in COLUMNS:
        translated = f"{fi.fixed(column.header).text} | {sv.fixed(column.header).text}"
        lines.append(f"| {column.header} | {translated} | {column.source} | {column.description} |")
    return "\n".join(lines) + "\n"
