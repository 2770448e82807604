"""The audit trail as an auditor reads it: exact hashes, exact `audit verify` lines, exact limits.

The hash of an event is computed here independently (SHA-256 of the sorted, compact JSON the
documentation describes), so a change to what is hashed or how fails even if the portal's own
verification still agrees with itself. Runs on SQLite and PostgreSQL (the `app` fixture).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import time
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from portal.core import audit, keys, seal
from portal.core.models import AuditCheckpoint, AuditEvent
from tests.portal.support.cli import cli

T0 = dt.datetime(2025, 5, 10, 8, 0, tzinfo=dt.UTC)
GENESIS = "0" * 64


def sha256_of(fields: dict[str, object]) -> str:
    """The documented hash: SHA-256 of the sorted, compact, UTF-8 JSON of the event's fields."""
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def exported(session: Session) -> list[dict[str, object]]:
    out = io.StringIO()
    count = audit.export(session, out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert count == len(rows)
    return rows


def test_each_event_hashes_its_fields_and_links_to_the_one_before(session: Session) -> None:
    audit.record(
        session,
        action="request.viewed",
        actor="staff",
        staff_id=7,
        request_id=101,
        detail="tila=avoin ä",
        now=T0,
    )
    audit.record(session, action="request.closed", actor="system", now=T0.replace(microsecond=5))
    session.commit()
    first = {
        "id": 1,
        "at": "2025-05-10T08:00:00.000000Z",
        "actor": "staff",
        "staff_id": 7,
        "action": "request.viewed",
        "request_id": 101,
        "detail": "tila=avoin ä",
        "prev_hash": GENESIS,
    }
    second = {
        "id": 2,
        "at": "2025-05-10T08:00:00.000005Z",
        "actor": "system",
        "staff_id": None,
        "action": "request.closed",
        "request_id": None,
        "detail": "",
        "prev_hash": sha256_of(first),
    }
    assert exported(session) == [
        {**first, "hash": sha256_of(first)},
        {**second, "hash": sha256_of(second)},
    ]
    report = audit.verify(session)
    assert report == audit.VerifyReport(True, 2, None, None, sha256_of(second))


def test_a_naive_time_is_taken_as_utc(session: Session) -> None:
    audit.record(session, action="request.viewed", actor="system", now=dt.datetime(2025, 1, 2, 3))
    session.commit()
    assert exported(session)[0]["at"] == "2025-01-02T03:00:00.000000Z"


def test_a_caller_holding_the_lock_appends_after_the_head_it_read(session: Session) -> None:
    """A check-then-write (a submission's duplicate check) takes the lock, reads the head once and
    passes it on: the events continue the chain from exactly that head."""
    audit.record(session, action="request.viewed", actor="system", now=T0)
    session.commit()
    first_hash = exported(session)[0]["hash"]
    head = audit.lock_chain(session)
    assert head == (1, first_hash)
    audit.record_many(
        session,
        [
            {"action": "request.received", "actor": "subject", "request_id": 5},
            {"action": "mail.queued", "actor": "system", "request_id": 5},
        ],
        now=T0,
        head=head,
    )
    session.commit()
    rows = exported(session)
    assert [(row["id"], row["action"]) for row in rows] == [
        (1, "request.viewed"),
        (2, "request.received"),
        (3, "mail.queued"),
    ]
    assert [(row["staff_id"], row["detail"]) for row in rows[1:]] == [(None, ""), (None, "")]
    assert rows[1]["prev_hash"] == first_hash
    assert rows[2]["prev_hash"] == rows[1]["hash"]
    assert audit.verify(session).ok


def test_an_event_is_written_when_recorded_so_a_raw_head_read_sees_it(session: Session) -> None:
    """`record` flushes: the lock-and-head read (raw SQL, which does not flush the session) in the
    same transaction finds the new event as the head, so the next event cannot take its id."""
    event = audit.record(session, action="request.viewed", actor="system", now=T0)
    assert audit.lock_chain(session) == (1, event.hash)
    session.commit()


def test_an_empty_trail_verifies_with_the_genesis_head(session: Session) -> None:
    assert audit.verify(session) == audit.VerifyReport(True, 0, None, None, GENESIS)


def _append(session: Session, count: int) -> None:
    for n in range(count):
        audit.record(session, action="request.viewed", actor="system", detail=f"n={n}")
        session.commit()


def test_verify_prints_one_event_in_the_singular_then_vouches_for_it(
    app: Flask, session: Session
) -> None:
    _append(session, 1)
    head = audit.verify(session).head_hash
    first = cli(app, "audit", "verify")
    assert (first.exit_code, first.stdout.splitlines()) == (
        0,
        [
            f"audit chain ok: 1 event, head {head}",
            "signed checkpoints ok: 0 checked; checkpoint 1 signed at event 1",
        ],
    )
    again = cli(app, "audit", "verify")
    assert (again.exit_code, again.stdout.splitlines()) == (
        0,
        [
            f"audit chain ok: 1 event, head {head}",
            "signed checkpoints ok: 1 checked, the newest vouches for 1 events",
        ],
    )
    _append(session, 1)
    head = audit.verify(session).head_hash
    third = cli(app, "audit", "verify")
    assert (third.exit_code, third.stdout.splitlines()) == (
        0,
        [
            f"audit chain ok: 2 events, head {head}",
            "signed checkpoints ok: 1 checked, the newest vouches for 1 events; "
            "checkpoint 2 signed at event 2",
        ],
    )


def test_an_empty_trail_verifies_and_signs_nothing(app: Flask, session: Session) -> None:
    result = cli(app, "audit", "verify")
    assert (result.exit_code, result.stdout.splitlines()) == (
        0,
        [f"audit chain ok: 0 events, head {GENESIS}", "signed checkpoints ok: 0 checked"],
    )
    assert session.scalars(select(AuditCheckpoint)).all() == []


def test_verify_names_an_edited_event_and_what_before_it_holds(
    app: Flask, session: Session
) -> None:
    _append(session, 4)
    session.execute(text("UPDATE audit_event SET detail = 'n=9' WHERE id = 3"))
    session.commit()
    result = cli(app, "audit", "verify")
    assert (result.exit_code, result.stdout, result.stderr.splitlines()) == (
        1,
        "",
        [
            "audit chain BROKEN at event 3: hash does not match the event's content (edited) "
            "(2 earlier event(s) intact)"
        ],
    )
    assert session.scalars(select(AuditCheckpoint)).all() == []


def test_a_rehashed_edit_breaks_the_next_link_exactly(session: Session) -> None:
    _append(session, 4)
    table = AuditEvent.__table__
    row = session.execute(select(table).where(table.c.id == 2)).one()
    fields = {**audit.event_fields(row), "detail": "n=forged"}
    session.execute(
        text("UPDATE audit_event SET detail = 'n=forged', hash = :h WHERE id = 2"),
        {"h": sha256_of(fields)},
    )
    session.commit()
    good = session.execute(text("SELECT hash FROM audit_event WHERE id = 1")).scalar_one()
    report = audit.verify(session)
    assert report == audit.VerifyReport(
        False,
        2,
        3,
        "link to the previous event is broken (deleted, inserted or reordered)",
        sha256_of(fields),
    )
    assert good != report.head_hash


def test_a_gap_is_named_by_the_missing_number(session: Session) -> None:
    _append(session, 5)
    head = session.execute(text("SELECT hash FROM audit_event WHERE id = 3")).scalar_one()
    session.execute(text("DELETE FROM audit_event WHERE id = 4"))
    session.commit()
    report = audit.verify(session)
    assert report == audit.VerifyReport(
        False, 3, 4, "event 4 is missing (deleted or renumbered)", head
    )


def test_a_trail_longer_than_one_page_of_reading_verifies(session: Session) -> None:
    audit.record_many(
        session, [{"action": "request.viewed", "actor": "system"} for _ in range(1002)]
    )
    session.commit()
    report = audit.verify(session)
    assert (report.ok, report.checked) == (True, 1002)


@pytest.mark.parametrize(
    ("detail", "stored"),
    [
        ("x" * 500, "x" * 500),
        ("x" * 501, "x" * 499 + "…"),
        ("del\x7f c1\x80 \x1f", "del\\u007f c1\\u0080 \\u001f"),
        ("para\u2029end", "para\\u2029end"),
        ("<a.b@c.fi> 'd@e' \"f@g\"", "<[email]> '[email]' \"[email]\""),
    ],
)
def test_details_are_cut_at_500_characters_and_escaped(detail: str, stored: str) -> None:
    assert audit.sanitise_detail(detail) == stored


def test_an_action_of_64_characters_is_taken_65_are_refused(session: Session) -> None:
    ok = "a." + "b" * 62
    audit.record(session, action=ok, actor="subject")
    too_long = "a." + "b" * 63
    with pytest.raises(ValueError) as caught:
        audit.record(session, action=too_long, actor="subject")
    assert str(caught.value) == f"audit action must be a dotted lower-case name: {too_long!r}"
    with pytest.raises(ValueError) as caught:
        audit.record(session, action="request.viewed", actor="admin")
    assert str(caught.value) == (
        "audit actor must be one of ['staff', 'subject', 'system']: 'admin'"
    )


def test_appends_sign_every_interval_also_at_one(app: Flask, session: Session) -> None:
    audit.enable_checkpoints(app.extensions["db_engine"], lambda: seal.app_key(app), every=1)
    _append(session, 3)
    rows = session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id)).all()
    assert [(row.id, row.event_count, row.reason) for row in rows] == [
        (1, 1, "interval"),
        (2, 2, "interval"),
        (3, 3, "interval"),
    ]
    report = audit.verify_checkpoints(session, keys.public_keys(app))
    assert (report.problems, report.checked, report.latest_count) == ([], 3, 3)


