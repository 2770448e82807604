"""The start page's right summaries tell the person what to ask for in good Finnish and Swedish,
and Swedish calls the lists an objection may keep a person out of by one name throughout.

Finnish said "ja saa niistä jäljennös" and "Saa meille antamasi tiedot …": the imperative of
"saada" reads as "may" and asks nothing; the person asks ("pyydä"). Swedish said "Få de
uppgifter …" and wrote "listor" on the start page and the form but "förteckningar" on the
receipt, the decision and in the register's own category; now "förteckningar" everywhere.
"""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from tests import readback
from tests.portal.support.mailserver import SmtpServer
from tests.portal.support.web import confirm_from_mail, https_client, submit_request


def _text(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return readback.html_text(response.text)


def test_finnish_summaries_ask(client: FlaskClient) -> None:
    text = _text(client, "/requests/fi/")
    assert "Kysy, käsittelemmekö tietojasi, ja pyydä niistä jäljennös" in text
    assert "Pyydä meille antamasi tiedot koneluettavassa muodossa" in text
    assert not re.search(r"(?:^|\bja )saa\b", text, re.MULTILINE | re.IGNORECASE), text


def test_swedish_summaries_ask(client: FlaskClient) -> None:
    text = _text(client, "/requests/sv/")
    assert "och be om en kopia av dem" in text
    assert "Be att få de uppgifter du har gett oss" in text
    assert not re.search(r"^Få ", text, re.MULTILINE), text


def test_swedish_names_the_lists_alike_on_the_form_and_the_receipt(
    app: Flask, smtp_server: SmtpServer
) -> None:
    person = https_client(app)
    start = _text(person, "/requests/sv/")
    form = _text(person, "/requests/sv/new/objection")
    email = "asa@example.fi"
    fields = {"direct_marketing": None, "publishing": "y", "email": email, "language": "sv"}
    assert submit_request(person, "objection", "sv", **fields).status_code == 303
    confirmed = confirm_from_mail(person, smtp_server, email)
    receipt = _text(person, confirmed.receipt_path)
    for name, text in (("start page", start), ("form", form), ("receipt", receipt)):
        assert "förteckningar" in text, name
        assert not re.search(r"\blistor\b", text), name
    assert "Publicera inte mina uppgifter i förteckningar eller kataloger." in form
    assert "Publicering av dina uppgifter i förteckningar eller kataloger" in receipt
