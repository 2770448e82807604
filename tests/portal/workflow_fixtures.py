"""Fixtures of the workflow, audit, retention and reminder tests, on top of tests/portal/conftest.

The conftest's `app` runs every test on SQLite and on a private PostgreSQL schema (unreachable
PostgreSQL fails); these add a session in an app context and rows to act on. Import them into a
test module with `from tests.portal.workflow_fixtures import *`.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.orm import Session, sessionmaker

from portal.core.models import DataRequest, RequestStatus, StaffRole, StaffUser


@pytest.fixture
def session_factory(app: Flask) -> sessionmaker[Session]:
    """Return the app's session factory (bound to this test's database)."""
    return app.extensions["db_sessionmaker"]


@pytest.fixture
def session(app: Flask, session_factory: sessionmaker[Session]) -> Iterator[Session]:
    """Yield a session on the test database inside an app context (mail, letters, content)."""
    with app.app_context(), session_factory() as session:
        yield session


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


def add_request(session: Session, **overrides: Any) -> DataRequest:
    """Add an unconfirmed access request; overrides set any column."""
    values: dict[str, Any] = {
        "reference": secrets.token_hex(8).upper(),
        "right": "access",
        "register_id": "asiakasrekisteri",
        "language": "fi",
        "status": RequestStatus.unconfirmed,
        "name": "Äijälä Åsa",
        "email": "asa.aijala@example.fi",
        "phone": "040 123 4567",
        "customer_number": "A-1001",
        "details": {"what": "Kaikki minua koskevat tiedot."},
        "signature_name": "Åsa Äijälä",
        "attested": True,
        "created_at": dt.datetime(2025, 5, 10, 8, 0, tzinfo=dt.UTC),
        "paused_days": 0,
    }
    values.update(overrides)
    request = DataRequest(**values)
    session.add(request)
    session.flush()
    return request


__all__ = [
    "add_request",
    "add_staff",
    "session",
    "session_factory",
]
