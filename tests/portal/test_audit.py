"""Audit chain: appends, sanitising, tamper detection, export, CLI and concurrent writers."""

from __future__ import annotations

import datetime as dt
import io
import json
import threading
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from portal.core import audit, seal
from portal.core.models import AuditEvent
from tests.portal.support.cli import cli

T0 = dt.datetime(2025, 5, 10, 8, 0, tzinfo=dt.UTC)


def append(session: Session, count: int) -> list[AuditEvent]:
    events = [
        audit.record(
            session,
            action="request.viewed",
            actor="staff",
            staff_id=7,
            request_id=100 + n,
            detail=f"n={n}",
            now=T0 + dt.timedelta(minutes=n),
        )
        for n in range(count)
    ]
    session.commit()
    return events


def test_events_form_a_numbered_chain_from_genesis(session: Session) -> None:
    first, second, third = append(session, 3)
    assert [first.id, second.id, third.id] == [1, 2, 3]
    assert first.prev_hash == audit.GENESIS_HASH == "0" * 64
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert first.hash == audit.compute_hash(audit.event_fields(first))
    report = audit.verify(session)
    assert report == audit.VerifyReport(True, 3, None, None, third.hash)


def test_times_are_stored_and_hashed_in_utc(session: Session) -> None:
    helsinki = dt.timezone(dt.timedelta(hours=3))
    event = audit.record(
        session,
        action="request.viewed",
        actor="system",
        now=dt.datetime(2025, 6, 1, 12, 0, tzinfo=helsinki),
    )
    session.commit()
    assert audit.event_fields(event)["at"] == "2025-06-01T09:00:00.000000Z"
    session.expire_all()
    stored = session.get(AuditEvent, event.id)
    assert stored is not None and audit.event_fields(stored)["at"] == "2025-06-01T09:00:00.000000Z"
    assert audit.verify(session).ok


@pytest.mark.parametrize(
    ("detail", "stored"),
    [
        ("status=open", "status=open"),
        ("forged\nrequest.deleted by admin", "forged\\nrequest.deleted by admin"),
        ("a\r\nb\tc", "a\\r\\nb\\tc"),
        ("bell\x07 nul\x00 csi\x9b", "bell\\u0007 nul\\u0000 csi\\u009b"),
        ("line\u2028sep", "line\\u2028sep"),
        ("to asa.aijala@example.fi sent", "to [email] sent"),
        ("x" * 600, "x" * 499 + "…"),
    ],
)
def test_details_are_one_line_without_addresses_and_capped(detail: str, stored: str) -> None:
    assert audit.sanitise_detail(detail) == stored


@pytest.mark.parametrize(
    ("action", "actor", "message"),
    [
        ("Request Viewed", "staff", "dotted lower-case name"),
        ("viewed", "staff", "dotted lower-case name"),
        ("request.viewed\n", "staff", "dotted lower-case name"),
        ("request.viewed", "robot", "actor must be one of"),
    ],
)
def test_bad_actions_and_actors_are_refused(
    session: Session, action: str, actor: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        audit.record(session, action=action, actor=actor)


def test_an_edited_event_is_named(session: Session) -> None:
    append(session, 5)
    session.execute(text("UPDATE audit_event SET detail = 'n=99' WHERE id = 3"))
    session.commit()
    report = audit.verify(session)
    assert (report.ok, report.first_broken_id, report.checked) == (False, 3, 2)
    assert report.reason == "hash does not match the event's content (edited)"


def test_an_edited_event_with_a_recomputed_hash_breaks_the_next_link(session: Session) -> None:
    events = append(session, 4)
    forged = dict(audit.event_fields(events[1]), detail="n=forged")
    session.execute(
        text("UPDATE audit_event SET detail = :detail, hash = :hash WHERE id = 2"),
        {"detail": "n=forged", "hash": audit.compute_hash(forged)},
    )
    session.commit()
    report = audit.verify(session)
    assert (report.ok, report.first_broken_id) == (False, 3)
    assert report.reason is not None and "link to the previous event" in report.reason


def test_a_deleted_event_is_named(session: Session) -> None:
    append(session, 5)
    session.execute(text("DELETE FROM audit_event WHERE id = 2"))
    session.commit()
    report = audit.verify(session)
    assert (report.ok, report.first_broken_id, report.checked) == (False, 2, 1)
    assert report.reason == "event 2 is missing (deleted or renumbered)"


def test_deleting_the_first_event_is_detected(session: Session) -> None:
    append(session, 3)
    session.execute(text("DELETE FROM audit_event WHERE id = 1"))
    session.commit()
    assert audit.verify(session).first_broken_id == 1


def test_renumbering_after_a_deletion_is_detected(session: Session) -> None:
    append(session, 4)
    session.execute(text("DELETE FROM audit_event WHERE id = 2"))
    session.execute(text("UPDATE audit_event SET id = id - 1 WHERE id > 2"))
    session.commit()
    report = audit.verify(session)
    assert (report.ok, report.first_broken_id) == (False, 2)


def test_swapping_two_events_is_detected(session: Session) -> None:
    append(session, 5)
    columns = ["at", "actor", "staff_id", "action", "request_id", "detail", "prev_hash", "hash"]
    rows = {
        row.id: row
        for row in session.execute(
            text(f"SELECT id, {', '.join(columns)} FROM audit_event WHERE id IN (2, 4)")
        )
    }
    # The hash column is unique: park one row's hash while the two rows trade contents.
    session.execute(text("UPDATE audit_event SET hash = 'parked' WHERE id = 2"))
    for target, source in ((4, 2), (2, 4)):
        values = {name: getattr(rows[source], name) for name in columns}
        assignments = ", ".join(f"{name} = :{name}" for name in columns)
        session.execute(
            text(f"UPDATE audit_event SET {assignments} WHERE id = :id"), {**values, "id": target}
        )
    session.commit()
    report = audit.verify(session)
    assert (report.ok, report.first_broken_id) == (False, 2)


def test_a_truncated_tail_changes_the_head_hash(session: Session) -> None:
    append(session, 3)
    head = audit.verify(session).head_hash
    session.execute(text("DELETE FROM audit_event WHERE id = 3"))
    session.commit()
    report = audit.verify(session)
    assert report.ok and report.checked == 2 and report.head_hash != head


def test_export_writes_json_lines_that_verify_on_their_own(session: Session) -> None:
    append(session, 3)
    out = io.StringIO()
    assert audit.export(session, out) == 3
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["id"] for line in lines] == [1, 2, 3]
    prev = audit.GENESIS_HASH
    for line in lines:
        assert line["prev_hash"] == prev
        own = line.pop("hash")
        assert audit.compute_hash(line) == own
        prev = own


