"""The staff queue: filters, sorting, keyset paging, status counts, CSV export.

Pages are found by keyset, never OFFSET: the next page starts after the (sort key, id) of the last
row shown, so page 100 costs what page 1 costs and a row never appears twice or slips between pages
while others are being decided. The queue sorts by effective due date unless staff choose another
column (`SORTS`: received, state, right), either way up. Every filter is an equality or a range on
an index prefix (`ix_request_effective_due`, `ix_request_assignee_effective_due`), so the first
page of a million requests in due order is read from the index in order and stops after 50 rows;
the other sorts order the rows of the chosen status.

Counts per status are capped (COUNT_CAP): the tabs say "1,000+" rather than scanning a million
closed requests on every page view.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from sqlalchemy import DateTime, Select, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session

from portal.core import duedates
from portal.core.models import (
    ACTIVE_STATES,
    EFFECTIVE_DUE,
    NO_DUE,
    DataRequest,
    RequestRight,
    RequestStatus,
    StaffUser,
)

PAGE_SIZE = 50
COUNT_CAP = 1_000
SEARCH_MAX = 254
DUE_WITHIN_CHOICES = (3, 7, 14, 30)

STATUSES: tuple[str, ...] = tuple(s.value for s in RequestStatus)
RIGHTS: tuple[str, ...] = tuple(r.value for r in RequestRight)
NOT_RECEIVED = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)
"""The received sort key of a request whose e-mail address is not confirmed: it sorts last."""

SortKey = dt.date | dt.datetime | int


def _rank(column: Any, codes: tuple[str, ...]) -> Any:
    """Return `column`'s code as its place in `codes` (the workflow's order, not the alphabet)."""
    return case({code: place for place, code in enumerate(codes)}, value=column, else_=len(codes))


SORTS: dict[str, Any] = {
    "due": EFFECTIVE_DUE,
    "received": func.coalesce(
        DataRequest.received_at, literal(NOT_RECEIVED, DateTime(timezone=True))
    ),
    "status": _rank(DataRequest.status, STATUSES),
    "right": _rank(DataRequest.right, RIGHTS),
}
"""The columns staff can sort the queue by, as SQL sort keys (ties are broken by id)."""
DEFAULT_SORT = "due"
ORDERS = ("asc", "desc")


def sort_key_of(row: DataRequest, sort: str) -> SortKey:
    """Return the sort key of a loaded request (matches `SORTS[sort]` in SQL)."""
    if sort == "received":
        return row.received_at or NOT_RECEIVED
    if sort == "status":
        return STATUSES.index(row.status) if row.status in STATUSES else len(STATUSES)
    if sort == "right":
        return RIGHTS.index(row.right) if row.right in RIGHTS else len(RIGHTS)
    return effective_due_of(row)


@dataclass(frozen=True)
class QueueFilter:
    """What the queue shows; every field comes from an allow-list, never raw input."""

    status: str = RequestStatus.open.value
    right: str = ""
    register: str = ""
    assignee: str = ""  # "", "mine", "unassigned" or an account id
    due: str = ""  # "", "overdue" or a number of days
    language: str = ""
    q: str = ""
    sort: str = DEFAULT_SORT
    order: str = "asc"

    def to_args(self) -> dict[str, str]:
        """Return the non-default fields as URL arguments."""
        default = QueueFilter()
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if getattr(self, f.name) != getattr(default, f.name)
        }

    def without_search(self) -> QueueFilter:
        """Return this filter without the free-text search."""
        return replace(self, q="")

    def sorted_by(self, sort: str) -> QueueFilter:
        """Return this filter sorted by `sort`: ascending, or the other way if it already is."""
        order = "desc" if self.sort == sort and self.order == "asc" else "asc"
        return replace(self, sort=sort, order=order)


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: after this sort key (a due date by default) and id."""

    key: SortKey
    id: int

    def encode(self) -> str:
        """Return the cursor as a short URL-safe string."""
        key = self.key if isinstance(self.key, int) else self.key.isoformat()
        return f"{key}_{self.id}"

    @classmethod
    def decode(cls, raw: str | None, sort: str = DEFAULT_SORT) -> Cursor | None:
        """Parse an encoded cursor of a `sort` page; anything malformed starts from page one."""
        if not raw:
            return None
        try:
            key, _, ident = raw.rpartition("_")
            value: SortKey
            if sort == "received":
                value = dt.datetime.fromisoformat(key)
            elif sort in ("status", "right"):
                value = int(key)
            else:
                value = dt.date.fromisoformat(key)
            return cls(value, int(ident))
        except ValueError:
            return None


