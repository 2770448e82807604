"""Consent records: what a visitor's browser agreed to, when, and under which exact texts.

The cookie banner (notice.banner) posts each first choice and every change. A record names the
visitor only by the random id the banner keeps in its consent cookie; it holds the categories
and services accepted and refused, the notice revision and the SHA-256 of the exact banner texts
and cookie tables shown (archived here by that hash, `ConsentNotice`), the language, the time and
the source (`banner`, `settings` or `gpc`). No IP address and no browser details are stored.

A refusal of every optional category, made before any consent was recorded for that browser, is
only counted (per day, revision, language and source): no identifier is stored for it (EDPB-EDPS
Joint Opinion 2/2026 ¶101–106). A withdrawal of a recorded consent is a record of that consent.

Records are append-only and hash-chained like the audit trail: numbered 1, 2, 3 … under a lock,
each hash covering the previous one. Concurrent posts are appended together, several records in
one transaction (`GroupCommit`), and each is answered only after that commit. Every
`ANCHOR_EVERY` records the chain's head is written into the audit trail (`consent.chain_head`),
whose signed checkpoints then vouch for it; `purge` deletes only a prefix of expired records and
writes the hash it cut at (`consent.purged`), so the rest of the chain still verifies from there.
The staff's counts come from counters (`consent_count`) that every append adds to and every purge
takes from in its own transaction: they count the records held, without reading them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import re
import threading
import weakref
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from sqlalchemy import delete, func, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from notice import banner
from notice.model import Site
from portal.core import audit, seal
from portal.core.models import (
    AuditEvent,
    ConsentCount,
    ConsentNotice,
    ConsentRecord,
    ConsentRefusalCount,
    utcnow,
)
from portal.db import by_hand

GENESIS_HASH = "0" * 64
SOURCES = ("banner", "settings", "gpc")
KINDS = ("first", "change")
GPC_REFUSED = ("analytics", "marketing")
"""Categories Global Privacy Control refuses."""
ANCHOR_EVERY = 100
"""The chain's head goes into the audit trail every this many records."""
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_ADVISORY_LOCK_KEY = 0x5E105E_C0A5E
_HEAD_SQL = "SELECT id, hash FROM consent_record ORDER BY id DESC LIMIT 1"
_PG_LOCK_AND_HEAD_SQL = f"SELECT pg_advisory_xact_lock({_ADVISORY_LOCK_KEY}); {_HEAD_SQL}"
_SQLITE_LOCK_SQL = "UPDATE consent_record SET id = id WHERE 0 = 1"


class ConsentError(ValueError):
    """A post the endpoint refuses: `code` is stable (tests, logs), the message is English."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Notice:
    """A notice revision as records check it: its hash, revision, categories and services."""

    hash: str
    revision: int
    categories: tuple[str, ...]
    services: Mapping[str, tuple[str, ...]]
    body: bytes


def current_notice(site: Site) -> Notice:
    """Return the notice revision the content describes now (what the banner shows)."""
    texts = banner.notice_texts(site)
    body = banner.canonical(texts)
    return Notice(
        hashlib.sha256(body).hexdigest(),
        int(texts["revision"]),
        tuple(texts["categories"]),
        {k: tuple(v) for k, v in texts["services"].items()},
        body,
    )


def archive_notice(session: Session, notice: Notice) -> None:
    """Keep the revision's exact texts by their hash (once; the caller commits)."""
    if session.get(ConsentNotice, notice.hash) is None:
        session.add(
            ConsentNotice(hash=notice.hash, revision=notice.revision, body=notice.body.decode())
        )
        try:
            session.flush()
        except IntegrityError:  # another worker archived it first
            session.rollback()


def archived_notice(session: Session, digest: str) -> Notice | None:
    """Return an archived revision by its hash, or None."""
    row = session.get(ConsentNotice, digest)
    if row is None:
        return None
    texts = json.loads(row.body)
    return Notice(
        row.hash,
        row.revision,
        tuple(texts["categories"]),
        {k: tuple(v) for k, v in texts.get("services", {}).items()},
        row.body.encode(),
    )


@dataclass
class Choice:
    """A validated post: who (or nobody), what was chosen, under which notice, how."""

    event_id: str
    consent_id: str | None
    kind: str
    source: str
    lang: str
    notice: Notice
    accepted: list[str]
    refused: list[str]
    accepted_services: dict[str, list[str]] = field(default_factory=dict)
    refused_services: dict[str, list[str]] = field(default_factory=dict)

    @property
    def refuses_all(self) -> bool:
        """Whether only what needs no consent is accepted (a refusal)."""
        return all(category == "necessary" for category in self.accepted)

    def as_json(self) -> str:
        """Return the choice as canonical JSON (what the record stores and hashes)."""
        return seal.canonical_json(
            {
                "accepted": self.accepted,
                "refused": self.refused,
                "accepted_services": self.accepted_services,
                "refused_services": self.refused_services,
            }
        ).decode()


