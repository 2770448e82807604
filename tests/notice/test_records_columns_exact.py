# ruff: noqa: E501 - headers are compared whole
"""Every cell of the records of processing, as the record says it, in fi, sv and en.

`tests/notice/golden/records_cells.json` holds, for each activity of two register sets (the
records fixture: joint controllers, processors abroad, per-category retention; and a Swedish
bookshop with structured automated decisions; and its edge cases: criminal-offence data, special
data without a condition, a transfer without a mechanism and one on an Art 49 derogation; and a
site that states no representative and no data protection officer; and a joint controller with its
own data protection officer), every column's lines as plain text with the language each line is written in. It is
compared whole, so a line that goes missing, moves, changes language or prints a repr fails.
After a deliberate change of what a record says, rewrite it with
`.venv/bin/python -m tests.notice.test_records_columns_exact` and read the diff line by line.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from notice.loader import Content, load_content
from notice.records import COLUMNS, activities
from notice.records.columns import (
    Localizer,
    Piece,
    activity_name,
    cell_text,
    columns_markdown,
    headers,
    headline,
    line,
    plain,
    row,
)
from notice.records.output import render_records
from tests import REPO_ROOT
from tests.notice.records_content import REGISTER, SITE, write_content

GOLDEN = REPO_ROOT / "tests" / "notice" / "golden" / "records_cells.json"
LANGUAGES = ("fi", "sv", "en")

DECISION = {
    "description": {"sv": "Kreditpoäng", "en": "Credit scoring"},
    "logic": {"sv": "Betalningshistorik", "en": "Payment history"},
    "significance": {"sv": "Kredit", "en": "Whether credit is given"},
    "consequences": {"sv": "Avslag", "en": "Refusal"},
    "ground": "explicit_consent",
    "safeguards": {"sv": "Handläggare", "en": "A person reviews on request"},
}
BOOKSHOP: dict[str, Any] = {
    **REGISTER,
    "automated_decisions": [DECISION, {"description": {"sv": "Enkel", "en": "Plain"}}],
}


EDGE: dict[str, Any] = {
    **REGISTER,
    "id": "kanten",
    "slug": {"sv": "kanten", "en": "edge"},
    "data_categories": [
        {
            "name": {"sv": "Brott", "en": "Offences"},
            "criminal": {"authorisation": {"sv": "Lag 1", "en": "Act 1"}},
        },
        {"name": {"sv": "Hälsa", "en": "Health"}, "special": {"category": "health"}},
        {"name": {"sv": "Namn", "en": "Name"}},
    ],
    "transfers": [
        {"recipient": "Nowhere Ltd", "country": "Brazil"},
        {
            "recipient": "Ask Inc",
            "country": "United States",
            "mechanism": "derogation",
            "derogation_ground": "explicit_consent",
            "decision": "2021/914",
        },
    ],
}
"""Criminal-offence data, special data without its Art 9(2) condition, a transfer without a
mechanism and one on an Art 49 derogation with a decision."""
del EDGE["automated_decisions"]


JOINT: dict[str, Any] = {
    **REGISTER,
    "id": "gemensamt",
    "slug": {"sv": "gemensamt", "en": "joint"},
    "joint_controllers": [
        {
            "name": "Ålands Bokhandlarförening r.f.",
            "localized_name": {
                "sv": "Ålands Bokhandlarförening",
                "en": "Åland Booksellers' Association",
            },
            "email": "info@bokhandlare.example.ax",
            "role": {"sv": "Sköter kundklubben.", "en": "Runs the customer club."},
            "dpo": {
                "name": "Karin Lindqvist",
                "title": {"sv": "Föreningens jurist", "en": "The association's lawyer"},
                "street_address": "Torggatan 5",
                "postal_code": "22100",
                "city": "Mariehamn",
                "email": "dso@bokhandlare.example.ax",
            },
        }
    ],
}
"""A joint controller (Art 26) with its own data protection officer (Art 37): a named officer
with a title, an address and an e-mail, under the controller's own lines."""


UNSTATED_SITE = {k: v for k, v in SITE.items() if k not in ("representative", "dpo")}
"""A site that states neither a representative nor a data protection officer: Not stated."""


