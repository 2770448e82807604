"""The letter asking for information promises, while the clock is paused, to tell the person the
new date: the reply's confirmation, the e-mail when staff resume and the status page tell it, the
queue shows staff the same date, and the e-mail and the letter word the pause alike; a request by
post is told by a letter staff print when they resume it (both databases, fi, sv and en)."""

from __future__ import annotations

import datetime as dt
import io
from email import message_from_bytes, policy

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from pypdf import PdfReader
from sqlalchemy import select

from notice.loader import load_content
from portal.core import channels, duedates, letters
from portal.core.models import AuditEvent, DataRequest, Letter, OutboxMessage, StaffUser
from portal.db import get_session
from tests import REPO_ROOT
from tests.golden_letters import INFO, NOW, POSTAL, VERIFY_URL
from tests.portal.staff.test_replies import _reply
from tests.portal.support.requests import new_request
from tests.portal.support.staff import STAFF, StaffActions
from tests.portal.support.web import (
    ConfirmedRequest,
    confirm_from_mail,
    https_client,
    submit_request,
)

PERSON = "maija@example.fi"
DUE = dt.date(2026, 11, 30)  # a Monday; with five days paused: Saturday 5 December → Monday 7
WAITED = 5

PROMISE = {
    "fi": "Pyyntösi pysyy kirjattuna. Vastauksemme määräaika, 30. marraskuuta 2026, on "
    "keskeytetty, kunnes saamme vastauksesi; odotuspäivät lisätään määräaikaan, ja ilmoitamme "
    "sinulle uuden päivämäärän.",
    "sv": "Din begäran förblir registrerad. Tidsfristen för vårt svar, den 30 november 2026, är "
    "vilande tills vi får ditt svar; dagarna vi väntar läggs till tidsfristen, och vi meddelar "
    "dig det nya datumet.",
    "en": "Your request stays registered. The time limit of our answer, 30 November 2026, is "
    "paused until we receive your reply; the days we wait are added to it, and we will tell you "
    "the new date.",
}
NEW_DATE = {
    "fi": "Odotimme vastaustasi 5 päivää, ja ne lisätään vastauksemme määräaikaan: vastaamme "
    "viimeistään 7. joulukuuta 2026.",
    "sv": "Vi väntade 5 dagar på ditt svar, och de läggs till tidsfristen för vårt svar: vi "
    "svarar senast den 7 december 2026.",
    "en": "The 5 days we waited for your answer are added to the time limit of our answer: we "
    "will answer by 7 December 2026 at the latest.",
}
WHILE_PAUSED = {
    "fi": "30. marraskuuta 2026 (määräaika on keskeytetty, kunnes saamme vastauksesi; "
    "odotuspäivät lisätään siihen)",
    "sv": "30 november 2026 (tidsfristen är vilande tills vi får ditt svar; dagarna vi väntar "
    "läggs till den)",
    "en": "30 November 2026 (the time limit is paused until we receive your answer; the days we "
    "wait are added to it)",
}
AFTER = {
    "fi": "7. joulukuuta 2026 (5 odotuspäivää lisätty)",
    "sv": "7 december 2026 (5 dagar i väntan på ditt svar tillagda)",
    "en": "7 December 2026 (5 days of waiting for your answer added)",
}
RESUMED_SUBJECT = {
    "fi": "Pyyntösi {} määräaika kulkee taas",
    "sv": "Tidsfristen för din begäran {} löper igen",
    "en": "The time limit of your request {} runs again",
}


def words(text: str) -> str:
    return " ".join(text.split())


def helsinki_days_earlier(moment: dt.datetime, days: int) -> dt.datetime:
    """Return `moment` `days` days earlier on Helsinki's calendar, the one a pause is counted in:
    `days` × 24 hours across a change of summer time is a day more or a day less near midnight
    (run at 00.30 on 2 April 2027, the pause counted 6 days). Naive (SQLite's UTC) stays naive."""
    earlier = (duedates.local_received(moment) - dt.timedelta(days=days)).astimezone(dt.UTC)
    return earlier if moment.tzinfo else earlier.replace(tzinfo=None)


def body_of(row: OutboxMessage) -> str:
    message = message_from_bytes(row.message, policy=policy.default)
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return words(part.get_content())


