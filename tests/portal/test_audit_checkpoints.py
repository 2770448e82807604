"""Signed audit checkpoints (issue 18): a trail cut short or rewritten and re-chained by someone
with write access to the database, but without the portal's signing key, fails `audit verify`.

Runs on SQLite and PostgreSQL (the `app` fixture), through the real app and its CLI.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from portal.core import audit, keys, seal
from portal.core.models import AuditCheckpoint, AuditEvent
from tests.portal.support.cli import cli


def _append(session: Session, count: int, actor: str = "system") -> None:
    for n in range(count):
        audit.record(session, action="request.viewed", actor=actor, request_id=n, detail=f"n={n}")
        session.commit()


def _checkpoints(session: Session) -> list[tuple[int, int, str]]:
    rows = session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id)).all()
    return [(row.id, row.event_count, row.reason) for row in rows]


def _rechain(session: Session, start: int, detail: str) -> None:
    """What someone with database access can do: edit event `start` and recompute every later
    hash and link, so the chain holds again."""
    prev = audit.GENESIS_HASH
    for row in session.execute(select(AuditEvent.__table__).order_by(AuditEvent.id)).all():
        fields = {**audit.event_fields(row), "prev_hash": prev}
        if row.id == start:
            fields["detail"] = detail
        prev = audit.compute_hash(fields)
        session.execute(
            text("UPDATE audit_event SET detail = :d, prev_hash = :p, hash = :h WHERE id = :id"),
            {"d": fields["detail"], "p": fields["prev_hash"], "h": prev, "id": row.id},
        )
    session.commit()
    assert audit.verify(session).ok  # the chain alone is fooled


def test_appends_sign_a_checkpoint_every_interval(app: Flask, session: Session) -> None:
    audit.enable_checkpoints(app.extensions["db_engine"], lambda: seal.app_key(app), every=5)
    _append(session, 12)
    assert _checkpoints(session) == [(1, 5, "interval"), (2, 10, "interval")]
    # One batch crossing a multiple signs the head of the batch.
    audit.record_many(session, [{"action": "request.viewed", "actor": "system"} for _ in range(4)])
    session.commit()
    assert _checkpoints(session)[-1] == (3, 16, "interval")
    row = session.get(AuditCheckpoint, 3)
    assert row is not None and row.key_id == seal.app_key(app).key_id
    head = session.get(AuditEvent, 16)
    assert head is not None and row.head_hash == head.hash
    report = audit.verify_checkpoints(session, keys.public_keys(app))
    assert (report.ok, report.checked, report.latest_count) == (True, 3, 16)


def test_verify_signs_the_head_and_then_sees_the_last_ten_events_deleted(
    app: Flask, session: Session
) -> None:
    _append(session, 37)
    result = cli(app, "audit", "verify")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("audit chain ok: 37 events, head ")
    assert lines[1] == "signed checkpoints ok: 0 checked; checkpoint 1 signed at event 37"
    session.expire_all()
    assert _checkpoints(session) == [(1, 37, "verify")]

    session.execute(text("DELETE FROM audit_event WHERE id > 27"))
    session.commit()
    assert audit.verify(session).ok  # the chain alone cannot tell
    result = cli(app, "audit", "verify")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "audit trail FAILS its signed checkpoints: checkpoint 1 "
        f"({_at(session, 1)}, 37 events): the trail now ends at event 27; events after it "
        "were deleted (truncated)"
    ]
    session.expire_all()
    assert _checkpoints(session) == [(1, 37, "verify")]  # a failed verify signs nothing


def _at(session: Session, seq: int) -> str:
    row = session.get(AuditCheckpoint, seq)
    assert row is not None
    return audit.checkpoint_payload(row)["at"]


def test_a_rewritten_and_rechained_trail_is_named(app: Flask, session: Session) -> None:
    _append(session, 20)
    assert cli(app, "audit", "verify").exit_code == 0
    _rechain(session, 4, "n=3 (nothing to see)")
    result = cli(app, "audit", "verify")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "audit trail FAILS its signed checkpoints: checkpoint 1 "
        f"({_at(session, 1)}, 20 events): event 20 is not the event it signed (the trail was "
        "rewritten up to it)"
    ]


def test_a_checkpoint_rewritten_to_match_is_a_forgery(app: Flask, session: Session) -> None:
    _append(session, 8)
    assert cli(app, "audit", "verify").exit_code == 0
    _rechain(session, 2, "changed")
    new_head = session.get(AuditEvent, 8)
    assert new_head is not None
    session.execute(text("UPDATE audit_checkpoint SET head_hash = :h"), {"h": new_head.hash})
    session.commit()
    result = cli(app, "audit", "verify")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "audit trail FAILS its signed checkpoints: checkpoint 1 "
        f"({_at(session, 1)}, 8 events) has a signature that does not hold (forged or edited)"
    ]


def test_a_checkpoint_signed_with_another_key_is_refused(app: Flask, session: Session) -> None:
    _append(session, 3)
    stranger = seal.load_or_create_key(Path(app.instance_path) / "elsewhere")
    report = audit.verify(session)
    audit.checkpoint(session, stranger, report)
    session.commit()
    result = cli(app, "audit", "verify")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "audit trail FAILS its signed checkpoints: checkpoint 1 "
        f"({_at(session, 1)}, 3 events) is signed by key {stranger.key_id}, which this portal "
        "does not know"
    ]


def test_exported_checkpoints_catch_a_tail_deleted_with_its_checkpoints(
    app: Flask, session: Session, tmp_path: Path
) -> None:
    _append(session, 10)
    assert cli(app, "audit", "verify").exit_code == 0
    _append(session, 5)
    assert cli(app, "audit", "verify").exit_code == 0
    kept = tmp_path / "checkpoints.jsonl"
    result = cli(app, "audit", "checkpoints", "--export", str(kept))
    assert result.exit_code == 0, result.output
    assert result.stderr == f"2 checkpoint(s) written to {kept}\n"
    exported = [json.loads(line) for line in kept.read_text(encoding="utf-8").splitlines()]
    assert [(c["seq"], c["count"], c["reason"]) for c in exported] == [
        (1, 10, "verify"),
        (2, 15, "verify"),
    ]
    assert set(exported[0]) == {
        "kind",
        "seq",
        "at",
        "count",
        "head",
        "reason",
        "key_id",
        "signature",
    }

    # Someone deletes the newest events and the checkpoint that counted them: the database
    # alone is consistent again.
    session.execute(text("DELETE FROM audit_event WHERE id > 10"))
    session.execute(text("DELETE FROM audit_checkpoint WHERE id = 2"))
    session.commit()
    assert audit.verify_checkpoints(session, keys.public_keys(app)).ok
    result = cli(app, "audit", "verify", "--checkpoints", str(kept))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "audit trail FAILS its signed checkpoints: exported checkpoint 2 is not in the database "
        "(deleted)",
        "audit trail FAILS its signed checkpoints: checkpoint 2 "
        f"({exported[1]['at']}, 15 events): the trail now ends at event 10; events after it "
        "were deleted (truncated)",
    ]


def test_a_deleted_middle_checkpoint_is_named(app: Flask, session: Session) -> None:
    for _ in range(3):
        _append(session, 2)
        assert cli(app, "audit", "verify").exit_code == 0
    session.execute(text("DELETE FROM audit_checkpoint WHERE id = 2"))
    session.commit()
    result = cli(app, "audit", "verify")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "audit trail FAILS its signed checkpoints: checkpoint 2 is missing (deleted)"
    ]


def test_checkpoints_signed_before_a_key_rotation_still_verify(
    app: Flask, session: Session
) -> None:
    _append(session, 4)
    assert cli(app, "audit", "verify").exit_code == 0
    old, new = keys.rotate_key(app)
    _append(session, 2)
    result = cli(app, "audit", "verify")
    assert result.exit_code == 0, result.output
    session.expire_all()
    rows = session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id)).all()
    assert [(row.event_count, row.key_id) for row in rows] == [(4, old), (6, new)]


def test_the_checkpoint_list_and_a_bad_export_file(
    app: Flask, session: Session, tmp_path: Path
) -> None:
    _append(session, 2)
    assert cli(app, "audit", "verify").exit_code == 0
    listed = cli(app, "audit", "checkpoints")
    row = session.get(AuditCheckpoint, 1)
    assert row is not None
    assert listed.output == (
        f"1  {_at(session, 1)}  2 events  head {row.head_hash}  key {row.key_id}  (verify)\n"
    )
    stdout = cli(app, "audit", "checkpoints", "--export", "-")
    assert [json.loads(line)["seq"] for line in stdout.output.splitlines()] == [1]
    nowhere = cli(app, "audit", "checkpoints", "--export", str(tmp_path / "no" / "such.jsonl"))
    assert nowhere.exit_code == 2 and "No such file or directory" in nowhere.output
    assert "Traceback" not in nowhere.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"seq": 1}\n', encoding="utf-8")
    result = cli(app, "audit", "verify", "--checkpoints", str(bad))
    assert result.exit_code == 1
    assert result.stderr == (
        f"audit checkpoints not read: {bad}:1: not an exported audit checkpoint\n"
    )
    assert "Traceback" not in result.output
    bad.write_bytes(b"\xff\xfe{}\n")
    result = cli(app, "audit", "verify", "--checkpoints", str(bad))
    assert (result.exit_code, result.stderr) == (
        1,
        f"audit checkpoints not read: {bad}: not UTF-8 text\n",
    )


@pytest.mark.parametrize("every", [0, -1])
def test_an_interval_below_one_is_refused(app: Flask, every: int) -> None:
    with pytest.raises(ValueError, match="at least one event"):
        audit.enable_checkpoints(app.extensions["db_engine"], lambda: seal.app_key(app), every)
