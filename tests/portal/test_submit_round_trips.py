"""What a submission costs PostgreSQL in round trips, read off the wire, and what it writes.

Each round trip to PostgreSQL ends with the server's ReadyForQuery; libpq's trace of the
connection records every message, so counting those counts the waits a submission makes (the
pool's ping, BEGIN, and each statement or pipeline of statements; COMMIT). The rows the
pipelined statements write are those the session's statements wrote.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from portal.core import audit, mail, submissions
from portal.core.models import DataRequest, OutboxMessage, RequestStatus
from tests.portal.support.web import csrf_token, https_client, submit_request, valid_fields

postgres_only = pytest.mark.parametrize(
    "db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)

MAX_ROUND_TRIPS = 6
"""The pool's ping; BEGIN; the same-request lock with the duplicate check; both rows with the
chain's lock and head; the audit event; COMMIT (nine before they were sent together)."""


def _round_trips(trace: Path) -> list[str]:
    """Return what each round trip in a libpq trace sent first (one per ReadyForQuery)."""
    firsts: list[str] = []
    first = None
    for line in trace.read_text(encoding="utf-8", errors="replace").splitlines():
        fields = line.split("\t")
        if len(fields) < 4:
            continue
        direction, message = fields[1], fields[3]
        if direction == "F" and first is None and message in {"Query", "Parse"}:
            first = re.sub(r"\s+", " ", fields[4] if len(fields) > 4 else "").strip()[:60]
        if direction == "B" and message == "ReadyForQuery":
            firsts.append(first or "")
            first = None
    return firsts


@postgres_only
def test_a_submission_takes_at_most_six_round_trips(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    app = make_app(MAIL_SEND_INLINE=False)
    engine = app.extensions["db_engine"]
    connects: list[Any] = []
    event.listen(engine, "connect", lambda dbapi, _record: connects.append(dbapi))
    client = https_client(app)
    path = "/requests/fi/new/access"
    assert submit_request(client, email="first@example.fi").status_code == 303
    token = csrf_token(client, path)
    # One connection in the pool, used before (so the pool pings it, as a worker's would be).
    assert (engine.pool.checkedin(), engine.pool.checkedout()) == (1, 0)
    raw = engine.raw_connection()
    pgconn = raw.driver_connection.pgconn
    raw.close()
    connected = len(connects)
    trace = tmp_path / "trace.txt"
    with trace.open("w") as out:
        pgconn.trace(out.fileno())
        try:
            response = client.post(
                path, data=valid_fields("access", email="second@example.fi") | {"csrf_token": token}
            )
        finally:
            pgconn.untrace()
    assert response.status_code == 303
    assert (engine.pool.checkedin(), engine.pool.checkedout()) == (1, 0)
    assert len(connects) == connected  # the post used the traced connection, no new one
    trips = _round_trips(trace)
    assert len(trips) <= MAX_ROUND_TRIPS, trips
    assert trips[-1] == '"COMMIT"'
    with app.app_context(), app.extensions["db_sessionmaker"]() as session:
        emails = session.scalars(select(DataRequest.email).order_by(DataRequest.id)).all()
        assert emails == ["first@example.fi", "second@example.fi"]
        assert audit.verify(session).checked == 2


def _request(n: int, created_at: dt.datetime) -> tuple[DataRequest, OutboxMessage]:
    request = DataRequest(
        reference=f"AAAA-BBBB-CCCC-{n:04d}",
        right="access",
        register_id="asiakasrekisteri",
        language="sv",
        status=RequestStatus.unconfirmed,
        name="Maija Meikäläinen",
        email=f"maija{n}@example.fi",
        phone=None,
        customer_number="A-1001",
        details={"message": "Kaikki 'tiedot' %s"},
        signature_name="Maija Meikäläinen",
        attested=True,
        created_at=created_at,
    )
    message = mail.defer(
        to=request.email,
        template="confirm",
        language="sv",
        context={"confirm_url": "https://portal.example.fi/c/1", "valid_hours": 72},
        with_request=True,
    )
    return request, message


_DIFFERENT = {"id", "reference", "email", "recipient", "request_id"}


def _row(session: Session, table: Any, id_: int) -> dict[str, Any]:
    row = session.execute(select(table).where(table.c.id == id_)).mappings().one()
    return {key: value for key, value in row.items() if key not in _DIFFERENT}


@postgres_only
def test_the_pipelined_rows_are_the_rows_the_session_wrote(session: Session) -> None:
    at = dt.datetime(2026, 12, 7, 6, 0, 0, 123456, tzinfo=dt.UTC)
    sent, sent_message = _request(1, at)
    assert submissions.record_submission(session, sent, sent_message, ui_language="sv")
    assert (sent_message.request_id, session.get(OutboxMessage, sent_message.id).request_id) == (
        sent.id,
        sent.id,
    )
    # The same request written statement by statement, as before (and as SQLite still does).
    old, old_message = _request(2, at)
    connection = session.connection()
    submissions._insert(connection, old)
    old_message.request_id = old.id
    submissions._insert(connection, old_message)
    session.commit()
    requests, messages = DataRequest.__table__, OutboxMessage.__table__
    assert _row(session, requests, sent.id) == _row(session, requests, old.id)
    new_row, old_row = (
        _row(session, messages, sent_message.id),
        _row(session, messages, old_message.id),
    )
    # The outbox row's own times are the moment it was written.
    for key in ("created_at", "next_attempt_at"):
        assert abs(new_row.pop(key) - old_row.pop(key)) < dt.timedelta(seconds=5)
    assert new_row == old_row
    assert _row(session, requests, sent.id)["details"] == {"message": "Kaikki 'tiedot' %s"}
