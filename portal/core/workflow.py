"""One state machine for every right: what staff may do to a request, when, and what follows.

    unconfirmed ──confirm──▶ open ◀──resume── awaiting_info
         │                    │ └──ask_info──▶ ┘    │
       (purge)                └──decide──▶ decided ◀┘──▶ close ──▶ closed

While a request is unconfirmed, staff may send the person the confirmation link again
(`resend_confirmation`: the first e-mail was lost or its link expired); the state stays.

Every action checks the request's state and the acting account (an active handler or admin; a
disabled account never acts), changes the row, records an audit event that names only ids, and
issues the letter and e-mail the person is owed. Actions flush; the caller commits, so the change,
its audit event, its letter and its e-mail are stored together or not at all.

Legal choices made here (LEGAL.md §4):
- the clock starts when the e-mail address is confirmed (`received_at`), and the strict due date
  is what staff are alerted on; a pause while waiting for information is shown *beside* it,
  never instead of it, because whether the clock pauses is contested; only a doubt about identity
  (Art 12(6)) or an unpaid fee pauses it, never a request for clarification (EDPB Guidelines
  01/2022), and when a pause ends the person is told the date with the paused days added (by
  e-mail, or by a letter staff post when the request has no address);
- an extension is only possible while the first month runs, needs reasons, and adds at most two
  further months in total (Art 12(3));
- a refusal or partial refusal needs reasons, and the decision letter always carries the right to
  complain and the right to a judicial remedy (Art 12(4));
- an objection to direct marketing takes effect on receipt and cannot be refused (Art 21(3));
- rectification, erasure and restriction are communicated to every listed recipient outside the
  controller that received the person's data before the request can be closed (Art 19): staff
  record for each one "informed", "never received this person's data" or "impossible or
  disproportionate effort", and closing sends the person a notice naming the informed recipients
  and those that could not be informed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

from babel.numbers import format_currency
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from notice.i18n import locale_of
from portal.config import settings_of
from portal.core import (
    answers,
    art15,
    audit,
    duedates,
    files,
    labels,
    letters,
    links,
    mail,
    notify,
    seal,
    tokens,
)
from portal.core.models import (
    ACTIVE_STATES,
    Attachment,
    AttachmentPurpose,
    AuditEvent,
    DataRequest,
    Decision,
    Letter,
    OutboxMessage,
    RecipientNotification,
    RequestNote,
    RequestReply,
    RequestRight,
    RequestStatus,
    StaffRole,
    StaffUser,
    utcnow,
)

BEFORE_DECISION = frozenset({RequestStatus.open, RequestStatus.awaiting_info})
"""The states a request is handled in before it is decided."""
HANDLED = BEFORE_DECISION | {RequestStatus.decided}
"""The states in which a request is someone's work (assigned, handled, decided)."""

ART19_RIGHTS = frozenset(
    {RequestRight.rectification, RequestRight.erasure, RequestRight.restriction}
)
NOTIFICATION_OUTCOMES = ("done", "not_received", "impossible")
"""Art 19 outcomes per recipient: informed; never received this person's data; impossible."""
FILE_RIGHTS = frozenset({RequestRight.access, RequestRight.portability})
"""Rights answered with a copy of the data, which staff attach as files."""
IDENTITY_METHODS = ("document", "known_details", "in_person", "other")
"""How staff checked who the person is (EDPB 01/2022: proportionate, recorded, not kept)."""
MAX_EXTENSION_MONTHS = duedates.MAX_MONTHS - 1
NOTE_MAX = 5000
TEXT_MAX = 10000


class WorkflowError(Exception):
    """An action is not possible now; `message` is translatable and safe to show staff."""

    def __init__(self, message: Any, code: str) -> None:
        super().__init__(code)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return str(self.message)


# --- dates -------------------------------------------------------------------------------------


def effective_due(request: DataRequest) -> dt.date:
    """Return the due date in force of a confirmed request (`DataRequest.effective_due`)."""
    due = request.effective_due
    if due is None:
        raise ValueError("the request has no due date before it is confirmed")
    return due


def extension_months(request: DataRequest) -> int:
    """Return how many further months the request has been given (0, 1 or 2)."""
    if request.extended_due_on is None or request.received_at is None:
        return 0
    for months in range(1, MAX_EXTENSION_MONTHS + 1):
        if duedates.due_date(request.received_at, 1 + months) >= request.extended_due_on:
            return months
    return MAX_EXTENSION_MONTHS


def days_paused(request: DataRequest, today: dt.date | None = None) -> int:
    """Return the days the clock has been paused, counting a pause still under way."""
    days = request.paused_days or 0
    if request.paused_at is not None:
        since = duedates.helsinki_today(request.paused_at)
        days += max(((today or duedates.helsinki_today()) - since).days, 0)
    return days


def paused_due(request: DataRequest, today: dt.date | None = None) -> dt.date | None:
    """Return the due date with paused days added (shown beside the strict one), or None."""
    days = days_paused(request, today)
    if not days or request.due_on is None:
        return None
    return _later_by(effective_due(request), days)


def _later_by(due: dt.date, days: int) -> dt.date:
    moved = due + dt.timedelta(days=days)
    while not duedates.is_working_day(moved):
        moved += dt.timedelta(days=1)
    return moved


def due_after_pause(request: DataRequest) -> dt.date:
    """Return the date the person was told when a pause ended (its letter promised to tell it):
    the due date with the days of ended pauses added, or the strict one when none were.

    A pause still under way is not counted: while it runs, this is the date told before it."""
    days = request.paused_days or 0
    if not days or request.due_on is None:
        return effective_due(request)
    return _later_by(effective_due(request), days)