def parse(
    payload: Any, *, notices: Mapping[str, Notice], languages: list[str], gpc_header: bool
) -> Choice:
    """Validate a posted choice against the notice it names; raise ConsentError naming the flaw.

    `notices` are the revisions a post may name (the current one and archived ones). With
    `gpc_header` (Sec-GPC: 1, the site honouring it), a choice not made in the settings has
    analytics and marketing refused and the source `gpc`.
    """
    if not isinstance(payload, dict):
        raise ConsentError("not_json", "the body must be a JSON object")
    event_id = payload.get("event_id")
    if not isinstance(event_id, str) or not _UUID.fullmatch(event_id):
        raise ConsentError("event_id", "event_id must be a random UUID")
    consent_id = payload.get("consent_id")
    if consent_id is not None and (
        not isinstance(consent_id, str) or not _UUID.fullmatch(consent_id)
    ):
        raise ConsentError("consent_id", "consent_id must be a random UUID or null")
    digest = payload.get("notice")
    if not isinstance(digest, str) or not _HEX64.fullmatch(digest):
        raise ConsentError("notice", "notice must be the SHA-256 of the banner texts")
    if payload.get("token") != digest or digest not in notices:
        raise ConsentError("token", "the banner's token names no revision of this notice")
    notice = notices[digest]
    if payload.get("revision") != notice.revision:
        raise ConsentError("revision", "the revision does not match the notice")
    kind, source, lang = payload.get("kind"), payload.get("source"), payload.get("lang")
    if kind not in KINDS:
        raise ConsentError("kind", f"kind must be one of {', '.join(KINDS)}")
    if source not in SOURCES:
        raise ConsentError("source", f"source must be one of {', '.join(SOURCES)}")
    if lang not in languages:
        raise ConsentError("lang", f"lang must be one of {', '.join(languages)}")
    accepted, refused = _categories(payload, "accepted"), _categories(payload, "refused")
    if set(accepted) & set(refused) or set(accepted) | set(refused) != set(notice.categories):
        raise ConsentError("categories", "every category must be either accepted or refused")
    if "necessary" in notice.categories and "necessary" not in accepted:
        raise ConsentError("categories", "necessary cookies cannot be refused")
    accepted_services = _services(payload, "accepted_services", notice)
    refused_services = _services(payload, "refused_services", notice)
    choice = Choice(
        event_id, consent_id, str(kind), str(source), str(lang), notice,
        sorted(accepted), sorted(refused), accepted_services, refused_services,
    )  # fmt: skip
    if gpc_header and choice.source != "settings":
        honour_gpc(choice)
    return choice


def honour_gpc(choice: Choice) -> None:
    """Refuse analytics and marketing (and their services) and mark the source `gpc`."""
    for category in GPC_REFUSED:
        if category in choice.accepted:
            choice.accepted.remove(category)
            choice.refused = sorted({*choice.refused, category})
        services = choice.accepted_services.pop(category, [])
        if services or category in choice.notice.services:
            choice.refused_services[category] = sorted(
                {*choice.refused_services.get(category, []), *services}
            )
    choice.source = "gpc"


def _categories(payload: Mapping[str, Any], name: str) -> list[str]:
    value = payload.get(name)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConsentError("categories", f"{name} must be a list of category names")
    return list(dict.fromkeys(value))


def _services(payload: Mapping[str, Any], name: str, notice: Notice) -> dict[str, list[str]]:
    value = payload.get(name) or {}
    if not isinstance(value, dict):
        raise ConsentError("services", f"{name} must map categories to service names")
    out: dict[str, list[str]] = {}
    for category, services in value.items():
        known = notice.services.get(category)
        if known is None and category not in notice.categories:
            raise ConsentError("services", f"{name} names an unknown category")
        if not isinstance(services, list) or not set(services) <= set(known or ()):
            raise ConsentError("services", f"{name} names a service the notice does not list")
        if services:
            out[category] = sorted(set(services))
    return out


# --- storing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What a post did: `recorded` (a record, maybe an earlier one: idempotent) or `counted`."""

    status: str
    record: ConsentRecord | None = None


def record_fields(row: Any) -> dict[str, Any]:
    """Return the hashed fields of a record (everything but its hash)."""
    return {
        "id": row.id,
        "event_id": row.event_id,
        "consent_id": row.consent_id,
        "at": seal.iso_time(row.at),
        "expires_at": seal.iso_time(row.expires_at),
        "kind": row.kind,
        "source": row.source,
        "revision": row.revision,
        "notice_hash": row.notice_hash,
        "lang": row.lang,
        "choice": row.choice,
        "prev_hash": row.prev_hash,
    }


