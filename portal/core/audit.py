"""The audit trail: append-only events in one hash chain, so an edit or a deletion shows.

Each event's hash is SHA-256 over the canonical JSON of its own fields — including its number
and the previous event's hash (64 zeros for the first). Events are numbered 1, 2, 3, … with no
gaps: the number is assigned here, not by a database sequence (which skips values on rollback), so
a missing number means a deleted event. `verify` walks the chain and names the first event whose
hash, number or link does not hold.

Appends are serialised so the chain never forks: on PostgreSQL a transaction-scoped advisory
lock is taken before the last event is read; on SQLite an empty write statement takes the
database's single write lock first. Both are held until the caller commits.

Details never carry personal data — callers pass ids and action names — and are neutralised
here anyway: control characters (newlines included) are escaped, e-mail addresses are masked,
and the text is capped at the column length.

A chain alone proves order, not completeness: whoever can write to the database can cut its tail
or rewrite an event and recompute every later hash. Checkpoints close that: the number of events
and the head hash, signed with the portal's Ed25519 receipt key (which is not in the database),
written under the chain's lock every `CHECKPOINT_EVERY` events and by `portal audit verify`.
`verify_checkpoints` then names a trail shorter than a checkpoint says (truncated) or an event
that differs from the one a checkpoint signed (rewritten). Deleting the newest checkpoints with
the newest events stays invisible to the database alone; `portal audit checkpoints --export` lets
an auditor keep the checkpoints elsewhere and `audit verify --checkpoints FILE` checks them.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import re
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

from cryptography.exceptions import InvalidSignature
from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, make_transient_to_detached

from portal import db
from portal.core import seal
from portal.core.models import AuditCheckpoint, AuditEvent, utcnow

GENESIS_HASH = "0" * 64
DETAIL_MAX = 500
ACTORS = frozenset({"staff", "subject", "system"})
ACTION_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
"""Dotted lower-case names such as `request.assigned` or `staff.login_failed`."""

# Any number that fits in a PostgreSQL bigint; it only has to be the same for every writer.
_ADVISORY_LOCK_KEY = 0x5E105E_A0D17
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_EMAIL_RE = re.compile(r"[^\s@<>\"']+@[^\s@<>\"']+")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


@dataclass(frozen=True)
class VerifyReport:
    """Outcome of walking the chain: ok, how many events, and the first broken one."""

    ok: bool
    checked: int
    first_broken_id: int | None = None
    reason: str | None = None
    head_hash: str = GENESIS_HASH
    """Hash of the last good event: note it elsewhere to detect a truncated tail later."""


def sanitise_detail(detail: str) -> str:
    """Return `detail` on one line, with e-mail addresses masked, at most DETAIL_MAX characters."""
    detail = _EMAIL_RE.sub("[email]", detail)
    detail = _CONTROL_RE.sub(lambda m: _ESCAPES.get(m[0], f"\\u{ord(m[0]):04x}"), detail)
    if len(detail) > DETAIL_MAX:
        detail = detail[: DETAIL_MAX - 1] + "…"
    return detail


def _utc_text(at: dt.datetime) -> str:
    # SQLite hands back naive UTC values, PostgreSQL aware ones: hash one spelling of both.
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_fields(event: Any) -> dict[str, Any]:
    """Return the hashed fields of `event` (everything except its own hash)."""
    return {
        "id": event.id,
        "at": _utc_text(event.at),
        "actor": event.actor,
        "staff_id": event.staff_id,
        "action": event.action,
        "request_id": event.request_id,
        "detail": event.detail,
        "prev_hash": event.prev_hash,
    }


def compute_hash(fields: dict[str, Any]) -> str:
    """Return the SHA-256 hex digest of the canonical JSON of `fields`."""
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


_HEAD_SQL = "SELECT id, hash FROM audit_event ORDER BY id DESC LIMIT 1"
# PostgreSQL: lock, then read the head, sent together (one round trip). Two statements, not one,
# because at READ COMMITTED each statement reads a snapshot taken when it starts: the read must
# start after the lock is granted, or it could miss the event the previous holder just committed.
_PG_LOCK_AND_HEAD_SQL = f"SELECT pg_advisory_xact_lock({_ADVISORY_LOCK_KEY}); {_HEAD_SQL}"
# SQLite: an empty write statement starts the write transaction (the database's single write
# lock) before the last event is read.
_SQLITE_LOCK_SQL = "UPDATE audit_event SET id = id WHERE 0 = 1"


PG_LOCK_THEN_HEAD = (f"SELECT pg_advisory_xact_lock({_ADVISORY_LOCK_KEY})", _HEAD_SQL)
"""PostgreSQL: the chain's lock, then its head, as two statements to send after others in one
round trip (`db.pipelined`); `head_of` reads the second one's rows. The lock is held until the
commit; pass the head to `record` as `head`."""


def head_of(rows: Sequence[Sequence[Any]]) -> tuple[int, str]:
    """Return the chain's head (id, hash) from the rows of its head statement."""
    return (int(rows[0][0]), str(rows[0][1])) if rows else (0, GENESIS_HASH)