def test_events_for_request_is_the_timeline(session: Session) -> None:
    append(session, 3)
    audit.record(session, action="request.assigned", actor="staff", staff_id=7, request_id=101)
    session.commit()
    timeline = audit.events_for_request(session, 101)
    assert [event.action for event in timeline] == ["request.viewed", "request.assigned"]


def test_record_leaves_the_callers_objects_alone(session: Session) -> None:
    events = append(session, 2)
    audit.verify(session)
    assert events[0] in session


def test_cli_verify_and_export(app: Flask, session: Session, tmp_path: Path) -> None:
    append(session, 3)
    result = cli(app, "audit", "verify")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("audit chain ok: 3 events, head ")
    out = tmp_path / "audit.jsonl"
    result = cli(app, "audit", "export", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3
    result = cli(app, "audit", "export")
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [1, 2, 3]

    session.execute(text("UPDATE audit_event SET staff_id = 8 WHERE id = 2"))
    session.commit()
    result = cli(app, "audit", "verify")
    assert result.exit_code == 1
    assert "BROKEN at event 2: hash does not match the event's content (edited)" in result.output


def test_concurrent_writers_never_fork_the_chain(session_factory: sessionmaker[Session]) -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def writer(worker: int) -> None:
        try:
            start.wait()
            for n in range(10):
                with session_factory() as own:
                    # A read first, as a real view does, before the append takes the lock.
                    own.execute(select(AuditEvent.id).limit(1)).all()
                    audit.record(
                        own, action="request.viewed", actor="system", detail=f"{worker}/{n}"
                    )
                    own.commit()
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with session_factory() as check:
        report = audit.verify(check)
        assert (report.ok, report.checked) == (True, 40)
        details = check.scalars(select(AuditEvent.detail)).all()
        assert sorted(details) == sorted(f"{w}/{n}" for w in range(4) for n in range(10))


def test_a_checkpoint_waits_for_an_append_in_flight(
    app: Flask, session_factory: sessionmaker[Session]
) -> None:
    """`audit verify` signs under the chain's lock: not while another transaction is appending
    (two signers would otherwise both find no checkpoint for the head and both write one)."""
    with session_factory() as first:
        append(first, 2)
        report = audit.verify(first)
    key = seal.app_key(app)
    signed = threading.Event()
    made: list[tuple[int, str] | BaseException] = []

    def sign() -> None:
        try:
            with session_factory() as own:
                checkpoint = audit.checkpoint(own, key, report)
                assert checkpoint is not None
                made.append((checkpoint.event_count, checkpoint.reason))
                own.commit()
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            made.append(error)
        signed.set()

    with session_factory() as writer:
        audit.record(writer, action="request.viewed", actor="system")  # holds the lock
        signer = threading.Thread(target=sign)
        signer.start()
        assert not signed.wait(1.5), made
        writer.commit()
    signer.join(60)
    assert made == [(2, "verify")]


def test_record_many_appends_a_batch_in_order_or_nothing(session: Session) -> None:
    append(session, 1)
    batch = [
        {"action": "request.purged", "actor": "system", "request_id": n, "detail": "a\nb"}
        for n in (5, 6, 7)
    ]
    with pytest.raises(ValueError, match="dotted lower-case name"):
        audit.record_many(session, [*batch, {"action": "bad", "actor": "system"}])
    assert audit.verify(session).checked == 1
    events = audit.record_many(session, batch, now=T0)
    session.commit()
    assert [(e.id, e.request_id, e.detail) for e in events] == [
        (2, 5, "a\\nb"),
        (3, 6, "a\\nb"),
        (4, 7, "a\\nb"),
    ]
    assert events[1].prev_hash == events[0].hash and events[2].prev_hash == events[1].hash
    report = audit.verify(session)
    assert (report.ok, report.checked, report.head_hash) == (True, 4, events[-1].hash)