def compute_hash(fields: Mapping[str, Any]) -> str:
    """Return the SHA-256 of the canonical JSON of a record's fields."""
    return hashlib.sha256(seal.canonical_json(dict(fields))).hexdigest()


def _lock_and_head(session: Session) -> tuple[int, str]:
    """Take the consent chain's lock (held until commit); return its last record's id and hash,
    or, with none left, those of the last record purged (numbers go on from there)."""
    head = audit.lock_and_read_head(session, _PG_LOCK_AND_HEAD_SQL, _SQLITE_LOCK_SQL, _HEAD_SQL)
    return head if head is not None else last_purged(session)


def store(
    session: Session,
    choice: Choice,
    *,
    keep_days: int,
    now: dt.datetime | None = None,
    fast_engine: Engine | None = None,
) -> Outcome:
    """Record `choice` (or count it, for an anonymous refusal) and commit.

    Idempotent: a post repeated with the same event id returns the first record and adds
    nothing. `keep_days` is how long the record is kept (consent lifetime plus a period).
    A record is appended by group commit (`GroupCommit`), which also finds a repeated event:
    this returns once the transaction holding it is committed, so nothing is acknowledged before
    it is durable. A consent post itself makes no round trip to the database; only a refusal
    looks for the browser's earlier records (to count it instead when there are none).
    `fast_engine`: see GroupCommit.
    """
    at = (now or utcnow()).astimezone(dt.UTC).replace(microsecond=0)
    if choice.refuses_all:
        existing = session.scalar(
            select(ConsentRecord).where(ConsentRecord.event_id == choice.event_id)
        )
        if existing is not None:
            return Outcome("recorded", existing)
        if (
            choice.consent_id is None
            or session.scalar(
                select(ConsentRecord.id)
                .where(ConsentRecord.consent_id == choice.consent_id)
                .limit(1)
            )
            is None
        ):
            _count_refusal(session, choice, at.date())
            session.commit()
            return Outcome("counted")
        session.commit()  # the reads end here; the record is written in the batch's session
    if choice.consent_id is None:
        raise ConsentError("consent_id", "a consent needs the consent id of the banner's cookie")
    pending = _Pending(choice, at, keep_days)
    return group_commit(session.get_bind(), fast_engine).submit(pending)


def _new_row(pending: _Pending, record_id: int, prev_hash: str) -> ConsentRecord:
    return ConsentRecord(**_chained_values(pending, record_id, prev_hash))


def _chained_values(pending: _Pending, record_id: int, prev_hash: str) -> dict[str, Any]:
    """Return the columns of `pending`'s record as number `record_id` after `prev_hash`, with its
    hash: what `record_fields` and `compute_hash` make of the same row."""
    values = {**pending.values, "id": record_id, "prev_hash": prev_hash}
    hashed = {**pending.hashed, "id": record_id, "prev_hash": prev_hash}
    values["hash"] = compute_hash(hashed)
    return values


def _chain(
    batch: list[_Pending], known: dict[str, ConsentRecord], last_id: int, prev_hash: str
) -> tuple[list[ConsentRecord], list[ConsentRecord], list[_Counted]]:
    """Chain the batch's records after (last_id, prev_hash): return each post's record (an event
    in `known` or earlier in the batch keeps its record), the new records, and what they count."""
    rows: list[ConsentRecord] = []
    appended: list[ConsentRecord] = []
    counted: list[_Counted] = []
    for pending in batch:
        row = known.get(pending.choice.event_id)
        if row is None:
            last_id += 1
            row = _new_row(pending, last_id, prev_hash)
            prev_hash = row.hash
            known[row.event_id] = row
            appended.append(row)
            choice = pending.choice
            counted.append((row.notice_hash, row.source, row.revision, choice.accepted,
                            choice.refused))  # fmt: skip
        rows.append(row)
    return rows, appended, counted


def append(session: Session, batch: list[_Pending], *, look_up: bool = True) -> list[Outcome]:
    """Append the records of `batch` to the chain under one lock, in order; the caller commits.

    An event id already recorded (or twice in the batch) gets the first record, not a new one;
    without `look_up` (one round trip less) the unique event id raises IntegrityError instead.
    Every `ANCHOR_EVERY`th record's hash goes into the audit trail, and the new records into
    the counters (`consent_count`), in the same transaction.
    """
    ids = {pending.choice.event_id for pending in batch}
    known: dict[str, ConsentRecord] = {}
    if look_up:
        query = select(ConsentRecord).where(ConsentRecord.event_id.in_(ids))
        known = {row.event_id: row for row in session.scalars(query)}
    last_id, prev_hash = _lock_and_head(session)
    rows, appended, counted = _chain(batch, known, last_id, prev_hash)
    session.add_all(appended)
    session.flush()
    _add_counts(session, counted)
    for row in appended:
        if row.id % ANCHOR_EVERY == 0:
            anchor(session, row.id, row.hash)
    return [Outcome("recorded", row) for row in rows]


