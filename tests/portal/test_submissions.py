"""The duplicate check: which earlier request a new one repeats (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy.orm import Session

from portal.core import submissions
from portal.core.models import DataRequest, RequestStatus, utcnow

SAME = {
    "email": "maija@example.fi",
    "right": "access",
    "register_id": "asiakasrekisteri",
    "details": {"message": "Kaikki tiedot"},
}


def _recorded(session: Session, **changes: Any) -> DataRequest:
    values: dict[str, Any] = {
        "reference": f"REF-{utcnow().timestamp()}-{len(changes)}",
        "language": "fi",
        "status": RequestStatus.unconfirmed,
        "name": "Maija Meikäläinen",
        "signature_name": "Maija Meikäläinen",
        "attested": True,
        "created_at": utcnow() - dt.timedelta(hours=1),
        **SAME,
        **changes,
    }
    request = DataRequest(**values)
    session.add(request)
    session.commit()
    return request


def _found(session: Session, **changes: Any) -> DataRequest | None:
    return submissions.find_duplicate(session, **{**SAME, **changes})


def test_the_same_request_from_the_same_address_within_a_day_is_found(session: Session) -> None:
    recorded = _recorded(session)
    assert _found(session) is recorded
    assert _found(session, email="MAIJA@Example.FI") is recorded


@pytest.mark.parametrize(
    "other",
    [
        {"email": "matti@example.fi"},
        {"right": "erasure"},
        {"register_id": "markkinointirekisteri"},
        {"details": {"message": "Vain osoitetiedot"}},
        {"details": {}},
    ],
)
def test_another_request_is_not_a_duplicate(session: Session, other: dict[str, Any]) -> None:
    _recorded(session)
    assert _found(session, **other) is None


@pytest.mark.parametrize(
    "earlier",
    [
        {"created_at": utcnow() - dt.timedelta(hours=24, minutes=1)},
        {"status": RequestStatus.expired},
    ],
)
def test_an_old_or_expired_request_is_not_repeated(
    session: Session, earlier: dict[str, Any]
) -> None:
    _recorded(session, **earlier)
    assert _found(session) is None


def test_a_request_without_details_repeats_one_without_details(session: Session) -> None:
    recorded = _recorded(session, details=None)
    assert _found(session, details={}) is recorded