def test_the_portal_signs_a_checkpoint_every_hundred_events(app: Flask, session: Session) -> None:
    """The documented interval, as the app sets it up (not a test's own): none at 99, one at 100."""
    audit.record_many(session, [{"action": "a.b", "actor": "system"} for _ in range(99)])
    session.commit()
    assert session.scalars(select(AuditCheckpoint)).all() == []
    audit.record_many(session, [{"action": "a.b", "actor": "system"}])
    session.commit()
    rows = session.scalars(select(AuditCheckpoint)).all()
    assert [(row.event_count, row.reason) for row in rows] == [(100, "interval")]


def test_a_batch_that_stays_below_the_next_multiple_signs_nothing(
    app: Flask, session: Session
) -> None:
    audit.enable_checkpoints(app.extensions["db_engine"], lambda: seal.app_key(app), every=5)
    audit.record_many(session, [{"action": "a.b", "actor": "system"} for _ in range(4)])
    session.commit()
    assert session.scalars(select(AuditCheckpoint)).all() == []
    audit.record_many(session, [{"action": "a.b", "actor": "system"}])
    session.commit()
    rows = session.scalars(select(AuditCheckpoint)).all()
    assert [(row.event_count, row.reason) for row in rows] == [(5, "interval")]


def test_the_export_and_its_note(app: Flask, session: Session, tmp_path: Path) -> None:
    _append(session, 3)
    out = tmp_path / "trail.jsonl"
    result = cli(app, "audit", "export", "--out", str(out))
    assert (result.exit_code, result.stderr, result.stdout) == (
        0,
        f"3 events written to {out}\n",
        "",
    )
    assert [json.loads(line)["detail"] for line in out.read_text("utf-8").splitlines()] == [
        "n=0",
        "n=1",
        "n=2",
    ]