RECORDS = "*"
"""The `consent_count` category that counts the records themselves (in `accepted`)."""

_Counted = tuple[str, str, int, Iterable[str], Iterable[str]]
"""A record as the counters see it: notice hash, source, revision, accepted, refused."""


def _count_params(records: Iterable[_Counted], sign: int = 1) -> list[dict[str, Any]]:
    """Return the counter changes of `records` (one per revision, source and category touched),
    in key order (two writers then take the rows' locks in the same order)."""
    deltas: dict[tuple[str, str, str], list[int]] = {}
    for notice_hash, source, revision, accepted, refused in records:
        for category, column in ((RECORDS, 1), *((c, 1) for c in accepted),
                                 *((c, 2) for c in refused)):  # fmt: skip
            delta = deltas.setdefault((notice_hash, source, category), [revision, 0, 0])
            delta[column] += sign
    return [
        {"notice_hash": key[0], "source": key[1], "category": key[2],
         "revision": value[0], "accepted": value[1], "refused": value[2]}
        for key, value in sorted(deltas.items())
    ]  # fmt: skip


_COUNT_COLUMNS = ("notice_hash", "source", "category", "revision", "accepted", "refused")
_UPSERT_COUNTS = (
    f"INSERT INTO consent_count ({', '.join(_COUNT_COLUMNS)}) VALUES ({{}}) "
    "ON CONFLICT (notice_hash, source, category) DO UPDATE SET "
    "accepted = consent_count.accepted + excluded.accepted, "
    "refused = consent_count.refused + excluded.refused"
)
_UPSERT_COUNTS_SQL = text(_UPSERT_COUNTS.format(", ".join(f":{c}" for c in _COUNT_COLUMNS)))
"""The counters' upsert (PostgreSQL and SQLite alike), built once."""


def _add_counts(session: Session, records: Iterable[_Counted], sign: int = 1) -> None:
    """Add (or with `sign` -1 take off) records to the counters, in the caller's transaction."""
    params = _count_params(records, sign)
    if params:
        session.execute(_UPSERT_COUNTS_SQL, params)


# --- PostgreSQL: a batch in two round trips ----------------------------------------------------

_RECORD_COLUMNS = ("id", "event_id", "consent_id", "at", "expires_at", "kind", "source",
                   "revision", "notice_hash", "lang", "choice", "prev_hash", "hash")  # fmt: skip
_PG_INSERT_RECORD = (
    f"INSERT INTO consent_record ({', '.join(_RECORD_COLUMNS)}) "
    f"VALUES ({', '.join(f'%({c})s' for c in _RECORD_COLUMNS)})"
)
_PG_UPSERT_COUNTS = _UPSERT_COUNTS.format(", ".join(f"%({c})s" for c in _COUNT_COLUMNS))
_PG_BEGIN_LOCK_AND_HEAD_SQL = f"BEGIN; {_PG_LOCK_AND_HEAD_SQL}"


def _append_pg(engine: Engine, batch: list[_Pending]) -> list[Outcome] | None:
    """Append `batch` on PostgreSQL in two round trips and commit; None: use `append` instead.

    Through the session a batch costs six round trips, each under the chain's lock after the
    second: BEGIN, the lock and head, the insert, the counters, COMMIT (and the pool's ping).
    Here the connection is in autocommit mode, so the transaction is begun by hand in the same
    simple query that takes the lock and reads the head; the records, the counters and COMMIT
    then go together in one pipeline. Under the lock only numbers and hashes are added to the
    values each post prepared (`_Pending`); the rows the posts get back are made after COMMIT.
    A batch in which an anchor falls (every `ANCHOR_EVERY`th record) or on an empty chain
    returns None having written nothing: `append` writes it through the session and the audit
    trail. A repeated event raises psycopg's IntegrityError, after the transaction is rolled
    back. `engine` may be one whose connections are not pinged (`GroupCommit`'s `fast_engine`):
    a connection the server dropped fails the first statement, before anything was written,
    and the batch is tried once more on a new connection.
    """

    def first(_connection: Connection, raw: Any) -> Any:
        cursor = raw.cursor()
        try:
            cursor.execute(_PG_BEGIN_LOCK_AND_HEAD_SQL)
        except BaseException:
            cursor.close()
            raise
        return cursor

    def rest(_connection: Connection, raw: Any, cursor: Any) -> list[dict[str, Any]] | None:
        with cursor:
            cursor.nextset()
            cursor.nextset()
            head = cursor.fetchone()
            if head is None:
                cursor.execute("ROLLBACK")
                return None
            last_id, prev_hash = int(head[0]), str(head[1])
            if (last_id % ANCHOR_EVERY) + len(batch) >= ANCHOR_EVERY:
                cursor.execute("ROLLBACK")
                return None
            values, new, counted = _chain_values(batch, last_id, prev_hash)
            with raw.pipeline():
                cursor.executemany(_PG_INSERT_RECORD, new)
                cursor.executemany(_PG_UPSERT_COUNTS, _count_params(counted))
                cursor.execute("COMMIT")
        return values

    values = by_hand(engine, first, rest)
    if values is None:
        return None
    rows: dict[int, ConsentRecord] = {}
    return [Outcome("recorded", _row_of(each, rows)) for each in values]