def _sets(tmp: Path) -> dict[str, Content]:
    return {
        "fixture": load_content(REPO_ROOT / "tests" / "fixtures" / "records"),
        "bookshop": load_content(write_content(tmp / "bookshop", SITE, BOOKSHOP)),
        "edge": load_content(write_content(tmp / "edge", SITE, EDGE)),
        "unstated": load_content(write_content(tmp / "unstated", UNSTATED_SITE, REGISTER)),
        "joint": load_content(write_content(tmp / "joint", SITE, JOINT)),
    }


def cells_of(sets: dict[str, Content]) -> dict[str, Any]:
    """Return {set/activity/lang: {column: [[lang, plain text], ...]}} of every register set."""
    out: dict[str, Any] = {}
    for name, content in sets.items():
        fallbacks = [str(code) for code in content.site.languages]
        for activity in activities(content):
            for lang in LANGUAGES:
                loc = Localizer(lang, fallbacks)
                out[f"{name}/{activity.id}/{lang}"] = {
                    column.key: [_piece_json(piece) for piece in cell]
                    for column, cell in zip(COLUMNS, row(activity, loc), strict=True)
                }
    return out


def _piece_json(piece: Piece) -> list[Any]:
    """[lang, plain text], and the spans in another language with theirs: [[lang, text], ...]."""
    spans = [[part.lang, part.text] for part in piece.parts if part.lang != piece.lang]
    return [piece.lang, plain(piece), *([spans] if spans else [])]


@pytest.fixture(scope="module")
def sets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Content]:
    return _sets(tmp_path_factory.mktemp("records"))


def test_every_cell_of_every_activity_says_what_the_golden_record_says(
    sets: dict[str, Content],
) -> None:
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    actual = cells_of(sets)
    assert sorted(actual) == sorted(expected)
    for key in expected:
        assert actual[key] == expected[key], key


