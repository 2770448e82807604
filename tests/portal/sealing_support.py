"""Helpers of the sealing, letter and verify-page tests: a sample request and a private schema."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from portal.core.models import DataRequest
from portal.db import temporary_schema

DEFAULT_TEST_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def make_request(**overrides: Any) -> DataRequest:
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


@contextmanager
def postgres_schema_url() -> Iterator[str]:
    """Yield a URL of the test PostgreSQL whose search path is a fresh schema, dropped after."""
    base = os.environ.get("PORTAL_TEST_DATABASE_URL") or DEFAULT_TEST_DATABASE_URL
    with temporary_schema(base, "t_seal", migrate=False) as url:
        yield url
