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
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.core.models import AuditEvent, utcnow

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


def _lock_chain_and_read_head(session: Session) -> tuple[int, str]:
    """Take the chain's lock (held until commit) and return the last event's id and hash.

    Runs on the session's own DB-API connection: two fixed statements need none of the ORM's
    statement building, and on PostgreSQL they travel in one round trip.
    """
    connection = session.connection()
    cursor = connection.connection.cursor()
    try:
        if connection.dialect.name == "postgresql":
            # No parameters: psycopg sends both statements as one simple query.
            cursor.execute(_PG_LOCK_AND_HEAD_SQL)
            cursor.nextset()
        else:
            cursor.execute(_SQLITE_LOCK_SQL)
            cursor.execute(_HEAD_SQL)
        head = cursor.fetchone()
    finally:
        cursor.close()
    return (int(head[0]), str(head[1])) if head else (0, GENESIS_HASH)


def lock_chain(session: Session) -> None:
    """Take the chain's lock now (held until the commit), to make a check-then-write atomic."""
    _lock_chain_and_read_head(session)


def record(
    session: Session,
    *,
    action: str,
    actor: str,
    staff_id: int | None = None,
    request_id: int | None = None,
    detail: str = "",
    now: dt.datetime | None = None,
) -> AuditEvent:
    """Append an event to the chain and flush it; the caller commits."""
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
    )
    return event


def record_many(
    session: Session, events: Sequence[Mapping[str, Any]], *, now: dt.datetime | None = None
) -> list[AuditEvent]:
    """Append several events (keys as `record`'s) under one lock and flush; the caller commits."""
    for values in events:
        action, actor = values["action"], values["actor"]
        if not ACTION_RE.fullmatch(action) or len(action) > 64:
            raise ValueError(f"audit action must be a dotted lower-case name: {action!r}")
        if actor not in ACTORS:
            raise ValueError(f"audit actor must be one of {sorted(ACTORS)}: {actor!r}")
    session.flush()  # pending changes first, so the lock below is not taken twice over them
    last_id, prev_hash = _lock_chain_and_read_head(session)
    at = now or utcnow()
    at = (at if at.tzinfo else at.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)
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
    session.add_all(appended)
    session.flush()
    return appended


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


def register_commands(group: Any) -> None:
    """Add `audit verify` and `audit export` to the portal command group."""
    import sys

    import click
    from flask.cli import AppGroup

    from portal.db import get_session

    audit_group = AppGroup("audit", help="The hash-chained audit trail.")

    @audit_group.command("verify")
    def verify_command() -> None:
        """Check every event's hash and link; exit 1 naming the first broken event."""
        report = verify(get_session())
        if report.ok:
            click.echo(f"audit chain ok: {report.checked} events, head {report.head_hash}")
            return
        click.echo(
            f"audit chain BROKEN at event {report.first_broken_id}: {report.reason} "
            f"({report.checked} earlier event(s) intact)",
            err=True,
        )
        sys.exit(1)

    @audit_group.command("export")
    @click.option("--out", type=click.Path(dir_okay=False), help="File to write (default stdout).")
    def export_command(out: str | None) -> None:
        """Write the audit trail as JSON Lines."""
        if out is None:
            export(get_session(), sys.stdout)
            return
        with open(out, "w", encoding="utf-8") as handle:
            count = export(get_session(), handle)
        click.echo(f"{count} events written to {out}", err=True)

    group.add_command(audit_group)
