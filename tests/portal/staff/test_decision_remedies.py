"""The decision e-mail names the same remedies as the decision letter, in fi, sv and en.

The letter (HTML and PDF) names the supervisory authority, the district court (a claim against
the controller, Art 79) and the administrative court (an appeal against the authority, Art 78);
the e-mail that carries it once named only the administrative court.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import select

from portal import db
from portal.core import mail, notify
from portal.core.models import DataRequest, Letter
from tests import readback
from tests.portal.support.mailserver import SmtpServer
from tests.portal.support.staff import StaffActions
from tests.portal.support.web import confirm_from_mail, https_client, submit_request

COURTS = {
    "fi": ("käräjäoikeudessa", "hallinto-oikeuteen"),
    "sv": ("tingsrätten (käräjäoikeus)", "förvaltningsdomstolen (hallinto-oikeus)"),
    "en": ("district court (käräjäoikeus)", "administrative court (hallinto-oikeus)"),
}


AUTHORITY_PAGES = {  # content/site.yaml: the authority's contact page in each language
    "fi": "https://tietosuoja.fi/yhteystiedot",
    "sv": "https://tietosuoja.fi/sv/kontaktuppgifter",
    "en": "https://tietosuoja.fi/en/contact-information",
}


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_decision_e_mail_names_the_letter_s_remedies(
    app: Flask, smtp_server: SmtpServer, staff: StaffActions, lang: str
) -> None:
    person = https_client(app)
    email = f"remedies.{lang}@example.fi"
    assert submit_request(person, "erasure", lang, email=email).status_code in {302, 303}
    confirm_from_mail(person, smtp_server, email)
    with app.app_context():
        row = db.get_session().scalars(select(DataRequest)).one()
        reference, request_id = row.reference, row.id
    staff.login(staff.create("hanna"))
    refused = staff.post_action(reference, "decide", decision="refused", reasons="Kirjanpitolaki.")
    assert refused.status_code == 302
    notify.deliver_letters(db.session_factory(app))
    mail.send_pending(app)
    mail.wait_idle(app)

    with app.app_context():
        letter = (
            db.get_session()
            .scalars(
                select(Letter).where(Letter.request_id == request_id, Letter.kind == "decision")
            )
            .one()
        )
        letter_html, letter_pdf = letter.html, letter.pdf
    soup = BeautifulSoup(letter_html, "html.parser")
    court = _flat(soup.find(attrs={"data-section": "judicial-remedy"}).p.get_text())
    authority = _flat(soup.find(attrs={"data-field": "authority"}).strong.get_text())
    district, administrative = COURTS[lang]
    assert district in court and administrative in court  # what the letter says, in `lang`
    pdf = _flat(readback.pdf_text(letter_pdf))
    assert district in pdf and administrative in pdf
    others = [url for other, url in AUTHORITY_PAGES.items() if other != lang]
    for where in (letter_html, pdf):
        assert AUTHORITY_PAGES[lang] in where
        assert not any(url in where for url in others)

    message = smtp_server.last_to(email)
    assert reference in str(message["Subject"])
    plain = _flat(message.get_body(preferencelist=("plain",)).get_content())
    html = _flat(readback.html_text(message.get_body(preferencelist=("html",)).get_content()))
    for body in (plain, html):
        assert court in body  # the letter's own sentences: both courts, same words
        assert authority in body
        assert AUTHORITY_PAGES[lang] in body  # the authority's page in the person's language
        assert not any(url in body for url in others)
