"""Earlier requests by the same person, so "manifestly unfounded or excessive" (Art 12(5)) is
judged from facts: the same e-mail address, or the same strong identification (keyed hash).

Anonymised requests have neither, so they no longer count, as retention intends.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from portal.core.models import DataRequest, RequestIdentity, RequestStatus

LIMIT = 50


@dataclass(frozen=True)
class EarlierRequest:
    """One earlier request and why it is the same person's."""

    reference: str
    right: str
    register_id: str
    created_at: dt.datetime
    status: str
    decision: str | None
    same_email: bool
    same_identity: bool


def earlier_requests(db: Session, row: DataRequest) -> list[EarlierRequest]:
    """Return the person's other requests, newest first (at most LIMIT), unconfirmed left out."""
    matches = []
    email = (row.email or "").strip().lower()
    if email:
        matches.append(func.lower(DataRequest.email) == email)
    subject = row.identity.subject_hash if row.identity is not None else None
    if subject:
        same = select(RequestIdentity.request_id).where(RequestIdentity.subject_hash == subject)
        matches.append(DataRequest.id.in_(same))
    if not matches:
        return []
    query = (
        select(DataRequest)
        .where(
            DataRequest.id != row.id,
            DataRequest.status != RequestStatus.unconfirmed,
            or_(*matches),
        )
        .order_by(DataRequest.created_at.desc(), DataRequest.id.desc())
        .limit(LIMIT)
    )
    return [
        EarlierRequest(
            reference=other.reference,
            right=other.right,
            register_id=other.register_id,
            created_at=other.received_at or other.created_at,
            status=other.status,
            decision=other.decision,
            same_email=bool(email) and (other.email or "").strip().lower() == email,
            same_identity=bool(subject)
            and other.identity is not None
            and other.identity.subject_hash == subject,
        )
        for other in db.scalars(query)
    ]