HEADERS = {
    "fi": [
        "Käsittelytoimi",
        "Rekisteri",
        "Käsittelyn tarkoitus",
        "Oikeusperuste",
        "Oikeutetun edun peruste",
        "Erityiset henkilötietoryhmät ja 9 artiklan 2 kohdan peruste",
        "Rekisterinpitäjä",
        "Yhteisrekisterinpitäjät",
        "Edustaja EU:ssa",
        "Tietosuojavastaava",
        "Yhteyshenkilö",
        "Rekisteröityjen ryhmät",
        "Henkilötietoryhmät",
        "Tietolähteet",
        "Vastaanottajaryhmät",
        "Vastaanottajat kolmansissa maissa",
        "Siirrot kolmansiin maihin ja suojatoimet",
        "Tietojen poistamisen määräajat",
        "Tekniset ja organisatoriset turvatoimet",
        "Automaattiset päätökset ja profilointi",
        "Tietojärjestelmät",
        "Tarkistettu viimeksi",
    ],
    "sv": [
        "Behandling",
        "Register",
        "Ändamål med behandlingen",
        "Rättslig grund",
        "Berättigat intresse",
        "Särskilda kategorier och villkor enligt artikel 9.2",
        "Personuppgiftsansvarig",
        "Gemensamt personuppgiftsansvariga",
        "Företrädare inom EU",
        "Dataskyddsombud",
        "Kontaktperson",
        "Kategorier av registrerade",
        "Kategorier av personuppgifter",
        "Uppgifternas källor",
        "Kategorier av mottagare",
        "Mottagare i tredjeländer",
        "Överföringar till tredjeländer och skyddsåtgärder",
        "Tidsfrister för radering",
        "Tekniska och organisatoriska säkerhetsåtgärder",
        "Automatiserade beslut och profilering",
        "Informationssystem",
        "Senast granskad",
    ],
    "en": [
        "Activity",
        "Register",
        "Purpose of processing",
        "Legal basis",
        "Legitimate interest",
        "Special categories and Art 9(2) condition",
        "Controller",
        "Joint controllers",
        "Representative in the EU",
        "Data protection officer",
        "Contact person",
        "Categories of data subjects",
        "Categories of personal data",
        "Sources of the data",
        "Categories of recipients",
        "Recipients in third countries",
        "Transfers to third countries and safeguards",
        "Time limits for erasure",
        "Technical and organisational security measures",
        "Automated decisions and profiling",
        "Systems",
        "Last reviewed",
    ],
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_headers_in_each_language(lang: str) -> None:
    assert headers(Localizer(lang)) == HEADERS[lang]


def test_docs_records_md_is_what_the_columns_say() -> None:
    assert columns_markdown() == (REPO_ROOT / "docs" / "records.md").read_text(encoding="utf-8")


def test_a_text_is_taken_in_the_records_language_then_in_fallback_order() -> None:
    loc = Localizer("fi", ["sv", "fi", "en"])
    assert loc.piece({"en": "E", "sv": "S", "fi": "F"}) == Piece("F", "fi")
    assert loc.piece({"en": "E", "sv": "S"}) == Piece("S", "sv")
    assert loc.piece({"en": "E"}) == Piece("E", "en")
    assert loc.piece({"de": "D", "da": "A"}) == Piece("A", "da")  # none of ours: the first by code
    assert loc.piece({}) == Piece("", "fi")
    assert loc.piece({"": "any language"}) == Piece("any language", "fi")
    assert loc.pieces([{"fi": "a"}, {}, {"en": "b"}]) == [Piece("a", "fi"), Piece("b", "en")]


def test_a_line_is_in_the_records_language_with_spans_only_for_other_languages() -> None:
    loc = Localizer("fi", ["fi", "sv", "en"])
    # All in the record's language: one plain piece, no spans for a screen reader to switch on.
    assert line(loc, "Erityiset: ", Piece("terveys", "fi")) == Piece("Erityiset: terveys", "fi")
    # A name that fell back to Swedish keeps its own tag inside the Finnish line.
    assert line(loc, "Erityiset: ", Piece("hälsa", "sv"), " (suostumus)") == Piece(
        "Erityiset: hälsa (suostumus)",
        "fi",
        (Piece("Erityiset: ", "fi"), Piece("hälsa", "sv"), Piece(" (suostumus)", "fi")),
    )


def test_fixed_strings_are_translated_and_kept_as_written() -> None:
    assert Localizer("sv").fixed("Not applicable") == Piece("Ej tillämpligt", "sv")
    assert Localizer("fi").fixed("Not applicable") == Piece("Ei sovellu", "fi")
    assert Localizer("en").fixed("Not applicable") == Piece("Not applicable", "en")
    # A label is never a format: a percent sign stays as it is, in every language.
    assert Localizer("en").fixed("100%") == Piece("100%", "en")
    assert Localizer("fi").fixed("Version history: %(name)s") == Piece(
        "Versiohistoria: %(name)s", "fi"
    )
    assert (
        cell_text([Piece("**a** &amp; [b](https://x.example)", "en"), Piece("c", "en")])
        == "a & b\nc"
    )


JOINT_CONTROLLERS = {
    "fi": [
        ["sv", "Ålands Bokhandlarförening: Sköter kundklubben."],
        ["fi", "info@bokhandlare.example.ax"],
        # The line is Finnish; only the officer's title falls back to Swedish, and says so.
        [
            "fi",
            "Tietosuojavastaava: Karin Lindqvist: Föreningens jurist",
            [["sv", "Föreningens jurist"]],
        ],
        ["fi", "Torggatan 5, 22100 Mariehamn"],
        ["fi", "dso@bokhandlare.example.ax"],
    ],
    "sv": [
        ["sv", "Ålands Bokhandlarförening: Sköter kundklubben."],
        ["sv", "info@bokhandlare.example.ax"],
        ["sv", "Dataskyddsombud: Karin Lindqvist: Föreningens jurist"],
        ["sv", "Torggatan 5, 22100 Mariehamn"],
        ["sv", "dso@bokhandlare.example.ax"],
    ],
    "en": [
        ["en", "Åland Booksellers' Association: Runs the customer club."],
        ["en", "info@bokhandlare.example.ax"],
        ["en", "Data protection officer: Karin Lindqvist: The association's lawyer"],
        ["en", "Torggatan 5, 22100 Mariehamn"],
        ["en", "dso@bokhandlare.example.ax"],
    ],
}
"""The joint controller's lines, then its own officer's: the officer's name and title under the
label in the record's language (the title in the first language that has it: Swedish in a Finnish
record of a sv/en site), then the officer's address and e-mail, each once and in that order."""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_joint_controllers_own_dpo_follows_its_lines(sets: dict[str, Content], lang: str) -> None:
    cells = cells_of({"joint": sets["joint"]})
    for purpose in ("1", "2"):
        assert (
            cells[f"joint/gemensamt/{purpose}/{lang}"]["joint_controllers"]
            == JOINT_CONTROLLERS[lang]
        )
        # The site's own officer stays in its column, not mixed with the joint controller's.
        assert cells[f"joint/gemensamt/{purpose}/{lang}"]["dpo"] == [
            [lang, "Dataskyddsombud Märta Öhman"],
            [lang, "dso@bok.example.ax"],
        ]


ASSESSED: dict[str, Any] = {
    **REGISTER,
    "id": "bedomd",
    "slug": {"sv": "bedomd", "en": "assessed"},
    "transfers": [
        {
            "recipient": "Bengaluru Support Pvt Ltd",
            "country": "IN",
            "mechanism": "sccs",
            "scc_module": "controller_to_processor",
            "details": {"sv": "Avtal av den 1 mars 2025.", "en": "Agreement of 1 March 2025."},
            "impact_assessment": {
                "sv": "Indisk lag ger myndigheterna inte tillgång till uppgifterna.",
                "en": "Indian law gives the authorities no access to the data.",
            },
        }
    ],
}
"""A transfer on the standard contractual clauses with its module (Decision (EU) 2021/914,
module two: controller to processor) and a transfer impact assessment, in sv and en only."""

ASSESSED_TRANSFERS = {
    "fi": [
        [
            "fi",
            "Bengaluru Support Pvt Ltd (Intia): Vakiosopimuslausekkeet (46 artiklan 2 kohdan c"
            " alakohta); moduuli 2, rekisterinpitäjältä käsittelijälle",
        ],
        ["sv", "Avtal av den 1 mars 2025."],
        [
            "fi",
            "Siirtoa koskeva vaikutustenarviointi: Indisk lag ger myndigheterna inte tillgång"
            " till uppgifterna.",
            [["sv", "Indisk lag ger myndigheterna inte tillgång till uppgifterna."]],
        ],
    ],
    "sv": [
        [
            "sv",
            "Bengaluru Support Pvt Ltd (Indien): Standardavtalsklausuler (artikel 46.2 c); modul 2,"
            " från personuppgiftsansvarig till personuppgiftsbiträde",
        ],
        ["sv", "Avtal av den 1 mars 2025."],
        [
            "sv",
            "Konsekvensbedömning av överföringen: Indisk lag ger myndigheterna inte tillgång till"
            " uppgifterna.",
        ],
    ],
    "en": [
        [
            "en",
            "Bengaluru Support Pvt Ltd (India): Standard contractual clauses (Article 46(2)(c));"
            " module 2, controller to processor",
        ],
        ["en", "Agreement of 1 March 2025."],
        [
            "en",
            "Transfer impact assessment: Indian law gives the authorities no access to the data.",
        ],
    ],
}
"""The mechanism and its SCC module on the transfer's line, then its details, then the impact
assessment under its label in the record's language (the text in Swedish in a Finnish record of a
sv/en site, and marked so)."""


@pytest.fixture(scope="module")
def assessed(tmp_path_factory: pytest.TempPathFactory) -> Content:
    return load_content(write_content(tmp_path_factory.mktemp("assessed"), SITE, ASSESSED))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_transfer_gives_its_scc_module_and_impact_assessment(
    assessed: Content, lang: str
) -> None:
    cells = cells_of({"assessed": assessed})
    for purpose in ("1", "2"):
        assert cells[f"assessed/bedomd/{purpose}/{lang}"]["transfers"] == ASSESSED_TRANSFERS[lang]


if __name__ == "__main__":  # rewrite the golden record after a deliberate change
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        data = cells_of(_sets(Path(tmp)))
    GOLDEN.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    sys.stdout.write(f"written: {GOLDEN.relative_to(REPO_ROOT)}\n")


def test_the_spreadsheet_gives_each_column_its_reading_width(sets: dict[str, Content]) -> None:
    data, _count = render_records(sets["fixture"], "xlsx", "fi", today=dt.date(2026, 11, 29))
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    widths = [sheet.column_dimensions[get_column_letter(i)].width for i in range(1, 23)]
    assert widths == [
        30,
        22,
        40,
        24,
        30,
        30,
        28,
        28,
        24,
        24,
        24,
        32,
        40,
        32,
        36,
        28,
        40,
        36,
        44,
        30,
        24,
        16,
    ]


# --- an activity's name: its purpose's first clause ------------------------------------------------

TEN = "a" * 10


@pytest.mark.parametrize(
    ("purpose", "name"),
    [
        ("Asiakassuhteen hoitaminen: laskutus ja markkinointi", "Asiakassuhteen hoitaminen"),
        ("Palkanlaskenta; työaika", "Palkanlaskenta"),
        ("  Many   spaces\nhere. Next sentence.", "Many spaces here"),
        ("Payroll, e.g. salaries", "Payroll, e.g. salaries"),  # `e.g.` ends no sentence
        ("Payroll (see Cookies. More) and so on", "Payroll"),  # no half a parenthesis
        ("(all of it in brackets", "(all of it in brackets"),  # nothing before it: kept
        (": begins with a colon", ": begins with a colon"),  # no empty name
        ("A: b", "A"),  # a one-letter name is a name
        ("Payroll (monthly) and more", "Payroll (monthly) and more"),  # a closed parenthesis
        ("b" * 80, "b" * 80),  # 80 characters: whole
        ("b" * 81, "b" * 79 + "…"),  # one more: cut, the ellipsis is the 80th
        (" ".join([TEN] * 10), " ".join([TEN] * 7) + "…"),  # cut at a word
        (", ".join(["a" * 9] * 10), ", ".join(["a" * 9] * 7) + "…"),  # no comma before "…"
    ],
)
def test_a_name_is_the_first_clause_cut_at_a_word(purpose: str, name: str) -> None:
    assert headline(purpose) == name


def _activity_named(purpose: dict[str, str] | None) -> Any:
    from types import SimpleNamespace

    return SimpleNamespace(purpose=purpose, register_name={"fi": "Asiakasrekisteri", "en": "Cust"})


@pytest.mark.parametrize(
    ("purpose", "name"),
    [
        (
            {"fi": "Laskutus *ja* [markkinointi](https://x.fi): muuta"},
            Piece("Laskutus ja markkinointi", "fi"),
        ),
        ({"sv": "Fakturering. Annat"}, Piece("Fakturering", "sv")),  # the fallback's language
        ({"fi": "   "}, Piece("Asiakasrekisteri", "fi")),  # no purpose text: the register
        (None, Piece("Asiakasrekisteri", "fi")),
        (
            {"fi": "Käyttö (1.-3. vaihe) # ja_muu"},
            Piece(r"Käyttö \(1\.\-3\. vaihe\) \# ja\_muu", "fi"),
        ),
    ],
)
def test_an_activity_is_named_by_its_purpose_else_its_register(
    purpose: dict[str, str] | None, name: Piece
) -> None:
    assert activity_name(_activity_named(purpose), Localizer("fi", ["fi", "sv", "en"])) == name


def test_recipients_abroad_say_none_only_where_the_register_says_transfers_none() -> None:
    from types import SimpleNamespace

    from notice.records.columns import _third_country_recipients

    loc = Localizer("fi", ["fi", "en"])
    none = SimpleNamespace(third_country_recipients=[], transfers="none")
    listed = SimpleNamespace(third_country_recipients=[], transfers=[SimpleNamespace()])
    assert [plain(piece) for piece in _third_country_recipients(none, loc)] == [
        "Ei ole: ei siirtoja ETA-alueen ulkopuolelle"
    ]
    assert _third_country_recipients(listed, loc) == []


def test_a_line_of_one_text_without_words_keeps_that_texts_language() -> None:
    """A lone piece is the line as it is: a Swedish "12" stays tagged sv in a Finnish record."""
    loc = Localizer("fi", ["fi", "sv"])
    assert line(loc, Piece("12", "sv")) == Piece("12", "sv")
    assert line(loc, Piece("Kund", "sv")) == Piece("Kund", "sv")