def _lock_chain_and_read_head(session: Session) -> tuple[int, str]:
    """Take the chain's lock (held until commit) and return the last event's id and hash."""
    head = lock_and_read_head(session, _PG_LOCK_AND_HEAD_SQL, _SQLITE_LOCK_SQL, _HEAD_SQL)
    return head if head is not None else (0, GENESIS_HASH)


def lock_and_read_head(
    session: Session, pg_lock_and_head: str, sqlite_lock: str, head: str
) -> tuple[int, str] | None:
    """Take a hash chain's lock (held until commit) and return its last (id, hash), if any.

    Runs on the session's own DB-API connection: two fixed statements need none of the ORM's
    statement building, and on PostgreSQL they travel in one round trip (`pg_lock_and_head`:
    an advisory lock, then the head). SQLite takes its write lock with `sqlite_lock`. The audit
    trail and the consent records each use it with their own statements.
    """
    connection = session.connection()
    cursor = connection.connection.cursor()
    try:
        if connection.dialect.name == "postgresql":
            # No parameters: psycopg sends both statements as one simple query.
            cursor.execute(pg_lock_and_head)
            cursor.nextset()
        else:
            cursor.execute(sqlite_lock)
            cursor.execute(head)
        row = cursor.fetchone()
    finally:
        cursor.close()
    return (int(row[0]), str(row[1])) if row else None


def lock_chain(session: Session) -> tuple[int, str]:
    """Take the chain's lock now (held until the commit), to make a check-then-write atomic.

    Return the last event's (id, hash): a caller that appends nothing else before its own event
    passes it to `record` as `head`, which then need not read it again.
    """
    return _lock_chain_and_read_head(session)


def record(
    session: Session,
    *,
    action: str,
    actor: str,
    staff_id: int | None = None,
    request_id: int | None = None,
    detail: str = "",
    now: dt.datetime | None = None,
    head: tuple[int, str] | None = None,
) -> AuditEvent:
    """Append an event to the chain and write it; the caller commits.

    `head` is what `lock_chain` returned in this transaction, if the caller took the lock and
    has appended no event since; then the lock is not taken and the head not read again.
    """
    [event] = record_many(
        session,
        [
            {
                "action": action,
                "actor": actor,
                "staff_id": staff_id,
                "request_id": request_id,
                "detail": detail,
            }
        ],
        now=now,
        head=head,
    )
    return event


