"""Letters to post: a request without an e-mail address puts its letters on the staff list until
someone marks them posted, with who and when on the letter, in the audit trail and the timeline.

Every test runs on SQLite and PostgreSQL through the Flask test client; requests are entered with
the staff form, as staff at the counter or the registry office enter a letter they received.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections.abc import Iterator

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader
from sqlalchemy import Connection, create_engine, inspect, select, text, update
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict
from werkzeug.test import TestResponse, encode_multipart

from portal.core import audit, duedates, postal
from portal.core.models import AuditEvent, DataRequest, Letter, StaffUser
from portal.db import alembic_config, get_session, upgrade
from portal.web import dates
from tests.portal.support.database import postgres_schema
from tests.portal.support.staff import STAFF, Account, StaffActions
from tests.portal.support.web import page_token, upload_action

LETTERS = f"{STAFF}/letters"
NAME = "Ζωή Παπαδοπούλου"
RECEIVED_DAYS_AGO = 10
HEADERS = {
    "en": ["Reference", "Name", "Letter", "Created", "Due", "PDF", "Posted"],
    "fi": ["Viite", "Nimi", "Kirje", "Laadittu", "Määräpäivä", "PDF", "Postitettu"],
}
WORDS = {
    "en": {
        "nav": "Letters to post (1)",
        "nav_none": "Letters to post (0)",
        "receipt": "Receipt",
        "download": "Download",
        "button": "Mark as posted",
        "count": "1 letter to post, oldest first.",
        "none": "No letter is waiting to be posted.",
        "posted": "posted on {date} by Hanna Testinen",
        "event": "Letter marked as posted (Hanna Testinen)",
        "already": "Receipt, {reference}, was marked as posted already: on {date} by "
        "Hanna Testinen.",
    },
    "fi": {
        "nav": "Postitettavat kirjeet (1)",
        "nav_none": "Postitettavat kirjeet (0)",
        "receipt": "Vastaanottokuittaus",
        "download": "Lataa",
        "button": "Merkitse postitetuksi",
        "count": "1 postitettava kirje, vanhin ensin.",
        "none": "Yksikään kirje ei odota postitusta.",
        "posted": "postitettu {date}, postittaja Hanna Testinen",
        "event": "Kirje merkitty postitetuksi (Hanna Testinen)",
        "already": "Vastaanottokuittaus, {reference}, oli jo merkitty postitetuksi: {date}, "
        "postittaja Hanna Testinen.",
    },
}


def enter(staff: StaffActions, **fields: str) -> str:
    """Enter a request with the staff form (by post, no e-mail address); return its reference."""
    page = staff.client.get(f"{STAFF}/new").text
    values = {
        "channel": "post",
        "received_on": (
            duedates.helsinki_today() - dt.timedelta(days=RECEIVED_DAYS_AGO)
        ).isoformat(),
        "right": "access",
        "register": "asiakasrekisteri",
        "language": "fi",
        "name": NAME,
        "email": "",
        "postal_address": "Odos Ermou 12\n105 63 Athens\nGreece",
        "phone": "",
        "message": "Pyydän kopion tiedoistani.",
    } | fields
    data = MultiDict([("entry-csrf_token", page_token(page))])
    for key, value in values.items():
        data.add(f"entry-{key}", value)
    boundary, body = encode_multipart(data)
    response = staff.client.post(
        upload_action(page, "/new"),
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 302, response.status_code
    assert staff.client.get(response.headers["Location"]).status_code == 200  # its flash shown
    return response.headers["Location"].rsplit("/", 1)[1]


@pytest.fixture
def hanna(staff: StaffActions) -> Account:
    account = staff.create("hanna")
    staff.login(account)
    return account


def list_page(staff: StaffActions, lang: str = "en") -> BeautifulSoup:
    response = staff.client.get(f"{LETTERS}?lang={lang}")
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.text, "html.parser")


def rows(soup: BeautifulSoup) -> list[list[str]]:
    """Return the list's rows as the texts a sighted reader sees in each cell."""
    table = soup.find("table", class_="to-post")
    if table is None:
        return []
    found = []
    for row in table.tbody.find_all("tr"):
        for hidden in row.find_all(class_="visually-hidden"):
            hidden.decompose()
        found.append([" ".join(cell.get_text(" ").split()) for cell in row.find_all(["th", "td"])])
    return found


