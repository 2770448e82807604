"""Recording a submitted request once, even when the same form is posted twice at once.

A request is recorded the moment it is sent (Art 12(6) and EDPB 01/2022: identity proof is
evidence, never a precondition for recording), with its confirmation e-mail. The same request from
the same address within 24 hours is recorded once: the check and the insert run under a lock on
that address, right and register, so two posts of one form cannot both find "no duplicate" and
both insert.

On PostgreSQL that lock is an advisory lock of its own, and the audit chain's lock is taken only
for the event and the commit: submissions from different people then wait for each other only
there, not through the duplicate check and the inserts as well. SQLite has one write lock for
everything; it is taken first, as the chain's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from sqlalchemy import bindparam, func, insert, inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from portal.core import audit
from portal.core.models import DataRequest, OutboxMessage, RequestStatus, utcnow

DUPLICATE_WINDOW = dt.timedelta(hours=24)


_REQUESTS = DataRequest.__table__
_SAME_REQUESTS = select(_REQUESTS.c.id, _REQUESTS.c.details).where(
    func.lower(_REQUESTS.c.email) == bindparam("email"),
    _REQUESTS.c.right == bindparam("right"),
    _REQUESTS.c.register_id == bindparam("register_id"),
    _REQUESTS.c.created_at >= bindparam("since"),
    _REQUESTS.c.status != bindparam("expired"),
)
"""The requests a new one could repeat (answered by `ix_request_email_lower`). Built once: making
the statement and its cache key anew was most of the check's CPU, under the chain's lock."""


def find_duplicate(
    session: Session, *, email: str, right: str, register_id: str, details: dict[str, Any]
) -> DataRequest | None:
    """Return the same request from the same address within 24 hours, if there is one."""
    # Only the id and the details are read for the comparison (under the chain's lock, in every
    # submission), on the session's connection: a whole row would eager-load its assignee and
    # identity for nothing, and the ORM's statement handling cost more than the query.
    candidates = session.connection().execute(
        _SAME_REQUESTS,
        {
            "email": email.lower(),
            "right": right,
            "register_id": register_id,
            "since": utcnow() - DUPLICATE_WINDOW,
            "expired": RequestStatus.expired.value,
        },
    )
    found = next((id_ for id_, known in candidates if (known or {}) == details), None)
    return session.get(DataRequest, found) if found is not None else None


_SAME_REQUESTS_LOCK_CLASS = 0x5E10
"""The first key of the two-key advisory locks on "the same request" (PostgreSQL's two-key locks
are a key space apart from the one-key locks of the audit trail and the consent records)."""


def _lock_same_requests(session: Session, request: DataRequest) -> tuple[int, str] | None:
    """Lock out other submissions that `request` could repeat until the commit.

    On PostgreSQL: an advisory lock on its address (any case), right and register; returns None.
    On SQLite: the database's write lock, taken as the audit chain's; returns the chain's head
    for `audit.record`, which then need not read it again.
    """
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return audit.lock_chain(session)
    same = "\x1f".join((request.email.lower(), request.right, request.register_id))
    key = int.from_bytes(hashlib.sha256(same.encode()).digest()[:4], "big", signed=True)
    cursor = connection.connection.cursor()
    try:
        cursor.execute(f"SELECT pg_advisory_xact_lock({_SAME_REQUESTS_LOCK_CLASS}, {key})")
    finally:
        cursor.close()
    return None


def record_submission(
    session: Session, request: DataRequest, message: OutboxMessage, *, ui_language: str
) -> bool:
    """Record `request` with its confirmation `message` and commit; False for a duplicate.

    Make the message before calling: the locks taken here are held until the commit. Both are
    written as rows and get their ids (`request.id`, `message.id`, `message.request_id`); a request
    with a strong identification is added to the session (its identity row goes with it), the
    others are inserted as they are and stay out of it.
    """
    head = _lock_same_requests(session, request)
    if find_duplicate(
        session,
        email=request.email,
        right=request.right,
        register_id=request.register_id,
        details=request.details or {},
    ):
        session.rollback()
        return False
    connection = session.connection()
    if _has_related_rows(request):
        session.add(request)
        session.flush()
    else:
        _insert(connection, request)
    message.request_id = request.id
    _insert(connection, message)
    audit.record(
        session,
        action="request.submitted",
        actor="subject",
        request_id=request.id,
        # A name typed that is not the identified person's, sent knowingly: the flag only (the
        # names are in the request and its seal, not in the audit trail).
        detail=f"right={request.right} register={request.register_id} ui={ui_language}"
        + (" name_differs_from_identity=yes" if request.name_differs_from_identity else ""),
        now=request.created_at,
        head=head,
    )
    session.commit()
    return True


def _has_related_rows(row: DataRequest | OutboxMessage) -> bool:
    """Return whether a new `row` carries related rows (a request's identity) to insert with it."""
    state = inspect(row)
    return any(state.dict.get(relation.key) for relation in state.mapper.relationships)


def _insert(connection: Connection, row: DataRequest | OutboxMessage) -> None:
    """Insert a new `row`'s own columns on the session's `connection` and set its id.

    The unit of work's flush of one new object (its cascades, relationships and bookkeeping) cost
    several times the INSERT, under the chain's lock. Columns the row does not set get their
    defaults from the table, as in a flush.
    """
    state = inspect(row)
    values = {
        prop.columns[0].key: state.dict[prop.key]
        for prop in state.mapper.column_attrs
        if prop.key in state.dict
    }
    result = connection.execute(_INSERTS[state.mapper.local_table.name], values)
    row.id = result.inserted_primary_key[0]


_INSERTS = {table.name: insert(table) for table in (DataRequest.__table__, OutboxMessage.__table__)}
"""The two INSERT statements, built once (a statement built per row made its cache key anew)."""
