"""What a submission costs PostgreSQL in round trips, read off the wire, and what it writes.

Each round trip to PostgreSQL ends with the server's ReadyForQuery; libpq's trace of the
connection records every message, so counting those counts the waits a submission makes (the
pool's ping, BEGIN, and each statement or pipeline of statements; COMMIT). The rows the
pipelined statements write are those the session's statements wrote.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from portal.core import audit, keys, mail, seal, submissions
from portal.core.models import AuditCheckpoint, DataRequest, OutboxMessage, RequestStatus
from portal.db import READ_ENGINE
from tests.portal.support.web import csrf_token, https_client, submit_request, valid_fields
from tests.portal.test_submit_chain import EXPECTED, ON_T0, _chain, _submit

postgres_only = pytest.mark.parametrize(
    "db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)

MAX_ROUND_TRIPS = 3
"""BEGIN, the same-request lock and the duplicate check; both rows, the chain's lock and head;
the audit event and COMMIT (nine before: the pool's ping, psycopg's BEGIN and a round trip for
each statement)."""


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


@contextmanager
def _traced(engines: list[Engine], trace: Path) -> Iterator[list[Any]]:
    """Trace every pooled connection of `engines` (each pool holding at most one, checked in)
    to `trace`; yield the list of connections opened meanwhile (none, for a full count)."""
    connects: list[Any] = []
    pgconns = []
    for engine in engines:
        assert engine.pool.checkedout() == 0 and engine.pool.checkedin() <= 1
        event.listen(engine, "connect", lambda dbapi, _record: connects.append(dbapi))
        if engine.pool.checkedin():
            raw = engine.raw_connection()
            pgconns.append(raw.driver_connection.pgconn)
            raw.close()
    with trace.open("w") as out:
        for pgconn in pgconns:
            pgconn.trace(out.fileno())
        try:
            yield connects
        finally:
            for pgconn in pgconns:
                pgconn.untrace()


@postgres_only
def test_a_submission_takes_at_most_three_round_trips(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    app = make_app(MAIL_SEND_INLINE=False)
    engines = [app.extensions["db_engine"], app.extensions[READ_ENGINE]]
    client = https_client(app)
    path = "/requests/fi/new/access"
    assert submit_request(client, email="first@example.fi").status_code == 303
    token = csrf_token(client, path)
    trace = tmp_path / "trace.txt"
    with _traced(engines, trace) as connects:
        response = client.post(
            path, data=valid_fields("access", email="second@example.fi") | {"csrf_token": token}
        )
    assert response.status_code == 303
    assert connects == []  # the post used the traced connections, no new one
    trips = _round_trips(trace)
    assert len(trips) <= MAX_ROUND_TRIPS, trips
    assert '"BEGIN"' in trips[0], trips  # begun by hand, in the first round trip
    with app.app_context(), app.extensions["db_sessionmaker"]() as session:
        emails = session.scalars(select(DataRequest.email).order_by(DataRequest.id)).all()
        assert emails == ["first@example.fi", "second@example.fi"]
        [message] = session.scalars(
            select(OutboxMessage).where(OutboxMessage.recipient == "second@example.fi")
        ).all()
        assert message.request_id == session.scalar(
            select(DataRequest.id).where(DataRequest.email == "second@example.fi")
        )
        assert audit.verify(session).checked == 2


@postgres_only
def test_through_the_session_a_submission_takes_at_most_six_round_trips(
    app: Flask, session: Session, tmp_path: Path
) -> None:
    # The path of a request with a strong identification (its identity row goes through the
    # session), and of a caller without the fast engine: the pool's ping; BEGIN; the lock with
    # the duplicate check; both rows with the chain's lock and head; the event; COMMIT.
    first, first_message = _request(1, dt.datetime(2026, 12, 7, 6, 0, tzinfo=dt.UTC))
    assert submissions.record_submission(session, first, first_message, ui_language="fi")
    second, second_message = _request(2, dt.datetime(2026, 12, 7, 6, 1, tzinfo=dt.UTC))
    trace = tmp_path / "trace.txt"
    with _traced([app.extensions["db_engine"]], trace) as connects:
        assert submissions.record_submission(session, second, second_message, ui_language="fi")
    assert connects == []
    trips = _round_trips(trace)
    assert len(trips) <= 6, trips
    assert trips[-1] == '"COMMIT"'
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
@pytest.mark.parametrize("fast", [False, True], ids=["session", "fast"])
def test_the_pipelined_rows_are_the_rows_the_session_wrote(
    app: Flask, session: Session, fast: bool
) -> None:
    at = dt.datetime(2026, 12, 7, 6, 0, 0, 123456, tzinfo=dt.UTC)
    sent, sent_message = _request(1, at)
    fast_engine = app.extensions[READ_ENGINE] if fast else None
    assert submissions.record_submission(
        session, sent, sent_message, ui_language="sv", fast_engine=fast_engine
    )
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


@postgres_only
def test_the_fast_path_writes_the_chain_the_session_wrote(app: Flask, session: Session) -> None:
    fast = app.extensions[READ_ENGINE]
    assert [_submit(session, n, ui=ui, fast_engine=fast) for n, ui in ((1, "fi"), (2, "sv"))] == [
        True,
        True,
    ]
    assert _submit(session, 3, ui="en")  # through the session, after two on the fast path
    assert _chain(session) == EXPECTED
    assert audit.verify(session) == audit.VerifyReport(True, 3, None, None, EXPECTED[-1]["hash"])


@postgres_only
@ON_T0
def test_on_the_fast_path_a_duplicate_leaves_no_row(app: Flask, session: Session) -> None:
    fast = app.extensions[READ_ENGINE]
    assert _submit(session, 1, message="Kaikki tiedot", fast_engine=fast)
    again = _submit(
        session, 1, message="Kaikki tiedot", reference="DDDD-EEEE-FFFF-0001", fast_engine=fast
    )
    assert again is False
    assert _submit(session, 2, fast_engine=fast)
    references = session.scalars(select(DataRequest.reference).order_by(DataRequest.id)).all()
    assert references == ["AAAA-BBBB-CCCC-0001", "AAAA-BBBB-CCCC-0002"]
    assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 2
    assert [e["request_id"] for e in _chain(session)] == session.scalars(
        select(DataRequest.id).order_by(DataRequest.id)
    ).all()
    assert audit.verify(session).ok
    # The connection went back to the pool as it came: in autocommit, no transaction open.
    with fast.connect() as connection:
        raw = connection.connection.driver_connection
        assert raw.autocommit and raw.info.transaction_status == 0


@postgres_only
def test_on_the_fast_path_an_interval_signs_a_checkpoint(app: Flask, session: Session) -> None:
    audit.enable_checkpoints(app.extensions["db_engine"], lambda: seal.app_key(app), every=2)
    fast = app.extensions[READ_ENGINE]
    for n in range(1, 6):
        assert _submit(session, n, fast_engine=fast)
    rows = session.execute(
        select(AuditCheckpoint.id, AuditCheckpoint.event_count, AuditCheckpoint.head_hash).order_by(
            AuditCheckpoint.id
        )
    ).all()
    chain = _chain(session)
    assert [tuple(row) for row in rows] == [(1, 2, chain[1]["hash"]), (2, 4, chain[3]["hash"])]
    report = audit.verify_checkpoints(session, keys.public_keys(app))
    assert (report.ok, report.checked, report.latest_count) == (True, 2, 4)
    assert audit.verify(session).checked == 5
