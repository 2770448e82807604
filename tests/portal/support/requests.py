"""The one factory of requests (and staff rows) the portal tests act on."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from sqlalchemy.orm import Session

from portal.core.models import DataRequest, RequestStatus, StaffRole, StaffUser


def new_request(**overrides: Any) -> DataRequest:
    """Return an unsaved, confirmed access request with Finnish and Swedish letters in it."""
    values: dict[str, Any] = {
        "reference": "R7KQ2M9XW4HT",
        "right": "access",
        "register_id": "asiakasrekisteri",
        "language": "fi",
        "status": "open",
        "name": "Äijälä Åsa",
        "email": "asa.aijala@example.fi",
        "phone": "040 123 4567",
        "customer_number": "A-1001",
        "details": {"what": "Kaikki minua koskevat tiedot, myös lokit.", "copy": True},
        "signature_name": "Åsa Äijälä",
        "attested": True,
        "created_at": dt.datetime(2025, 1, 31, 8, 29, 1, tzinfo=dt.UTC),
        "received_at": dt.datetime(2025, 1, 31, 8, 30, tzinfo=dt.UTC),
        "due_on": dt.date(2025, 2, 28),
        "paused_days": 0,
    }
    values.update(overrides)
    return DataRequest(**values)


def add_request(session: Session, **overrides: Any) -> DataRequest:
    """Add an unconfirmed access request to `session` (flushed); overrides set any column."""
    values: dict[str, Any] = {
        "reference": secrets.token_hex(8).upper(),
        "status": RequestStatus.unconfirmed,
        "details": {"what": "Kaikki minua koskevat tiedot."},
        "created_at": dt.datetime(2025, 5, 10, 8, 0, tzinfo=dt.UTC),
        "received_at": None,
        "due_on": None,
    }
    request = new_request(**(values | overrides))
    session.add(request)
    session.flush()
    return request


def add_staff(
    session: Session,
    username: str,
    role: str = StaffRole.handler,
    *,
    email: str | None = None,
    active: bool = True,
) -> StaffUser:
    """Add a staff account (no usable password: these tests never log in)."""
    user = StaffUser(
        username=username,
        display_name=username.title(),
        email=email if email is not None else f"{username}@staff.example.fi",
        role=role,
        password_hash="!",
        is_active=active,
    )
    session.add(user)
    session.flush()
    return user
