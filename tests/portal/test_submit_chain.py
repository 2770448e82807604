"""What a submission writes to the audit chain, exactly, on SQLite and PostgreSQL.

On PostgreSQL a submission checks for a duplicate and writes its rows under a lock of its own (on
the address, right and register) and takes the chain's lock only for its event and the commit;
the chain it makes is byte for byte the one the earlier code made, which wrote the expected lines
below.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import threading
import time
from typing import Any

import pytest
import time_machine
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.core import audit, keys, mail, seal, submissions
from portal.core.models import AuditCheckpoint, DataRequest, OutboxMessage, RequestStatus
from portal.db import READ_ENGINE

T0 = dt.datetime(2026, 12, 6, 9, 30, 15, 123456, tzinfo=dt.UTC)


def _submit(
    session: Session,
    n: int,
    *,
    message: str = "",
    ui: str = "fi",
    reference: str = "",
    fast_engine: Any = None,
) -> bool:
    request = DataRequest(
        reference=reference or f"AAAA-BBBB-CCCC-{n:04d}",
        right="access",
        register_id="asiakasrekisteri",
        language="fi",
        status=RequestStatus.unconfirmed,
        name="Maija Meikäläinen",
        email=f"maija{n}@example.fi",
        phone=None,
        customer_number=None,
        details={"message": message} if message else {},
        signature_name="Maija Meikäläinen",
        attested=True,
        created_at=T0 + dt.timedelta(seconds=n),
    )
    queued = mail.defer(
        to=request.email,
        template="confirm",
        language="fi",
        context={"confirm_url": f"https://portal.example.fi/c/{n}", "valid_hours": 72},
        with_request=True,
    )
    return submissions.record_submission(
        session, request, queued, ui_language=ui, fast_engine=fast_engine
    )


def _chain(session: Session) -> list[dict[str, Any]]:
    out = io.StringIO()
    audit.export(session, out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


EXPECTED = [
    {
        "action": "request.submitted",
        "actor": "subject",
        "at": "2026-12-06T09:30:16.123456Z",
        "detail": "right=access register=asiakasrekisteri ui=fi",
        "hash": "2ccb84d6af33ee623f3778af6aa286e6f57ae70d778adca9c588fa7d997afe4f",
        "id": 1,
        "prev_hash": "0000000000000000000000000000000000000000000000000000000000000000",
        "request_id": 1,
        "staff_id": None,
    },
    {
        "action": "request.submitted",
        "actor": "subject",
        "at": "2026-12-06T09:30:17.123456Z",
        "detail": "right=access register=asiakasrekisteri ui=sv",
        "hash": "3a4b940e813535cb2f6c62409b1189ae3e0ae6aee00f0fb67ce93930f3680649",
        "id": 2,
        "prev_hash": "2ccb84d6af33ee623f3778af6aa286e6f57ae70d778adca9c588fa7d997afe4f",
        "request_id": 2,
        "staff_id": None,
    },
    {
        "action": "request.submitted",
        "actor": "subject",
        "at": "2026-12-06T09:30:18.123456Z",
        "detail": "right=access register=asiakasrekisteri ui=en",
        "hash": "bee915f77009175a65203ecb005b2a8829960da510385184a6a15905832d23ba",
        "id": 3,
        "prev_hash": "3a4b940e813535cb2f6c62409b1189ae3e0ae6aee00f0fb67ce93930f3680649",
        "request_id": 3,
        "staff_id": None,
    },
]


def test_submissions_write_the_chain_the_session_wrote(session: Session) -> None:
    assert [_submit(session, n, ui=ui) for n, ui in ((1, "fi"), (2, "sv"), (3, "en"))] == [
        True,
        True,
        True,
    ]
    assert _chain(session) == EXPECTED
    assert audit.verify(session) == audit.VerifyReport(True, 3, None, None, EXPECTED[-1]["hash"])


ON_T0 = time_machine.travel(T0 + dt.timedelta(minutes=5), tick=False)
"""The clock of the duplicate tests: the requests are made at `T0`, and a duplicate is only one
within 24 hours of now (these tests failed a day after they were written, on the real clock)."""


@ON_T0
def test_a_duplicate_leaves_no_row_and_the_chain_goes_on(session: Session) -> None:
    assert _submit(session, 1, message="Kaikki tiedot")
    # The same form posted again: a new reference, as every post makes one.
    again = _submit(session, 1, message="Kaikki tiedot", reference="DDDD-EEEE-FFFF-0001")
    assert again is False
    assert _submit(session, 2)
    requests = session.execute(
        select(DataRequest.reference, DataRequest.email).order_by(DataRequest.id)
    ).all()
    assert [tuple(row) for row in requests] == [
        ("AAAA-BBBB-CCCC-0001", "maija1@example.fi"),
        ("AAAA-BBBB-CCCC-0002", "maija2@example.fi"),
    ]
    recipients = session.scalars(select(OutboxMessage.recipient).order_by(OutboxMessage.id))
    assert list(recipients) == ["maija1@example.fi", "maija2@example.fi"]
    ids = {ref: id_ for ref, id_ in session.execute(select(DataRequest.reference, DataRequest.id))}
    chain = _chain(session)
    assert [(e["id"], e["action"], e["request_id"]) for e in chain] == [
        (1, "request.submitted", ids["AAAA-BBBB-CCCC-0001"]),
        (2, "request.submitted", ids["AAAA-BBBB-CCCC-0002"]),
    ]
    assert chain[1]["prev_hash"] == chain[0]["hash"]
    assert audit.verify(session).ok


def test_a_submission_that_ends_an_interval_signs_a_checkpoint(
    app: Flask, session: Session
) -> None:
    audit.enable_checkpoints(app.extensions["db_engine"], lambda: seal.app_key(app), every=2)
    for n in range(1, 6):
        assert _submit(session, n)
    rows = session.execute(
        select(AuditCheckpoint.id, AuditCheckpoint.event_count, AuditCheckpoint.head_hash).order_by(
            AuditCheckpoint.id
        )
    ).all()
    chain = _chain(session)
    assert [tuple(row) for row in rows] == [(1, 2, chain[1]["hash"]), (2, 4, chain[3]["hash"])]
    assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 5
    report = audit.verify_checkpoints(session, keys.public_keys(app))
    assert (report.ok, report.checked, report.latest_count) == (True, 2, 4)
    assert audit.verify(session).checked == 5


@pytest.mark.parametrize(
    "db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
@pytest.mark.parametrize("fast", [False, True], ids=["session", "fast"])
def test_on_postgresql_a_submission_waits_for_the_chain_only_after_its_own_work(
    app: Flask, session: Session, session_factory: Any, fast: bool
) -> None:
    # While another transaction holds the chain (a staff decision, say), a submission gets
    # through its duplicate check and its inserts under its own lock and waits only for the
    # chain: submissions from different people queue for the event and the commit alone.
    assert session.get_bind().dialect.name == "postgresql"  # SQLite has one write lock
    holder = session_factory()
    audit.lock_chain(holder)
    done: list[bool] = []

    def submit() -> None:
        with app.app_context(), session_factory() as own:
            fast_engine = app.extensions[READ_ENGINE] if fast else None
            done.append(_submit(own, 7, fast_engine=fast_engine))

    thread = threading.Thread(target=submit)
    thread.start()
    try:
        locks: list[tuple[int, int, bool]] = []
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not any(not granted for *_, granted in locks):
            time.sleep(0.05)
            locks = [
                tuple(row)
                for row in holder.connection().exec_driver_sql(
                    "SELECT classid::int, objsubid::int, granted FROM pg_locks "
                    "WHERE locktype = 'advisory' AND pid <> pg_backend_pid()"
                )
            ]
        # objsubid 2: a two-key lock (the submission's own), 1: a one-key lock (the chain's).
        assert sorted(
            (classid == submissions._SAME_REQUESTS_LOCK_CLASS, subid, granted)
            for classid, subid, granted in locks
        ) == [(False, 1, False), (True, 2, True)]
        assert done == []
    finally:
        holder.rollback()
        holder.close()
        thread.join(timeout=30)
    assert done == [True]
    assert [e["request_id"] for e in _chain(session)] == [
        session.scalar(select(DataRequest.id).where(DataRequest.email == "maija7@example.fi"))
    ]
