"""A partly granted decision's e-mail says what was granted and what refused, as its letter does.

Art 12(4): a person told "partly granted" must learn what was not done and why. The letter lists
each objection with its outcome; the e-mail that carries it once said only "partly granted".
"""

from __future__ import annotations

import pytest
from flask import Flask

from tests.portal.support.decisions import decided
from tests.portal.support.mailserver import SmtpServer
from tests.portal.support.staff import StaffActions

OUTCOMES = {
    "fi": ("Suoramarkkinointi: hyväksytty", "Profilointi: hylätty"),
    "sv": ("Direktmarknadsföring: godtagen", "Profilering: avslagen (se motiveringen)"),
    "en": ("Direct marketing: accepted", "Profiling: refused"),
}
DONE = "Poistimme osoitteesi markkinointilistalta 3.12."


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_partial_decision_e_mail_says_what_was_granted_and_refused(
    app: Flask, smtp_server: SmtpServer, staff: StaffActions, lang: str
) -> None:
    copies = decided(
        app,
        smtp_server,
        staff,
        right="objection",
        lang=lang,
        email=f"partly.{lang}@example.fi",
        form={"profiling": "y", "grounds": "Muutin."},
        decision="partly_granted",
        reasons="Profilointi on välttämätöntä luottoriskin arvioimiseksi.",
        actions=DONE,
        objection_profiling="refused",
    )
    granted, refused = OUTCOMES[lang]
    for body in (copies.pdf_text, *copies.mail_bodies):
        assert granted in body and refused in body  # the letter's words, in the e-mail too
        assert DONE in body