def record_many(
    session: Session,
    events: Sequence[Mapping[str, Any]],
    *,
    now: dt.datetime | None = None,
    head: tuple[int, str] | None = None,
) -> list[AuditEvent]:
    """Append several events (keys as `record`'s) under one lock and write them; the caller
    commits.

    The session's pending changes are flushed first, the events written with one INSERT and
    returned as persistent objects of the session. `head`: as `record`'s.
    """
    _check(events)
    if head is None:
        session.flush()  # pending changes first, so the lock below is not taken twice over them
        last_id, prev_hash = _lock_chain_and_read_head(session)
    else:
        last_id, prev_hash = head
        session.flush()  # pending changes are written before the events, as one flush wrote them
    at = _utc(now)
    appended = _chained(events, last_id, prev_hash, at)
    if not appended:
        return []
    last_id, prev_hash = appended[-1].id, appended[-1].hash
    # One INSERT, not the unit of work's flush, whose bookkeeping cost several times the
    # statement under the chain's lock; the events then join the session as if flushed (callers
    # get persistent objects, expired on commit like any other).
    rows = [
        {column.key: getattr(event, column.key) for column in _EVENT_COLUMNS} for event in appended
    ]
    session.connection().execute(_INSERT_EVENT, rows[0] if len(rows) == 1 else rows)
    for event in appended:
        make_transient_to_detached(event)
        session.add(event)
    checkpointing = _CHECKPOINTING.get(_engine_of(session))
    if (
        checkpointing is not None
        and last_id // checkpointing.every > (last_id - len(appended)) // checkpointing.every
    ):
        _write_checkpoint(session, checkpointing.signer(), last_id, prev_hash, at, "interval")
    return appended


def _check(events: Sequence[Mapping[str, Any]]) -> None:
    for values in events:
        action, actor = values["action"], values["actor"]
        if not ACTION_RE.fullmatch(action) or len(action) > 64:
            raise ValueError(f"audit action must be a dotted lower-case name: {action!r}")
        if actor not in ACTORS:
            raise ValueError(f"audit actor must be one of {sorted(ACTORS)}: {actor!r}")


def _utc(now: dt.datetime | None) -> dt.datetime:
    at = now or utcnow()
    return (at if at.tzinfo else at.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)


def _chained(
    events: Sequence[Mapping[str, Any]], last_id: int, prev_hash: str, at: dt.datetime
) -> list[AuditEvent]:
    """Return `events` as the chain's next events after (`last_id`, `prev_hash`), hashed."""
    appended = []
    for values in events:
        last_id += 1
        event = AuditEvent(
            id=last_id,
            at=at,
            actor=values["actor"],
            staff_id=values.get("staff_id"),
            action=values["action"],
            request_id=values.get("request_id"),
            detail=sanitise_detail(values.get("detail", "")),
            prev_hash=prev_hash,
        )
        event.hash = prev_hash = compute_hash(event_fields(event))
        appended.append(event)
    return appended


def pg_append(
    connection: Connection,
    engine: Engine,
    events: Sequence[Mapping[str, Any]],
    *,
    head: tuple[int, str],
    now: dt.datetime | None = None,
) -> list[tuple[str, dict[str, Any]]]:
    """PostgreSQL: return the statements (SQL, values) that append `events` after `head`, for
    the caller to send with its COMMIT (`db.pipelined`), holding the chain's lock
    (`PG_LOCK_THEN_HEAD`) on `connection`.

    What `record_many` writes through a session, without one: the same events and hashes and,
    when they pass a multiple of the interval `engine` (the app's engine) has checkpoints
    enabled for, the signed checkpoint (its number read first, in a round trip of its own).
    """
    _check(events)
    at = _utc(now)
    appended = _chained(events, *head, at)
    statements = [
        (
            db.driver_sql(connection, _INSERT_EVENT),
            {c.key: getattr(e, c.key) for c in _EVENT_COLUMNS},
        )
        for e in appended
    ]
    checkpointing = _CHECKPOINTING.get(engine)
    last_id = appended[-1].id if appended else head[0]
    if (
        checkpointing is not None
        and last_id // checkpointing.every > (last_id - len(appended)) // checkpointing.every
    ):
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(_PG_LAST_CHECKPOINT)
            last = cursor.fetchone()[0]
        finally:
            cursor.close()
        made = _signed_checkpoint(
            checkpointing.signer(), (last or 0) + 1, last_id, appended[-1].hash, at, "interval"
        )
        values = {c.key: getattr(made, c.key) for c in AuditCheckpoint.__table__.c}
        statements.append((db.driver_sql(connection, _INSERT_CHECKPOINT), values))
    return statements