def _chain_values(
    batch: list[_Pending], last_id: int, prev_hash: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[_Counted]]:
    """`_chain` for `_append_pg`: each post's values (an event earlier in the batch keeps its
    record's), the new records' values, and what they count; no ORM objects under the lock."""
    posts: list[dict[str, Any]] = []
    new: list[dict[str, Any]] = []
    counted: list[_Counted] = []
    known: dict[str, dict[str, Any]] = {}
    for pending in batch:
        values = known.get(pending.choice.event_id)
        if values is None:
            last_id += 1
            values = _chained_values(pending, last_id, prev_hash)
            prev_hash = values["hash"]
            known[values["event_id"]] = values
            new.append(values)
            choice = pending.choice
            counted.append((values["notice_hash"], values["source"], values["revision"],
                            choice.accepted, choice.refused))  # fmt: skip
        posts.append(values)
    return posts, new, counted


def _row_of(values: dict[str, Any], rows: dict[int, ConsentRecord]) -> ConsentRecord:
    """Return the (detached) row of a record's values, one per record of a batch."""
    row = rows.get(values["id"])
    if row is None:
        row = rows[values["id"]] = ConsentRecord(**values)
    return row


@dataclass
class _Pending:
    """A record waiting for its batch: the choice, its time and how long it is kept."""

    choice: Choice
    at: dt.datetime
    keep_days: int
    done: threading.Event = field(default_factory=threading.Event)
    lead: bool = False
    outcome: Outcome | None = None
    error: BaseException | None = None
    values: dict[str, Any] = field(init=False, repr=False)
    hashed: dict[str, Any] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # Everything of the record but its number, previous hash and hash, made by the posting
        # thread before it queues: the batch's writer holds the chain's lock while it chains.
        choice = self.choice
        self.values = {
            "event_id": choice.event_id,
            "consent_id": choice.consent_id,
            "at": self.at,
            "expires_at": self.at + dt.timedelta(days=self.keep_days),
            "kind": choice.kind,
            "source": choice.source,
            "revision": choice.notice.revision,
            "notice_hash": choice.notice.hash,
            "lang": choice.lang,
            "choice": choice.as_json(),
        }
        # Read as a row by `record_fields`; the number and previous hash come under the lock.
        self.hashed = record_fields(SimpleNamespace(**self.values, id=None, prev_hash=None))


