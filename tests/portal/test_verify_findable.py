"""The verify page can be found: the start page and the web receipt link it, and the address
without a language leads to the visitor's."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from flask import Flask

from tests.portal.support.web import confirm_from_mail, https_client, submit_request

LINK = {
    "fi": "Tarkista allekirjoitettu kuittaus tarkistussivulla",
    "sv": "Kontrollera ett signerat kvitto på kontrollsidan",
    "en": "Check a signed receipt on the verify page",
}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_start_page_links_the_verify_page(client, lang: str) -> None:
    page = BeautifulSoup(client.get(f"/requests/{lang}/").text, "html.parser")
    link = page.find("main").find("a", string=LINK[lang])
    assert link is not None and link["href"] == f"/requests/{lang}/verify"


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_receipt_page_links_the_verify_page(app: Flask, smtp_server, lang: str) -> None:
    person = https_client(app)
    submit_request(person, "access", lang=lang, email="maija@example.fi")
    confirmed = confirm_from_mail(person, smtp_server, "maija@example.fi")
    page = BeautifulSoup(person.get(confirmed.receipt_path).text, "html.parser")
    link = page.find("main").find("a", string=LINK[lang])
    assert link is not None and link["href"] == f"/requests/{lang}/verify"
    assert person.get(link["href"]).status_code == 200


@pytest.mark.parametrize(
    ("accept", "lang"), [("sv-FI,sv;q=0.9", "sv"), ("en-GB", "en"), ("fi", "fi"), ("de", "fi")]
)
def test_the_verify_address_without_a_language_leads_to_the_visitors(
    client, accept: str, lang: str
) -> None:
    response = client.get("/requests/verify", headers={"Accept-Language": accept})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/requests/{lang}/verify"