def test_the_export_writes_letters_as_themselves_keys_sorted(session: Session) -> None:
    """The export is read by people and greps: "ä" is written as "ä", not as an escape."""
    audit.record(session, action="request.viewed", actor="staff", detail="tila=avoin ä", now=T0)
    session.commit()
    out = io.StringIO()
    assert audit.export(session, out) == 1
    assert '"detail": "tila=avoin ä"' in out.getvalue()
    keys = list(json.loads(out.getvalue()))  # the same event is always the same line
    assert keys == sorted(keys) and keys[0] == "action"


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ('\n{"seq": 1}\n', ":2: not an exported audit checkpoint"),
        ("not json\n", ":1: not a JSON line"),
        ("[1, 2]\n", ":1: not an exported audit checkpoint"),
    ],
)
def test_a_bad_checkpoint_file_is_named_by_its_line(
    app: Flask, session: Session, tmp_path: Path, content: str, says: str
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(content, encoding="utf-8")
    result = cli(app, "audit", "verify", "--checkpoints", str(bad))
    assert (result.exit_code, result.stderr) == (1, f"audit checkpoints not read: {bad}{says}\n")


def _kept(app: Flask, session: Session, tmp_path: Path) -> tuple[Path, dict[str, object]]:
    _append(session, 2)
    assert cli(app, "audit", "verify").exit_code == 0
    kept = tmp_path / "kept.jsonl"
    assert cli(app, "audit", "checkpoints", "--export", str(kept)).exit_code == 0
    return kept, json.loads(kept.read_text("utf-8"))


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"kind": "seloste.audit.checkpoint/2"}, "not an exported audit checkpoint"),
        ({"seq": "1"}, "not an exported audit checkpoint"),
        ({"count": 2.0}, "not an exported audit checkpoint"),
        ({"extra": 1}, "not an exported audit checkpoint"),
    ],
)
def test_an_exported_checkpoint_of_another_shape_is_refused(
    app: Flask, session: Session, tmp_path: Path, change: dict[str, object], says: str
) -> None:
    kept, item = _kept(app, session, tmp_path)
    kept.write_text(json.dumps({**item, **change}) + "\n", encoding="utf-8")
    result = cli(app, "audit", "verify", "--checkpoints", str(kept))
    assert (result.exit_code, result.stderr) == (
        1,
        f"audit checkpoints not read: {kept}:1: {says}\n",
    )