class GroupCommit:
    """Group commit of the consent chain for one engine (one per process and database).

    Every record of the chain is written under the chain's lock, so writes serialise; one commit
    per record makes the commit's flush to disk the limit. Here a post joins a queue; whoever
    finds no batch being written leads: it takes up to `max_batch` queued records, appends them
    in one transaction (`append`), commits, wakes their posts, and hands the lead to the first
    post queued meanwhile. Each post returns only after the commit holding its record, so nothing
    is acknowledged before it is durable; processes (several web workers, several hosts) still
    serialise on the database's lock. A batch the unique event id refuses (a repeated post) is
    written again looking its events up, and one record at a time if another process recorded
    the same event at the same moment.
    """

    def __init__(
        self, engine: Engine, max_batch: int = 64, fast_engine: Engine | None = None
    ) -> None:
        self.engine = engine
        # PostgreSQL: the same database's connections in autocommit, not pinged when taken from
        # the pool (the app's `db.READ_ENGINE`): `_append_pg` retries a dropped one itself.
        self.fast_engine = fast_engine
        self.max_batch = max_batch
        self._lock = threading.Lock()
        self._queue: list[_Pending] = []
        self._busy = False

    def submit(self, pending: _Pending) -> Outcome:
        """Queue a record and return its outcome once its batch is committed."""
        with self._lock:
            self._queue.append(pending)
            lead = not self._busy
            self._busy = True
        if not lead:
            pending.done.wait()
        if pending.lead or lead:
            self._lead()
        if pending.error is not None:
            raise pending.error
        assert pending.outcome is not None
        return pending.outcome

    def _lead(self) -> None:
        with self._lock:
            batch = self._queue[: self.max_batch]
            del self._queue[: self.max_batch]
        try:
            self._write(batch)
        finally:
            with self._lock:
                if self._queue:
                    self._queue[0].lead = True
                    self._queue[0].done.set()
                else:
                    self._busy = False
            for pending in batch:
                pending.done.set()

    def _write(self, batch: list[_Pending]) -> None:
        with Session(bind=self.engine, expire_on_commit=False) as session:
            try:
                try:  # a repeated event is rare: the unique event id catches it
                    outcomes = None
                    if self.engine.dialect.name == "postgresql":
                        outcomes = _append_pg(self.fast_engine or self.engine, batch)
                    if outcomes is None:
                        outcomes = append(session, batch, look_up=False)
                        session.commit()
                except IntegrityError:
                    session.rollback()
                    outcomes = self._write_again(session, batch)
                except Exception as error:
                    if not _is_driver_integrity_error(error):
                        raise
                    outcomes = self._write_again(session, batch)
            except BaseException as error:  # every post of the batch learns why
                session.rollback()
                for pending in batch:
                    pending.error = error
                raise
            finally:
                session.expunge_all()
            for pending, outcome in zip(batch, outcomes, strict=True):
                pending.outcome = outcome

    @staticmethod
    def _write_again(session: Session, batch: list[_Pending]) -> list[Outcome]:
        """Write a batch holding a repeated event: looking events up first, and one by one if
        another process recorded one of them meanwhile."""
        try:
            outcomes = append(session, batch)
            session.commit()
            return outcomes
        except IntegrityError:
            session.rollback()
        outcomes = []
        for pending in batch:  # one by one: only the duplicate one loses
            try:
                outcomes += append(session, [pending])
                session.commit()
            except IntegrityError:
                session.rollback()
                outcomes += append(session, [pending])  # now finds the other's
                session.commit()
        return outcomes


def _is_driver_integrity_error(error: BaseException) -> bool:
    """Whether `error` is psycopg's IntegrityError (the fast path runs below SQLAlchemy)."""
    try:
        import psycopg
    except ImportError:  # pragma: no cover - SQLite-only installs
        return False
    return isinstance(error, psycopg.IntegrityError)


_GROUPS: weakref.WeakKeyDictionary[Engine, GroupCommit] = weakref.WeakKeyDictionary()
_GROUPS_LOCK = threading.Lock()


def group_commit(engine: Any, fast_engine: Engine | None = None) -> GroupCommit:
    """Return the engine's group commit (made on first use; see GroupCommit's `fast_engine`)."""
    with _GROUPS_LOCK:
        group = _GROUPS.get(engine)
        if group is None:
            group = _GROUPS[engine] = GroupCommit(engine, fast_engine=fast_engine)
        elif fast_engine is not None:
            group.fast_engine = fast_engine
        return group


def anchor(session: Session, record_id: int, head: str) -> None:
    """Write the chain's head into the audit trail, whose signed checkpoints cover it."""
    audit.record(
        session, action="consent.chain_head", actor="system", detail=f"record {record_id} {head}"
    )


def _count_refusal(session: Session, choice: Choice, day: dt.date) -> None:
    key = {
        "day": day,
        "notice_hash": choice.notice.hash,
        "lang": choice.lang,
        "source": choice.source,
    }
    table = ConsentRefusalCount.__table__
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    statement = insert(table).values(**key, revision=choice.notice.revision, count=1)
    statement = statement.on_conflict_do_update(
        index_elements=list(key), set_={"count": table.c.count + 1}
    )
    session.execute(statement)


# --- verifying, purging --------------------------------------------------------------------


_PURGED = re.compile(r"^through record (\d+) ([0-9a-f]{64})$")
_ANCHORED = re.compile(r"^record (\d+) ([0-9a-f]{64})$")


def last_purged_hash(session: Session) -> str:
    """Return the hash the chain was last cut at by `purge` (genesis when never purged)."""
    return last_purged(session)[1]


