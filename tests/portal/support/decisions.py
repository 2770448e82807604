"""A request sent, confirmed and decided by staff through the web, and every copy of its decision.

For tests that read what a person is told of a decision: the letter (HTML and PDF) and both bodies
of the e-mail that carries it, each as the person would read it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask import Flask
from sqlalchemy import select

from portal import db
from portal.core import mail, notify
from portal.core.models import DataRequest, Letter
from tests import readback
from tests.portal.support.mailserver import SmtpServer
from tests.portal.support.staff import StaffActions
from tests.portal.support.web import confirm_from_mail, https_client, submit_request


def flat(text: str) -> str:
    """`text` with every run of white space as one space (line breaks differ between copies)."""
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class DecisionCopies:
    """The decision as sent: the letter's HTML and PDF, the e-mail's text and HTML bodies."""

    letter_html: str
    letter_pdf: bytes
    mail_text: str
    mail_html: str
    reference: str
    subject: str

    @property
    def pdf_text(self) -> str:
        return flat(readback.pdf_text(self.letter_pdf))

    @property
    def letter_text(self) -> str:
        return flat(readback.html_text(self.letter_html))

    @property
    def mail_bodies(self) -> tuple[str, str]:
        """Both e-mail bodies as read: the text part and the HTML part's text, flattened."""
        return flat(self.mail_text), flat(readback.html_text(self.mail_html))


def decided(
    app: Flask,
    smtp_server: SmtpServer,
    staff: StaffActions,
    *,
    right: str,
    lang: str,
    email: str,
    form: dict[str, Any] | None = None,
    **decision: str,
) -> DecisionCopies:
    """Send a `right` request in `lang` (with `form`'s extra fields), confirm it, decide it as
    staff (`decision`: the decide action's fields) and return the decision's copies as sent."""
    person = https_client(app)
    sent = submit_request(person, right, lang, email=email, **(form or {}))
    assert sent.status_code in {302, 303}
    confirm_from_mail(person, smtp_server, email)
    with app.app_context():
        row = db.get_session().scalars(select(DataRequest).where(DataRequest.email == email)).one()
        reference, request_id = row.reference, row.id
    staff.login(staff.create("hanna"))
    assert staff.post_action(reference, "decide", **decision).status_code == 302
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
    message = smtp_server.last_to(email)
    return DecisionCopies(
        letter_html=letter_html,
        letter_pdf=letter_pdf,
        mail_text=message.get_body(preferencelist=("plain",)).get_content(),
        mail_html=message.get_body(preferencelist=("html",)).get_content(),
        reference=reference,
        subject=str(message["Subject"]),
    )