def test_an_exported_checkpoint_that_matches_verifies(
    app: Flask, session: Session, tmp_path: Path
) -> None:
    kept, _item = _kept(app, session, tmp_path)
    result = cli(app, "audit", "verify", "--checkpoints", str(kept))
    head = audit.verify(session).head_hash
    assert (result.exit_code, result.stdout.splitlines()) == (
        0,
        [
            f"audit chain ok: 2 events, head {head}",
            "signed checkpoints ok: 1 checked, the newest vouches for 2 events",
        ],
    )


def test_an_edited_stored_checkpoint_differs_from_its_exported_copy(
    app: Flask, session: Session, tmp_path: Path
) -> None:
    kept, item = _kept(app, session, tmp_path)
    session.execute(text("UPDATE audit_checkpoint SET reason = 'interval'"))
    session.commit()
    result = cli(app, "audit", "verify", "--checkpoints", str(kept))
    assert result.exit_code == 1
    where = f"checkpoint 1 ({item['at']}, 2 events)"
    assert result.stderr.splitlines() == [
        "audit trail FAILS its signed checkpoints: checkpoint 1 differs from its exported copy "
        "(edited)",
        f"audit trail FAILS its signed checkpoints: {where} has a signature that does not hold "
        "(forged or edited)",
    ]


@pytest.mark.parametrize("signature", ["not base64!", "", "AAAA"])
def test_a_signature_that_is_not_one_does_not_hold(
    app: Flask, session: Session, signature: str
) -> None:
    _append(session, 2)
    assert cli(app, "audit", "verify").exit_code == 0
    session.execute(text("UPDATE audit_checkpoint SET signature = :s"), {"s": signature})
    session.commit()
    report = audit.verify_checkpoints(session, keys.public_keys(app))
    row = session.scalars(select(AuditCheckpoint)).one()
    at = audit.checkpoint_payload(row)["at"]
    assert (report.problems, report.checked, report.latest_count) == (
        [f"checkpoint 1 ({at}, 2 events) has a signature that does not hold (forged or edited)"],
        1,
        0,
    )


def test_a_real_signature_with_a_stray_character_does_not_hold(
    app: Flask, session: Session
) -> None:
    """A signature's text is checked as written: base64 with a character added is an edit, even
    though a lenient decoder would skip it and find the signature intact."""
    _append(session, 2)
    assert cli(app, "audit", "verify").exit_code == 0
    signature = session.execute(text("SELECT signature FROM audit_checkpoint")).scalar_one()
    edited = signature[:10] + "*" + signature[10:]
    session.execute(text("UPDATE audit_checkpoint SET signature = :s"), {"s": edited})
    session.commit()
    report = audit.verify_checkpoints(session, keys.public_keys(app))
    assert [problem.rsplit(" has ", 1)[1] for problem in report.problems] == [
        "a signature that does not hold (forged or edited)"
    ]