def last_purged(session: Session) -> tuple[int, str]:
    """Return the number and hash of the last record `purge` deleted (0 and genesis: none)."""
    detail = session.scalar(
        select(AuditEvent.detail)
        .where(AuditEvent.action == "consent.purged")
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    match = _PURGED.match(detail or "")
    return (int(match.group(1)), match.group(2)) if match else (0, GENESIS_HASH)


@dataclass(frozen=True)
class ChainReport:
    """Outcome of walking the consent chain and its anchors in the audit trail."""

    ok: bool
    checked: int
    problem: str | None = None


def _rows(session: Session, batch: int = 1000) -> Iterator[Any]:
    table = ConsentRecord.__table__
    after = 0
    while rows := session.execute(
        select(table).where(table.c.id > after).order_by(table.c.id).limit(batch)
    ).all():
        yield from rows
        after = rows[-1].id


def verify(session: Session) -> ChainReport:
    """Check every record's hash and link, and that each anchor in the audit trail still
    names the record it named (a rewritten chain no longer matches the signed trail)."""
    anchors: dict[int, str] = {}
    for detail in session.scalars(
        select(AuditEvent.detail).where(AuditEvent.action == "consent.chain_head")
    ):
        match = _ANCHORED.match(detail)
        if match:
            anchors[int(match.group(1))] = match.group(2)
    purged_through, prev = last_purged(session)
    expected: int | None = None
    checked = 0
    for row in _rows(session):
        if expected is None and purged_through and row.id != purged_through + 1:
            return ChainReport(False, checked, f"record {purged_through + 1} is missing")
        if expected is not None and row.id != expected:
            return ChainReport(False, checked, f"record {expected} is missing (deleted)")
        if row.prev_hash != prev:
            return ChainReport(False, checked, f"record {row.id}: link to the previous is broken")
        if compute_hash(record_fields(row)) != row.hash:
            return ChainReport(False, checked, f"record {row.id}: content edited")
        if row.id in anchors and anchors[row.id] != row.hash:
            return ChainReport(False, checked, f"record {row.id} differs from its audit anchor")
        prev, expected = row.hash, row.id + 1
        checked += 1
    last = expected - 1 if expected is not None else purged_through
    cut = [n for n in anchors if n > last]
    if cut:
        return ChainReport(False, checked, f"record {min(cut)} is missing (the chain was cut)")
    return ChainReport(True, checked)


def purge(session: Session, *, now: dt.datetime | None = None, batch: int = 5000) -> int:
    """Delete expired records, oldest first, committing per batch; return how many.

    Only a prefix of the chain is cut: the oldest records up to the first one still kept. Each
    batch reads at most `batch` records from the start of the primary key, under the chain's lock
    (so two purges at once never cut the same records twice), and deletes the expired ones before
    the first kept one: the work grows with what is purged, not with what is kept. The counters
    (`consent_count`) lose the deleted records in the same transaction.
    """
    now = _aware(now or utcnow())
    table = ConsentRecord.__table__
    total = 0
    while True:
        _lock_and_head(session)
        head = session.execute(
            select(table.c.id, table.c.hash, table.c.expires_at).order_by(table.c.id).limit(batch)
        ).all()
        expired = list(itertools.takewhile(lambda row: _aware(row.expires_at) < now, head))
        if not expired:
            session.rollback()  # releases the lock; nothing was written
            return total
        last_id, last_hash = expired[-1].id, expired[-1].hash
        deleted = session.execute(  # through the ORM: records loaded in the session go too
            delete(ConsentRecord)
            .where(ConsentRecord.id <= last_id)
            .returning(
                ConsentRecord.notice_hash,
                ConsentRecord.source,
                ConsentRecord.revision,
                ConsentRecord.choice,
            )  # fmt: skip
        ).all()
        _add_counts(session, _counted(deleted), sign=-1)
        audit.record(
            session,
            action="consent.purged",
            actor="system",
            detail=f"through record {last_id} {last_hash}",
        )
        session.commit()
        total += len(deleted)


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite gives back naive UTC times."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _counted(rows: Iterable[Any]) -> Iterator[_Counted]:
    for row in rows:
        state = json.loads(row.choice)
        yield row.notice_hash, row.source, row.revision, state["accepted"], state["refused"]


def records_of(session: Session, consent_id: str) -> list[ConsentRecord]:
    """Return the records of one consent id, oldest first."""
    return list(
        session.scalars(
            select(ConsentRecord)
            .where(ConsentRecord.consent_id == consent_id)
            .order_by(ConsentRecord.id)
        )
    )


# --- staff ---------------------------------------------------------------------------------


def counts(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Return counts of the records held by revision (and hash), source and category, and of
    the anonymous refusals, from the counters kept with every append and purge.

    `category` rows are (category, accepted, refused): how many records accepted and refused it.
    `refusals` rows are (revision, source, count) of the anonymous refusals, which have no record.
    """
    table = ConsentCount.__table__
    records = table.c.category == RECORDS
    total = func.sum(table.c.accepted)
    by_revision = session.execute(
        select(table.c.revision, table.c.notice_hash, total)
        .where(records)
        .group_by(table.c.revision, table.c.notice_hash)
        .having(total > 0)
        .order_by(table.c.revision, table.c.notice_hash)
    ).all()
    by_source = session.execute(
        select(table.c.source, total)
        .where(records)
        .group_by(table.c.source)
        .having(total > 0)
        .order_by(table.c.source)
    ).all()
    refused = func.sum(table.c.refused)
    by_category = session.execute(
        select(table.c.category, total, refused)
        .where(~records)
        .group_by(table.c.category)
        .having(total + refused > 0)
        .order_by(table.c.category)
    ).all()
    return {
        "revision": [(r[0], r[1], int(r[2])) for r in by_revision],
        "source": [(r[0], int(r[1])) for r in by_source],
        "category": [(r[0], int(r[1]), int(r[2])) for r in by_category],
        "refusals": _refusals(session),
    }


def recount(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Return what `counts` returns, counted from every record held (reads every record: for
    checking the counters, not for a page)."""
    table = ConsentRecord.__table__
    by_revision = session.execute(
        select(table.c.revision, table.c.notice_hash, func.count())
        .group_by(table.c.revision, table.c.notice_hash)
        .order_by(table.c.revision, table.c.notice_hash)
    ).all()
    by_source = session.execute(
        select(table.c.source, func.count()).group_by(table.c.source).order_by(table.c.source)
    ).all()
    categories: dict[str, list[int]] = {}
    for (choice,) in session.execute(select(table.c.choice)):
        state = json.loads(choice)
        for column, name in ((0, "accepted"), (1, "refused")):
            for category in state[name]:
                categories.setdefault(category, [0, 0])[column] += 1
    return {
        "revision": [(r[0], r[1], int(r[2])) for r in by_revision],
        "source": [(r[0], int(r[1])) for r in by_source],
        "category": [(name, *pair) for name, pair in sorted(categories.items())],
        "refusals": _refusals(session),
    }


def _refusals(session: Session) -> list[tuple[Any, ...]]:
    rows = session.execute(
        select(
            ConsentRefusalCount.revision,
            ConsentRefusalCount.source,
            func.sum(ConsentRefusalCount.count),
        )
        .group_by(ConsentRefusalCount.revision, ConsentRefusalCount.source)
        .order_by(ConsentRefusalCount.revision, ConsentRefusalCount.source)
    ).all()
    return [(r[0], r[1], int(r[2])) for r in rows]


JSONLD_CONTEXT = {
    "dpv": "https://w3id.org/dpv#",
    "eu-gdpr": "https://w3id.org/dpv/legal/eu/gdpr#",
    "dcterms": "http://purl.org/dc/terms/",
    "seloste": "https://w3id.org/seloste#",
}


def jsonld_node(row: Any, controller: str) -> dict[str, Any]:
    """Return one record as a DPV JSON-LD node (dpv:ConsentRecord, one per consent event)."""
    choice = json.loads(row.choice)
    return {
        "@id": f"urn:seloste:consent:{row.consent_id}:{row.id}",
        "@type": "dpv:ConsentRecord",
        "dpv:hasDataSubject": {"@id": f"urn:uuid:{row.consent_id}"},
        "dpv:hasDataController": {"@type": "dpv:DataController", "dpv:hasName": controller},
        "dpv:hasConsentStatus": {
            "@id": "dpv:ConsentGiven"
            if any(c != "necessary" for c in choice["accepted"])
            else "dpv:ConsentWithdrawn"
        },
        "dpv:hasPurpose": [f"seloste:cookies-{c}" for c in choice["accepted"]],
        "dpv:hasNotice": {
            "@id": f"urn:sha256:{row.notice_hash}",
            "dcterms:hasVersion": row.revision,
        },
        "dcterms:created": seal.iso_time(row.at),
        "dcterms:language": row.lang,
        "seloste:source": row.source,
        "seloste:hash": row.hash,
    }


def jsonld(session: Session, controller: str, consent_id: str | None = None) -> dict[str, Any]:
    """Return every record (or those of one consent id) as DPV JSON-LD."""
    rows = _rows(session) if consent_id is None else iter(records_of(session, consent_id))
    return jsonld_document(rows, controller)


def jsonld_document(rows: Iterable[Any], controller: str) -> dict[str, Any]:
    """Return records as a DPV JSON-LD document: the context and one node per record."""
    return {"@context": JSONLD_CONTEXT, "@graph": [jsonld_node(row, controller) for row in rows]}
