"""Art 19 end to end: staff record each recipient's outcome, closing sends the person a notice.

Only recipients that were informed, or could not be, appear in the notice, named in the person's
language; a recipient that never received this person's data is recorded as such (truthfully)
and lets the request close without appearing.
"""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy.orm import Session

from portal.core import workflow
from portal.core.models import Decision, RequestStatus, StaffUser
from tests.portal.support.requests import add_staff
from tests.portal.test_workflow import (
    LATER,
    RECIPIENTS_FI,
    letter,
    opened,
    outbox,
    raises,
    text_of,
)


@pytest.fixture
def handler(session: Session) -> StaffUser:
    return add_staff(session, "hanna")


INFORMED = {
    "en": "Accounting firm (our outsourcing partner for bookkeeping and invoicing)",
    "sv": "Bokföringsbyrå (vår partner för utlagd bokföring och fakturering)",
    "fi": "Tilitoimisto (kirjanpidon ja laskutuksen ulkoistuskumppani)",
}
IMPOSSIBLE = {
    "en": "Debt collection agency: The agency has been wound up.",
    "sv": "Inkassobyrå: The agency has been wound up.",
    "fi": "Perintätoimisto: The agency has been wound up.",
}


@pytest.mark.parametrize("lang", ["en", "sv", "fi"])
def test_closing_sends_a_notice_naming_informed_and_impossible_recipients(
    session: Session, handler: StaffUser, lang: str
) -> None:
    request = opened(session, right="rectification", language=lang)
    workflow.decide(session, request, actor=handler, decision=Decision.granted, reasons=None)
    # Staff may pick a recipient by its name in any language.
    workflow.notify_recipient(
        session, request, actor=handler, recipient=INFORMED["sv"], outcome="done", reason=None
    )
    workflow.notify_recipient(
        session,
        request,
        actor=handler,
        recipient="Perintätoimisto",
        outcome="impossible",
        reason="The agency has been wound up.",
    )
    raises("recipients_pending", workflow.close, session, request, actor=handler)
    for name in RECIPIENTS_FI:
        if name not in (RECIPIENTS_FI[0], "Perintätoimisto"):
            workflow.notify_recipient(
                session, request, actor=handler, recipient=name, outcome="not_received", reason=None
            )
    assert workflow.pending_recipients(request) == []
    workflow.close(session, request, actor=handler, now=LATER)
    assert request.status == RequestStatus.closed
    soup = letter(session, request, "art19")
    assert [li.get_text(strip=True) for li in soup.select('[data-field="informed"] li')] == [
        INFORMED[lang]
    ]
    assert [li.get_text(strip=True) for li in soup.select('[data-field="impossible"] li')] == [
        IMPOSSIBLE[lang]
    ]
    text = soup.get_text(" ")
    for never in ("Google", "Luottotieto", "Kreditupplysning", "Credit reference"):
        assert never not in text  # "did not receive" stays out of the letter
    mail = outbox(session)[-1]
    subject = {
        "en": "The recipients of your data have been informed",
        "sv": "Mottagarna av dina uppgifter har underrättats",
        "fi": "Tietojesi vastaanottajille on ilmoitettu",
    }[lang]
    assert str(mail["Subject"]).strip().startswith(subject)
    assert "Art 19" not in text_of(mail)


def test_a_refused_rectification_closes_without_a_notice(
    session: Session, handler: StaffUser
) -> None:
    request = opened(session, right="rectification")
    workflow.decide(
        session, request, actor=handler, decision=Decision.refused, reasons="Tieto on oikein."
    )
    workflow.close(session, request, actor=handler, now=LATER)
    assert [row.kind for row in request.letters] == ["decision"]


def test_the_notice_pdf_reads_back_in_english(session: Session, handler: StaffUser) -> None:
    request = opened(session, right="erasure", language="en")
    workflow.decide(session, request, actor=handler, decision=Decision.granted, reasons=None)
    for name in RECIPIENTS_FI:
        workflow.notify_recipient(
            session, request, actor=handler, recipient=name, outcome="not_received", reason=None
        )
    workflow.close(session, request, actor=handler, now=LATER)
    letter(session, request, "art19")
    row = next(row for row in request.letters if row.kind == "art19")
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(row.pdf)).pages
    )
    assert (
        "None of the recipients of this register had received your data, so there was no one "
        "to inform." in text
    )
    assert "Informing the recipients of your data" in text