def test_a_trail_deleted_whole_under_a_checkpoint_ends_at_event_0(
    app: Flask, session: Session
) -> None:
    _append(session, 2)
    assert cli(app, "audit", "verify").exit_code == 0
    session.execute(text("DELETE FROM audit_event"))
    session.commit()
    report = audit.verify_checkpoints(session, keys.public_keys(app))
    assert [problem.split(": ", 1)[1] for problem in report.problems] == [
        "the trail now ends at event 0; events after it were deleted (truncated)"
    ]
    assert (report.checked, report.latest_count) == (1, 0)


def test_the_checkpoint_signs_the_verified_head_only_once(app: Flask, session: Session) -> None:
    _append(session, 3)
    report = audit.verify(session)
    key = seal.app_key(app)
    at = dt.datetime(2025, 6, 1, 12, 0, 0, 250, tzinfo=dt.UTC)
    made = audit.checkpoint(session, key, report, now=at)
    assert made is not None
    assert audit.checkpoint_payload(made) == {
        "kind": "seloste.audit.checkpoint/1",
        "seq": 1,
        "at": "2025-06-01T12:00:00.000250Z",
        "count": 3,
        "head": report.head_hash,
        "reason": "verify",
        "key_id": key.key_id,
    }
    assert audit.checkpoint(session, key, report, now=at) is None  # already signed
    assert audit.checkpoint(session, key, audit.VerifyReport(True, 0), now=at) is None


def test_exported_checkpoints_are_one_sorted_json_object_a_line(
    app: Flask, session: Session
) -> None:
    """The export is kept outside the database and compared later, by people too: the same
    checkpoint is always the same line (keys sorted, compact as json.dumps writes it)."""
    _append(session, 3)
    key = seal.app_key(app)
    at = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC)
    made = audit.checkpoint(session, key, audit.verify(session), now=at)
    session.commit()
    assert made is not None
    out = io.StringIO()
    assert audit.export_checkpoints(session, out) == 1
    head = exported(session)[-1]["hash"]
    assert out.getvalue() == (
        f'{{"at": "2025-06-01T12:00:00.000000Z", "count": 3, "head": "{head}", '
        f'"key_id": "{key.key_id}", "kind": "seloste.audit.checkpoint/1", "reason": "verify", '
        f'"seq": 1, "signature": "{made.signature}"}}\n'
    )


def test_a_head_that_changed_since_it_was_verified_is_not_signed(
    app: Flask, session: Session
) -> None:
    _append(session, 3)
    report = audit.verify(session)
    session.execute(text("UPDATE audit_event SET hash = 'changed' WHERE id = 3"))
    assert audit.checkpoint(session, seal.app_key(app), report) is None
    assert session.scalars(select(AuditCheckpoint)).all() == []


def test_a_middle_event_deleted_under_a_checkpoint_is_named(app: Flask, session: Session) -> None:
    _append(session, 5)
    assert cli(app, "audit", "verify").exit_code == 0
    session.execute(text("DELETE FROM audit_event WHERE id = 2"))
    session.commit()
    report = audit.verify_checkpoints(session, keys.public_keys(app))
    row = session.scalars(select(AuditCheckpoint)).one()
    at = audit.checkpoint_payload(row)["at"]
    assert (report.problems, report.checked, report.latest_count) == (
        [
            f"checkpoint 1 ({at}, 5 events): the trail now ends at event 5; events after it "
            "were deleted (truncated)"
        ],
        1,
        0,
    )


def test_more_checkpoints_than_one_read_of_hashes_all_verify(app: Flask, session: Session) -> None:
    audit.enable_checkpoints(app.extensions["db_engine"], lambda: seal.app_key(app), every=1)
    for _ in range(501):
        audit.record(session, action="request.viewed", actor="system")
    session.commit()
    report = audit.verify_checkpoints(session, keys.public_keys(app))
    assert (report.problems, report.checked, report.latest_count) == ([], 501, 501)


def test_times_read_back_are_utc_whatever_the_servers_time_zone(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "Europe/Helsinki")
    time.tzset()
    try:
        audit.record(session, action="request.viewed", actor="system", now=T0)
        session.commit()
        session.expire_all()
        assert exported(session)[0]["at"] == "2025-05-10T08:00:00.000000Z"
        assert audit.verify(session).ok
    finally:
        monkeypatch.undo()
        time.tzset()
