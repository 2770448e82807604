"""Reminders: one e-mail per assignee, the unassigned to every admin, references and dates only."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from email.message import EmailMessage
from typing import Any

import time_machine
from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.core import audit, letters, reminders
from portal.core.models import AuditEvent, DataRequest, OutboxMessage
from tests.portal.support.cli import cli
from tests.portal.support.requests import add_request, add_staff

NOW = dt.datetime(2025, 6, 2, 5, 0, tzinfo=dt.UTC)  # Monday 08:00 in Helsinki
TODAY = dt.date(2025, 6, 2)


def due(session: Session, ref: str, days: int, **overrides: Any) -> DataRequest:
    values: dict[str, Any] = {
        "reference": ref,
        "status": "open",
        "received_at": NOW - dt.timedelta(days=20),
        "due_on": TODAY + dt.timedelta(days=days),
    }
    return add_request(session, **(values | overrides))


def mails(session: Session) -> dict[str, EmailMessage]:
    rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    parsed = [email.message_from_bytes(r.message, policy=email.policy.default) for r in rows]
    return {str(m["To"]): m for m in parsed}  # type: ignore[misc]


def text_of(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return body.get_content()


def scenario(session: Session) -> dict[str, Any]:
    hanna = add_staff(session, "hanna")
    ville = add_staff(session, "ville", active=False)
    aino = add_staff(session, "aino", "admin")
    eero = add_staff(session, "eero", "admin")
    add_staff(session, "mailless", "admin", email="")
    add_staff(session, "retired", "admin", active=False)
    due(session, "MINE-SOON", 3, assignee_id=hanna.id)
    due(session, "MINE-LATE", -2, assignee_id=hanna.id, status="awaiting_info")
    due(session, "MINE-LATER", 20, assignee_id=hanna.id)
    due(session, "NOBODY-SOON", 7)
    due(session, "DISABLED-OWNER", 1, assignee_id=ville.id)
    due(session, "DECIDED", -5, status="decided", decision="granted")
    due(session, "EXTENDED", -1, extended_due_on=TODAY + dt.timedelta(days=30))
    due(session, "UNCONFIRMED", -9, status="unconfirmed")
    session.commit()
    return {"hanna": hanna, "aino": aino, "eero": eero}


def test_due_soon_selects_unanswered_requests_by_effective_due_date(session: Session) -> None:
    scenario(session)
    found = [r.reference for r in reminders.due_soon(session, TODAY, 7)]
    assert found == ["MINE-LATE", "DISABLED-OWNER", "MINE-SOON", "NOBODY-SOON"]


def test_one_mail_per_assignee_and_the_unassigned_to_every_admin(session: Session) -> None:
    staff = scenario(session)
    report = reminders.remind(session, within=7, now=NOW)
    session.commit()
    assert (report.messages, report.requests) == (3, 4)
    assert sorted(report.recipients) == sorted(
        [staff["hanna"].id, staff["aino"].id, staff["eero"].id]
    )

    sent = mails(session)
    assert set(sent) == {"hanna@staff.example.fi", "aino@staff.example.fi", "eero@staff.example.fi"}
    mine = sent["hanna@staff.example.fi"]
    assert mine["Subject"] == "Pian erääntyviä pyyntöjä: 2 (myöhässä 1)"
    body = text_of(mine)
    assert "sinulle osoitetut" in body
    assert "- MINE-LATE: MYÖHÄSSÄ: määräaika päättyi 31. toukokuuta 2025" in body
    assert "- MINE-SOON: erääntyy 5. kesäkuuta 2025" in body
    assert body.index("MINE-LATE") < body.index("MINE-SOON")
    assert "MINE-LATER" not in body and "NOBODY" not in body
    assert "https://www.proleader.fi/requests/staff/" in body

    for admin in ("aino@staff.example.fi", "eero@staff.example.fi"):
        body = text_of(sent[admin])
        assert "käsittelijää vailla" in body
        assert "DISABLED-OWNER" in body and "NOBODY-SOON" in body and "MINE" not in body
        assert sent[admin]["Subject"] == "Pian erääntyviä pyyntöjä: 2 (myöhässä 0)"

    everything = "".join(text_of(m) + str(m["Subject"]) for m in sent.values())
    for personal in ("Äijälä", "Åsa", "asa.aijala", "040 123", "A-1001", "Kaikki minua"):
        assert personal not in everything

    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "reminder.sent")).all()
    assert sorted((e.staff_id, e.detail) for e in events) == sorted(
        [
            (staff["hanna"].id, "requests=2 overdue=1"),
            (staff["aino"].id, "requests=2 overdue=0 unassigned"),
            (staff["eero"].id, "requests=2 overdue=0 unassigned"),
        ]
    )
    assert audit.verify(session).ok


def test_nothing_due_sends_nothing(session: Session) -> None:
    add_staff(session, "aino", "admin")
    due(session, "FAR", 30)
    session.commit()
    assert reminders.remind(session, within=7, now=NOW) == reminders.RemindReport(0, 0, [])
    assert mails(session) == {}


def test_reminders_in_english_and_swedish(session: Session) -> None:
    scenario(session)
    reminders.remind(session, within=7, language="en", now=NOW)
    mine = mails(session)["hanna@staff.example.fi"]
    assert mine["Subject"] == "Requests due soon: 2 (1 overdue)"
    assert "- MINE-LATE: OVERDUE: was due 31 May 2025" in text_of(mine)
    session.execute(OutboxMessage.__table__.delete())
    reminders.remind(session, within=7, language="sv", now=NOW)
    assert mails(session)["hanna@staff.example.fi"]["Subject"] == (
        "Begäranden som snart förfaller: 2 (1 försenade)"
    )


def test_remind_command(app: Flask, session: Session) -> None:
    scenario(session)
    with time_machine.travel(NOW, tick=False):
        result = cli(app, "remind")
        assert result.exit_code == 0, result.output
        assert result.output == (
            "queued 3 reminder(s) listing 4 request(s) due within 7 days or overdue; "
            "send them with `portal send-mail`\n"
        )
        result = cli(app, "remind", "--within", "30", "--language", "en")
        assert result.exit_code == 0, result.output
        assert "listing 6 request(s) due within 30 days" in result.output
        assert cli(app, "remind", "--within", "-1").exit_code == 2


def test_each_reader_gets_the_language_of_the_staff_pages_they_last_used(
    session: Session,
) -> None:
    """Without --language, Hanna (who used the staff pages in Swedish) reads Swedish, Aino
    (English) English, and Eero (never signed in) Finnish."""
    staff = scenario(session)
    staff["hanna"].language = "sv"
    staff["aino"].language = "en"
    session.commit()
    reminders.remind(session, within=7, now=NOW)
    sent = mails(session)
    assert sent["hanna@staff.example.fi"]["Subject"] == (
        "Begäranden som snart förfaller: 2 (1 försenade)"
    )
    assert sent["aino@staff.example.fi"]["Subject"] == "Requests due soon: 2 (0 overdue)"
    assert sent["eero@staff.example.fi"]["Subject"] == "Pian erääntyviä pyyntöjä: 2 (myöhässä 0)"


def html_of(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("html",))
    assert body is not None
    return BeautifulSoup(body.get_content(), "html.parser").get_text()


def test_reminder_dates_read_as_in_the_persons_e_mails_and_letters(session: Session) -> None:
    """A reminder writes its due dates as every other e-mail and letter does (sv_FI): inside the
    sentence Swedish says "den 31 maj 2025", as in "… tidsfristen gick ut den 31 maj 2025"."""
    scenario(session)
    lines = {
        "fi": [
            "- MINE-LATE: MYÖHÄSSÄ: määräaika päättyi 31. toukokuuta 2025",
            "- MINE-SOON: erääntyy 5. kesäkuuta 2025",
        ],
        "sv": [
            "- MINE-LATE: FÖRSENAD: tidsfristen gick ut den 31 maj 2025",
            "- MINE-SOON: förfaller den 5 juni 2025",
        ],
        "en": ["- MINE-LATE: OVERDUE: was due 31 May 2025", "- MINE-SOON: due 5 June 2025"],
    }
    for lang, expected in lines.items():
        session.execute(OutboxMessage.__table__.delete())
        reminders.remind(session, within=7, language=lang, now=NOW)
        mine = mails(session)["hanna@staff.example.fi"]
        text, html = text_of(mine), " ".join(html_of(mine).split())
        for line in expected:
            assert line in text, (lang, text)
            assert line.removeprefix("- ") in html, (lang, html)
        for day in (dt.date(2025, 5, 31), dt.date(2025, 6, 5)):
            assert letters.format_long_date(day, lang, in_text=True) in text