def mail_to_person(app: Flask, request_id: int) -> list[OutboxMessage]:
    with app.app_context():
        rows = get_session().scalars(
            select(OutboxMessage)
            .where(OutboxMessage.request_id == request_id, OutboxMessage.recipient == PERSON)
            .order_by(OutboxMessage.id)
        )
        return list(rows)


def answer_by(person, confirmed: ConfirmedRequest) -> str:
    """Return the status page's "We will answer by" value, as the person reads it."""
    page = BeautifulSoup(person.get(confirmed.status_path).text, "html.parser")
    facts = page.find(class_="facts")
    return words(facts.find_all("dt")[-1].find_next_sibling("dd").get_text())


def asked_and_waited(
    app: Flask, smtp_server, staff: StaffActions, lang: str
) -> tuple[DataRequest, ConfirmedRequest]:
    """A confirmed request due on `DUE`, asked for identity with the clock paused `WAITED` days."""
    person = https_client(app)
    submit_request(person, "access", lang)
    confirmed = confirm_from_mail(person, smtp_server)
    with app.app_context():
        session = get_session()
        row = session.scalars(select(DataRequest)).one()
        row.due_on = DUE
        session.commit()
        session.expunge(row)
    account = staff.create("hanna")
    staff.login(account)
    staff.client.get(f"{STAFF}/?lang=en")
    assert staff.post_action(row.reference, "take").status_code == 302
    asked = staff.post_action(
        row.reference,
        "ask_info",
        reason="Tilauksesi nimi ei vastaa asiakastietojamme.",
        message="Kerro asiakasnumerosi.",
        pause_clock="y",
    )
    assert asked.status_code == 302
    # The letter and its e-mail say the same: paused, the days added, the new date told later.
    letter = person.get(f"{confirmed.status_path}/letters/2.pdf")
    assert letter.status_code == 200
    text = words(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(letter.data)).pages))
    assert words(PROMISE[lang]) in text
    (info_mail,) = mail_to_person(app, row.id)[-1:]
    assert PROMISE[lang] in body_of(info_mail)
    assert answer_by(https_client(app), confirmed) == WHILE_PAUSED[lang]
    with app.app_context():
        session = get_session()
        stored = session.get(DataRequest, row.id)
        stored.paused_at = helsinki_days_earlier(stored.paused_at, WAITED)
        session.commit()
    return row, confirmed


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_reply_confirmation_and_the_status_page_tell_the_new_date(
    app: Flask, smtp_server, staff: StaffActions, lang: str
) -> None:
    row, confirmed = asked_and_waited(app, smtp_server, staff, lang)
    person = https_client(app)
    assert _reply(person, confirmed, "1234").status_code == 303
    confirmation = mail_to_person(app, row.id)[-1]
    assert row.reference in confirmation.subject
    assert NEW_DATE[lang] in body_of(confirmation)
    assert answer_by(person, confirmed) == AFTER[lang]

    # Staff see the date the person was told, beside the strict one that counts.
    queue = BeautifulSoup(staff.client.get(f"{STAFF}/?lang=en").text, "html.parser")
    cell = queue.find("a", string=row.reference).find_parent("tr").find(class_="paused-due")
    assert words(cell.get_text()) == "paused days added: 7 Dec 2026"
    detail = BeautifulSoup(
        staff.client.get(f"{STAFF}/r/{row.reference}?lang=en").text, "html.parser"
    )
    added = detail.find("dt", string="With the paused days added").find_next_sibling("dd")
    assert words(added.get_text()).startswith("7 Dec 2026 (5 days paused;")


PAUSED_MARK = {
    "en": "clock paused since {}, waiting for the person's answer",
    "fi": "määräaika keskeytetty {} alkaen, odotetaan henkilön vastausta",
    "sv": "tidsfristen pausad sedan {}, vi väntar på personens svar",
}