_PG_LAST_CHECKPOINT = "SELECT max(id) FROM audit_checkpoint"

_INSERT_EVENT = insert(AuditEvent.__table__)
_EVENT_COLUMNS = tuple(AuditEvent.__table__.c)
_INSERT_CHECKPOINT = insert(AuditCheckpoint.__table__)


def _events(session: Session, batch: int = 1000) -> Iterator[Any]:
    # Plain rows in keyset pages: memory stays flat on a long chain, the caller's session
    # identity map is left alone, and it works the same on both databases.
    table = AuditEvent.__table__
    after = 0
    while True:
        rows = session.execute(
            select(table).where(table.c.id > after).order_by(table.c.id).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        after = rows[-1].id


def verify(session: Session) -> VerifyReport:
    """Walk the chain from the first event and report the first one that does not hold."""
    prev_hash = GENESIS_HASH
    expected_id = 1
    checked = 0
    for event in _events(session):
        reason = None
        if event.id != expected_id:
            reason = f"event {expected_id} is missing (deleted or renumbered)"
        elif event.prev_hash != prev_hash:
            reason = "link to the previous event is broken (deleted, inserted or reordered)"
        elif compute_hash(event_fields(event)) != event.hash:
            reason = "hash does not match the event's content (edited)"
        if reason:
            broken = min(event.id, expected_id)
            return VerifyReport(False, checked, broken, reason, prev_hash)
        prev_hash = event.hash
        expected_id += 1
        checked += 1
    return VerifyReport(True, checked, None, None, prev_hash)


# --- signed checkpoints ------------------------------------------------------------------------

CHECKPOINT_EVERY = 100
"""A checkpoint is written when the trail passes a multiple of this many events."""
CHECKPOINT_KIND = "seloste.audit.checkpoint/1"
"""Names what a checkpoint signature covers, so no other signed text can pass for one."""


@dataclass(frozen=True)
class _Checkpointing:
    signer: Callable[[], seal.SigningKey]
    every: int


_CHECKPOINTING: weakref.WeakKeyDictionary[Engine, _Checkpointing] = weakref.WeakKeyDictionary()
"""Engines whose appends write interval checkpoints, with the key to sign them."""


def enable_checkpoints(
    engine: Engine, signer: Callable[[], seal.SigningKey], every: int = CHECKPOINT_EVERY
) -> None:
    """Make appends through `engine` write a checkpoint every `every` events, signed by
    `signer()` (called when one is written, so a rotated key is picked up)."""
    if every < 1:
        raise ValueError("checkpoints need an interval of at least one event")
    _CHECKPOINTING[engine] = _Checkpointing(signer, every)


def _engine_of(session: Session) -> Any:
    bind = session.get_bind()
    return getattr(bind, "engine", bind)


def checkpoint_payload(checkpoint: Any) -> dict[str, Any]:
    """Return what a checkpoint's signature covers (also its exported form, without signature)."""
    return {
        "kind": CHECKPOINT_KIND,
        "seq": checkpoint.id,
        "at": _utc_text(checkpoint.at),
        "count": checkpoint.event_count,
        "head": checkpoint.head_hash,
        "reason": checkpoint.reason,
        "key_id": checkpoint.key_id,
    }


def _write_checkpoint(
    session: Session, key: seal.SigningKey, count: int, head: str, at: dt.datetime, reason: str
) -> AuditCheckpoint:
    """Add a signed checkpoint; the caller holds the chain's lock and commits."""
    last = session.execute(select(func.max(AuditCheckpoint.id))).scalar()
    checkpoint = _signed_checkpoint(key, (last or 0) + 1, count, head, at, reason)
    session.add(checkpoint)
    session.flush()
    return checkpoint


def _signed_checkpoint(
    key: seal.SigningKey, id_: int, count: int, head: str, at: dt.datetime, reason: str
) -> AuditCheckpoint:
    checkpoint = AuditCheckpoint(
        id=id_,
        at=at,
        event_count=count,
        head_hash=head,
        reason=reason,
        key_id=key.key_id,
    )
    payload = seal.canonical_json(checkpoint_payload(checkpoint))
    checkpoint.signature = base64.b64encode(key.sign(payload)).decode("ascii")
    return checkpoint


def checkpoint(
    session: Session, key: seal.SigningKey, report: VerifyReport, *, now: dt.datetime | None = None
) -> AuditCheckpoint | None:
    """Sign the head that `report` verified (if it still stands) and flush; the caller commits.

    Only what was verified is signed: events appended since are left to the next checkpoint.
    Return None when the trail is empty, the verified head changed meanwhile, or the newest
    checkpoint already signs this head.
    """
    if report.checked == 0:
        return None
    _lock_chain_and_read_head(session)
    stored = session.execute(
        select(AuditEvent.__table__.c.hash).where(AuditEvent.__table__.c.id == report.checked)
    ).scalar()
    if stored != report.head_hash:
        return None
    newest = session.scalars(
        select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1)
    ).first()
    if newest is not None and (newest.event_count, newest.head_hash) == (
        report.checked,
        report.head_hash,
    ):
        return None
    at = (now or utcnow()).astimezone(dt.UTC)
    return _write_checkpoint(session, key, report.checked, report.head_hash, at, "verify")