def is_overdue(request: DataRequest, today: dt.date) -> bool:
    """Return whether an unanswered request is past its (strict or extended) due date."""
    if request.status not in ACTIVE_STATES or request.due_on is None:
        return False
    return today > effective_due(request)


# --- who may do what ---------------------------------------------------------------------------


def _can_act(actor: StaffUser | None) -> bool:
    return (
        actor is not None
        and bool(actor.is_active)
        and actor.role in (StaffRole.handler, StaffRole.admin)
    )


def _blocker(request: DataRequest, action: str, today: dt.date) -> WorkflowError | None:
    """Return why `action` is impossible on `request` now, or None."""
    if request.anonymised_at is not None:
        return WorkflowError(_l("This request has been anonymised."), "anonymised")
    spec = ACTIONS[action]
    if request.status not in spec.states:
        return WorkflowError(
            _l(
                "This action is not possible in the request's current state (%(status)s).",
                status=labels.STATUSES[request.status].short,
            ),
            "wrong_state",
        )
    return spec.blocker(request, today) if spec.blocker is not None else None


def _extension_blocker(request: DataRequest, today: dt.date) -> WorkflowError | None:
    if request.due_on is None or today > request.due_on:
        return WorkflowError(
            _l("The time limit can only be extended within the first month."),
            "extension_too_late",
        )
    if extension_months(request) >= MAX_EXTENSION_MONTHS:
        return WorkflowError(
            _l("The time limit has already been extended by two months."), "extension_used"
        )
    return None


def _art19_blocker(request: DataRequest, _today: dt.date) -> WorkflowError | None:
    if request.right not in ART19_RIGHTS:
        return WorkflowError(
            _l("Recipients are notified only of rectification, erasure and restriction."),
            "not_art19",
        )
    if request.decision == Decision.refused:
        return WorkflowError(_l("A refused request is not communicated to recipients."), "refused")
    return None


def _confirmation_blocker(request: DataRequest, _today: dt.date) -> WorkflowError | None:
    """Say why the confirmation link cannot be sent again: only an unconfirmed request needs it."""
    if request.status == RequestStatus.closed:
        return WorkflowError(
            _l("This request is closed: a confirmation link can no longer be sent."), "closed"
        )
    if request.status == RequestStatus.expired:
        return WorkflowError(
            _l("This request expired without being confirmed. The person can make a new request."),
            "expired",
        )
    if request.status != RequestStatus.unconfirmed:
        return WorkflowError(
            _l(
                "This request has already been received and confirmed: a new confirmation link is "
                "not needed."
            ),
            "already_confirmed",
        )
    if not request.email:
        return WorkflowError(
            _l("This request has no e-mail address to send the link to."), "no_email"
        )
    return None


def _files_blocker(request: DataRequest, _today: dt.date) -> WorkflowError | None:
    if request.right not in FILE_RIGHTS:
        return WorkflowError(
            _l("Files are attached only to access and portability requests."), "no_files"
        )
    return None


def allowed_actions(
    request: DataRequest, actor: StaffUser | None, today: dt.date | None = None
) -> set[str]:
    """Return the actions `actor` may take on `request` now (empty for a disabled account)."""
    if not _can_act(actor):
        return set()
    today = today or duedates.helsinki_today()
    return {action for action in ACTIONS if _blocker(request, action, today) is None}


def refusal(
    request: DataRequest, actor: StaffUser | None, action: str, today: dt.date | None = None
) -> WorkflowError | None:
    """Return why `actor` may not take `action` on `request` now, or None when they may."""
    if not _can_act(actor):
        return WorkflowError(_l("Your account may not handle requests."), "forbidden")
    return _blocker(request, action, today or duedates.helsinki_today())


def _check(
    session: Session,
    request: DataRequest,
    actor: StaffUser | None,
    action: str,
    now: dt.datetime,
) -> StaffUser:
    if actor is None or not _can_act(actor):
        raise WorkflowError(_l("Your account may not handle requests."), "forbidden")
    blocker = _blocker(request, action, duedates.helsinki_today(now))
    if blocker is not None:
        raise blocker
    _claim(session, request)
    if ACTIONS[action].handles and request.assignee_id is None:
        # Whoever decides (asks, extends, ...) an unassigned request is its handler: the queue
        # and the export must not show decided work as nobody's. Recorded as a take.
        request.assignee_id = actor.id
        request.assignee = actor
        _record(session, request, "request.assigned", actor, now, f"assignee={actor.id}")
    return actor


