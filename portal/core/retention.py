"""Retention: unconfirmed requests are deleted, closed ones anonymised, on a schedule.

An unconfirmed request was never a request the controller had to answer — the person did not
confirm the address — so after `UNCONFIRMED_RETENTION_DAYS` it is deleted with its letters and
e-mails. A closed request is evidence that the controller answered on time, so after
`CLOSED_RETENTION_DAYS` only what identifies the person goes: name, e-mail, phone, customer
number, the request's own words, the signed payload (it repeats them), letter bodies, internal
notes, reasons given for recipients and the stored e-mails. What stays is what an auditor needs:
id, reference, right, register, dates, decision and the seal's digest and signature, whose payload
the person still holds in their receipt.

The audit chain stays verifiable: events name requests by id only, and purging appends
`request.purged` events rather than touching old ones.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from portal.core import audit
from portal.core.models import (
    DataRequest,
    Letter,
    OutboxMessage,
    RecipientNotification,
    RequestIdentity,
    RequestNote,
    RequestReply,
    RequestStatus,
    utcnow,
)

BATCH = 500
"""Requests per transaction: a long purge holds no lock for long and resumes where it stopped."""


@dataclass
class PurgeReport:
    """How many requests a purge deleted and anonymised (or would, in a dry run)."""

    deleted: int = 0
    anonymised: int = 0
    dry_run: bool = False


def _unconfirmed_query(cutoff: dt.datetime) -> Any:
    return (
        select(DataRequest.id)
        .where(
            DataRequest.status.in_([RequestStatus.unconfirmed, RequestStatus.expired]),
            DataRequest.created_at < cutoff,
        )
        .order_by(DataRequest.id)
    )


def _closed_query(cutoff: dt.datetime) -> Any:
    return (
        select(DataRequest.id)
        .where(
            DataRequest.status == RequestStatus.closed,
            DataRequest.closed_at < cutoff,
            DataRequest.anonymised_at.is_(None),
        )
        .order_by(DataRequest.id)
    )


def _delete(session: Session, ids: list[int], now: dt.datetime) -> None:
    # Stored e-mails hold the address and the name; the FK would only unlink them.
    session.execute(delete(OutboxMessage).where(OutboxMessage.request_id.in_(ids)))
    for model in (Letter, RequestNote, RequestReply, RecipientNotification, RequestIdentity):
        session.execute(delete(model).where(model.request_id.in_(ids)))
    session.execute(delete(DataRequest).where(DataRequest.id.in_(ids)))
    _record_purged(session, ids, "deleted: never confirmed", now)


def _record_purged(session: Session, ids: list[int], detail: str, now: dt.datetime) -> None:
    events = [
        {"action": "request.purged", "actor": "system", "request_id": i, "detail": detail}
        for i in ids
    ]
    audit.record_many(session, events, now=now)


def _anonymise(session: Session, ids: list[int], now: dt.datetime) -> None:
    session.execute(
        update(DataRequest)
        .where(DataRequest.id.in_(ids))
        .values(
            name="",
            email="",
            phone=None,
            customer_number=None,
            details={},
            signature_name="",
            sealed_payload=None,
            decision_reasons=None,
            extension_reason=None,
            anonymised_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(Letter)
        .where(Letter.request_id.in_(ids))
        .values(html="", pdf=None)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(RecipientNotification)
        .where(RecipientNotification.request_id.in_(ids))
        .values(reason=None)
        .execution_options(synchronize_session=False)
    )
    session.execute(delete(RequestNote).where(RequestNote.request_id.in_(ids)))
    # The verified name and the identity hash go with the rest of the person's data.
    session.execute(delete(RequestIdentity).where(RequestIdentity.request_id.in_(ids)))
    session.execute(delete(RequestReply).where(RequestReply.request_id.in_(ids)))
    session.execute(delete(OutboxMessage).where(OutboxMessage.request_id.in_(ids)))
    _record_purged(session, ids, "anonymised: retention period of closed requests ended", now)


def purge(
    session: Session,
    *,
    unconfirmed_days: int,
    closed_days: int,
    now: dt.datetime | None = None,
    dry_run: bool = False,
) -> PurgeReport:
    """Delete old unconfirmed requests and anonymise old closed ones, committing per batch."""
    now = now or utcnow()
    report = PurgeReport(dry_run=dry_run)
    steps = (
        (_unconfirmed_query(now - dt.timedelta(days=unconfirmed_days)), _delete, "deleted"),
        (_closed_query(now - dt.timedelta(days=closed_days)), _anonymise, "anonymised"),
    )
    for query, action, counter in steps:
        if dry_run:
            count = session.scalar(select(func.count()).select_from(query.subquery()))
            setattr(report, counter, count or 0)
            continue
        while ids := list(session.scalars(query.limit(BATCH))):
            action(session, ids, now)
            session.commit()
            setattr(report, counter, getattr(report, counter) + len(ids))
    session.expire_all()
    return report