@dataclass(frozen=True)
class QueuePage:
    """One page of the queue and where the next one starts."""

    rows: list[DataRequest]
    next_cursor: Cursor | None


def parse_filter(
    args: Mapping[str, str],
    *,
    registers: set[str],
    languages: set[str],
    staff_ids: set[int] | None = None,
) -> QueueFilter:
    """Build a filter from URL arguments, dropping values outside their allow-lists."""
    q = " ".join(args.get("q", "").split())[:SEARCH_MAX]
    # A search looks through every status unless one is chosen.
    status = args.get("status") or ("all" if q else RequestStatus.open.value)
    if status not in (*STATUSES, "all"):
        status = RequestStatus.open.value
    right = args.get("right", "")
    register = args.get("register", "")
    language = args.get("language", "")
    assignee = args.get("assignee", "")
    if assignee not in ("", "mine", "unassigned"):
        if not (assignee.isdigit() and (staff_ids is None or int(assignee) in staff_ids)):
            assignee = ""
    due = args.get("due", "")
    if due != "overdue" and not (due.isdigit() and int(due) in DUE_WITHIN_CHOICES):
        due = ""
    sort = args.get("sort", DEFAULT_SORT)
    order = args.get("order", "asc")
    return QueueFilter(
        status=status,
        right=right if right in {r.value for r in RequestRight} else "",
        register=register if register in registers else "",
        assignee=assignee,
        due=due,
        language=language if language in languages else "",
        q=q,
        sort=sort if sort in SORTS else DEFAULT_SORT,
        order=order if order in ORDERS else "asc",
    )


def _prefix_range(column: Any, prefix: str) -> Any:
    """Return `column` starts with `prefix` as a range, so a plain b-tree index serves it."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return and_(column >= prefix, column < upper)


def _conditions(f: QueueFilter, *, staff_id: int | None, today: dt.date) -> list[Any]:
    where: list[Any] = []
    if f.status != "all":
        where.append(DataRequest.status == f.status)
    if f.right:
        where.append(DataRequest.right == f.right)
    if f.register:
        where.append(DataRequest.register_id == f.register)
    if f.language:
        where.append(DataRequest.language == f.language)
    if f.assignee == "mine":
        where.append(DataRequest.assignee_id == staff_id)
    elif f.assignee == "unassigned":
        where.append(DataRequest.assignee_id.is_(None))
    elif f.assignee:
        where.append(DataRequest.assignee_id == int(f.assignee))
    if f.due == "overdue":
        where.append(EFFECTIVE_DUE < today)
    elif f.due:
        where.append(EFFECTIVE_DUE <= today + dt.timedelta(days=int(f.due)))
    if f.q:
        text = f.q
        if "@" in text:
            where.append(or_(DataRequest.email == text, DataRequest.email == text.lower()))
        else:
            where.append(
                or_(
                    _prefix_range(DataRequest.reference, text),
                    _prefix_range(DataRequest.reference, text.upper()),
                    _prefix_range(DataRequest.email, text.lower()),
                )
            )
    return where


def queue_select(
    f: QueueFilter, *, staff_id: int | None, today: dt.date, after: Cursor | None = None
) -> Select[tuple[DataRequest]]:
    """Return the ordered query of the queue for `f`, starting after `after`."""
    stmt = select(DataRequest).where(*_conditions(f, staff_id=staff_id, today=today))
    key = SORTS[f.sort]
    if after is not None:
        # (key, id) > (after.key, after.id), spelled so that SQLite too seeks the index to
        # `after.key` (it does not use a row-value comparison as an index range).
        if f.order == "desc":
            stmt = stmt.where(key <= after.key, or_(key < after.key, DataRequest.id < after.id))
        else:
            stmt = stmt.where(key >= after.key, or_(key > after.key, DataRequest.id > after.id))
    if f.order == "desc":
        return stmt.order_by(key.desc(), DataRequest.id.desc())
    return stmt.order_by(key, DataRequest.id)


def effective_due_of(row: DataRequest) -> dt.date:
    """Return the sort key date of a loaded request (matches EFFECTIVE_DUE)."""
    return row.effective_due or NO_DUE


def fetch_page(
    session: Session,
    f: QueueFilter,
    *,
    staff_id: int | None,
    today: dt.date,
    after: Cursor | None = None,
    limit: int = PAGE_SIZE,
) -> QueuePage:
    """Return one page of the queue and the cursor of the next page (None: last page)."""
    stmt = queue_select(f, staff_id=staff_id, today=today, after=after).limit(limit + 1)
    rows = list(session.scalars(stmt).unique())
    more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1] if more and rows else None
    cursor = Cursor(sort_key_of(last, f.sort), last.id) if last is not None else None
    return QueuePage(rows, cursor)


def status_counts(session: Session, *, cap: int = COUNT_CAP) -> dict[str, int]:
    """Return the number of requests in each status, each counted up to `cap` + 1."""
    counts: dict[str, int] = {}
    for status in STATUSES:
        # Ordered like the index, so both databases walk `ix_request_effective_due` for this
        # status and stop at the cap; unordered, PostgreSQL may scan the whole table instead
        # when a status has fewer rows than the cap.
        capped = (
            select(DataRequest.id)
            .where(DataRequest.status == status)
            .order_by(EFFECTIVE_DUE, DataRequest.id)
            .limit(cap + 1)
            .subquery()
        )
        counts[status] = session.scalar(select(func.count()).select_from(capped)) or 0
    return counts


@dataclass(frozen=True)
class Summary:
    """The queue's day at a glance: open work overdue, due within a week, waiting for people."""

    overdue: int
    due_this_week: int
    waiting: int