def _claim(session: Session, request: DataRequest) -> None:
    """Lock the row and make sure nobody changed its state since it was read.

    Two staff members pressing "decide" at once must not send two decisions: the conditional
    UPDATE waits for the other writer (a row lock on PostgreSQL, the write lock on SQLite) and
    then matches no row if the state it was checked against has moved on.
    """
    result = session.execute(
        update(DataRequest)
        .where(
            DataRequest.id == request.id,
            DataRequest.status == request.status,
            DataRequest.extended_due_on.is_(None)
            if request.extended_due_on is None
            else DataRequest.extended_due_on == request.extended_due_on,
        )
        .values(status=request.status)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise WorkflowError(
            _l("Someone else changed this request meanwhile. Reload it and try again."),
            "conflict",
        )


def _required(value: str | None, limit: int, message: Any, code: str) -> str:
    text = (value or "").strip()
    if not text:
        raise WorkflowError(message, code)
    if len(text) > limit:
        raise WorkflowError(
            _l("The text is too long (at most %(limit)s characters).", limit=limit), "too_long"
        )
    return text


def _record(
    session: Session,
    request: DataRequest,
    action: str,
    actor: StaffUser | None,
    now: dt.datetime,
    detail: str = "",
) -> None:
    audit.record(
        session,
        action=action,
        actor="staff" if actor is not None else "subject",
        staff_id=actor.id if actor is not None else None,
        request_id=request.id,
        detail=detail,
        now=now,
    )


# --- actions -----------------------------------------------------------------------------------


def confirm(session: Session, request: DataRequest, *, now: dt.datetime | None = None) -> None:
    """Open a request whose e-mail address was just confirmed: the clock starts now."""
    now = now or utcnow()
    if request.status != RequestStatus.unconfirmed:
        raise WorkflowError(_l("This request has already been confirmed."), "wrong_state")
    request.status = RequestStatus.open
    request.received_at = now
    request.due_on = duedates.due_date(now)
    session.flush()
    _record(session, request, "request.confirmed", None, now, f"due_on={request.due_on}")
    if request.is_direct_marketing_objection:
        # Art 21(3): no balancing and no staff decision needed for the processing to stop.
        audit.record(
            session,
            action="request.direct_marketing_stopped",
            actor="system",
            request_id=request.id,
            detail="effective on receipt (Art 21(3))",
            now=now,
        )


def confirm_and_seal(
    session: Session, request: DataRequest, key: seal.SigningKey, *, now: dt.datetime | None = None
) -> OutboxMessage:
    """Confirm, seal and acknowledge a request: receipt letter and e-mail (the caller commits)."""
    confirm(session, request, now=now)
    seal.seal_request(request, key)
    message = notify.send_letter(
        session,
        request,
        "receipt",
        {"now": now} if now is not None else {},
        received_at=request.received_at,
        # The moment as the person's pages and letters give it ("… klo 14.05 Suomen aikaa").
        received=letters.received_text(request, request.language),
        received_in_text=letters.received_text(request, request.language, in_text=True),
        due_on=request.due_on,
        fingerprint=seal.fingerprint(request.seal_digest or ""),
        **notify.status_links(request),
    )
    assert message is not None  # a web request always has the address it was confirmed by
    return message


def resend_confirmation(
    session: Session, request: DataRequest, *, actor: StaffUser, now: dt.datetime | None = None
) -> OutboxMessage:
    """Send the person a new link to confirm their e-mail address (the first e-mail was lost).

    The e-mail is the one the person got when they sent the request, in the request's language,
    to the address they gave, with a new link valid for CONFIRM_MAX_AGE_HOURS from now (the first
    link stays valid until it expires). Nothing else changes: the clock starts when the person
    confirms. The audit event names the staff member and the e-mail, not the address.
    """
    now = now or utcnow()
    _check(session, request, actor, "resend_confirmation", now)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    token = tokens.make_token(tokens.Purpose.confirm, request.reference)
    message = mail.enqueue(
        session,
        to=request.email,
        template="confirm",
        language=request.language,
        context=mail.mail_context(request)
        | {
            "confirm_url": links.public_url("intake.confirm", lang=request.language, token=token),
            "valid_hours": settings_of(app).confirm_max_age_hours,
        },
        request_id=request.id,
    )
    _record(session, request, "request.confirmation_resent", actor, now, f"message={message.id}")
    return message


def assign(
    session: Session,
    request: DataRequest,
    *,
    actor: StaffUser,
    assignee: StaffUser | None,
    now: dt.datetime | None = None,
) -> None:
    """Give the request to `assignee` (None: back to the shared queue)."""
    now = now or utcnow()
    _check(session, request, actor, "assign", now)
    if assignee is not None and assignee.role == StaffRole.dpo:
        raise WorkflowError(
            _l(
                "The data protection officer handles no requests. "
                "Assign the request to a handler or an administrator."
            ),
            "dpo_assignee",
        )
    if assignee is not None and not _can_act(assignee):
        raise WorkflowError(_l("Requests can only be assigned to active staff."), "bad_assignee")
    request.assignee_id = assignee.id if assignee is not None else None
    request.assignee = assignee
    if assignee is None:
        _record(session, request, "request.unassigned", actor, now)
    else:
        _record(session, request, "request.assigned", actor, now, f"assignee={assignee.id}")


def add_note(
    session: Session,
    request: DataRequest,
    *,
    actor: StaffUser,
    text: str,
    now: dt.datetime | None = None,
) -> RequestNote:
    """Add an internal note (never shown to the person)."""
    now = now or utcnow()
    _check(session, request, actor, "note", now)
    body = _required(text, NOTE_MAX, _l("Write the note."), "note_required")
    note = RequestNote(request_id=request.id, staff_id=actor.id, created_at=now, text=body)
    request.notes.append(note)
    session.flush()
    _record(session, request, "request.note_added", actor, now, f"note={note.id}")
    return note


def ask_info(
    session: Session,
    request: DataRequest,
    *,
    actor: StaffUser,
    message: str,
    reason: str,
    pause_clock: bool,
    art12_5: bool = False,
    fee_cents: int | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Ask the person for more information, saying why; optionally pause the shown clock.

    With `art12_5` the letter is the clarification step before a possible refusal as manifestly
    unfounded or excessive: it cites Article 12(5) and the remedies, and `decide` may refuse on
    that ground only after such a letter. A later letter may ask a reasonable fee instead
    (`fee_cents`, Art 12(5)(a)): it too needs the clarification letter first, and pauses the clock
    until the person answers.

    `reason` is `identity` (reasonable doubt, Art 12(6)), `clarification`, or the staff member's
    own words. The strict due date is kept either way. Only a doubt about identity (or an unpaid
    fee) may pause the clock: EDPB Guidelines 01/2022 do not let a request for clarification,
    nor the Art 12(5) clarification letter, extend the time limit, so neither pauses it and its
    letter promises no new date (LEGAL.md §4).
    """
    now = now or utcnow()
    _check(session, request, actor, "ask_info", now)
    body = _required(message, TEXT_MAX, _l("Say what information you need."), "message_required")
    why = _required(reason, TEXT_MAX, _l("Say why you need it."), "reason_required")
    fee = None
    if fee_cents is not None:
        if fee_cents <= 0:
            raise WorkflowError(_l("A fee must be more than 0 euros."), "fee_not_positive")
        if art12_5 or not _clarified(session, request):
            raise WorkflowError(
                _l(
                    "A fee under Article 12(5) may be asked only after the clarification letter: "
                    "send that first."
                ),
                "fee_without_clarification",
            )
        request.fee_cents = fee_cents
        fee = format_currency(fee_cents / 100, "EUR", locale=locale_of(request.language))
        pause_clock = True
    elif pause_clock and (art12_5 or why == "clarification"):
        raise WorkflowError(
            _l(
                "Asking for clarification does not pause the time limit; only a doubt about the "
                "person's identity does. Leave the clock running."
            ),
            "pause_not_allowed",
        )
    request.status = RequestStatus.awaiting_info
    request.paused_at = now if pause_clock else None
    session.flush()
    notify.send_letter(
        session,
        request,
        "info_request",
        {
            "message": body,
            "reason": why,
            "pause_clock": pause_clock,
            "art12_5": art12_5,
            "fee": fee,
            "now": now,
        },
        message=body,
        reason=why,
        pause_clock=pause_clock,
        art12_5=art12_5,
        due_on=effective_due(request),
    )
    kind = why if why in ("identity", "clarification") else "other"
    detail = f"reason={kind} paused={'yes' if pause_clock else 'no'}"
    if fee_cents is not None:
        detail += f" fee_cents={fee_cents}"
    if art12_5:
        detail += " art12_5=yes"
    _record(session, request, "request.info_requested", actor, now, detail)


def _end_pause(request: DataRequest, now: dt.datetime) -> int:
    if request.paused_at is None:
        return 0
    days = max((duedates.helsinki_today(now) - duedates.helsinki_today(request.paused_at)).days, 0)
    request.paused_days = (request.paused_days or 0) + days
    request.paused_at = None
    return days


def resume(
    session: Session, request: DataRequest, *, actor: StaffUser, now: dt.datetime | None = None
) -> Letter | None:
    """Go on handling a request after the person answered (or did not need to).

    When the clock was paused, the person is told the new due date, as the information request's
    letter promised: by e-mail when the request has an address (the status page shows it too),
    else by a letter staff print and post (returned; None when there is none).
    """
    now = now or utcnow()
    _check(session, request, actor, "resume", now)
    was_paused = request.paused_at is not None
    days = _end_pause(request, now)
    request.status = RequestStatus.open
    letter = None
    if was_paused and not request.email:
        letter = letters.issue_letter(
            session, request, "pause_ended", now=now, **_new_due_context(request)
        )
    detail = f"paused_days={days}" + (f" letter={letter.id}" if letter is not None else "")
    _record(session, request, "request.resumed", actor, now, detail)
    if was_paused and request.email:
        mail.enqueue(
            session,
            to=request.email,
            template="pause_ended",
            language=request.language,
            context=mail.mail_context(request)
            | _new_due_context(request)
            | {"status_url": notify.status_links(request)["status_url"]},
            request_id=request.id,
        )
    return letter


def _new_due_context(request: DataRequest) -> dict[str, Any]:
    """Return what an e-mail or a letter says of the due date once a pause ended: the days and
    the date."""
    return {"paused_days": request.paused_days or 0, "new_due_on": due_after_pause(request)}


def reply(
    session: Session,
    request: DataRequest,
    *,
    text: str,
    uploads: Sequence[tuple[IO[bytes], str | None]] = (),
    now: dt.datetime | None = None,
) -> RequestReply:
    """Record the person's answer to a request for information: resume the clock, tell the handler.

    The person gets an e-mail confirming that the answer arrived (when the request has an address).

    The files go through the same checks and encryption as staff's (caller commits).
    """
    now = now or utcnow()
    body = _required(text, TEXT_MAX, _l("Write your answer."), "text_required")
    # Claimed by one conditional UPDATE (its row lock held until the commit): of parallel replies
    # one finds the request waiting; the others wait for its commit and find it open.
    claimed = session.execute(
        update(DataRequest)
        .where(DataRequest.id == request.id, DataRequest.status == RequestStatus.awaiting_info)
        .values(status=RequestStatus.open)
        .execution_options(synchronize_session=False)
    )
    if request.status != RequestStatus.awaiting_info or claimed.rowcount != 1:
        raise WorkflowError(_l("We are not waiting for information from you."), "wrong_state")
    was_paused = request.paused_at is not None
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    stored = files.store_all(
        session,
        request,
        uploads,
        purpose=AttachmentPurpose.reply,
        limits=files.Limits.from_settings(settings_of(app)),
        app=app,
    )
    answer = RequestReply(request_id=request.id, created_at=now, text=body)
    request.replies.append(answer)
    days = _end_pause(request, now)
    request.status = RequestStatus.open
    session.flush()
    detail = f"reply={answer.id} files={len(stored)} paused_days={days}"
    _record(session, request, "request.replied", None, now, detail)
    if request.email:
        mail.enqueue(
            session,
            to=request.email,
            template="reply_confirmed",
            language=request.language,
            context=mail.mail_context(request)
            | (_new_due_context(request) if was_paused else {})
            | {"files": len(stored), "status_url": notify.status_links(request)["status_url"]},
            request_id=request.id,
        )
    assignee = request.assignee
    if assignee is not None and assignee.email:
        mail.enqueue(
            session,
            to=assignee.email,
            template="reply_received",
            language=assignee.language or "fi",
            context={"reference": request.reference, "files": len(stored)},
            request_id=request.id,
        )
    return answer


def extend(
    session: Session,
    request: DataRequest,
    *,
    actor: StaffUser,
    months: int,
    reasons: str,
    now: dt.datetime | None = None,
) -> None:
    """Extend the time limit by `months` further months in total (1 or 2), telling the person."""
    now = now or utcnow()
    _check(session, request, actor, "extend", now)
    if months not in range(1, MAX_EXTENSION_MONTHS + 1) or months <= extension_months(request):
        raise WorkflowError(
            _l("The extension must be one or two further months in total, and longer than before."),
            "bad_months",
        )
    why = _required(
        reasons, TEXT_MAX, _l("Give the reasons for the extension."), "reasons_required"
    )
    received_at = request.received_at or now  # confirmed requests always have it
    request.extended_due_on = duedates.due_date(received_at, 1 + months)
    request.extension_reason = why
    session.flush()
    notify.send_letter(
        session,
        request,
        "extension",
        {"reasons": why, "now": now},
        reasons=why,
        months=months,
        due_on=request.due_on,
        extended_due_on=request.extended_due_on,
    )
    _record(session, request, "request.extended", actor, now, f"months={months}")


def decide(
    session: Session,
    request: DataRequest,
    *,
    actor: StaffUser,
    decision: Decision,
    reasons: str | None,
    actions: str | None = None,
    art15_keep: Iterable[str] | None = None,
    art15_extra: str | None = None,
    objections: Mapping[str, str] | None = None,
    limit_ground: str | None = None,
    limit_facts: str | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Record the decision, deliver and seal the attached answer, send the decision letter.

    A refusal as manifestly unfounded or excessive (`limit_ground`, Art 12(5)) needs the facts
    that show it (`limit_facts`) and an earlier clarification letter asking what the person
    wants: the controller bears the burden of proof, and asking first is the safe practice.

    `actions` says what was changed, erased or restricted; staff's answer files become
    downloadable for `DOWNLOAD_DAYS` and the letter lists each with its SHA-256. An access
    decision that grants anything carries the Art 15(1) information of the register: the lines
    whose ids are in `art15_keep` (all when None) and staff's own lines in `art15_extra`.
    An objection decision answers every item the person ticked (`objections`: item → accepted
    or refused; direct marketing is always accepted, Art 21(3)).
    """
    now = now or utcnow()
    _check(session, request, actor, "decide", now)
    decision = Decision(decision)
    if decision == Decision.refused and request.is_direct_marketing_objection:
        raise WorkflowError(
            _l("An objection to direct marketing cannot be refused (Article 21(3) GDPR)."),
            "direct_marketing",
        )
    why = (reasons or "").strip() or None
    if decision != Decision.granted:
        why = _required(
            why, TEXT_MAX, _l("A refusal or partial refusal needs reasons."), "reasons_required"
        )
    elif why is not None:
        why = _required(why, TEXT_MAX, _l("Give the reasons."), "reasons_required")
    done = (actions or "").strip() or None
    if done is not None:
        done = _required(done, TEXT_MAX, _l("Say what was done."), "actions_required")
    if decision == Decision.refused and any(
        a.delivered_at is None for a in answers.answer_files(request)
    ):
        raise WorkflowError(
            _l("Remove the attached files before refusing: a refusal sends no data."),
            "files_with_refusal",
        )
    ground, facts = _limit(session, request, decision, limit_ground, limit_facts)
    answered = objection_answers(request, objections, decision)
    paused = _end_pause(request, now)
    request.limit_ground = ground
    request.limit_facts = facts
    request.status = RequestStatus.decided
    request.decision = decision
    request.decision_reasons = why
    request.decision_actions = done
    request.decided_at = now
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    days = settings_of(app).download_days
    delivered = answers.deliver(session, request, days=days, now=now)
    if delivered or request.right in FILE_RIGHTS:
        answers.seal_answer(request, delivered, seal.app_key(app))
    session.flush()
    notify.send_letter(
        session,
        request,
        "decision",
        {
            "now": now,
            "files": delivered,
            "download_days": days,
            "art15": access_information(request, art15_keep, art15_extra),
            "objections": answered,
        },
        decision=str(decision),
        reasons=why,
        # What was granted and what refused (Art 12(4)), as the letter lists them.
        objections=[list(pair) for pair in answered],
        actions=done,
        files=[{"name": a.filename, "sha256": a.sha256} for a in delivered],
        direct_marketing=request.is_direct_marketing_objection,
        **notify.authority_context(request.language),
    )
    detail = f"decision={decision}" + (f" paused_days={paused}" if paused else "")
    if ground:
        detail += f" art12_5={ground}"
    if delivered:
        detail += f" files={len(delivered)}"
    _record(session, request, "request.decided", actor, now, detail)


LIMIT_GROUNDS = ("manifestly_unfounded", "excessive")
"""Art 12(5): the only grounds to refuse a request (or to charge for it)."""


def _limit(
    session: Session,
    request: DataRequest,
    decision: Decision,
    ground: str | None,
    facts: str | None,
) -> tuple[str | None, str | None]:
    """Check an Art 12(5) refusal: refused, with facts, after a clarification letter."""
    if not ground:
        return None, None
    if ground not in LIMIT_GROUNDS:
        raise WorkflowError(_l("Choose a ground of Article 12(5)."), "limit_ground")
    if decision != Decision.refused:
        raise WorkflowError(
            _l("Article 12(5) is a ground to refuse: choose the decision Refused."),
            "limit_not_refused",
        )
    written = _required(
        facts, TEXT_MAX, _l("Record the facts that show the ground."), "limit_facts_required"
    )
    if not _clarified(session, request):
        raise WorkflowError(
            _l(
                "First ask the person what they want: a request for information marked as the "
                "clarification before a refusal under Article 12(5). Refuse only after that letter."
            ),
            "limit_without_clarification",
        )
    return ground, written


def _clarified(session: Session, request: DataRequest) -> bool:
    """Return whether the request had the clarification letter of Art 12(5)."""
    asked = session.scalar(
        select(AuditEvent.id)
        .where(
            AuditEvent.request_id == request.id,
            AuditEvent.action == "request.info_requested",
            AuditEvent.detail.endswith(" art12_5=yes"),
        )
        .limit(1)
    )
    return asked is not None


def attach(
    session: Session,
    request: DataRequest,
    *,
    actor: StaffUser,
    uploads: Sequence[tuple[IO[bytes], str | None]],
    now: dt.datetime | None = None,
) -> list[Attachment]:
    """Check, encrypt and attach the data copy's files; all are stored or none (caller commits).

    A portability answer must be machine-readable (JSON or CSV, Art 20(1)).
    """
    now = now or utcnow()
    _check(session, request, actor, "attach", now)
    if not uploads:
        raise WorkflowError(_l("Choose at least one file."), "files_required")
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    portability = request.right == RequestRight.portability
    limits = files.Limits.from_settings(
        settings_of(app), files.MACHINE_READABLE if portability else None
    )
    stored = files.store_all(
        session,
        request,
        uploads,
        purpose=AttachmentPurpose.answer,
        limits=limits,
        app=app,
        staff_id=actor.id,
    )
    ids = ",".join(str(a.id) for a in stored)
    _record(session, request, "attachment.added", actor, now, f"attachments={ids}")
    return stored


def detach(
    session: Session,
    request: DataRequest,
    *,
    actor: StaffUser,
    public_id: str,
    now: dt.datetime | None = None,
) -> None:
    """Remove a file attached to the answer before it was delivered."""
    now = now or utcnow()
    _check(session, request, actor, "detach", now)
    attachment = next(
        (
            a
            for a in answers.answer_files(request)
            if a.public_id == public_id and a.delivered_at is None
        ),
        None,
    )
    if attachment is None:
        raise WorkflowError(_l("This file cannot be removed any more."), "not_removable")
    request.attachments.remove(attachment)
    session.flush()
    files.discard_file(session, attachment, current_app.instance_path)
    _record(session, request, "attachment.removed", actor, now, f"attachment={attachment.id}")


OBJECTION_ITEMS: tuple[str, ...] = ("direct_marketing", "profiling", "publishing", "other")
"""What a person can tick in an objection (`details["objection_<item>"]`)."""


def objected_items(request: DataRequest) -> list[str]:
    """Return the items the person objected to, in the form's order."""
    details = request.details or {}
    return [item for item in OBJECTION_ITEMS if details.get(f"objection_{item}") is True]


def objection_answers(
    request: DataRequest, answers_given: Mapping[str, str] | None, decision: Decision
) -> list[tuple[str, str]]:
    """Return (item, accepted|refused) for every ticked item; raise if one is unanswered.

    Direct marketing is accepted whatever was given (Art 21(3)); the outcomes must agree with
    the decision (all accepted: granted; all refused: refused; else partly granted).
    """
    if request.right != RequestRight.objection:
        return []
    given = dict(answers_given or {})
    result = []
    for item in objected_items(request):
        outcome = "accepted" if item == "direct_marketing" else given.get(item)
        if outcome not in ("accepted", "refused"):
            raise WorkflowError(
                _l("Answer every item the person objected to."), "objection_unanswered"
            )
        result.append((item, outcome))
    outcomes = {outcome for _item, outcome in result}
    expected = (
        Decision.granted
        if outcomes == {"accepted"}
        else Decision.refused
        if outcomes == {"refused"}
        else Decision.partly_granted
    )
    if result and decision != expected:
        raise _objection_mismatch(decision, expected, result)
    return result


OBJECTION_ITEM_NAMES: dict[str, Any] = {
    "direct_marketing": _l("Objection to direct marketing"),
    "profiling": _l("Objection to profiling"),
    "publishing": _l("Objection to publishing in lists or directories"),
    "other": _l("Objection to other processing (Art 21(1) balancing)"),
}
"""How staff see each objection item: the decide form's labels (direct marketing has none there,
being always accepted)."""


def _objection_mismatch(
    decision: Decision, expected: Decision, result: Sequence[tuple[str, str]]
) -> WorkflowError:
    """Return the refusal that names the items disagreeing with `decision` and what to change."""

    def names(outcome: str, *, movable: bool = False) -> str:
        items = [i for i, o in result if o == outcome and not (movable and i == "direct_marketing")]
        return ", ".join(str(OBJECTION_ITEM_NAMES[i]) for i in items)

    if decision == Decision.granted:
        message = _l(
            "The decision “Granted” disagrees with the items marked refused: %(items)s. "
            "Mark them accepted, or choose “%(expected)s” as the decision.",
            items=names("refused"),
            expected=labels.DECISIONS[expected].short,
        )
    elif decision == Decision.refused and names("accepted", movable=True):
        message = _l(
            "The decision “Refused” disagrees with the items marked accepted: %(items)s. "
            "Mark them refused, or choose “%(expected)s” as the decision.",
            items=names("accepted", movable=True),
            expected=labels.DECISIONS[expected].short,
        )
    elif decision == Decision.refused:
        message = _l(
            "The decision cannot be “Refused”: the objection to direct marketing is always "
            "accepted (Article 21(3) GDPR). Choose “%(expected)s” as the decision.",
            expected=labels.DECISIONS[expected].short,
        )
    elif expected == Decision.granted:
        message = _l(
            "The decision “Partly granted” needs an item accepted and another refused, but every "
            "item is marked accepted: %(items)s. Choose “Granted” as the decision, or mark an "
            "item refused.",
            items=names("accepted"),
        )
    else:
        message = _l(
            "The decision “Partly granted” needs an item accepted and another refused, but every "
            "item is marked refused: %(items)s. Choose “Refused” as the decision, or mark an "
            "item accepted.",
            items=names("refused"),
        )
    return WorkflowError(message, "objection_mismatch")


def access_information(
    request: DataRequest, keep: Iterable[str] | None = None, extra: str | None = None
) -> list[art15.Section]:
    """Return the Art 15(1) sections an access decision carries (none for other decisions)."""
    if request.right != RequestRight.access or request.decision == Decision.refused:
        return []
    from portal.core import content as site

    try:
        register = site.content().register(request.register_id)
    except KeyError:
        return art15.chosen([], None, extra)
    site_yaml = site.content().site  # its analytics' transfers too, for `website: true`
    information = art15.sections(register, request.language, site_yaml.languages, site=site_yaml)
    return art15.chosen(information, keep, extra)


def verify_identity(
    session: Session,
    request: DataRequest,
    *,
    actor: StaffUser,
    method: str,
    now: dt.datetime | None = None,
) -> int:
    """Record that the person's identity was checked, and how; delete what they sent for it.

    Only "verified by whom, when, how" is kept (an audit event): the person's files sent in
    reply and any scans are deleted from disk at once (their rows stay, marked purged, with the
    SHA-256). Return how many files were deleted.
    """
    now = now or utcnow()
    _check(session, request, actor, "verify_identity", now)
    if method not in IDENTITY_METHODS:
        raise WorkflowError(_l("Choose how the identity was checked."), "bad_method")
    instance_path = current_app.instance_path
    deleted = 0
    for attachment in request.attachments:
        if attachment.purpose != AttachmentPurpose.answer and attachment.purged_at is None:
            files.discard_file(session, attachment, instance_path)
            attachment.purged_at = now
            deleted += 1
    session.flush()
    _record(session, request, "identity.verified", actor, now, f"method={method} deleted={deleted}")
    return deleted


def register_recipients(register_id: str, language: str) -> list[str]:
    """Return the names of a register's recipients outside the controller, in `language`."""
    from portal.core import content as site

    return [site.text(recipient.name, language) for recipient in _external_recipients(register_id)]


def _external_recipients(register_id: str) -> list[Any]:
    """Return the register's recipients outside the controller (those Art 19 concerns)."""
    from portal.core import content as site

    for register in site.content().registers:
        if register.id == register_id:
            return [r for r in register.recipients if str(r.role or "") != "internal"]
    return []


def _recipient_names(register_id: str) -> dict[str, str]:
    """Map each recipient's name in every language to its name in the content's first language."""
    from portal.core import content as site

    first = str(site.content().site.languages[0])
    names: dict[str, str] = {}
    for recipient in _external_recipients(register_id):
        canonical = site.text(recipient.name, first)
        for name in (recipient.name or {}).values():
            names[name.casefold()] = canonical
    return names


def recipient_name(register_id: str, stored: str, language: str) -> str:
    """Return a recipient recorded as `stored` (its name in any language) named in `language`."""
    from portal.core import content as site

    for recipient in _external_recipients(register_id):
        if stored.casefold() in {name.casefold() for name in (recipient.name or {}).values()}:
            return site.text(recipient.name, language)
    return stored


def pending_recipients(request: DataRequest) -> list[str]:
    """Return the listed recipients with no Art 19 outcome recorded yet (first-language names)."""
    if request.right not in ART19_RIGHTS or request.decision == Decision.refused:
        return []
    done = {n.recipient.casefold() for n in request.notifications}
    return [
        name
        for name in dict.fromkeys(_recipient_names(request.register_id).values())
        if name.casefold() not in done
    ]


def art19_outcomes(request: DataRequest, language: str) -> list[tuple[str, str, str | None]]:
    """Return (recipient named in `language`, outcome, reason) of what the person is told.

    Only recipients that were informed ("done") or could not be ("impossible", with the reason)
    are told; a recipient that never received this person's data is not a recipient of it.
    """
    return [
        (recipient_name(request.register_id, n.recipient, language), n.outcome, n.reason)
        for n in request.notifications
        if n.outcome in ("done", "impossible")
    ]


def notify_recipient(
    session: Session,
    request: DataRequest,
    *,
    actor: StaffUser,
    recipient: str,
    outcome: str,
    reason: str | None,
    now: dt.datetime | None = None,
) -> RecipientNotification:
    """Record what Art 19 meant for one listed recipient of the register.

    `outcome` is `done` (informed of the change), `not_received` (this recipient never received
    this person's data, so there is nothing to tell it) or `impossible` (informing it proved
    impossible or would involve disproportionate effort; the reason is required).
    """
    now = now or utcnow()
    _check(session, request, actor, "notify", now)
    canonical = _recipient_names(request.register_id).get((recipient or "").strip().casefold())
    if canonical is None:
        raise WorkflowError(
            _l("Choose a recipient listed in the register's notice."), "unknown_recipient"
        )
    if canonical.casefold() in {n.recipient.casefold() for n in request.notifications}:
        raise WorkflowError(_l("This recipient has already been recorded."), "duplicate")
    if outcome not in NOTIFICATION_OUTCOMES:
        raise WorkflowError(_l("Choose what happened with this recipient."), "bad_outcome")
    why = (reason or "").strip() or None
    if outcome == "impossible":
        why = _required(
            why,
            TEXT_MAX,
            _l("Say why informing the recipient is impossible or disproportionate."),
            "reason_required",
        )
    notification = RecipientNotification(
        request_id=request.id,
        recipient=canonical,
        outcome=outcome,
        reason=why,
        staff_id=actor.id,
        created_at=now,
    )
    request.notifications.append(notification)
    session.flush()
    detail = f"notification={notification.id} outcome={outcome}"
    _record(session, request, "request.recipient_notified", actor, now, detail)
    return notification


def close(
    session: Session, request: DataRequest, *, actor: StaffUser, now: dt.datetime | None = None
) -> None:
    """Close a decided request; its retention period starts now."""
    now = now or utcnow()
    _check(session, request, actor, "close", now)
    missing = pending_recipients(request)
    if missing:
        raise WorkflowError(
            _l(
                "Record the notification of every recipient first (%(count)s missing).",
                count=len(missing),
            ),
            "recipients_pending",
        )
    request.status = RequestStatus.closed
    request.closed_at = now
    if request.right in ART19_RIGHTS and request.decision != Decision.refused:
        outcomes = art19_outcomes(request, request.language)
        notify.send_letter(session, request, "art19", {"now": now, "outcomes": outcomes})
    _record(session, request, "request.closed", actor, now)


# --- the table of staff actions ------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """One staff action: the states it may start from, what it does, the letter it sends.

    `run` is the domain function, called as `run(session, request, actor=..., **arguments)`;
    `blocker` says why the action is impossible in an allowed state (None: it is possible);
    `letter` is the kind of letter the action sends the person (None: no letter);
    `handles`: taking the action makes the actor the handler of an unassigned request.
    The web adds each action's form and confirmation (`portal.web.staff_actions`).
    """

    states: frozenset[str]
    run: Callable[..., Any]
    letter: str | None = None
    blocker: Callable[[DataRequest, dt.date], WorkflowError | None] | None = None
    handles: bool = True


ACTIONS: dict[str, Action] = {
    # Every state, so that a refusal says why (already confirmed, closed, expired).
    "resend_confirmation": Action(
        frozenset(RequestStatus), resend_confirmation, blocker=_confirmation_blocker, handles=False
    ),
    # Assigning names the handler itself; a note may come from anyone who reads the request.
    "assign": Action(HANDLED, assign, handles=False),
    "note": Action(HANDLED | {RequestStatus.closed}, add_note, handles=False),
    "ask_info": Action(frozenset({RequestStatus.open}), ask_info, letter="info_request"),
    "resume": Action(frozenset({RequestStatus.awaiting_info}), resume),
    "extend": Action(BEFORE_DECISION, extend, letter="extension", blocker=_extension_blocker),
    "attach": Action(BEFORE_DECISION, attach, blocker=_files_blocker),
    "detach": Action(BEFORE_DECISION, detach, blocker=_files_blocker),
    "decide": Action(BEFORE_DECISION, decide, letter="decision"),
    "verify_identity": Action(BEFORE_DECISION, verify_identity),
    "notify": Action(frozenset({RequestStatus.decided}), notify_recipient, blocker=_art19_blocker),
    "close": Action(frozenset({RequestStatus.decided}), close, letter="art19"),
}
"""Every staff action by its one name, as `allowed_actions` returns it and the web posts it."""


__all__ = [
    "ACTIONS",
    "Action",
    "ART19_RIGHTS",
    "FILE_RIGHTS",
    "WorkflowError",
    "access_information",
    "add_note",
    "art19_outcomes",
    "allowed_actions",
    "ask_info",
    "assign",
    "attach",
    "close",
    "confirm",
    "confirm_and_seal",
    "days_paused",
    "decide",
    "detach",
    "due_after_pause",
    "effective_due",
    "extend",
    "extension_months",
    "is_overdue",
    "notify_recipient",
    "objected_items",
    "objection_answers",
    "paused_due",
    "pending_recipients",
    "recipient_name",
    "register_recipients",
    "refusal",
    "reply",
    "resend_confirmation",
    "verify_identity",
    "resume",
]