def nav_link(soup: BeautifulSoup) -> str:
    return " ".join(soup.find(id="nav-letters-to-post").get_text(" ").split())


def letters_of(staff: StaffActions, reference: str) -> list[Letter]:
    with staff.app.app_context():
        session = get_session()
        request = session.scalar(select(DataRequest).where(DataRequest.reference == reference))
        assert request is not None
        found = list(request.letters)
        for letter in found:
            session.expunge(letter)
        return found


def mark(
    staff: StaffActions, reference: str, letter_id: int, *, token: bool = True, **fields: str
) -> TestResponse:
    data = dict(fields)
    if token:
        data["csrf_token"] = page_token(staff.client.get(LETTERS).text)
    return staff.client.post(f"{STAFF}/r/{reference}/letters/{letter_id}/posted", data=data)


def posted_events(staff: StaffActions) -> list[AuditEvent]:
    with staff.app.app_context():
        session = get_session()
        events = list(
            session.scalars(select(AuditEvent).where(AuditEvent.action == "letter.posted"))
        )
        for event in events:
            session.expunge(event)
        return events


def day(value: dt.date, lang: str) -> str:
    return dates.format_day(value, lang)


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_a_request_by_post_puts_its_receipt_on_the_list(
    staff: StaffActions, hanna: Account, lang: str
) -> None:
    reference = enter(staff)
    (receipt,) = letters_of(staff, reference)
    assert receipt.kind == "receipt" and receipt.sha256 is not None  # made after the commit
    with staff.app.app_context():
        request = get_session().scalar(
            select(DataRequest).where(DataRequest.reference == reference)
        )
        due = request.due_on
    soup = list_page(staff, lang)
    words = WORDS[lang]
    assert soup.h1.get_text() == {"en": "Letters to post", "fi": "Postitettavat kirjeet"}[lang]
    assert nav_link(soup) == words["nav"]
    table = soup.find("table", class_="to-post")
    assert [th.get_text() for th in table.thead.find_all("th")] == HEADERS[lang]
    today = duedates.helsinki_today()
    assert rows(soup) == [
        [
            reference,
            NAME,
            words["receipt"],
            day(today, lang),
            day(due, lang),
            words["download"],
            words["button"],
        ]
    ]
    assert soup.find(id="to-post-count").get_text() == words["count"]
    # The row links to the request and downloads the letter as its file.
    row = table.tbody.tr
    assert row.th.a["href"] == f"{STAFF}/r/{reference}"
    download = row.find("a", download=True)
    assert download["download"] == f"kuitti-{reference}.pdf"
    pdf = staff.client.get(download["href"])
    assert pdf.mimetype == "application/pdf"
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages).split()
    )
    assert reference in text and "Odos Ermou 12" in text
    # The rule is said on the page.
    intro = " ".join(soup.find("p", class_="intro").get_text().split())
    assert intro.startswith(
        {
            "en": "A request without an e-mail address gets its letters on paper",
            "fi": "Pyynnön, jossa ei ole sähköpostiosoitetta, kirjeet lähetetään paperilla",
        }[lang]
    )


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_marking_a_letter_posted_takes_it_off_the_list_and_writes_it_down(
    staff: StaffActions, hanna: Account, lang: str
) -> None:
    reference = enter(staff)
    (receipt,) = letters_of(staff, reference)
    staff.client.get(f"{STAFF}/?lang={lang}")
    response = mark(staff, reference, receipt.id)
    assert response.status_code == 302
    assert response.headers["Location"] == LETTERS
    soup = list_page(staff, lang)
    assert rows(soup) == []
    assert soup.find(id="to-post-count").get_text() == WORDS[lang]["none"]
    assert nav_link(soup) == WORDS[lang]["nav_none"]
    notice = soup.find(class_="notice-success").get_text()
    assert (
        notice
        == {
            "en": f"Marked as posted: Receipt, {reference}.",
            "fi": f"Merkitty postitetuksi: Vastaanottokuittaus, {reference}.",
        }[lang]
    )

    (letter,) = letters_of(staff, reference)
    assert letter.posted_by_id == hanna.id
    assert letter.posted_at is not None
    (event,) = posted_events(staff)
    assert (event.actor, event.staff_id, event.detail) == ("staff", hanna.id, f"letter={letter.id}")
    with staff.app.app_context():
        session = get_session()
        assert event.request_id == letter.request_id
        report = audit.verify(session)
        assert report.ok, report
        last = session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()))
        assert report.checked == last

    detail = BeautifulSoup(
        staff.client.get(f"{STAFF}/r/{reference}?lang={lang}").text, "html.parser"
    )
    timeline = [" ".join(li.get_text(" ").split()) for li in detail.select("ol.timeline > li")]
    posted_on = day(dates.local_day(letter.posted_at), lang)
    letter_row = next(item for item in timeline if WORDS[lang]["receipt"] in item)
    assert letter_row.endswith("– " + WORDS[lang]["posted"].format(date=posted_on))
    assert any(item.endswith(WORDS[lang]["event"]) for item in timeline)
    assert detail.select("ol.timeline form") == []  # nothing left to mark

    again = mark(staff, reference, receipt.id)
    assert again.status_code == 302
    assert len(posted_events(staff)) == 1
    told = list_page(staff, lang).find(class_="notice-info").get_text()
    assert told == WORDS[lang]["already"].format(reference=reference, date=posted_on)


