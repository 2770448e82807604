"""A letter's terms and dates as the person reads them in the PDF (pypdf), in fi, sv and en.

Two things a reader of the receipt PDF saw: the letterhead read "Date 7.12.2026" / "Reference
ABCD-…" while the facts below read "Term: Value"; and in Swedish the facts read "Mottagen: den
7 december 2026 kl. …" beside "Vi svarar senast: 28 februari 2027". Swedish writes "den" before a
date inside a sentence ("… och vi svarar senast den 28 februari 2025"), not after a term, so a
term's value takes none and a sentence's date takes it; Finnish and English write both alike.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from notice.loader import Content, load_content
from portal.core import letters
from tests import REPO_ROOT, readback
from tests.golden_letters import INFO, POSTAL, VERIFY_URL, _sealed
from tests.portal.support.requests import new_request

NOW = dt.datetime(2025, 2, 20, 9, 0, tzinfo=dt.UTC)
HEADER = {
    "fi": ("Päivämäärä: 20. helmikuuta 2025", "Viite: R7KQ2M9XW4HT"),
    "sv": ("Datum: 20 februari 2025", "Referens: R7KQ2M9XW4HT"),
    "en": ("Date: 20 February 2025", "Reference: R7KQ2M9XW4HT"),
}
FACTS = {
    "fi": (
        "Vastaanotettu: 31. tammikuuta 2025 klo 10.30 Suomen aikaa",
        "Vastaamme viimeistään: 28. helmikuuta 2025",
    ),
    "sv": ("Mottagen: 31 januari 2025 kl. 10.30 finsk tid", "Vi svarar senast: 28 februari 2025"),
    "en": ("Received: 31 January 2025 at 10:30 Finnish time", "We answer by: 28 February 2025"),
}
POSTAL_FACT = {
    "fi": "Vastaanotettu: 31. tammikuuta 2025 postitse",
    "sv": "Mottagen: 31 januari 2025 per post",
    "en": "Received: 31 January 2025 by post",
}
IN_SENTENCES = {
    "fi": (
        "Vastaanotimme sen 31. tammikuuta 2025 klo 10.30 Suomen aikaa.",
        "Vastauksemme määräaika, 28. helmikuuta 2025, on keskeytetty",
    ),
    "sv": (
        "Vi tog emot begäran den 31 januari 2025 kl. 10.30 finsk tid.",
        "Tidsfristen för vårt svar, den 28 februari 2025, är vilande",
    ),
    "en": (
        "We received it on 31 January 2025 at 10:30 Finnish time.",
        "The time limit of our answer, 28 February 2025, is paused",
    ),
}


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(REPO_ROOT / "content")


def pdf_text(kind: str, request: Any, lang: str, content: Content, **context: Any) -> str:
    rendered = letters.render_letter(
        kind,
        request,
        lang,
        content=content,
        verify_url=VERIFY_URL.format(lang=lang),
        now=NOW,
        **context,
    )
    return " ".join(readback.pdf_text(rendered.pdf).split())


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_letterhead_reads_term_colon_value_as_the_facts_do(content: Content, lang: str) -> None:
    text = pdf_text("receipt", _sealed(language=lang), lang, content)
    date, reference = HEADER[lang]
    assert f"{date} {reference}" in text, text
    received, due = FACTS[lang]
    assert received in text and due in text, text


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_term_s_date_takes_no_article_and_a_sentence_s_date_does(
    content: Content, lang: str
) -> None:
    receipt = pdf_text("receipt", _sealed(language=lang), lang, content)
    postal = pdf_text("receipt", _sealed(language=lang, **POSTAL), lang, content)
    info = pdf_text("info_request", new_request(language=lang), lang, content, **INFO)
    assert POSTAL_FACT[lang] in postal, postal
    for said in IN_SENTENCES[lang]:
        assert said in info, info
    if lang == "sv":  # "den" only inside a sentence, and never twice
        assert not re.search(r": den \d", receipt + postal), receipt
        assert "den den" not in receipt + postal + info
