"""What a newcomer read walking the demo, as a person gets it: e-mail, page and letter PDF.

- The decision e-mail said "download it through the link below" with the authority's address as
  the first link below; the status link came two paragraphs later. It now follows at once.
- An objection to direct marketing took effect on receipt (Art 21(3)): the receipt PDF said so,
  the receipt and status pages did not. They say it in the letter's words.
- The extension notice said "we tell you about the extension within the first month" inside
  that very notice; it now says that this notice is given within the month.
- The receipt PDF's signed content broke inside values ("Gr/eta", a reference cut in two). The
  PDF no longer prints the signed JSON (it is the attached file); names and the reference come
  back whole from its text.
- The English sent page said "and we start handling your request"; it says "we will start", as
  do the other English texts that promised what we do next.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from pypdf import PdfReader

from notice.loader import load_content
from portal.core import mail
from portal.core.letters import render_html
from tests import REPO_ROOT
from tests.portal.support.mailserver import SmtpServer
from tests.portal.support.requests import new_request
from tests.portal.support.web import confirm_from_mail, https_client, submit_request

LANGS = ["fi", "sv", "en"]
STATUS_URL = "https://portal.example/requests/{lang}/status/t"
AUTHORITY_URL = "https://tietosuoja.fi/yhteystiedot"

FILES_SENTENCE = {
    "fi": "Lataa se pyyntösi sivulta alla olevan linkin kautta",
    "sv": "Hämta den från sidan för din begäran via länken nedan",
    "en": "Download it through the link to your request below",
}


def _decision_mail(app: Flask, lang: str) -> tuple[str, str]:
    context: dict[str, Any] = {
        "reference": "R7KQ2M9XW4HT",
        "right": "access",
        "right_title": "Access",
        "register_name": "Asiakasrekisteri",
        "controller": "Esa Kemppainen",
        "decision": "granted",
        "reasons": None,
        "actions": None,
        "objections": [],
        "direct_marketing": False,
        "files": [{"name": "tiedot.csv", "sha256": "ab" * 32}],
        "authority_name": "Tietosuojavaltuutetun toimisto",
        "authority_url": AUTHORITY_URL,
        "status_url": STATUS_URL.format(lang=lang),
    }
    with app.app_context():
        _subject, text, html = mail.render_email("decision", lang, context)
    return text, html


@pytest.mark.parametrize("lang", LANGS)
def test_the_decision_e_mail_s_link_below_is_the_request_s(app: Flask, lang: str) -> None:
    text, html = _decision_mail(app, lang)
    status = STATUS_URL.format(lang=lang)
    after = text[text.index(FILES_SENTENCE[lang]) :]
    assert re.findall(r"https?://\S+", after)[0] == status
    soup = BeautifulSoup(html, "html.parser")
    said = next(p for p in soup.find_all("p") if FILES_SENTENCE[lang] in p.get_text())
    assert said.find_next("a")["href"] == status
    assert AUTHORITY_URL in after  # still there, after the request's own link


DIRECT_MARKETING = {
    "fi": "Suoramarkkinoinnin vastustamisesi tuli voimaan heti",
    "sv": "Din invändning mot direktmarknadsföring trädde i kraft omedelbart",
    "en": "Your objection to direct marketing took effect immediately",
}


def _pdf_words(pdf: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"(\w)- (\w)", r"\1-\2", " ".join(text.split()))


@pytest.mark.parametrize("lang", LANGS)
def test_the_receipt_and_status_pages_say_the_objection_took_effect(
    app: Flask, smtp_server: SmtpServer, lang: str
) -> None:
    person = https_client(app)
    submit_request(person, "objection", lang, direct_marketing="y")
    confirmed = confirm_from_mail(person, smtp_server)
    letter = _pdf_words(person.get(f"{confirmed.status_path}/receipt.pdf").data)
    for path in (confirmed.receipt_path, confirmed.status_path):
        page = BeautifulSoup(person.get(path).text, "html.parser")
        said = page.select_one('[data-field="direct_marketing"]')
        assert said is not None, path
        sentence = " ".join(said.get_text().split())
        assert sentence.startswith(DIRECT_MARKETING[lang]), sentence
        assert sentence in letter  # the same words as the receipt letter's


def test_an_access_request_s_pages_say_nothing_of_direct_marketing(
    app: Flask, smtp_server: SmtpServer
) -> None:
    person = https_client(app)
    submit_request(person, "access", "en")
    confirmed = confirm_from_mail(person, smtp_server)
    for path in (confirmed.receipt_path, confirmed.status_path):
        assert "direct marketing" not in person.get(path).text


EXTENSION = {
    "fi": "Annamme tämän ilmoituksen kuukauden kuluessa pyyntösi vastaanottamisesta, kuten 12 "
    "artiklan 3 kohta edellyttää.",
    "sv": "Vi ger dig detta meddelande inom en månad från det att vi tog emot din begäran, såsom "
    "artikel 12.3 kräver.",
    "en": "We give you this notice within one month of receiving your request, as Article 12(3) "
    "requires.",
}
EXTENSION_BEFORE = {
    "fi": "Ilmoitamme jatkamisesta",
    "sv": "Vi meddelar förlängningen",
    "en": "We tell you about the extension",
}


@pytest.mark.parametrize("lang", LANGS)
def test_the_extension_notice_says_it_is_itself_the_notice(lang: str) -> None:
    request = new_request(
        language=lang, extended_due_on=dt.date(2025, 4, 28), extension_reason="Many requests."
    )
    html = render_html(
        "extension",
        request,
        lang,
        content=load_content(REPO_ROOT / "content"),
        verify_url="v",
        now=dt.datetime(2025, 2, 3, 9, tzinfo=dt.UTC),
    )
    text = " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())
    assert EXTENSION[lang] in text
    assert EXTENSION_BEFORE[lang] not in text


NAMES = {"fi": "Aino Kaarina Virtanen", "sv": "Greta Svensson-Lindqvist", "en": "Greta Svensson"}


@pytest.mark.parametrize("lang", LANGS)
def test_the_receipt_pdf_keeps_the_name_and_the_reference_whole(
    app: Flask, smtp_server: SmtpServer, lang: str
) -> None:
    person = https_client(app)
    name = NAMES[lang]
    submit_request(person, "access", lang, name=name, signature_name=name)
    confirmed = confirm_from_mail(person, smtp_server)
    receipt = json.loads(person.get(f"{confirmed.status_path}/receipt.json").data)
    reference = receipt["reference"]
    pdf = PdfReader(io.BytesIO(person.get(f"{confirmed.status_path}/receipt.pdf").data))
    lines = [line.strip() for page in pdf.pages for line in page.extract_text().splitlines()]
    assert name in lines  # the addressee, whole on its line
    assert any(line.endswith(f": {reference}") for line in lines), lines[:12]
    # No line of signed JSON ('"name": "Greta …",') is printed any more.
    assert not [line for line in lines if line.startswith('"')]


SENT = {
    "fi": "avaa se ja vahvista osoitteesi, niin aloitamme pyyntösi käsittelyn.",
    "sv": "öppna den och bekräfta din adress, så börjar vi behandla din begäran.",
    "en": "open it and confirm your address, and we will start handling your request.",
}
CONFIRM_MAIL = {
    "fi": "Aloitamme pyyntösi käsittelyn, kun olet vahvistanut sen, ja vastaamme kuukauden "
    "kuluessa siitä.",
    "sv": "Vi börjar behandla din begäran när du har bekräftat den och svarar inom en månad från "
    "det.",
    "en": "We will start handling your request when you confirm it, and we will answer within "
    "one month of that.",
}


@pytest.mark.parametrize("lang", LANGS)
def test_what_happens_next_is_said_in_the_future(
    app: Flask, smtp_server: SmtpServer, lang: str
) -> None:
    person = https_client(app)
    sent = submit_request(person, "access", lang)
    page = person.get(sent.headers["Location"])
    assert SENT[lang] in " ".join(BeautifulSoup(page.text, "html.parser").get_text().split())
    smtp_server.wait_for(1)
    body = smtp_server.last_to("maija@example.fi").get_body(preferencelist=("plain",))
    assert CONFIRM_MAIL[lang] in " ".join(body.get_content().split())
