"""The receipt of an objection says in words what was objected to, and the person's grounds.

A newcomer's English receipt of a profiling + publishing objection listed nothing it objected to,
and the Finnish one showed only "Suoramarkkinointi" (its Art 21(3) section) and left out the other
processing and its grounds. The receipt page and the receipt PDF (read back with pypdf) list every
ticked item and the grounds; the PDF's facts read "Request: Right to object …", not the term and
its value run together.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from pypdf import PdfReader

from tests.portal.support.mailserver import SmtpServer
from tests.portal.support.web import confirm_from_mail, https_client, submit_request

GROUNDS = "Olen vainoamisen uhri, eikä osoitettani saa näkyä missään."

CASES: dict[str, dict[str, Any]] = {
    "en": {
        "ticked": {"direct_marketing": None, "profiling": "y", "publishing": "y"},
        "items": ["Profiling", "Publishing your details in lists or directories"],
        "label": "You object to",
        "grounds": None,
        "request": "Request: Right to object (Article 21 GDPR)",
    },
    "fi": {
        "ticked": {"direct_marketing": "y", "other": "y", "grounds": GROUNDS},
        "items": [
            "Suoramarkkinointi",
            "Muu käsittely erityiseen tilanteeseesi liittyvällä perusteella",
        ],
        "label": "Vastustamasi käsittely",
        "grounds": "Perusteesi",
        "request": "Pyyntö: Vastustamisoikeus (tietosuoja-asetuksen 21 artikla)",
    },
    "sv": {
        "ticked": {"direct_marketing": None, "profiling": "y", "other": "y", "grounds": GROUNDS},
        "items": ["Profilering", "Annan behandling, av skäl som gäller din situation"],
        "label": "Det du invänder mot",
        "grounds": "Dina skäl",
        "request": "Begäran: Rätt att göra invändningar (artikel 21 i dataskyddsförordningen)",
    },
}


def _pdf_text(pdf: bytes) -> str:
    """Return the PDF's text in one line, a word hyphenated at a line's end ("tietosuoja-")
    joined again."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"(\w)- (\w)", r"\1-\2", " ".join(text.split()))


@pytest.mark.parametrize("lang", list(CASES))
def test_the_objection_receipt_lists_every_item_and_the_grounds(
    app: Flask, smtp_server: SmtpServer, lang: str
) -> None:
    case = CASES[lang]
    person = https_client(app)
    sent = submit_request(person, "objection", lang, **case["ticked"])
    assert sent.status_code in (302, 303), sent.status_code
    confirmed = confirm_from_mail(person, smtp_server)

    page = person.get(confirmed.receipt_path)
    facts = BeautifulSoup(page.text, "html.parser").find("dl", class_="facts")
    values = {dt.get_text(strip=True): dt.find_next_sibling("dd") for dt in facts.find_all("dt")}
    listed = [li.get_text(" ", strip=True) for li in values[case["label"]].find_all("li")]
    assert listed == case["items"]
    if case["grounds"]:
        assert values[case["grounds"]].get_text(" ", strip=True) == GROUNDS

    pdf = person.get(f"{confirmed.status_path}/receipt.pdf")
    assert pdf.status_code == 200
    text = _pdf_text(pdf.data)
    assert case["request"] in text
    facts_part = text[: text.index(case["request"]) + 400]
    assert f"{case['label']}:" in facts_part
    for item in case["items"]:
        assert item in text, (item, text)
    if case["grounds"]:  # said in words among the facts, not only inside the signed content
        assert f"{case['grounds']}: {GROUNDS}" in text


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("fi", "Pyyntö: Tarkastusoikeus (tietosuoja-asetuksen 15 artikla)"),
        ("sv", "Begäran: Rätt till tillgång (artikel 15 i dataskyddsförordningen)"),
        ("en", "Request: Right of access (Article 15 GDPR)"),
    ],
)
def test_the_receipt_pdf_separates_each_term_from_its_value(
    app: Flask, smtp_server: SmtpServer, lang: str, said: str
) -> None:
    person = https_client(app)
    submit_request(person, "access", lang)
    confirmed = confirm_from_mail(person, smtp_server)
    text = _pdf_text(person.get(f"{confirmed.status_path}/receipt.pdf").data)
    assert said in text
    assert re.search(r"\b(Rekisteri|Register): ", text)