def summary(session: Session, *, today: dt.date, cap: int = COUNT_CAP) -> Summary:
    """Return the at-a-glance counts of active requests (each capped like `status_counts`)."""

    def count(*conditions: Any) -> int:
        capped = (
            select(DataRequest.id)
            .where(*conditions)
            .order_by(EFFECTIVE_DUE, DataRequest.id)
            .limit(cap + 1)
            .subquery()
        )
        return session.scalar(select(func.count()).select_from(capped)) or 0

    active = DataRequest.status.in_([s.value for s in ACTIVE_STATES])
    return Summary(
        overdue=count(active, EFFECTIVE_DUE < today),
        due_this_week=count(
            active, EFFECTIVE_DUE >= today, EFFECTIVE_DUE <= today + dt.timedelta(days=7)
        ),
        waiting=count(DataRequest.status == RequestStatus.awaiting_info),
    )


def iter_rows(
    session: Session, f: QueueFilter, *, staff_id: int | None, today: dt.date, batch: int = 500
) -> Iterator[DataRequest]:
    """Yield every request matching `f`, in queue order, a keyset batch at a time."""
    after: Cursor | None = None
    while True:
        page = fetch_page(session, f, staff_id=staff_id, today=today, after=after, limit=batch)
        yield from page.rows
        if page.next_cursor is None:
            return
        after = page.next_cursor
        session.expunge_all()


CSV_COLUMNS = (
    "reference",
    "right",
    "register",
    "language",
    "status",
    "received_on",
    "due_on",
    "extended_due_on",
    "effective_due_on",
    "paused_days",
    "assignee",
    "decision",
    "decided_on",
    "closed_on",
)
"""What the export holds: codes and dates only. No names, addresses or free text, so a file
that leaves the system carries as little personal data as the queue can be worked with."""


def _csv_cell(value: object) -> str:
    text = "" if value is None else str(value)
    # A leading =, +, - or @ would make a spreadsheet run it as a formula (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _day(value: dt.datetime | None) -> str:
    """Return the day of `value` in Helsinki, where the law counts days (not UTC's)."""
    if value is None:
        return ""
    if value.tzinfo is None:  # SQLite gives naive UTC
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(duedates.HELSINKI).date().isoformat()


def export_csv(
    session: Session, f: QueueFilter, *, staff_id: int | None, today: dt.date
) -> Iterator[str]:
    """Yield the CSV of the filtered queue (the free-text search is not applied), line by line."""
    usernames = dict(session.execute(select(StaffUser.id, StaffUser.username)).all())
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(CSV_COLUMNS)
    yield flush()
    for row in iter_rows(session, f.without_search(), staff_id=staff_id, today=today):
        effective = effective_due_of(row)
        writer.writerow(
            _csv_cell(v)
            for v in (
                row.reference,
                row.right,
                row.register_id,
                row.language,
                row.status,
                _day(row.received_at),
                row.due_on.isoformat() if row.due_on else "",
                row.extended_due_on.isoformat() if row.extended_due_on else "",
                effective.isoformat() if effective != NO_DUE else "",
                row.paused_days or 0,
                usernames.get(row.assignee_id, "") if row.assignee_id else "",
                row.decision or "",
                _day(row.decided_at),
                _day(row.closed_at),
            )
        )
        yield flush()
