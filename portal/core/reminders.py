"""Due-date reminders: one e-mail per handler listing their requests due soon or overdue.

Requests nobody can act on — unassigned, or assigned to a disabled account or one without an
e-mail address — go to every active admin, so nothing falls between chairs. The e-mails list
references and due dates only: no names, no request text, nothing a mailbox should not keep.
Alerts use the strict (or extended) due date, never a paused one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.core import audit, duedates, links, workflow
from portal.core.models import (
    ACTIVE_STATES,
    EFFECTIVE_DUE,
    DataRequest,
    StaffRole,
    StaffUser,
)


@dataclass(frozen=True)
class ReminderItem:
    """One line of a reminder: a reference and its due date."""

    reference: str
    due: dt.date
    overdue: bool


@dataclass
class RemindReport:
    """What one `remind` run did: e-mails queued and the requests they listed."""

    messages: int = 0
    requests: int = 0
    recipients: list[int] = field(default_factory=list)
    """Staff ids e-mailed (no addresses: this report may be printed or logged)."""


def due_soon(session: Session, today: dt.date, within: int) -> list[DataRequest]:
    """Return unanswered requests due within `within` days or overdue, soonest first."""
    return list(
        session.scalars(
            select(DataRequest)
            .where(
                DataRequest.status.in_(sorted(ACTIVE_STATES)),
                EFFECTIVE_DUE <= today + dt.timedelta(days=within),
            )
            .order_by(EFFECTIVE_DUE, DataRequest.id)
        )
    )


def _reachable(user: StaffUser | None) -> bool:
    return user is not None and bool(user.is_active) and bool(user.email)


def remind(
    session: Session,
    *,
    within: int,
    language: str | None = None,
    now: dt.datetime | None = None,
) -> RemindReport:
    """Queue one reminder per assignee and one per admin for the unassigned (caller commits),
    each in `language` if given, else in the language of the staff pages its reader last used
    (Finnish for one who never signed in)."""
    from portal.core import mail

    today = duedates.helsinki_today(now)
    groups: dict[StaffUser | None, list[DataRequest]] = {}
    for request in due_soon(session, today, within):
        owner = request.assignee if _reachable(request.assignee) else None
        groups.setdefault(owner, []).append(request)

    admins = session.scalars(
        select(StaffUser)
        .where(StaffUser.role == StaffRole.admin, StaffUser.is_active.is_(True))
        .order_by(StaffUser.id)
    ).all()
    report = RemindReport(requests=sum(len(requests) for requests in groups.values()))
    for owner, requests in groups.items():
        recipients = [owner] if owner is not None else [a for a in admins if _reachable(a)]
        items = [
            ReminderItem(r.reference, workflow.effective_due(r), workflow.is_overdue(r, today))
            for r in requests
        ]
        context: dict[str, Any] = {
            "items": items,
            "overdue_count": sum(item.overdue for item in items),
            "within": within,
            "unassigned": owner is None,
            "queue_url": links.public_url("staff.queue"),
        }
        for user in recipients:
            mail.enqueue(
                session,
                to=str(user.email),
                template="reminder",
                language=language or user.language or "fi",
                context=context,
            )
            audit.record(
                session,
                action="reminder.sent",
                actor="system",
                staff_id=user.id,
                detail=f"requests={len(items)} overdue={context['overdue_count']}"
                + (" unassigned" if owner is None else ""),
                now=now,
            )
            report.messages += 1
            report.recipients.append(user.id)
    return report
