"""A decision's e-mail tells its parts in the order of the letter it carries, in every language.

The letter (PDF) said the reasons, then what we did, then each objection's outcome; its e-mail
said the outcomes, then what we did, then the reasons. A person reading both met the same
decision in two orders. Both now say: the decision, each item's outcome (what was granted and what
refused, Art 12(4)), the reasons ("refused (see the reasons)" points to them), what we did.
Read as the person gets them: the PDF through pypdf, the e-mail from the real SMTP server.
"""

from __future__ import annotations

import pytest
from flask import Flask

from tests.portal.support.decisions import decided
from tests.portal.support.mailserver import SmtpServer
from tests.portal.support.staff import StaffActions

REASONS = "Profilointi on välttämätöntä luottoriskin arvioimiseksi."
DONE = "Poistimme osoitteesi markkinointilistalta 3.12."
DECISION = {
    "fi": "Pyyntösi on hyväksytty osittain.",
    "sv": "Din begäran har delvis beviljats.",
    "en": "Your request is partly granted.",
}
OUTCOMES = {
    "fi": ("Suoramarkkinointi: hyväksytty", "Profilointi: hylätty", "Tietojesi julkaiseminen"),
    "sv": ("Direktmarknadsföring: godtagen", "Profilering: avslagen", "Publicering"),
    "en": ("Direct marketing: accepted", "Profiling: refused", "Publishing"),
}


def positions(text: str, parts: list[str]) -> list[int]:
    found = [text.find(part) for part in parts]
    assert -1 not in found, (parts, text)
    return found


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_e_mail_and_letter_tell_the_decision_in_the_same_order(
    app: Flask, smtp_server: SmtpServer, staff: StaffActions, lang: str
) -> None:
    copies = decided(
        app,
        smtp_server,
        staff,
        right="objection",
        lang=lang,
        email=f"order.{lang}@example.fi",
        form={"profiling": "y", "publishing": "y", "grounds": "Muutin."},
        decision="partly_granted",
        reasons=REASONS,
        actions=DONE,
        objection_profiling="refused",
        objection_publishing="accepted",
    )
    marketing, profiling, publishing = OUTCOMES[lang]
    parts = [DECISION[lang], marketing, profiling, publishing, REASONS, DONE]
    for body in (copies.pdf_text, *copies.mail_bodies):
        found = positions(body, parts)
        assert found == sorted(found), (lang, body)
