"""Workflow: the state machine, role checks, letters, e-mails and audit events of every action."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
from email.message import EmailMessage
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.core import audit, duedates, mail, notify, reminders, tokens, workflow
from portal.core.models import (
    AuditEvent,
    DataRequest,
    Decision,
    Letter,
    OutboxMessage,
    RequestStatus,
    StaffUser,
)
from portal.core.workflow import WorkflowError
from portal.db import session_factory
from tests.portal.support.requests import add_request, add_staff

RECEIVED = dt.datetime(2025, 5, 10, 7, 0, tzinfo=dt.UTC)  # Saturday 10:00 in Helsinki
LATER = dt.datetime(2025, 5, 20, 9, 0, tzinfo=dt.UTC)
RECIPIENTS_FI = [
    "Tilitoimisto (kirjanpidon ja laskutuksen ulkoistuskumppani)",
    "Asiakasrekisterin tietojärjestelmä- ja palvelintoimittajat",
    "Google Ireland Limited",
    "Google LLC",
    "Luottotietoyhtiö",
    "Perintätoimisto",
    "Viranomaiset, kuten Verohallinto",
]


@pytest.fixture
def handler(session: Session) -> StaffUser:
    return add_staff(session, "hanna")


@pytest.fixture
def admin(session: Session) -> StaffUser:
    return add_staff(session, "aino", "admin")


def opened(session: Session, **overrides: Any) -> DataRequest:
    request = add_request(session, **overrides)
    workflow.confirm(session, request, now=RECEIVED)
    session.commit()
    return request


def events(session: Session, request: DataRequest) -> list[tuple[str, str]]:
    return [(e.action, e.detail) for e in audit.events_for_request(session, request.id)]


def delivered(session: Session) -> None:
    """Commit, then make the PDFs of the letters just issued, as the web layer does."""
    session.commit()
    notify.deliver_letters(session_factory(current_app))  # type: ignore[arg-type]
    session.expire_all()


def outbox(session: Session) -> list[EmailMessage]:
    delivered(session)
    rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    return [
        email.message_from_bytes(row.message, policy=email.policy.default)  # type: ignore[misc]
        for row in rows
    ]


def text_of(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return body.get_content()


def letter(session: Session, request: DataRequest, kind: str) -> BeautifulSoup:
    delivered(session)
    row = session.scalars(
        select(Letter).where(Letter.request_id == request.id, Letter.kind == kind)
    ).one()
    assert row.pdf is not None and row.pdf.startswith(b"%PDF")
    return BeautifulSoup(row.html, "html.parser")


def raises(code: str, action: Any, *args: Any, **kwargs: Any) -> WorkflowError:
    with pytest.raises(WorkflowError) as caught:
        action(*args, **kwargs)
    assert caught.value.code == code, str(caught.value)
    return caught.value


# --- confirm, dates ------------------------------------------------------------------------------


def test_confirm_opens_the_request_and_starts_the_clock(session: Session) -> None:
    request = opened(session)
    assert request.status == RequestStatus.open
    assert request.due_on == dt.date(2025, 6, 10)
    assert workflow.effective_due(request) == dt.date(2025, 6, 10)
    assert events(session, request) == [("request.confirmed", "due_on=2025-06-10")]
    event = audit.events_for_request(session, request.id)[0]
    assert (event.actor, event.staff_id) == ("subject", None)
    raises("wrong_state", workflow.confirm, session, request, now=RECEIVED)


def test_direct_marketing_objection_takes_effect_on_receipt(session: Session) -> None:
    request = opened(
        session, right="objection", details={"objection_direct_marketing": True, "grounds": ""}
    )
    assert [action for action, _ in events(session, request)] == [
        "request.confirmed",
        "request.direct_marketing_stopped",
    ]
    assert request.is_direct_marketing_objection
    other = opened(session, right="objection", details={"objection_direct_marketing": False})
    assert not other.is_direct_marketing_objection


def test_due_dates_overdue_and_the_unconfirmed(session: Session) -> None:
    request = opened(session)
    assert not workflow.is_overdue(request, dt.date(2025, 6, 10))
    assert workflow.is_overdue(request, dt.date(2025, 6, 11))
    request.extended_due_on = dt.date(2025, 8, 11)
    assert not workflow.is_overdue(request, dt.date(2025, 6, 11))
    request.status = RequestStatus.decided
    assert not workflow.is_overdue(request, dt.date(2025, 9, 1))
    unconfirmed = add_request(session)
    assert not workflow.is_overdue(unconfirmed, dt.date(2030, 1, 1))
    with pytest.raises(ValueError, match="no due date"):
        workflow.effective_due(unconfirmed)


def test_resend_confirmation_sends_a_new_link_in_the_requests_language(
    session: Session, handler: StaffUser
) -> None:
    request = add_request(session, language="sv")
    session.commit()
    message = workflow.resend_confirmation(session, request, actor=handler, now=LATER)
    (sent,) = outbox(session)
    assert (sent["To"], sent["Content-Language"]) == ("asa.aijala@example.fi", "sv")
    assert sent["Subject"] == f"Bekräfta din dataskyddsbegäran {request.reference}"
    found = re.search(r"https://www\.proleader\.fi/requests/sv/confirm/(\S+)", text_of(sent))
    assert found is not None
    assert tokens.read_token(tokens.Purpose.confirm, found[1]) == request.reference
    # The request waits as it did: the clock starts when the person confirms.
    assert (request.status, request.received_at, request.due_on) == ("unconfirmed", None, None)
    assert events(session, request) == [("request.confirmation_resent", f"message={message.id}")]
    event = audit.events_for_request(session, request.id)[0]
    assert (event.actor, event.staff_id) == ("staff", handler.id)


@pytest.mark.parametrize(
    ("status", "code"),
    [
        ("open", "already_confirmed"),
        ("awaiting_info", "already_confirmed"),
        ("decided", "already_confirmed"),
        ("closed", "closed"),
        ("expired", "expired"),
    ],
)
def test_resend_confirmation_only_while_unconfirmed(
    session: Session, handler: StaffUser, status: str, code: str
) -> None:
    request = add_request(session, status=status)
    raises(code, workflow.resend_confirmation, session, request, actor=handler)
    assert "resend_confirmation" not in workflow.allowed_actions(request, handler, LATER.date())
    assert events(session, request) == []
    assert session.scalars(select(OutboxMessage)).all() == []


def test_resend_confirmation_needs_an_address_and_a_handler(
    session: Session, handler: StaffUser
) -> None:
    without = add_request(session, email="")  # entered by staff with no address
    raises("no_email", workflow.resend_confirmation, session, without, actor=handler)
    request = add_request(session)
    dpo = add_staff(session, "dora", "dpo")
    raises("forbidden", workflow.resend_confirmation, session, request, actor=dpo)
    assert session.scalars(select(OutboxMessage)).all() == []


# --- who may do what -----------------------------------------------------------------------------

EVERYTHING_OPEN = {"assign", "note", "ask_info", "extend", "decide", "verify_identity"}
FILES = {"attach", "detach"}
"""Access and portability requests are answered with files, attached before the decision."""


@pytest.mark.parametrize(
    ("status", "decision", "right", "expected"),
    [
        ("unconfirmed", None, "access", {"resend_confirmation"}),
        ("expired", None, "access", set()),
        ("open", None, "access", EVERYTHING_OPEN | FILES),
        ("open", None, "erasure", EVERYTHING_OPEN),
        (
            "awaiting_info",
            None,
            "access",
            {"assign", "note", "resume", "extend", "decide", "verify_identity"} | FILES,
        ),
        ("decided", "granted", "access", {"assign", "note", "close"}),
        ("decided", "granted", "erasure", {"assign", "note", "notify", "close"}),
        (
            "decided",
            "partly_granted",
            "rectification",
            {"assign", "note", "notify", "close"},
        ),
        ("decided", "refused", "restriction", {"assign", "note", "close"}),
        ("closed", "granted", "erasure", {"note"}),
    ],
)
def test_allowed_actions_follow_the_state_machine(
    session: Session,
    handler: StaffUser,
    status: str,
    decision: str | None,
    right: str,
    expected: set[str],
) -> None:
    request = add_request(
        session,
        status=status,
        decision=decision,
        right=right,
        received_at=RECEIVED,
        due_on=dt.date(2025, 6, 10),
    )
    assert workflow.allowed_actions(request, handler, dt.date(2025, 5, 20)) == expected


def test_admins_act_like_handlers_and_disabled_accounts_never(
    session: Session, handler: StaffUser, admin: StaffUser
) -> None:
    request = opened(session)
    today = dt.date(2025, 5, 20)
    assert workflow.allowed_actions(request, admin, today) == EVERYTHING_OPEN | FILES
    disabled = add_staff(session, "ville", active=False)
    assert workflow.allowed_actions(request, disabled, today) == set()
    assert workflow.allowed_actions(request, None, today) == set()
    raises("forbidden", workflow.add_note, session, request, actor=disabled, text="x")
    stranger = add_staff(session, "kalle", role="auditor")
    raises("forbidden", workflow.assign, session, request, actor=stranger, assignee=handler)
    assert events(session, request) == [("request.confirmed", "due_on=2025-06-10")]


def test_anonymised_requests_take_no_action(session: Session, handler: StaffUser) -> None:
    request = opened(session)
    request.anonymised_at = LATER
    assert workflow.allowed_actions(request, handler, dt.date(2025, 5, 20)) == set()
    raises("anonymised", workflow.add_note, session, request, actor=handler, text="x")


def test_workflow_errors_are_translated(session: Session, handler: StaffUser) -> None:
    request = opened(session)
    error = raises("note_required", workflow.add_note, session, request, actor=handler, text=" ")
    with force_locale("en"):
        assert str(error) == "Write the note."
    with force_locale("fi"):
        assert str(error) == "Kirjoita muistiinpano."
    with force_locale("sv"):
        assert str(error) == "Skriv anteckningen."


# --- assign and note -----------------------------------------------------------------------------


def test_assign_and_unassign(session: Session, handler: StaffUser, admin: StaffUser) -> None:
    request = opened(session)
    workflow.assign(session, request, actor=admin, assignee=handler, now=LATER)
    assert request.assignee_id == handler.id
    disabled = add_staff(session, "ville", active=False)
    raises("bad_assignee", workflow.assign, session, request, actor=admin, assignee=disabled)
    workflow.assign(session, request, actor=handler, assignee=None, now=LATER)
    session.commit()
    assert request.assignee_id is None
    assert events(session, request)[1:] == [
        ("request.assigned", f"assignee={handler.id}"),
        ("request.unassigned", ""),
    ]


def test_notes_are_internal_and_their_text_stays_out_of_the_audit(
    session: Session, handler: StaffUser
) -> None:
    request = opened(session)
    note = workflow.add_note(
        session, request, actor=handler, text="  Soitin asiakkaalle 040 123 4567.  ", now=LATER
    )
    session.commit()
    assert note.text == "Soitin asiakkaalle 040 123 4567."
    assert note.staff_id == handler.id
    assert events(session, request)[-1] == ("request.note_added", f"note={note.id}")
    raises("too_long", workflow.add_note, session, request, actor=handler, text="x" * 5001)
    assert outbox(session) == []


# --- ask for information -------------------------------------------------------------------------


def test_ask_info_sends_the_letter_and_pauses_the_shown_clock_only(
    session: Session, handler: StaffUser
) -> None:
    request = opened(session)
    raises(
        "reason_required",
        workflow.ask_info,
        session,
        request,
        actor=handler,
        message="Kerro asiakasnumerosi.",
        reason=" ",
        pause_clock=True,
    )
    raises(
        "message_required",
        workflow.ask_info,
        session,
        request,
        actor=handler,
        message="",
        reason="identity",
        pause_clock=True,
    )
    asked = dt.datetime(2025, 5, 12, 8, 0, tzinfo=dt.UTC)
    workflow.ask_info(
        session,
        request,
        actor=handler,
        message="Kerro asiakasnumerosi.",
        reason="identity",
        pause_clock=True,
        now=asked,
    )
    session.commit()
    assert request.status == RequestStatus.awaiting_info
    assert request.paused_at is not None and request.due_on == dt.date(2025, 6, 10)
    page = letter(session, request, "info_request")
    assert page.find(attrs={"data-field": "message"}).get_text(strip=True) == (
        "Kerro asiakasnumerosi."
    )
    assert "perusteltu" in page.find(attrs={"data-field": "reason"}).get_text()
    [message] = outbox(session)
    assert message["To"] == "asa.aijala@example.fi"
    assert message["Subject"] == f"Tarvitsemme lisätietoja pyyntöösi {request.reference}"
    body = text_of(message)
    assert "Kerro asiakasnumerosi." in body
    assert "Meillä on perusteltu syy epäillä" in body
    assert "keskeytetty" in body and "10. kesäkuuta 2025" in body
    assert "/requests/fi/status/" in body
    attachment = next(message.iter_attachments())
    assert attachment.get_filename() == f"lisatietopyynto-{request.reference}.pdf"
    assert events(session, request)[-1] == (
        "request.info_requested",
        "reason=identity paused=yes",
    )

    # Three days later the person answers: the strict date stays, the paused one moves.
    workflow.resume(session, request, actor=handler, now=asked + dt.timedelta(days=3))
    session.commit()
    assert request.status == RequestStatus.open and request.paused_at is None
    assert request.paused_days == 3
    assert workflow.effective_due(request) == dt.date(2025, 6, 10)
    assert workflow.paused_due(request) == dt.date(2025, 6, 13)
    assert workflow.is_overdue(request, dt.date(2025, 6, 11))
    assert events(session, request)[-1] == ("request.resumed", "paused_days=3")


def test_ask_info_without_pause_and_a_pause_still_running(
    session: Session, handler: StaffUser
) -> None:
    request = opened(session, language="en")
    workflow.ask_info(
        session,
        request,
        actor=handler,
        message="Which invoices do you mean?",
        reason="Your request names no invoice.",
        pause_clock=False,
        now=LATER,
    )
    assert request.paused_at is None and workflow.paused_due(request) is None
    body = text_of(outbox(session)[-1])
    assert "Your request names no invoice." in body
    assert "we will answer it by 10 June 2025 at the latest" in body
    assert events(session, request)[-1] == ("request.info_requested", "reason=other paused=no")

    paused = opened(session)
    # Asking to clarify does not stop the time limit (EDPB Guidelines 01/2022): no pause, so
    # no letter promising a new date; only a doubt about identity pauses the clock.
    for refused in ({"reason": "clarification"}, {"reason": "Mitä tarkoitat?", "art12_5": True}):
        raises(
            "pause_not_allowed",
            workflow.ask_info,
            session,
            paused,
            actor=handler,
            message="?",
            pause_clock=True,
            now=LATER,
            **refused,
        )
    assert paused.status == RequestStatus.open and paused.letters == []
    workflow.ask_info(
        session,
        paused,
        actor=handler,
        message="?",
        reason="identity",
        pause_clock=True,
        now=LATER,
    )
    assert workflow.days_paused(paused, dt.date(2025, 5, 25)) == 5
    assert workflow.paused_due(paused, dt.date(2025, 5, 25)) == dt.date(2025, 6, 16)


# --- extension -----------------------------------------------------------------------------------


def test_extension_by_two_months_follows_the_legal_vector(
    session: Session, handler: StaffUser
) -> None:
    request = opened(session)
    raises(
        "reasons_required",
        workflow.extend,
        session,
        request,
        actor=handler,
        months=2,
        reasons="",
        now=LATER,
    )
    for months in (0, 3):
        raises(
            "bad_months",
            workflow.extend,
            session,
            request,
            actor=handler,
            months=months,
            reasons="x",
            now=LATER,
        )
    workflow.extend(
        session,
        request,
        actor=handler,
        months=2,
        reasons="Pyyntö koskee kymmenen vuoden lokitietoja.",
        now=LATER,
    )
    session.commit()
    assert request.extended_due_on == dt.date(2025, 8, 11)
    assert request.due_on == dt.date(2025, 6, 10)
    assert workflow.effective_due(request) == dt.date(2025, 8, 11)
    assert workflow.extension_months(request) == 2
    page = letter(session, request, "extension")
    assert page.find(attrs={"data-field": "extended_due_on"}).time["datetime"] == "2025-08-11"
    [message] = outbox(session)
    assert message["Subject"] == f"Tarvitsemme lisäaikaa pyyntöösi {request.reference} vastaamiseen"
    body = text_of(message)
    assert "Uusi määräaika: 11. elokuuta 2025" in body
    assert "Alkuperäinen määräaika: 10. kesäkuuta 2025" in body
    assert "kymmenen vuoden lokitietoja" in body
    assert events(session, request)[-1] == ("request.extended", "months=2")
    assert "extend" not in workflow.allowed_actions(request, handler, dt.date(2025, 5, 21))
    raises(
        "extension_used",
        workflow.extend,
        session,
        request,
        actor=handler,
        months=2,
        reasons="x",
        now=LATER,
    )


def test_extension_can_grow_from_one_to_two_months_but_not_shrink(
    session: Session, handler: StaffUser
) -> None:
    request = opened(session, language="sv")
    workflow.extend(
        session, request, actor=handler, months=1, reasons="Många begäranden.", now=LATER
    )
    assert request.extended_due_on == dt.date(2025, 7, 10)
    assert outbox(session)[-1]["Subject"].startswith("Vi behöver mer tid")
    raises(
        "bad_months",
        workflow.extend,
        session,
        request,
        actor=handler,
        months=1,
        reasons="x",
        now=LATER,
    )
    workflow.extend(session, request, actor=handler, months=2, reasons="Fortfarande.", now=LATER)
    assert request.extended_due_on == dt.date(2025, 8, 11)


def test_extension_only_within_the_first_month(session: Session, handler: StaffUser) -> None:
    request = opened(session)
    last_day = dt.datetime(2025, 6, 10, 20, 59, tzinfo=dt.UTC)  # 23:59 in Helsinki
    assert "extend" in workflow.allowed_actions(request, handler, dt.date(2025, 6, 10))
    assert "extend" not in workflow.allowed_actions(request, handler, dt.date(2025, 6, 11))
    raises(
        "extension_too_late",
        workflow.extend,
        session,
        request,
        actor=handler,
        months=2,
        reasons="x",
        now=last_day + dt.timedelta(minutes=2),
    )
    workflow.extend(session, request, actor=handler, months=1, reasons="x", now=last_day)
    assert request.extended_due_on == dt.date(2025, 7, 10)


# --- decision ------------------------------------------------------------------------------------


@pytest.mark.parametrize("decision", [Decision.refused, Decision.partly_granted])
def test_refusals_need_reasons(session: Session, handler: StaffUser, decision: Decision) -> None:
    request = opened(session)
    raises(
        "reasons_required",
        workflow.decide,
        session,
        request,
        actor=handler,
        decision=decision,
        reasons="  ",
    )
    assert request.status == RequestStatus.open and outbox(session) == []


def test_refusal_letter_and_mail_carry_reasons_and_remedies(
    session: Session, handler: StaffUser
) -> None:
    request = opened(session, right="erasure")
    workflow.decide(
        session,
        request,
        actor=handler,
        decision=Decision.refused,
        reasons="Kirjanpitolaki velvoittaa säilyttämään laskut kuusi vuotta.",
        now=LATER,
    )
    session.commit()
    assert (request.status, request.decision) == (RequestStatus.decided, "refused")
    assert request.decided_at is not None
    page = letter(session, request, "decision")
    assert page.find(attrs={"data-field": "decision"})["data-decision"] == "refused"
    assert "Kirjanpitolaki" in page.find(attrs={"data-field": "reasons"}).get_text()
    authority = page.find(attrs={"data-field": "authority"}).get_text()
    assert "Tietosuojavaltuutetun toimisto" in authority and "tietosuoja@om.fi" in authority
    assert "hallinto-oikeu" in page.find(attrs={"data-section": "judicial-remedy"}).get_text()
    [message] = outbox(session)
    assert message["Subject"] == f"Päätös pyyntöösi {request.reference}"
    body = text_of(message)
    assert "Pyyntösi on hylätty." in body and "Kirjanpitolaki" in body
    assert "Tietosuojavaltuutetun toimisto" in body and "hallinto-oikeuteen" in body
    assert "https://tietosuoja.fi" in body
    assert events(session, request)[-1] == ("request.decided", "decision=refused")
    # A refused erasure is told to no recipient, so the request can be closed at once.
    assert workflow.pending_recipients(request) == []
    workflow.close(session, request, actor=handler, now=LATER)
    assert request.status == RequestStatus.closed and request.closed_at is not None


def test_direct_marketing_objection_cannot_be_refused(session: Session, handler: StaffUser) -> None:
    request = opened(session, right="objection", details={"objection_direct_marketing": True})
    error = raises(
        "direct_marketing",
        workflow.decide,
        session,
        request,
        actor=handler,
        decision=Decision.refused,
        reasons="Haluamme markkinoida.",
    )
    assert "21 artiklan 3 kohta" in str(error)
    workflow.decide(session, request, actor=handler, decision=Decision.granted, reasons=None)
    page = letter(session, request, "decision")
    assert page.find(attrs={"data-section": "direct-marketing"}) is not None
    assert "suoramarkkinoinnin vastustamisesi" in text_of(outbox(session)[-1]).lower()


def test_deciding_while_paused_ends_the_pause(session: Session, handler: StaffUser) -> None:
    request = opened(session, language="en")
    workflow.ask_info(
        session,
        request,
        actor=handler,
        message="?",
        reason="identity",
        pause_clock=True,
        now=LATER,
    )
    workflow.decide(
        session,
        request,
        actor=handler,
        decision=Decision.granted,
        reasons=None,
        now=LATER + dt.timedelta(days=4),
    )
    assert request.paused_at is None and request.paused_days == 4
    assert events(session, request)[-1] == ("request.decided", "decision=granted paused_days=4")
    assert text_of(outbox(session)[-1]).count("Your request is granted.") == 1


# --- Art 19 and close ----------------------------------------------------------------------------


def test_recipients_must_be_notified_before_an_erasure_is_closed(
    session: Session, handler: StaffUser
) -> None:
    request = opened(session, right="erasure")
    raises("wrong_state", workflow.close, session, request, actor=handler)
    workflow.decide(session, request, actor=handler, decision=Decision.granted, reasons=None)
    assert workflow.pending_recipients(request) == RECIPIENTS_FI
    assert workflow.register_recipients("asiakasrekisteri", "en")[0].startswith("Accounting firm")
    raises("recipients_pending", workflow.close, session, request, actor=handler)
    raises(
        "unknown_recipient",
        workflow.notify_recipient,
        session,
        request,
        actor=handler,
        recipient="Rekisterinpitäjän henkilöstö",  # internal: not a recipient to notify
        outcome="done",
        reason=None,
    )
    raises(
        "reason_required",
        workflow.notify_recipient,
        session,
        request,
        actor=handler,
        recipient="Luottotietoyhtiö",
        outcome="impossible",
        reason="",
    )
    raises(
        "bad_outcome",
        workflow.notify_recipient,
        session,
        request,
        actor=handler,
        recipient="Luottotietoyhtiö",
        outcome="maybe",
        reason=None,
    )
    # The English name of a recipient is recorded under the content's first-language name.
    english = workflow.notify_recipient(
        session,
        request,
        actor=handler,
        recipient="Accounting firm (our outsourcing partner for bookkeeping and invoicing)",
        outcome="done",
        reason=None,
    )
    assert english.recipient == RECIPIENTS_FI[0]
    raises(
        "duplicate",
        workflow.notify_recipient,
        session,
        request,
        actor=handler,
        recipient=RECIPIENTS_FI[0],
        outcome="done",
        reason=None,
    )
    for name in RECIPIENTS_FI[1:-1]:
        workflow.notify_recipient(
            session, request, actor=handler, recipient=name, outcome="done", reason=None
        )
    last = workflow.notify_recipient(
        session,
        request,
        actor=handler,
        recipient=RECIPIENTS_FI[-1],
        outcome="impossible",
        reason="Tiedot luovutettiin lakisääteisesti; viranomainen ei ota vastaan ilmoituksia.",
    )
    assert workflow.pending_recipients(request) == []
    workflow.close(session, request, actor=handler, now=LATER)
    session.commit()
    assert request.status == RequestStatus.closed
    assert events(session, request)[-2] == (
        "request.recipient_notified",
        f"notification={last.id} outcome=impossible",
    )
    assert events(session, request)[-1] == ("request.closed", "")
    assert workflow.allowed_actions(request, handler, dt.date(2025, 6, 1)) == {"note"}


def test_recipients_are_not_notified_of_an_access_request(
    session: Session, handler: StaffUser
) -> None:
    request = opened(session)
    workflow.decide(session, request, actor=handler, decision=Decision.granted, reasons=None)
    raises(
        "not_art19",
        workflow.notify_recipient,
        session,
        request,
        actor=handler,
        recipient=RECIPIENTS_FI[0],
        outcome="done",
        reason=None,
    )
    workflow.close(session, request, actor=handler)
    assert request.status == RequestStatus.closed


def test_a_whole_lifecycle_keeps_the_chain_and_no_personal_data_in_it(
    session: Session, handler: StaffUser, admin: StaffUser
) -> None:
    request = opened(session, right="rectification")
    workflow.assign(session, request, actor=admin, assignee=handler, now=LATER)
    workflow.add_note(session, request, actor=handler, text="Äijälä soitti.", now=LATER)
    workflow.decide(
        session,
        request,
        actor=handler,
        decision=Decision.partly_granted,
        reasons="Osoite korjattu; nimeä ei voi muuttaa ilman selvitystä.",
        now=LATER,
    )
    for name in RECIPIENTS_FI:
        workflow.notify_recipient(
            session, request, actor=handler, recipient=name, outcome="done", reason=None
        )
    workflow.close(session, request, actor=handler, now=LATER)
    session.commit()
    assert audit.verify(session).ok
    details = " ".join(session.scalars(select(AuditEvent.detail)).all())
    for personal in ("Äijälä", "asa.aijala", "040 123", "A-1001", "Osoite", request.reference):
        assert personal not in details
    assert {e.staff_id for e in audit.events_for_request(session, request.id)[1:]} == {
        handler.id,
        admin.id,
    }


# --- the area's catalogs and e-mails -------------------------------------------------------------

EMAILS = ("info_request", "extension", "decision", "reminder")
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def email_context(template: str) -> dict[str, Any]:
    common = {
        "reference": "R7KQ-2M9X-W4HT-ABCD",
        "right": "erasure",
        "right_title": "Erase your data",
        "register_name": "Asiakasrekisteri",
        "controller": "Esa Kemppainen",
        "status_url": "https://portal.example/requests/fi/status/t",
    }
    if template == "info_request":
        return common | {
            "message": "Kerro asiakasnumerosi.",
            "reason": "identity",
            "pause_clock": True,
            "due_on": dt.date(2025, 6, 10),
        }
    if template == "extension":
        return common | {
            "reasons": "Paljon tietoa.",
            "months": 2,
            "due_on": dt.date(2025, 6, 10),
            "extended_due_on": dt.date(2025, 8, 11),
        }
    if template == "decision":
        return common | {
            "decision": "partly_granted",
            "reasons": "Laskut säilytetään.",
            "direct_marketing": False,
            "authority_name": "Tietosuojavaltuutetun toimisto",
            "authority_url": "https://tietosuoja.fi",
        }
    return {
        "items": [reminders.ReminderItem("R1", dt.date(2025, 6, 1), True)],
        "overdue_count": 1,
        "within": 7,
        "unassigned": True,
        "queue_url": "https://portal.example/requests/staff/",
    }


@pytest.mark.parametrize("lang", ["fi", "en", "sv"])
@pytest.mark.parametrize("template", EMAILS)
def test_every_workflow_email_renders_in_every_language(app: Any, template: str, lang: str) -> None:
    with app.app_context():
        subject, text, html = mail.render_email(template, lang, email_context(template))
    assert subject and "\n" not in subject
    other_greetings = {"Hei,", "Hello,", "Hej,"} - {
        {"fi": "Hei,", "en": "Hello,", "sv": "Hej,"}[lang]
    }
    assert not any(greeting in text for greeting in other_greetings)
    assert text.startswith({"fi": "Hei,", "en": "Hello,", "sv": "Hej,"}[lang])
    assert "{{" not in text + html and "%(" not in text + html
    assert "\n\n\n" not in text
    page = BeautifulSoup(html, "html.parser")
    assert page.html is not None and page.html["lang"] == lang
    assert page.title is not None and page.title.get_text() == subject


def test_due_date_explanation_reads_in_the_asked_language(app: Any) -> None:
    explanation = duedates.explain(RECEIVED, 3)
    with app.test_request_context("/"), force_locale("en"):
        finnish = explanation.steps("fi")
        swedish = explanation.steps("sv")
    assert (
        finnish[0]
        == "Pyyntö vastaanotettiin lauantaina 10. toukokuuta 2025 kello 10.00 Suomen aikaa."
    )
    assert finnish[-1] == "Pyyntöön on vastattava viimeistään maanantaina 11. elokuuta 2025."
    assert swedish[-1] == "Begäran ska besvaras senast måndagen den 11 augusti 2025."


def test_two_staff_deciding_at_once_send_one_decision(
    session: Session, session_factory: Any, handler: StaffUser, admin: StaffUser
) -> None:
    request = opened(session, language="en")
    session.commit()
    with session_factory() as other:
        stale = other.get(DataRequest, request.id)
        stale_admin = other.get(StaffUser, admin.id)
        assert stale is not None and stale.status == RequestStatus.open
        workflow.decide(session, request, actor=handler, decision=Decision.granted, reasons=None)
        session.commit()
        raises(
            "conflict",
            workflow.decide,
            other,
            stale,
            actor=stale_admin,
            decision=Decision.refused,
            reasons="Ei.",
        )
        other.rollback()
    assert [m["Subject"] for m in outbox(session)] == [
        f"Decision on your request {request.reference}"
    ]
    assert [a for a, _ in events(session, request)].count("request.decided") == 1