def test_the_timeline_offers_the_button_and_returns_to_the_request(
    staff: StaffActions, hanna: Account
) -> None:
    reference = enter(staff)
    detail = BeautifulSoup(staff.client.get(f"{STAFF}/r/{reference}?lang=en").text, "html.parser")
    (form,) = detail.select("ol.timeline form")
    (receipt,) = letters_of(staff, reference)
    assert form["action"] == f"{STAFF}/r/{reference}/letters/{receipt.id}/posted"
    assert "not posted yet" in form.parent.get_text()
    fields = {i["name"]: i["value"] for i in form.find_all("input")}
    response = staff.client.post(form["action"], data=fields)
    assert response.status_code == 302
    assert response.headers["Location"] == f"{STAFF}/r/{reference}"
    assert len(posted_events(staff)) == 1


def test_letters_of_a_request_with_an_e_mail_address_never_appear(
    staff: StaffActions, hanna: Account
) -> None:
    reference = enter(staff, channel="phone", email="zoe@example.gr")
    (receipt,) = letters_of(staff, reference)
    soup = list_page(staff)
    assert rows(soup) == []
    assert nav_link(soup) == "Letters to post (0)"
    assert mark(staff, reference, receipt.id).status_code == 404
    assert letters_of(staff, reference)[0].posted_at is None
    assert posted_events(staff) == []
    detail = staff.client.get(f"{STAFF}/r/{reference}?lang=en").text
    assert "not posted yet" not in detail and "Mark as posted" not in detail


def test_an_anonymised_request_leaves_the_list(staff: StaffActions, hanna: Account) -> None:
    reference = enter(staff)
    assert len(rows(list_page(staff))) == 1
    with staff.app.app_context():
        session = get_session()
        session.execute(
            update(DataRequest)
            .where(DataRequest.reference == reference)
            .values(name="", details={}, anonymised_at=dt.datetime.now(dt.UTC))
        )
        session.commit()
    assert rows(list_page(staff)) == []


