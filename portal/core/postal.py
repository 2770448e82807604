"""Letters that go by post: which they are, the list staff print them from, and marking them posted.

A request staff entered without an e-mail address (a letter, a call, a visit: `core.channels`)
has its letters issued but e-mailed to no one (`notify.send_letter`, `workflow.resume`): each one
must be printed and posted to the postal address the request then has. Which letters those are is
read from the request, never guessed from the channel: the request has no e-mail address
(`models.BY_POST_SQL`; a request by post that gave an address gets its letters by e-mail) and is
not anonymised (retention empties every address, years after the letters went). The model has no
"answer me by post" choice: the web form always takes an address, and answers go to it.

A letter stays on the list until someone marks it posted; who and when are kept on the letter and
written in the audit trail (`letter.posted`), under the chain's lock, so a letter is marked once
however many people press the button at the same time. A letter whose PDF is not made yet cannot
be printed, so it cannot be marked either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, and_, func, literal_column, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from portal.core import audit
from portal.core.models import (
    ACTIVE_STATES,
    DataRequest,
    Letter,
    StaffRole,
    StaffUser,
    utcnow,
)

BY_POST = and_(DataRequest.email == literal_column("''"), DataRequest.anonymised_at.is_(None))
"""`models.BY_POST_SQL` as a condition: the empty string is a literal, not a parameter, so both
databases see the partial index's own condition and use it (a bound value proves nothing)."""
SHOWN_AT_MOST = 200
"""Letters the page lists (the oldest); more are counted and shown when these are posted."""
ACTING_ROLES = frozenset({StaffRole.handler, StaffRole.admin})


def goes_by_post(request: DataRequest) -> bool:
    """Return whether `request`'s letters are printed and posted (the rule of `BY_POST`)."""
    return not request.email and request.anonymised_at is None


@dataclass(frozen=True)
class LetterToPost:
    """One letter waiting to be posted, with what the list shows of its request."""

    letter_id: int
    kind: str
    language: str
    created_at: dt.datetime
    pdf_ready: bool
    pdf_error: str | None
    reference: str
    name: str
    status: str
    due_on: dt.date | None
    """The due date in force (extended or strict); None before the request was received."""
    paused: bool

    def overdue(self, today: dt.date) -> bool:
        """Return whether the request is unanswered past its due date (as `workflow.is_overdue`)."""
        return self.status in ACTIVE_STATES and self.due_on is not None and today > self.due_on


def _waiting() -> list[ColumnElement[bool]]:
    return [BY_POST, Letter.posted_at.is_(None)]


def letters_to_post(session: Session, *, limit: int = SHOWN_AT_MOST) -> list[LetterToPost]:
    """Return the letters to post, oldest first (without their HTML or PDF)."""
    query = (
        select(
            Letter.id,
            Letter.kind,
            Letter.language,
            Letter.created_at,
            Letter.sha256,
            Letter.pdf_error,
            DataRequest.reference,
            DataRequest.name,
            DataRequest.status,
            DataRequest.due_on,
            DataRequest.extended_due_on,
            DataRequest.paused_at,
        )
        .select_from(DataRequest)
        .join(Letter, Letter.request_id == DataRequest.id)
        .where(*_waiting())
        .order_by(Letter.created_at, Letter.id)
        .limit(limit)
    )
    return [
        LetterToPost(
            letter_id=row.id,
            kind=row.kind,
            language=row.language,
            created_at=row.created_at,
            pdf_ready=row.sha256 is not None,
            pdf_error=row.pdf_error,
            reference=row.reference,
            name=row.name,
            status=row.status,
            due_on=row.extended_due_on or row.due_on,
            paused=row.paused_at is not None,
        )
        for row in session.execute(query)
    ]


def count_query() -> Select[tuple[int]]:
    """Return the query of how many letters wait to be posted (every staff page runs it)."""
    return (
        select(func.count())
        .select_from(DataRequest)
        .join(Letter, Letter.request_id == DataRequest.id)
        .where(*_waiting())
    )


def count_to_post(session: Session) -> int:
    """Return how many letters wait to be posted."""
    return int(session.scalar(count_query()) or 0)


@dataclass(frozen=True)
class Posted:
    """Who marked a letter posted and when (for a letter already marked)."""

    at: dt.datetime
    staff_id: int | None


def mark_posted(
    session: Session,
    letter_ids: Iterable[int],
    *,
    actor: StaffUser,
    now: dt.datetime | None = None,
) -> list[int]:
    """Mark the letters posted by `actor` now, and audit each; return the ids marked (caller
    commits).

    Letters already posted (by someone else a moment ago), letters not to post and letters
    without a PDF are left as they are; a caller that must say why asks `why_not`.
    """
    if not (actor.is_active and actor.role in ACTING_ROLES):
        raise PermissionError("this account may not act on requests")
    wanted = sorted(set(letter_ids))
    if not wanted:
        return []
    at = now or utcnow()
    head = audit.lock_chain(session)  # held to the commit: two people cannot both mark one
    rows = session.execute(
        select(Letter.id, Letter.request_id)
        .select_from(DataRequest)
        .join(Letter, Letter.request_id == DataRequest.id)
        .where(Letter.id.in_(wanted), Letter.sha256.is_not(None), *_waiting())
        .order_by(Letter.id)
    ).all()
    if not rows:
        return []
    marked = [row.id for row in rows]
    session.execute(
        update(Letter)
        .where(Letter.id.in_(marked))
        .values(posted_at=at, posted_by_id=actor.id)
        .execution_options(synchronize_session=False)
    )
    events = [
        {
            "action": "letter.posted",
            "actor": "staff",
            "staff_id": actor.id,
            "request_id": row.request_id,
            "detail": f"letter={row.id}",
        }
        for row in rows
    ]
    audit.record_many(session, events, now=at, head=head)
    return marked


def why_not(session: Session, letter: Letter) -> str | Posted:
    """Return why `letter` cannot be marked posted: who posted it already (`Posted`),
    `"not_by_post"` (it was e-mailed, or its request is anonymised) or `"no_pdf"`."""
    session.refresh(letter)
    if letter.posted_at is not None:
        return Posted(letter.posted_at, letter.posted_by_id)
    if not goes_by_post(letter.request):
        return "not_by_post"
    return "no_pdf"
