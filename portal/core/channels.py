"""Requests that arrive by post, phone, e-mail or in person, entered by staff.

A request is a request however it arrives (Art 12: no form is required). Staff enter it with the
real date of receipt, from which the one-month clock runs (Art 12(3)); it is sealed, audited and
acknowledged like a web request: the receipt letter is e-mailed when the person gave an address,
and is always available as a PDF to print and post. A scan of a letter is checked and encrypted
like every other file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import IO, Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal.core import audit, duedates, files, notify, seal
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


def received_moment(day: dt.date, now: dt.datetime) -> dt.datetime:
    """Return when a request received on `day` counts as received: now if today, else noon there.

    Only the day matters for the due date (Regulation 1182/71 counts from the day after).
    """
    if day == duedates.helsinki_today(now):
        return now
    return dt.datetime.combine(day, dt.time(12), tzinfo=duedates.HELSINKI).astimezone(dt.UTC)


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
    received_at = received_moment(received_on, now)
    request = DataRequest(
        reference=reference,
        right=right,
        register_id=register_id,
        language=language,
        status=RequestStatus.open,
        name=name.strip(),
        email=(email or "").strip(),
        phone=(phone or "").strip() or None,
        details={"message": message.strip()} if message.strip() else {},
        signature_name=name.strip(),
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
        limits=files.Limits.from_config(app.config, SCAN_TYPES),
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
        "due_on": request.due_on,
        "digest": request.seal_digest,
        **notify.status_links(request),
    }
    notify.send_letter(session, request, "receipt", {"now": now}, **context)
    return request