def test_a_post_without_its_csrf_token_is_refused(staff: StaffActions, hanna: Account) -> None:
    reference = enter(staff)
    (receipt,) = letters_of(staff, reference)
    assert mark(staff, reference, receipt.id, token=False).status_code == 400
    shown = list_page(staff).find("form", class_="mark-shown")
    assert shown is None  # one letter: no "all" button
    refused = staff.client.post(f"{LETTERS}/posted", data={"letter": str(receipt.id)})
    assert refused.status_code == 400
    assert letters_of(staff, reference)[0].posted_at is None
    assert posted_events(staff) == []
    assert len(rows(list_page(staff))) == 1


def test_signed_out_visitors_are_sent_to_sign_in(staff: StaffActions) -> None:
    account = staff.create("hanna")
    staff.login(account)
    reference = enter(staff)
    (receipt,) = letters_of(staff, reference)
    staff.logout()
    token = staff.token()  # a signed-out session's own token: the CSRF check passes, sign-in not
    for response in (
        staff.client.get(LETTERS),
        staff.client.post(f"{LETTERS}/posted", data={"csrf_token": token, "letter": receipt.id}),
        staff.client.post(
            f"{STAFF}/r/{reference}/letters/{receipt.id}/posted", data={"csrf_token": token}
        ),
    ):
        assert response.status_code == 302
        assert response.headers["Location"] == f"{STAFF}/login"
    assert posted_events(staff) == []


def test_the_data_protection_officer_neither_sees_nor_marks_them(staff: StaffActions) -> None:
    handler = staff.create("hanna")
    staff.login(handler)
    reference = enter(staff)
    (receipt,) = letters_of(staff, reference)
    staff.logout()
    staff.login(staff.create("dora", role="dpo", totp=True))
    queue = BeautifulSoup(staff.client.get(f"{STAFF}/").text, "html.parser")
    assert queue.find(id="nav-letters-to-post") is None
    assert staff.client.get(LETTERS).status_code == 403
    token = page_token(staff.client.get(f"{STAFF}/").text)
    response = staff.client.post(
        f"{STAFF}/r/{reference}/letters/{receipt.id}/posted", data={"csrf_token": token}
    )
    assert response.status_code == 403
    assert posted_events(staff) == []


def test_all_shown_marks_only_the_letters_the_page_showed(
    staff: StaffActions, hanna: Account
) -> None:
    first, second = enter(staff), enter(staff, name="Pekka Postinen")
    soup = list_page(staff)
    assert [row[0] for row in rows(soup)] == [first, second]  # oldest first
    form = soup.find("form", class_="mark-shown")
    assert form.button.get_text() == "Mark all 2 letters shown as posted"
    shown = [i["value"] for i in form.find_all("input", attrs={"name": "letter"})]
    token = form.find("input", attrs={"name": "csrf_token"})["value"]
    late = enter(staff, name="Myöhäinen Kirje")  # arrives after the page was loaded
    fields = MultiDict([("csrf_token", token)] + [("letter", value) for value in shown])
    response = staff.client.post(f"{LETTERS}/posted", data=fields)
    assert response.status_code == 302
    soup = list_page(staff)
    assert [row[0] for row in rows(soup)] == [late]
    assert soup.find(class_="notice-success").get_text() == "2 letters marked as posted."
    events = posted_events(staff)
    assert sorted(e.detail for e in events) == sorted(f"letter={i}" for i in shown)
    with staff.app.app_context():
        assert audit.verify(get_session()).ok


def test_two_people_marking_one_letter_mark_it_once(app, staff: StaffActions) -> None:
    account = staff.create("hanna")
    staff.login(account)
    reference = enter(staff)
    (receipt,) = letters_of(staff, reference)
    factory = app.extensions["db_sessionmaker"]
    second: list[list[int]] = []
    with app.app_context(), factory() as first_session, factory() as other_session:
        user = first_session.get(StaffUser, account.id)
        other = other_session.get(StaffUser, account.id)
        other_session.commit()
        assert postal.mark_posted(first_session, [receipt.id], actor=user) == [receipt.id]
        worker = threading.Thread(
            target=lambda: second.append(
                postal.mark_posted(other_session, [receipt.id], actor=other)
            )
        )
        worker.start()
        worker.join(0.5)
        assert worker.is_alive()  # waiting for the chain's lock
        first_session.commit()
        worker.join(10)
        other_session.commit()
    assert second == [[]]
    assert len(posted_events(staff)) == 1


