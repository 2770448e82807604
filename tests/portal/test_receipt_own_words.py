"""The receipt shows the person's own words among its facts.

A newcomer's receipt said it shows what they sent, yet their message ("Haluan kaikki tietoni.")
was only inside the signed JSON. The receipt page and the PDF (read back with pypdf) give the
message as a labelled fact; the PDF's text is the letter only, the signed JSON being its attached
file (`test_receipt_readable`), so the message is there once, in the person's words.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from pypdf import PdfReader

from notice.loader import load_content
from portal.core import letters, seal
from tests import REPO_ROOT
from tests.golden_letters import NOW, VERIFY_URL, signing_key
from tests.portal.support.mailserver import SmtpServer
from tests.portal.support.requests import new_request
from tests.portal.support.web import confirm_from_mail, https_client, submit_request

WORDS = "Haluan kaikki tietoni."
LABEL = {"fi": "Viestisi", "sv": "Ditt meddelande", "en": "Your message"}
ENTERED = {
    "fi": "Pyyntösi sellaisena kuin se saapui",
    "sv": "Din begäran som den kom in",
    "en": "Your request as received",
}


def _pdf_lines(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    return [" ".join(x.split()) for p in reader.pages for x in p.extract_text().splitlines()]


def _facts(html: str) -> dict[str, str]:
    facts = BeautifulSoup(html, "html.parser").find("dl", class_="facts")
    return {
        dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
        for dt in facts.find_all("dt")
    }


@pytest.mark.parametrize("lang", list(LABEL))
def test_the_receipt_page_and_pdf_show_the_message_as_a_fact(
    app: Flask, smtp_server: SmtpServer, lang: str
) -> None:
    person = https_client(app)
    submit_request(person, "access", lang, message=WORDS)
    confirmed = confirm_from_mail(person, smtp_server)
    assert _facts(person.get(confirmed.receipt_path).text)[LABEL[lang]] == WORDS

    pdf = person.get(f"{confirmed.status_path}/receipt.pdf")
    assert pdf.status_code == 200
    lines = _pdf_lines(pdf.data)
    # Among the facts, and only there: the signed JSON is the PDF's attachment, not its text.
    assert f"{LABEL[lang]}: {WORDS}" in lines
    assert " ".join(lines).count(WORDS) == 1


def _receipt(lang: str, **changes: Any) -> tuple[str, letters.RenderedLetter]:
    request = new_request(language=lang, **changes)
    seal.seal_request(request, signing_key())
    assert request.sealed_payload is not None
    return request.sealed_payload, letters.render_letter(
        "receipt",
        request,
        lang,
        content=load_content(REPO_ROOT / "content"),
        verify_url=VERIFY_URL.format(lang=lang),
        now=NOW,
    )


@pytest.mark.parametrize("lang", list(ENTERED))
def test_a_request_entered_by_staff_shows_it_as_received(lang: str) -> None:
    _payload, letter = _receipt(
        lang, channel="post", details={"message": "Pyydän kopion tiedoistani."}
    )
    assert f"{ENTERED[lang]}: Pyydän kopion tiedoistani." in _pdf_lines(letter.pdf)
    assert _facts(letter.html)[ENTERED[lang]] == "Pyydän kopion tiedoistani."


RECTIFICATION = {
    "fi": ("Virheellinen tai puutteellinen tieto", "Oikea tieto"),
    "sv": ("Felaktig eller ofullständig uppgift", "Den riktiga uppgiften"),
    "en": ("Information that is wrong or incomplete", "The correct information"),
}
WRONG = "Osoite on vanha."
CORRECT = "Uusi katu 1, 00100 Helsinki"


@pytest.mark.parametrize("lang", list(RECTIFICATION))
def test_a_rectification_receipt_shows_what_is_wrong_and_what_is_right(
    app: Flask, smtp_server: SmtpServer, lang: str
) -> None:
    person = https_client(app)
    submit_request(person, "rectification", lang, wrong=WRONG, correct=CORRECT)
    confirmed = confirm_from_mail(person, smtp_server)
    wrong, correct = RECTIFICATION[lang]
    facts = _facts(person.get(confirmed.receipt_path).text)
    assert (facts[wrong], facts[correct]) == (WRONG, CORRECT)
    lines = _pdf_lines(person.get(f"{confirmed.status_path}/receipt.pdf").data)
    assert f"{wrong}: {WRONG}" in lines
    assert f"{correct}: {CORRECT}" in lines


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_facts_end_apart_from_the_paragraph_below(lang: str) -> None:
    # "We answer by" once read as the first line of the paragraph under it: no space between.
    _sealed, letter = _receipt(lang, channel="web", details={"message": WORDS})
    found: list[tuple[str, float]] = []

    def visit(text: str, cm: Any, tm: Any, _font: Any, _size: Any) -> None:
        if text.strip():
            found.append((text.strip(), round(cm[5] + tm[5] * cm[3], 1)))

    PdfReader(io.BytesIO(letter.pdf)).pages[0].extract_text(visitor_text=visit)
    due = letters.format_long_date(dt.date(2025, 2, 28), lang)
    [due_y] = [y for text, y in found if text == due]
    below = sorted({y for _text, y in found if y < due_y}, reverse=True)
    line = below[0] - below[1]  # the paragraph's own line spacing
    assert due_y - below[0] > line + 3, (due_y, below[:2])
