"""Requests that arrive by post, phone, e-mail or in person, entered by staff.

A request is a request however it arrives (Art 12: no form is required). Staff enter it with the
real date of receipt, from which the one-month clock runs (Art 12(3)); it is sealed, audited and
acknowledged like a web request: the receipt letter is e-mailed when the person gave an address,
and is always available as a PDF to print and post, to the postal address the request must then
have. Only the date of receipt is known (a letter has no time of day), so it is kept as a date
(`details["received_on"]`) and letters say "received by post on <date>"; the clock's moment is the
start of that day in Finnish time. What staff type is an entry, not the person's signature, so the
request carries no signature name. A scan of a letter is checked and encrypted like every other
file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import IO, Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal.config import settings_of
from portal.core import audit, duedates, files, letters, notify, seal
from portal.core.models import (
    AttachmentPurpose,
    DataRequest,
    RequestStatus,
    StaffUser,
    utcnow,
)
from portal.core.workflow import WorkflowError

CHANNELS: tuple[str, ...] = ("post", "phone", "email", "in_person")
"""How a request entered by staff arrived (web requests are `web`)."""
MAX_AGE_DAYS = 365
"""A receipt date further back than this is a typing mistake more likely than a late entry."""
SCAN_TYPES = frozenset({"pdf", "png", "jpeg", "tiff"})


POSTAL_ADDRESS_MAX = 500


def received_moment(day: dt.date) -> dt.datetime:
    """Return the start of `day` in Finnish time: the clock's moment of a request received then.

    Only the day matters for the due date (Regulation 1182/71 counts from the day after), and only
    the day is shown: no time of day is made up.
    """
    return dt.datetime.combine(day, dt.time(0), tzinfo=duedates.HELSINKI).astimezone(dt.UTC)


def enter_request(
    session: Session,
    *,
    actor: StaffUser,
    reference: str,
    right: str,
    register_id: str,
    language: str,
    channel: str,
    received_on: dt.date,
    name: str,
    email: str | None,
    phone: str | None,
    message: str,
    postal_address: str | None = None,
    scans: Sequence[tuple[IO[bytes], str | None]] = (),
    now: dt.datetime | None = None,
) -> DataRequest:
    """Record, seal and acknowledge a request received outside the web form (caller commits)."""
    now = now or utcnow()
    if not actor.is_active:
        raise WorkflowError(_l("Your account may not handle requests."), "forbidden")
    if channel not in CHANNELS:
        raise WorkflowError(_l("Choose how the request arrived."), "bad_channel")
    today = duedates.helsinki_today(now)
    if received_on > today or (today - received_on).days > MAX_AGE_DAYS:
        raise WorkflowError(
            _l("The date of receipt must be today or within the past year."), "bad_date"
        )
    address = "\n".join(
        line.strip() for line in (postal_address or "").strip().splitlines() if line.strip()
    )
    if not (email or "").strip() and not address:
        raise WorkflowError(
            _l("Give a postal address or an e-mail address: without e-mail, letters go by post."),
            "address_required",
        )
    if len(address) > POSTAL_ADDRESS_MAX:
        raise WorkflowError(
            _l(
                "The postal address is too long (at most %(limit)s characters).",
                limit=POSTAL_ADDRESS_MAX,
            ),
            "too_long",
        )
    details: dict[str, Any] = {"received_on": received_on.isoformat()}
    if message.strip():
        details["message"] = message.strip()
    if address:
        details["postal_address"] = address
    received_at = received_moment(received_on)
    request = DataRequest(
        reference=reference,
        right=right,
        register_id=register_id,
        language=language,
        status=RequestStatus.open,
        name=name.strip(),
        email=(email or "").strip(),
        phone=(phone or "").strip() or None,
        details=details,
        signature_name="",
        attested=False,
        channel=channel,
        created_at=now,
        received_at=received_at,
        due_on=duedates.due_date(received_at),
    )
    session.add(request)
    session.flush()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    stored = files.store_all(
        session,
        request,
        scans,
        purpose=AttachmentPurpose.scan,
        limits=files.Limits.from_settings(settings_of(app), SCAN_TYPES),
        app=app,
        staff_id=actor.id,
    )
    seal.seal_request(request, seal.app_key(app))
    audit.record(
        session,
        action="request.entered",
        actor="staff",
        staff_id=actor.id,
        request_id=request.id,
        detail=f"channel={channel} right={right} register={register_id} scans={len(stored)}",
        now=now,
    )
    context: dict[str, Any] = {
        "received_at": request.received_at,
        "received": letters.received_text(request, request.language),
        "received_in_text": letters.received_text(request, request.language, in_text=True),
        "due_on": request.due_on,
        "fingerprint": seal.fingerprint(request.seal_digest or ""),
        **notify.status_links(request),
    }
    notify.send_letter(session, request, "receipt", {"now": now}, **context)
    return request