@dataclass(frozen=True)
class CheckpointReport:
    """Outcome of checking the signed checkpoints against the trail."""

    problems: list[str]
    checked: int
    """How many checkpoints were checked (those of the database and of any exported file)."""
    latest_count: int = 0
    """The number of events the newest valid checkpoint vouches for."""

    @property
    def ok(self) -> bool:
        """Whether every checkpoint's signature holds and the trail matches every one."""
        return not self.problems


def _stored_checkpoints(session: Session) -> list[dict[str, Any]]:
    rows = session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id)).all()
    return [{**checkpoint_payload(row), "signature": row.signature} for row in rows]


def export_checkpoints(session: Session, fp: IO[str]) -> int:
    """Write every checkpoint as JSON Lines (payload and signature) and return how many."""
    rows = _stored_checkpoints(session)
    for row in rows:
        fp.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    return len(rows)


def read_checkpoints(lines: Iterable[str], source: str) -> list[dict[str, Any]]:
    """Parse exported checkpoints; raise ValueError naming `source:line` for a bad line."""
    parsed: list[dict[str, Any]] = []
    fields = {"kind", "seq", "at", "count", "head", "reason", "key_id", "signature"}
    try:
        numbered = list(enumerate(lines, 1))
    except UnicodeDecodeError:
        raise ValueError(f"{source}: not UTF-8 text") from None
    for number, line in numbered:
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError:
            raise ValueError(f"{source}:{number}: not a JSON line") from None
        if not isinstance(item, dict) or set(item) != fields or item["kind"] != CHECKPOINT_KIND:
            raise ValueError(f"{source}:{number}: not an exported audit checkpoint")
        if not isinstance(item["seq"], int) or not isinstance(item["count"], int):
            raise ValueError(f"{source}:{number}: not an exported audit checkpoint")
        parsed.append(item)
    return parsed


def _signature_holds(item: Mapping[str, Any], public_keys: Mapping[str, bytes]) -> str | None:
    """Return why a checkpoint's signature does not hold, or None when it does."""
    pem = public_keys.get(str(item["key_id"]))
    if pem is None:
        return f"is signed by key {item['key_id']}, which this portal does not know"
    try:
        signature = base64.b64decode(str(item["signature"]), validate=True)
        payload = seal.canonical_json({k: v for k, v in item.items() if k != "signature"})
        seal.load_public_key(pem).verify(signature, payload)
    except (binascii.Error, ValueError, TypeError, InvalidSignature):
        return "has a signature that does not hold (forged or edited)"
    return None


