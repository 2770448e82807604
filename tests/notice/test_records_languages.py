"""A text that falls back to another language says so, in the HTML and in the tagged PDF.

The register is written in Swedish and English only; its records are asked for in Finnish. Each
line that joins the record's own words ("Tietosuojavastaava: ", "Logiikka: ") with a Swedish text
must leave the line Finnish and mark the Swedish span `lang="sv"` (HTML) and `/Lang (sv)` (a
structure element of the PDF), so that a screen reader switches voice at the right word: before,
the whole line was tagged Swedish, Finnish words and all.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from notice.loader import Content, load_content
from notice.records.output import render_records
from tests.notice.records_content import REGISTER, SITE, texts_by_mcid, write_content
from tests.notice.test_records_columns_exact import DECISION, JOINT


def _t(sv: str, en: str) -> dict[str, str]:
    return {"sv": sv, "en": en}


SWEDISH_ONLY: dict[str, Any] = {
    **REGISTER,
    "joint_controllers": JOINT["joint_controllers"],
    "automated_decisions": [DECISION],
    "data_categories": [
        {
            "name": _t("Kreditupplysningar", "Credit information"),
            "retention": _t("Tre månader.", "Three months."),
            "sources": [{"name": _t("Kreditupplysningsbyrå", "Credit bureau")}],
        },
    ],
}

WHOLLY_SWEDISH = {
    "retention": "Kreditupplysningar: Tre månader.",
    "sources": "Kreditupplysningar: Kreditupplysningsbyrå",
}
"""Lines whose every word is Swedish (the ": " joining them has no language): Swedish whole."""

EXPECTED = {
    # column: (the Finnish line as read, the Swedish span in it)
    "security": (
        "Sähköisesti käsiteltävät tiedot: Kryptering och åtkomstkontroll.",
        "Kryptering och åtkomstkontroll.",
    ),
    "automated_decisions": ("Logiikka: Betalningshistorik", "Betalningshistorik"),
    "joint_controllers": (
        "Tietosuojavastaava: Karin Lindqvist: Föreningens jurist",
        "Föreningens jurist",
    ),
}


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Content:
    folder = tmp_path_factory.mktemp("records-lang") / "content"
    return load_content(write_content(folder, SITE, SWEDISH_ONLY))


def _render(content: Content, fmt: str) -> bytes:
    return render_records(content, fmt, "fi", today=dt.date(2026, 12, 4))[0]


@pytest.mark.parametrize("key", EXPECTED)
def test_html_tags_the_swedish_span_and_leaves_the_finnish_line_finnish(
    content: Content, key: str
) -> None:
    soup = BeautifulSoup(_render(content, "html"), "html.parser")
    assert soup.html is not None and soup.html["lang"] == "fi"
    cell = soup.find("section", class_="activity").find("tr", class_=key).td
    line, swedish = EXPECTED[key]
    items = [item for item in cell.find_all(["li", "p"]) if item.get_text() == line]
    assert len(items) == 1, [item.get_text() for item in cell.find_all(["li", "p"])]
    assert items[0].get("lang") is None  # the line is the record's language
    spans = items[0].find_all("span", lang=True)
    assert [(span["lang"], span.get_text()) for span in spans] == [("sv", swedish)]


@pytest.mark.parametrize("key", WHOLLY_SWEDISH)
def test_html_tags_a_wholly_swedish_line_swedish(content: Content, key: str) -> None:
    soup = BeautifulSoup(_render(content, "html"), "html.parser")
    cell = soup.find("section", class_="activity").find("tr", class_=key).td
    items = [item for item in cell.find_all(["li", "p"]) if item.get_text() == WHOLLY_SWEDISH[key]]
    assert [item.get("lang") for item in items] == ["sv"]
    assert not items[0].find_all("span", lang=True)


def _tagged(reader: PdfReader) -> list[tuple[str | None, str, str]]:
    """Return (Lang, structure type, text) of every structure element that states a language."""
    pages = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
    texts = texts_by_mcid(reader)

    def text_of(node: Any, page: int | None) -> str:
        node = node.get_object()
        if isinstance(node, int):
            return texts.get((page, node), "") if page is not None else ""
        if isinstance(node, ArrayObject):
            return "".join(text_of(kid, page) for kid in node)
        if not isinstance(node, DictionaryObject):
            return ""
        if "/Pg" in node:
            page = pages[node.raw_get("/Pg").idnum]
        if "/MCID" in node:
            return texts.get((page, int(node["/MCID"])), "") if page is not None else ""
        return text_of(node["/K"], page) if "/K" in node else ""

    found = []
    pending = [reader.trailer["/Root"]["/StructTreeRoot"]]
    while pending:
        node = pending.pop().get_object()
        if isinstance(node, ArrayObject):
            pending.extend(node)
        elif isinstance(node, DictionaryObject):
            if "/Lang" in node and "/S" in node:
                found.append(
                    (str(node["/Lang"]), str(node["/S"]), " ".join(text_of(node, None).split()))
                )
            if "/K" in node:
                pending.append(node["/K"])
    return found


def test_pdf_tags_each_swedish_span_swedish_and_no_finnish_word(content: Content) -> None:
    tagged = _tagged(PdfReader(io.BytesIO(_render(content, "pdf"))))
    assert {lang for lang, _, _ in tagged} == {"sv"}
    swedish = {text for _, kind, text in tagged if kind == "/Span"}
    for line, span in EXPECTED.values():
        assert span in swedish, (span, sorted(swedish))
        assert line not in {text for _, _, text in tagged}  # the Finnish line is not Swedish
    # Whole items in Swedish (a purpose with no Finnish text) are tagged as wholes.
    wholes = {text for _, kind, text in tagged if kind in ("/P", "/LI", "/LBody")}
    assert {"Leverera beställda böcker.", *WHOLLY_SWEDISH.values()} <= wholes, sorted(wholes)


def test_html_of_the_pdf_variant_is_what_the_pdf_tags(content: Content, tmp_path: Path) -> None:
    # The PDF is made from the same HTML: each `lang` span there is one /Lang element here.
    soup = BeautifulSoup(_render(content, "html"), "html.parser")
    spans = [s for s in soup.find_all("span", lang=True) if isinstance(s, Tag)]
    assert {span["lang"] for span in spans} == {"sv"}
    tagged = _tagged(PdfReader(io.BytesIO(_render(content, "pdf"))))
    pdf_spans = sorted(text for _, kind, text in tagged if kind == "/Span")
    assert pdf_spans == sorted(" ".join(span.get_text().split()) for span in spans)