# --- the migration ------------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def fresh_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """An empty database of each kind, migrated by the test (not the session's shared schema)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'portal.sqlite3'}"
        return
    with postgres_schema("t_posted", migrate=False) as url:
        yield url


def index_definition(connection: Connection) -> str | None:
    """Return how the database holds `ix_request_by_post` in this schema (None: no such index)."""
    if connection.dialect.name == "sqlite":
        query = "SELECT sql FROM sqlite_master WHERE name = 'ix_request_by_post'"
    else:
        query = (
            "SELECT indexdef FROM pg_indexes "
            "WHERE indexname = 'ix_request_by_post' AND schemaname = current_schema()"
        )
    return connection.execute(text(query)).scalar()


def test_the_migration_adds_the_columns_and_the_partial_index_and_goes_back(
    fresh_url: str,
) -> None:
    from alembic import command

    upgrade(fresh_url, "0014_outbox_recipe")
    engine = create_engine(fresh_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    'INSERT INTO data_request (id, reference, "right", register_id, language, '
                    "status, name, email, details, signature_name, attested, created_at, "
                    "paused_days, channel) VALUES (1, 'RPOST', 'access', 'r', 'fi', 'open', "
                    "'Zoe', '', '{}', '', false, '2026-12-01 10:00:00+00', 0, 'post')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO letter (id, request_id, kind, language, created_at, html, "
                    "pdf_attempts) VALUES (1, 1, 'receipt', 'fi', '2026-12-01 10:00:00+00', "
                    "'<p>x</p>', 0)"
                )
            )
        upgrade(fresh_url)
        columns = {c["name"]: c for c in inspect(engine).get_columns("letter")}
        assert columns["posted_at"]["nullable"] and columns["posted_by_id"]["nullable"]
        with engine.connect() as connection:
            assert connection.execute(text("SELECT posted_at, posted_by_id FROM letter")).all() == [
                (None, None)
            ]
            with Session(bind=connection) as session:
                assert postal.count_to_post(session) == 1  # the old letter waits to be posted
            assert index_definition(connection) is not None
            if engine.dialect.name == "sqlite":
                assert index_definition(connection).endswith(
                    "WHERE email = '' AND anonymised_at IS NULL"
                )
            else:
                condition = "(((email)::text = ''::text) AND (anonymised_at IS NULL))"
                assert index_definition(connection).endswith(f"WHERE {condition}")
        command.downgrade(alembic_config(fresh_url), "0014_outbox_recipe")
        names = {c["name"] for c in inspect(engine).get_columns("letter")}
        assert not {"posted_at", "posted_by_id"} & names
        with engine.connect() as connection:
            assert index_definition(connection) is None
    finally:
        engine.dispose()


def test_the_list_reads_the_partial_index(db_url: str) -> None:
    """The count in every staff page's navigation starts from the few requests without e-mail,
    not from every request or every letter (the plan names the partial index)."""
    from sqlalchemy.dialects import postgresql, sqlite

    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            query = postal.count_query()
            if engine.dialect.name == "sqlite":
                sql = str(query.compile(dialect=sqlite.dialect()))
                plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}").all()
            else:
                sql = str(query.compile(dialect=postgresql.dialect()))
                connection.exec_driver_sql("SET enable_seqscan = off")
                plan = connection.exec_driver_sql(f"EXPLAIN {sql}").all()
        assert "ix_request_by_post" in " ".join(str(row) for row in plan), plan
    finally:
        engine.dispose()