@pytest.mark.parametrize("ui", ["fi", "sv", "en"])
def test_staff_see_the_clock_paused_beside_the_due_date(
    app: Flask, smtp_server, staff: StaffActions, ui: str
) -> None:
    row, _ = asked_and_waited(app, smtp_server, staff, "fi")
    with app.app_context():
        paused_at = get_session().get(DataRequest, row.id).paused_at
    detail = BeautifulSoup(
        staff.client.get(f"{STAFF}/r/{row.reference}?lang={ui}").text, "html.parser"
    )
    due = detail.find(id="due-title").find_next("p", class_="due")
    mark = due.find(class_="paused")
    assert mark is not None
    paused_on = duedates.helsinki_today(paused_at)  # the day in Helsinki, not in UTC
    day = {"en": f"{paused_on:%-d %b %Y}", "fi": f"{paused_on:%-d.%-m.%Y}"}.get(ui)
    text = words(mark.get_text())
    if day is not None:
        assert text == PAUSED_MARK[ui].format(day)
    else:
        assert text.startswith("tidsfristen pausad sedan ") and text.endswith("personens svar")
    assert staff.post_action(row.reference, "resume").status_code == 302
    after = BeautifulSoup(
        staff.client.get(f"{STAFF}/r/{row.reference}?lang={ui}").text, "html.parser"
    )
    assert after.find(id="due-title").find_next("p", class_="due").find(class_="paused") is None


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_staff_resuming_the_paused_clock_tell_the_person_the_new_date(
    app: Flask, smtp_server, staff: StaffActions, lang: str
) -> None:
    row, confirmed = asked_and_waited(app, smtp_server, staff, lang)
    assert staff.post_action(row.reference, "resume").status_code == 302
    told = mail_to_person(app, row.id)[-1]
    assert told.subject == RESUMED_SUBJECT[lang].format(row.reference)
    body = body_of(told)
    assert NEW_DATE[lang] in body
    assert f"/requests/{lang}/status/" in body
    assert answer_by(https_client(app), confirmed) == AFTER[lang]


def test_an_answer_the_same_day_keeps_the_date_and_says_so(
    app: Flask, smtp_server, staff: StaffActions
) -> None:
    row, confirmed = asked_and_waited(app, smtp_server, staff, "sv")
    with app.app_context():
        session = get_session()
        stored = session.get(DataRequest, row.id)
        stored.paused_at = helsinki_days_earlier(stored.paused_at, -WAITED)
        session.commit()
    person = https_client(app)
    assert _reply(person, confirmed, "1234").status_code == 303
    assert (
        "Vi väntade mindre än en dag på ditt svar, så tidsfristen för vårt svar är oförändrad: "
        "vi svarar senast den 30 november 2026."
    ) in body_of(mail_to_person(app, row.id)[-1])
    assert answer_by(person, confirmed) == "30 november 2026"


def test_a_clarification_letter_neither_pauses_nor_promises_a_date(
    app: Flask, smtp_server, staff: StaffActions
) -> None:
    person = https_client(app)
    submit_request(person, "access", "en")
    confirmed = confirm_from_mail(person, smtp_server)
    with app.app_context():
        reference = get_session().scalars(select(DataRequest.reference)).one()
    staff.login(staff.create("hanna"))
    staff.client.get(f"{STAFF}/?lang=en")
    refused = staff.post_action(
        reference,
        "ask_info",
        reason="You have sent eight requests this month.",
        message="Which data do you need?",
        pause_clock="y",
        art12_5="y",
    )
    assert refused.status_code == 400  # the form's input, not a conflict with the request
    page = BeautifulSoup(refused.text, "html.parser")
    assert "Asking for clarification does not pause the time limit" in words(
        page.find(class_="error-message").get_text()
    )
    assert person.get(f"{confirmed.status_path}/letters/2.pdf").status_code == 404


BY_POST = {
    "fi": "Pyyntösi pysyy kirjattuna. Vastauksemme määräaika, 28. helmikuuta 2025, on "
    "keskeytetty, kunnes saamme vastauksesi; odotuspäivät lisätään määräaikaan, ja ilmoitamme "
    "sinulle uuden päivämäärän kirjeellä.",
    "sv": "Din begäran förblir registrerad. Tidsfristen för vårt svar, den 28 februari 2025, är "
    "vilande tills vi får ditt svar; dagarna vi väntar läggs till tidsfristen, och vi meddelar "
    "dig det nya datumet per brev.",
    "en": "Your request stays registered. The time limit of our answer, 28 February 2025, is "
    "paused until we receive your reply; the days we wait are added to it, and we will tell you "
    "the new date by letter.",
}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_letter_by_post_promises_the_new_date_by_letter(lang: str) -> None:
    # No e-mail and no status link: the new date comes by a letter staff post when the pause
    # ends (the next test), and the information request says so.
    letter = letters.render_letter(
        "info_request",
        new_request(language=lang, **POSTAL),
        lang,
        content=load_content(REPO_ROOT / "content"),
        verify_url=VERIFY_URL.format(lang=lang),
        now=NOW,
        **INFO,
    )
    text = words(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(letter.pdf)).pages))
    assert words(BY_POST[lang]) in text


