"""Where a letter's PDF breaks into pages, read back with pypdf as the person's reader would.

Every letter kind of the golden letters (`tests.golden_letters`), in fi, sv and en: its exact
number of pages (a short letter fits on one A4 page, closing included), no page whose letter text
is only the closing ("This letter was sent by…"), and the receipt's numbered list of how to
verify it on one page, whole, with its heading, also when a long request pushes it down the page.
"""

from __future__ import annotations

import io
import re
from functools import cache

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from notice.loader import Content, load_content
from portal.core import letters, seal
from portal.core.letters import RenderedLetter
from portal.core.models import DataRequest
from tests import REPO_ROOT
from tests.golden_letters import CASES, LANGUAGES, NOW, VERIFY_URL, signing_key
from tests.portal.support.requests import new_request

PAGES = {case.name: 1 for case in CASES} | {"decision-access": 3}
"""Pages of each golden letter, the same in every language: the access decision, with the
Art 15 information of the whole register, is longer than one page. A receipt is one page: it says
what was received in words, and its signed JSON is the PDF's attached file, not printed."""

_PAGE_NUMBER = re.compile(r"^\d+ / \d+$")
"""The line pypdf reads that is not the letter's text: the page number."""
_ITEM_MARKER = re.compile(r"^(•|\d+\.) ")
"""A list item's marker, which starts its first line (the HTML's text has none)."""


@cache
def _content() -> Content:
    return load_content(REPO_ROOT / "content")


def _render(kind: str, request: DataRequest, lang: str, **context: object) -> RenderedLetter:
    return letters.render_letter(
        kind,
        request,
        lang,
        content=_content(),
        verify_url=VERIFY_URL.format(lang=lang),
        now=NOW,
        **context,
    )


@cache
def _golden(name: str, lang: str) -> RenderedLetter:
    [case] = [case for case in CASES if case.name == name]
    request, context = case.make(lang, _content())
    return _render(case.kind, request, lang, **context)


def page_texts(pdf: bytes) -> list[str]:
    """Return each page's letter text, item markers and page number left out, no whitespace.

    Whitespace is dropped, not normalised: pypdf breaks a long address after its hyphen
    ("receipt-" / "key.pem"), which the HTML does not.
    """
    pages = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        lines = [line.strip() for line in page.extract_text().splitlines()]
        kept = [_ITEM_MARKER.sub("", x) for x in lines if x and not _PAGE_NUMBER.match(x)]
        pages.append("".join("".join(x.split()) for x in kept))
    return pages


def squeezed(text: str) -> str:
    return "".join(text.split())


def html_texts(html: str, selector: str) -> list[str]:
    return [squeezed(tag.get_text()) for tag in BeautifulSoup(html, "html.parser").select(selector)]


def test_page_texts_leave_out_markers_and_page_numbers() -> None:
    pages = page_texts(_golden("decision-access", "en").pdf)
    assert len(pages) == 3
    assert pages[0].startswith("EsaKemppainen")
    assert pages[-1].endswith("PleasequotethereferenceR7KQ2M9XW4HT.")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", [case.name for case in CASES])
def test_letter_has_its_pages_and_no_page_holds_only_the_closing(name: str, lang: str) -> None:
    letter = _golden(name, lang)
    pages = page_texts(letter.pdf)
    [closing] = html_texts(letter.html, "footer.letter-footer")
    assert len(pages) == PAGES[name]
    # The closing ends the letter, on its last page, after some of the letter's own text.
    assert pages[-1].endswith(closing)
    assert len(pages[-1]) > len(closing)
    assert all(closing not in page for page in pages[:-1])


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", ["receipt", "receipt-by-post"])
def test_receipt_verify_list_is_whole_on_one_page(name: str, lang: str) -> None:
    letter = _golden(name, lang)
    [heading] = html_texts(letter.html, ".how-to-verify h2")
    [page] = [page for page in page_texts(letter.pdf) if heading in page]
    items = html_texts(letter.html, ".how-to-verify li")
    assert len(items) == 3
    assert page.index(heading) < page.index(items[0]) < page.index(items[1]) < page.index(items[2])


def _long_receipt(lang: str, sentences: int) -> RenderedLetter:
    message = " ".join(["Kaikki minua koskevat tiedot, myös lokit ja varmuuskopiot."] * sentences)
    request = new_request(language=lang, details={"message": message})
    seal.seal_request(request, signing_key())
    return _render("receipt", request, lang)


@pytest.mark.parametrize(
    ("lang", "sentences"), [("fi", 4), ("fi", 12), ("sv", 5), ("sv", 12), ("en", 7), ("en", 14)]
)
def test_a_long_receipt_moves_the_verify_section_whole_to_the_next_page(
    lang: str, sentences: int
) -> None:
    # The person's message is one of the facts, so the letter grows with it; from these lengths
    # on (the first ones just past where it fits) the section on how to verify no longer fits
    # under it: heading, the three steps, the fingerprint and the note go over together, with
    # the closing.
    letter = _long_receipt(lang, sentences)
    pages = page_texts(letter.pdf)
    [heading] = html_texts(letter.html, ".how-to-verify h2")
    items = html_texts(letter.html, ".how-to-verify li")
    [fingerprint] = html_texts(letter.html, '.how-to-verify [data-field="fingerprint"]')
    [note] = html_texts(letter.html, ".how-to-verify > p")
    [closing] = html_texts(letter.html, "footer.letter-footer")
    assert len(pages) == 2
    assert heading not in pages[0]
    assert all(part not in pages[0] for part in [*items, fingerprint, note])
    # The page reads the fingerprint's term with its colon (CSS), which the HTML has not.
    assert pages[1] == heading + "".join(items) + squeezed(
        html_texts(letter.html, ".how-to-verify dt")[0] + ":" + fingerprint + note + closing
    )


def _pushed_down_access_decision(lang: str, sentences: int) -> RenderedLetter:
    [case] = [case for case in CASES if case.name == "decision-access"]
    request, context = case.make(lang, _content())
    request.decision_reasons = "Olemme koonneet tiedot kaikista järjestelmistämme. " * sentences
    return _render(case.kind, request, lang, **context)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_access_decision_keeps_each_heading_with_its_list(lang: str) -> None:
    # Reasons of growing length move the Art 15 information down the pages, so that its page
    # breaks fall at every heading and list in turn. A heading keeps its first two items; a short
    # list (at most six items) is whole on one page with its heading; a long one that runs on
    # keeps its last two items together: no item stands alone at a page's foot or top.
    split_long = 0
    for sentences in range(0, 40, 3):
        letter = _pushed_down_access_decision(lang, sentences)
        pages = page_texts(letter.pdf)
        soup = BeautifulSoup(letter.html, "html.parser")
        for heading in soup.select('[data-section="art15"] h3'):
            items = [squeezed(li.get_text()) for li in heading.find_next_sibling("ul")("li")]
            title = squeezed(heading.get_text())
            kept = title + "".join(items if len(items) <= 6 else items[:2])
            assert any(kept in page for page in pages), (sentences, heading.get_text())
            assert any("".join(items[-2:]) in page for page in pages), (sentences, items[-2:])
            if len(items) > 6 and not any(title + "".join(items) in page for page in pages):
                split_long += 1
    assert split_long > 0  # the long lists did run on across a page break: the case was met
