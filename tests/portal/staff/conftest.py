"""Staff fixtures: `staff` (StaffActions on the test client) and `make_request` (queue rows).

The portal's `app`, `client`, `db_url` (SQLite and PostgreSQL) and `make_app` fixtures come from
tests/portal/conftest.py; helpers live in tests/portal/support/.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from typing import Any

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient

from portal.core import passwords
from portal.core.models import DataRequest, RequestStatus, utcnow
from portal.db import get_session
from tests.portal.support.requests import new_request
from tests.portal.support.staff import StaffActions


@pytest.fixture(autouse=True)
def _cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hash with small argon2id parameters: the tests sign in hundreds of times."""
    monkeypatch.setattr(
        passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


@pytest.fixture
def staff(app: Flask, client: FlaskClient) -> StaffActions:
    """Return staff actions on the test client."""
    return StaffActions(app, client)


@pytest.fixture
def make_request(app: Flask) -> Callable[..., DataRequest]:
    """Return a factory that stores a request straight in the queue and returns it."""

    def factory(**values: Any) -> DataRequest:
        defaults: dict[str, Any] = {
            "reference": "R" + secrets.token_hex(6).upper(),
            "status": RequestStatus.open,
            "name": "Maija Meikäläinen",
            "email": "maija@example.fi",
            "phone": None,
            "customer_number": None,
            "details": {"message": "Haluan nähdä tietoni."},
            "signature_name": "Maija Meikäläinen",
            "created_at": utcnow(),
            "received_at": utcnow() - dt.timedelta(days=3),
            "due_on": dt.date(2030, 1, 15),
        }
        row = new_request(**(defaults | values))
        with app.app_context():
            session = get_session()
            session.add(row)
            session.commit()
            session.expunge(row)
        return row

    return factory
