"""A partly granted decision's e-mail says what was granted and what refused, as its letter does.

Art 12(4): a person told "partly granted" must learn what was not done and why. The letter lists
each objection with its outcome; the e-mail that carries it once said only "partly granted".
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

OUTCOMES = {
    "fi": ("Suoramarkkinointi: hyväksytty", "Profilointi: hylätty"),
    "sv": ("Direktmarknadsföring: godtagen", "Profilering: avslagen (se motiveringen)"),
    "en": ("Direct marketing: accepted", "Profiling: refused"),
}
DONE = "Poistimme osoitteesi markkinointilistalta 3.12."


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_partial_decision_e_mail_says_what_was_granted_and_refused(
    app: Flask, smtp_server: SmtpServer, staff: StaffActions, lang: str
) -> None:
    person = https_client(app)
    email = f"partly.{lang}@example.fi"
    sent = submit_request(person, "objection", lang, email=email, profiling="y", grounds="Muutin.")
    assert sent.status_code in {302, 303}
    confirm_from_mail(person, smtp_server, email)
    with app.app_context():
        row = db.get_session().scalars(select(DataRequest)).one()
        reference, request_id = row.reference, row.id
    staff.login(staff.create("hanna"))
    decided = staff.post_action(
        reference,
        "decide",
        decision="partly_granted",
        reasons="Profilointi on välttämätöntä luottoriskin arvioimiseksi.",
        actions=DONE,
        objection_profiling="refused",
    )
    assert decided.status_code == 302
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
    message = smtp_server.last_to(email)
    plain = _flat(message.get_body(preferencelist=("plain",)).get_content())
    html = _flat(readback.html_text(message.get_body(preferencelist=("html",)).get_content()))
    granted, refused = OUTCOMES[lang]
    for body in (pdf, plain, html):
        assert granted in body and refused in body  # the letter's words, in the e-mail too
        assert DONE in body
