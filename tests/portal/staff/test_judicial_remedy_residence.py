"""The court a person may turn to (Art 79(2) GDPR): their home or the controller's, in every copy.

The decision letter, its PDF and both bodies of its e-mail say the same sentence in fi, sv, en.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from sqlalchemy import select

from portal import db
from portal.core import mail, notify
from portal.core.models import DataRequest, Letter
from tests import readback
from tests.portal.support.mailserver import SmtpServer
from tests.portal.support.staff import StaffActions
from tests.portal.support.web import confirm_from_mail, https_client, submit_request

SAID = {
    "fi": (
        "Tietosuoja-asetuksen 79 artiklan 2 kohdan mukaan voit nostaa kanteen sen maan "
        "tuomioistuimessa, jossa on pysyvä asuinpaikkasi (Suomessa kotikuntasi "
        "käräjäoikeudessa), tai sen maan tuomioistuimessa, jossa meillä on toimipaikka."
    ),
    "sv": (
        "Enligt artikel 79.2 i dataskyddsförordningen får du väcka talan i det land där du har "
        "din hemvist (i Finland vid tingsrätten i din hemkommun) eller där vi är etablerade."
    ),
    "en": (
        "Under Article 79(2) GDPR you may bring it before the courts of the country where you "
        "have your habitual residence (in Finland, the district court of your home "
        "municipality) or of the country where we are established."
    ),
}


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_decision_names_the_court_of_the_person_s_home(
    app: Flask, smtp_server: SmtpServer, staff: StaffActions, lang: str
) -> None:
    person = https_client(app)
    email = f"court.{lang}@example.fi"
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
        pdf = _flat(readback.pdf_text(letter.pdf))
        html_letter = _flat(readback.html_text(letter.html))
    message = smtp_server.last_to(email)
    plain = _flat(message.get_body(preferencelist=("plain",)).get_content())
    html = _flat(readback.html_text(message.get_body(preferencelist=("html",)).get_content()))
    for body in (pdf, html_letter, plain, html):
        assert SAID[lang] in body