def verify_checkpoints(
    session: Session,
    public_keys: Mapping[str, bytes],
    exported: Sequence[Mapping[str, Any]] = (),
) -> CheckpointReport:
    """Check every checkpoint (the database's and `exported`'s): its signature with the key it
    names, and that the trail still has the event it counted, with the hash it signed.

    `public_keys` are PEMs by key id (current and retired). An exported checkpoint missing from
    the database is reported: the database's newest checkpoints were deleted.
    """
    stored = _stored_checkpoints(session)
    table = AuditEvent.__table__
    length = session.execute(select(func.count()).select_from(table)).scalar() or 0
    last_id = session.execute(select(func.max(table.c.id))).scalar() or 0
    problems: list[str] = []
    for expected, item in enumerate(stored, 1):
        if item["seq"] != expected:
            problems.append(f"checkpoint {expected} is missing (deleted)")
            break
    by_seq = {item["seq"]: item for item in stored}
    for item in exported:
        own = by_seq.get(item["seq"])
        if own is None:
            problems.append(f"exported checkpoint {item['seq']} is not in the database (deleted)")
        elif own != item:
            problems.append(f"checkpoint {item['seq']} differs from its exported copy (edited)")
    candidates = list(stored) + [item for item in exported if by_seq.get(item["seq"]) != item]
    wanted = {int(item["count"]) for item in candidates}
    hashes = _hashes_of(session, wanted)
    latest = 0
    for item in candidates:
        where = f"checkpoint {item['seq']} ({item['at']}, {item['count']} events)"
        broken = _signature_holds(item, public_keys)
        if broken:
            problems.append(f"{where} {broken}")
            continue
        count = int(item["count"])
        if count > last_id or count > length:
            problems.append(
                f"{where}: the trail now ends at event {last_id}; "
                f"events after it were deleted (truncated)"
            )
        elif hashes.get(count) != item["head"]:
            problems.append(
                f"{where}: event {count} is not the event it signed "
                "(the trail was rewritten up to it)"
            )
        else:
            latest = max(latest, count)
    return CheckpointReport(problems, len(candidates), latest)


def _hashes_of(session: Session, ids: set[int]) -> dict[int, str]:
    table = AuditEvent.__table__
    found: dict[int, str] = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), 500):
        batch = ordered[start : start + 500]
        rows = session.execute(select(table.c.id, table.c.hash).where(table.c.id.in_(batch)))
        found.update({int(row.id): str(row.hash) for row in rows})
    return found


def event_record(event: Any) -> dict[str, Any]:
    """Return `event` as a plain dict: the hashed fields plus its hash."""
    return {**event_fields(event), "hash": event.hash}


def export(session: Session, fp: IO[str]) -> int:
    """Write every event as JSON Lines to `fp` in chain order and return how many."""
    count = 0
    for event in _events(session):
        fp.write(json.dumps(event_record(event), ensure_ascii=False, sort_keys=True) + "\n")
        count += 1
    return count


def events_for_request(session: Session, request_id: int) -> list[AuditEvent]:
    """Return a request's events, oldest first (the timeline)."""
    return list(
        session.scalars(
            select(AuditEvent).where(AuditEvent.request_id == request_id).order_by(AuditEvent.id)
        )
    )


def init_app(app: Any) -> None:
    """Make the app's appends write interval checkpoints signed with its receipt key."""
    enable_checkpoints(app.extensions["db_engine"], lambda: seal.app_key(app))


def list_checkpoints(session: Session) -> list[dict[str, Any]]:
    """Return the signed checkpoints, oldest first, as `export_checkpoints` writes them."""
    return _stored_checkpoints(session)
