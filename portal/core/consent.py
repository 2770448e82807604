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
each hash covering the previous one. Every `ANCHOR_EVERY` records the chain's head is written into
the audit trail (`consent.chain_head`), whose signed checkpoints then vouch for it; `purge` deletes
only a prefix of expired records and writes the hash it cut at (`consent.purged`), so the rest of
the chain still verifies from there.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from notice import banner
from notice.model import Site
from portal.core import audit, seal
from portal.core.models import AuditEvent, ConsentNotice, ConsentRecord, ConsentRefusalCount, utcnow

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
    or, with none left, the hash where the last purge cut the chain."""
    head = audit.lock_and_read_head(session, _PG_LOCK_AND_HEAD_SQL, _SQLITE_LOCK_SQL, _HEAD_SQL)
    return head if head is not None else (0, last_purged_hash(session))


def store(
    session: Session, choice: Choice, *, keep_days: int, now: dt.datetime | None = None
) -> Outcome:
    """Record `choice` (or count it, for an anonymous refusal) and commit.

    Idempotent: a post repeated with the same event id returns the first record and adds
    nothing. `keep_days` is how long the record is kept (consent lifetime plus a period).
    """
    at = (now or utcnow()).astimezone(dt.UTC).replace(microsecond=0)
    existing = session.scalar(
        select(ConsentRecord).where(ConsentRecord.event_id == choice.event_id)
    )
    if existing is not None:
        return Outcome("recorded", existing)
    if choice.refuses_all and (
        choice.consent_id is None
        or session.scalar(
            select(ConsentRecord.id).where(ConsentRecord.consent_id == choice.consent_id).limit(1)
        )
        is None
    ):
        _count_refusal(session, choice, at.date())
        session.commit()
        return Outcome("counted")
    if choice.consent_id is None:
        raise ConsentError("consent_id", "a consent needs the consent id of the banner's cookie")
    last_id, prev_hash = _lock_and_head(session)
    row = ConsentRecord(
        id=last_id + 1,
        event_id=choice.event_id,
        consent_id=choice.consent_id,
        at=at,
        expires_at=at + dt.timedelta(days=keep_days),
        kind=choice.kind,
        source=choice.source,
        revision=choice.notice.revision,
        notice_hash=choice.notice.hash,
        lang=choice.lang,
        choice=choice.as_json(),
        prev_hash=prev_hash,
    )
    row.hash = compute_hash(record_fields(row))
    session.add(row)
    try:
        session.flush()
        if row.id % ANCHOR_EVERY == 0:
            anchor(session, row.id, row.hash)
        session.commit()
    except IntegrityError:  # the same event posted twice at once: the other one won
        session.rollback()
        existing = session.scalar(
            select(ConsentRecord).where(ConsentRecord.event_id == choice.event_id)
        )
        if existing is None:
            raise
        return Outcome("recorded", existing)
    return Outcome("recorded", row)


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

    Only a prefix of the chain is cut (records up to the first one still kept), found through the
    index on `expires_at`, so the work grows with what is purged, not with what is kept.
    """
    now = now or utcnow()
    total = 0
    while True:
        kept_from = session.scalar(
            select(func.min(ConsentRecord.id)).where(ConsentRecord.expires_at >= now)
        )
        query = select(ConsentRecord.id, ConsentRecord.hash).where(ConsentRecord.expires_at < now)
        if kept_from is not None:
            query = query.where(ConsentRecord.id < kept_from)
        rows = session.execute(query.order_by(ConsentRecord.id).limit(batch)).all()
        if not rows:
            return total
        _lock_and_head(session)
        last_id, last_hash = rows[-1]
        session.execute(delete(ConsentRecord).where(ConsentRecord.id <= last_id))
        audit.record(
            session,
            action="consent.purged",
            actor="system",
            detail=f"through record {last_id} {last_hash}",
        )
        session.commit()
        total += len(rows)


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
    """Return counts of records by revision, source and accepted category, and of refusals."""
    table = ConsentRecord.__table__
    by_revision = session.execute(
        select(table.c.revision, table.c.notice_hash, func.count())
        .group_by(table.c.revision, table.c.notice_hash)
        .order_by(table.c.revision)
    ).all()
    by_source = session.execute(
        select(table.c.source, func.count()).group_by(table.c.source).order_by(table.c.source)
    ).all()
    categories: dict[str, int] = {}
    for (choice,) in session.execute(select(table.c.choice)):
        for category in json.loads(choice)["accepted"]:
            categories[category] = categories.get(category, 0) + 1
    refusals = session.execute(
        select(
            ConsentRefusalCount.revision,
            ConsentRefusalCount.source,
            func.sum(ConsentRefusalCount.count),
        )
        .group_by(ConsentRefusalCount.revision, ConsentRefusalCount.source)
        .order_by(ConsentRefusalCount.revision, ConsentRefusalCount.source)
    ).all()
    return {
        "revision": [tuple(r) for r in by_revision],
        "source": [tuple(r) for r in by_source],
        "category": sorted(categories.items()),
        "refusals": [(r[0], r[1], int(r[2])) for r in refusals],
    }


def jsonld(session: Session, controller: str) -> dict[str, Any]:
    """Return every record as DPV JSON-LD (dpv:ConsentRecord, one per consent event)."""
    graph = []
    for row in _rows(session):
        choice = json.loads(row.choice)
        graph.append(
            {
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
        )
    return {
        "@context": {
            "dpv": "https://w3id.org/dpv#",
            "eu-gdpr": "https://w3id.org/dpv/legal/eu/gdpr#",
            "dcterms": "http://purl.org/dc/terms/",
            "seloste": "https://w3id.org/seloste#",
        },
        "@graph": graph,
    }


def register_commands(group: Any) -> None:
    """Add `consent verify` and `consent export` to the portal command group."""
    import sys

    import click
    from flask.cli import AppGroup

    from portal.core import content
    from portal.db import get_session

    consent_group = AppGroup("consent", help="Consent records of the cookie banner.")

    @consent_group.command("verify")
    def verify_command() -> None:
        """Check every consent record's hash and link and the anchors in the audit trail."""
        report = verify(get_session())
        if report.ok:
            click.echo(f"consent chain ok: {report.checked} record(s)")
            return
        click.echo(f"consent chain BROKEN: {report.problem}", err=True)
        sys.exit(1)

    @consent_group.command("export")
    def export_command() -> None:
        """Write every consent record as DPV JSON-LD to standard output."""
        document = jsonld(get_session(), content.controller_name())
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))

    group.add_command(consent_group)
