"""Group commit of consent records: concurrent posts share transactions, the chain stays one
unbroken line, a repeated event stays one record, and no post is answered before its commit.

Real threads against the real app on SQLite and PostgreSQL (the `db_url` fixture).
"""

from __future__ import annotations

import itertools
import threading
import time
from typing import Any

from flask import Flask
from sqlalchemy import event, select, text
from sqlalchemy.orm import Session

from portal.core import consent
from portal.core.models import AuditEvent, ConsentRecord
from portal.db import get_session, session_factory
from tests.portal.test_consent import choice, notice_of, post


def parsed(app: Flask, body: dict[str, Any]) -> consent.Choice:
    notice = notice_of(app)
    return consent.parse(body, notices={notice.hash: notice}, languages=["fi", "sv", "en"],
                         gpc_header=False)  # fmt: skip


def test_concurrent_posts_make_one_unbroken_chain(app: Flask, session: Session) -> None:
    bodies = [[choice(app, accepted=["analytics"]) for _ in range(6)] for _ in range(8)]
    for n, mine in enumerate(bodies):  # each client also repeats its neighbour's first event
        mine.append(bodies[(n + 1) % 8][0])
    answers: dict[str, set[int]] = {}
    lock = threading.Lock()
    failures: list[BaseException] = []

    def client(mine: list[dict[str, Any]]) -> None:
        try:
            web = app.test_client()
            for body in mine:
                response = post(web, body)
                assert response.status_code == 201, response.text
                with lock:
                    answers.setdefault(body["event_id"], set()).add(response.json["record"])
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(error)

    threads = [threading.Thread(target=client, args=(mine,)) for mine in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(answers) == 48
    assert all(len(numbers) == 1 for numbers in answers.values())  # a repeat: the same record
    rows = session.scalars(select(ConsentRecord).order_by(ConsentRecord.id)).all()
    assert [row.id for row in rows] == list(range(1, 49))
    assert {row.event_id: {row.id} for row in rows} == answers
    assert consent.verify(session) == consent.ChainReport(True, 48)


def test_posts_waiting_for_the_lock_are_written_in_one_transaction(
    app: Flask, session: Session
) -> None:
    bodies = [choice(app, accepted=["analytics"]) for _ in range(5)]
    flushed: list[int] = []

    def count(flushing: Session, _context: Any) -> None:
        new = [row for row in flushing.new if isinstance(row, ConsentRecord)]
        if new:
            flushed.append(len(new))

    holder = session_factory(app)()
    consent._lock_and_head(holder)  # someone else (another worker) holds the chain
    outcomes: dict[int, consent.Outcome] = {}

    def store(n: int) -> None:
        with app.app_context():
            outcomes[n] = consent.store(get_session(), parsed(app, bodies[n]), keep_days=30)

    event.listen(Session, "after_flush", count)
    try:
        first = threading.Thread(target=store, args=(0,))
        first.start()
        with app.app_context():
            group = consent.group_commit(get_session().get_bind())
        while not group._busy:
            time.sleep(0.01)
        others = [threading.Thread(target=store, args=(n,)) for n in range(1, 5)]
        for thread in others:
            thread.start()
        deadline = time.monotonic() + 20
        while len(group._queue) < 4 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(group._queue) == 4  # queued behind the leader, which waits for the lock
        assert outcomes == {}  # nobody is answered before the commit
        holder.commit()
        for thread in [first, *others]:
            thread.join()
    finally:
        event.remove(Session, "after_flush", count)
        holder.close()
    # The leader's record, then the four that waited, together: on PostgreSQL the records'
    # transaction ids say so (the batch is written below the ORM there), on SQLite the flushes.
    if session.get_bind().dialect.name == "postgresql":
        xmins = session.execute(text("SELECT xmin::text FROM consent_record ORDER BY id")).all()
        assert [len(list(group)) for _, group in itertools.groupby(xmins)] == [1, 4]
    else:
        assert flushed == [1, 4]
    assert sorted(outcome.record.id for outcome in outcomes.values()) == [1, 2, 3, 4, 5]
    assert outcomes[0].record.id == 1
    assert consent.verify(session) == consent.ChainReport(True, 5)


def test_a_batch_repeating_an_event_keeps_one_record(app: Flask, session: Session) -> None:
    body = choice(app, accepted=["analytics"])
    batch = [consent._Pending(parsed(app, body), consent.utcnow(), 30) for _ in range(3)]
    with Session(bind=session.get_bind(), expire_on_commit=False) as writer:
        outcomes = consent.append(writer, batch)
        writer.commit()
    assert [outcome.record.id for outcome in outcomes] == [1, 1, 1]
    assert session.scalars(select(ConsentRecord.event_id)).all() == [body["event_id"]]


def test_a_repeated_event_in_a_batch_is_caught_by_its_unique_id(
    app: Flask, session: Session
) -> None:
    first, other = choice(app, accepted=["analytics"]), choice(app, accepted=["analytics"])
    group = consent.GroupCommit(session.get_bind())
    earlier = [consent._Pending(parsed(app, first), consent.utcnow(), 30)]
    group._write(earlier)  # recorded before: the batch below repeats it
    batch = [consent._Pending(parsed(app, body), consent.utcnow(), 30)
             for body in (other, first, other)]  # fmt: skip
    group._write(batch)
    assert [pending.outcome.record.id for pending in batch] == [2, 1, 2]
    assert consent.verify(session) == consent.ChainReport(True, 2)


def test_every_anchor_is_written_whichever_way_a_batch_goes(
    app: Flask, session: Session, monkeypatch: Any
) -> None:
    """Batches in which an anchor falls go through the session and the audit trail; the others
    (on PostgreSQL) below the ORM: both kinds chain, count and anchor alike."""
    monkeypatch.setattr(consent, "ANCHOR_EVERY", 10)
    group = consent.GroupCommit(session.get_bind())
    written: list[consent.Outcome] = []
    for _ in range(7):  # 28 records in batches of 4: anchors at 10 and 20
        batch = [consent._Pending(parsed(app, choice(app, accepted=["analytics"])),
                                  consent.utcnow(), 30) for _ in range(4)]  # fmt: skip
        group._write(batch)
        written += [pending.outcome for pending in batch]
    assert [outcome.record.id for outcome in written] == list(range(1, 29))
    anchors = session.scalars(
        select(AuditEvent.detail)
        .where(AuditEvent.action == "consent.chain_head")
        .order_by(AuditEvent.id)
    ).all()
    hashes = {outcome.record.id: outcome.record.hash for outcome in written}
    assert anchors == [f"record 10 {hashes[10]}", f"record 20 {hashes[20]}"]
    assert consent.verify(session) == consent.ChainReport(True, 28)
    assert consent.counts(session)["source"] == [("banner", 28)]
    assert consent.counts(session) == consent.recount(session)