RESUMED_BY_POST = (
    "Work on the request resumed. The request has no e-mail address: the letter with the new time "
    "limit is on the list of letters to post; print it and post it to the person."
)


def paused_by_post(app: Flask, staff: StaffActions, lang: str) -> str:
    """A request entered from a letter (no e-mail), due on `DUE`, asked for identity with the
    clock paused `WAITED` days; return its reference."""
    account = staff.create("hanna")
    staff.login(account)
    staff.client.get(f"{STAFF}/?lang=en")
    with app.app_context():
        session = get_session()
        row = channels.enter_request(
            session,
            actor=session.get(StaffUser, account.id),
            reference=f"POST{lang.upper()}0001",
            right="access",
            register_id="asiakasrekisteri",
            language=lang,
            channel="post",
            received_on=duedates.helsinki_today() - dt.timedelta(days=3),
            name="Ζωή Παπαδοπούλου",
            email=None,
            phone=None,
            message="Pyydän kopion tiedoistani.",
            postal_address="Odos Ermou 12\n105 63 Athens\nGreece",
        )
        row.due_on = DUE
        session.commit()
        reference = row.reference
    assert staff.post_action(reference, "take").status_code == 302
    asked = staff.post_action(
        reference,
        "ask_info",
        reason="Allekirjoitus ei vastaa asiakastietojamme.",
        message="Kerro asiakasnumerosi.",
        pause_clock="y",
    )
    assert asked.status_code == 302
    with app.app_context():
        session = get_session()
        stored = session.scalars(select(DataRequest)).one()
        stored.paused_at = helsinki_days_earlier(stored.paused_at, WAITED)
        session.commit()
    return reference


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_resuming_a_paused_request_by_post_prepares_the_letter_with_the_new_date(
    app: Flask, staff: StaffActions, lang: str
) -> None:
    reference = paused_by_post(app, staff, lang)
    resumed = staff.post_action(reference, "resume")
    assert resumed.status_code == 302
    page = BeautifulSoup(staff.client.get(resumed.headers["Location"]).text, "html.parser")
    assert RESUMED_BY_POST in words(page.get_text())
    # Offered as the request's other letters by post are: in the timeline, its PDF to print.
    (entry,) = [
        item
        for item in page.select(".timeline li")
        if "Letter: New time limit" in words(item.get_text())
    ]
    pdf = staff.client.get(entry.find("a", string="PDF")["href"])
    assert pdf.status_code == 200
    assert pdf.headers["Content-Type"] == "application/pdf"
    text = words(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages))
    assert NEW_DATE[lang] in text
    assert "Odos Ermou 12" in text  # the letterhead's recipient: the postal address
    with app.app_context():
        session = get_session()
        assert session.scalars(select(OutboxMessage)).all() == []  # nothing to e-mail it to
        letter = session.scalars(select(Letter).where(Letter.kind == "pause_ended")).one()
        assert letter.language == lang
        events = session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "request.resumed")
        ).all()
        assert events == [f"paused_days={WAITED} letter={letter.id}"]


def test_resuming_an_unpaused_request_by_post_sends_no_letter(
    app: Flask, staff: StaffActions
) -> None:
    reference = paused_by_post(app, staff, "fi")
    with app.app_context():
        session = get_session()
        session.scalars(select(DataRequest)).one().paused_at = None
        session.commit()
    resumed = staff.post_action(reference, "resume")
    assert resumed.status_code == 302
    page = BeautifulSoup(staff.client.get(resumed.headers["Location"]).text, "html.parser")
    assert "Work on the request resumed." in words(page.get_text())
    assert RESUMED_BY_POST not in words(page.get_text())
    with app.app_context():
        kinds = get_session().scalars(select(Letter.kind)).all()
        assert sorted(kinds) == ["info_request", "receipt"]
