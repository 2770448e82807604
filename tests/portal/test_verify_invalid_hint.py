"""A receipt that fails the check: the page says what that means and what to do next.

A person told only "the signature is not valid" is left guessing whether they did something wrong
and where to get a receipt that checks. The verdict goes on with what it means (changed after we
signed it, or not ours), which copy to check, where a fresh copy comes from, and whom to write to,
in the page's language; an authentic receipt and a file that is no receipt get none of it.
"""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from tests.portal.test_seal import flip
from tests.portal.test_verify import post, sealed_receipt

HINT = {
    "fi": (
        "Kuittausta on siis muutettu sen jälkeen, kun allekirjoitimme sen, tai se ei ole meidän "
        "allekirjoittamamme. Älä luota sen sisältöön.",
        "Tarkista kuittaus juuri sellaisena kuin sait sen meiltä: sähköpostimme liitteenä ollut "
        "PDF, pyyntösi sivulta ladattu JSON-tiedosto (sivun linkki on samassa sähköpostissa) tai "
        "evästesuostumuksen osalta evästeasetuksista ladattu tiedosto. Voit ladata niiltä "
        "sivuilta uuden kappaleen milloin tahansa. Jos sekään kappale ei läpäise tarkistusta, ota "
        "meihin yhteyttä osoitteeseen esa.kemppainen@proleader.fi ja kerro pyyntösi viite tai "
        "evästesuostumuksesi tunniste.",
    ),
    "sv": (
        "Det betyder att kvittot har ändrats efter att vi signerade det, eller att det inte är vi "
        "som har signerat det. Lita inte på det som står i det.",
        "Kontrollera kvittot precis som du fick det av oss: PDF-filen som bifogades vårt "
        "e-postmeddelande, JSON-filen från sidan för din begäran (länken finns i samma "
        "e-postmeddelande) eller, för ditt samtycke till kakor, filen från kakinställningarna. "
        "Du kan när som helst ladda ner en ny kopia från de sidorna. Om inte heller den kopian "
        "klarar kontrollen, kontakta oss på esa.kemppainen@proleader.fi och uppge referensen för "
        "din begäran eller identifieraren för ditt samtycke till kakor.",
    ),
    "en": (
        "This means that the receipt was changed after we signed it, or that we did not sign "
        "it. Do not rely on what it says.",
        "Check the receipt exactly as you got it from us: the PDF attached to our e-mail, the "
        "JSON file from the page of your request (its link is in the same e-mail) or, for your "
        "cookie consent, the file from the cookie settings. You can download a fresh copy from "
        "those pages at any time. If that copy fails the check too, contact us at "
        "esa.kemppainen@proleader.fi and give the reference of your request or the id of your "
        "cookie consent.",
    ),
}


def verdict_paragraphs(text: str) -> list[str]:
    """Return every paragraph of the verdict, as a person reads them."""
    soup = BeautifulSoup(text, "html.parser")
    section = soup.select_one("[data-outcome]")
    assert section is not None, text
    return [" ".join(p.get_text().split()) for p in section.find_all("p")]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_changed_receipt_says_what_it_means_and_what_to_do(
    client: FlaskClient, app: Flask, lang: str
) -> None:
    document = sealed_receipt(app)
    document["signature"] = flip(document["signature"], 10)
    response = post(client, lang, receipt_text=json.dumps(document))
    assert response.status_code == 200
    paragraphs = verdict_paragraphs(response.text)
    assert paragraphs[1:] == list(HINT[lang])
    soup = BeautifulSoup(response.text, "html.parser")
    mail = soup.select_one('[data-hint="next"] a')
    assert mail is not None and mail["href"] == "mailto:esa.kemppainen@proleader.fi"


def test_an_authentic_receipt_and_a_non_receipt_get_no_such_hint(
    client: FlaskClient, app: Flask
) -> None:
    authentic = post(client, "en", receipt_text=json.dumps(sealed_receipt(app)))
    not_receipt = post(client, "en", receipt_text="not json at all")
    for response in (authentic, not_receipt):
        assert not any(HINT["en"][0] in p for p in verdict_paragraphs(response.text))
