"""Outages of what the portal depends on: a hung mail relay, a hung database, Redis down."""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, make_url, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool
from werkzeug.test import TestResponse

from portal.core import mail
from portal.core.models import DataRequest, OutboxMessage, RequestStatus
from portal.db import get_session, make_engine
from tests.portal.support.hung import FreezableProxy, HungServer
from tests.portal.support.mailserver import SmtpServer, free_port
from tests.portal.support.staff import StaffActions
from tests.portal.support.web import (
    confirm_from_mail,
    csrf_token,
    https_client,
    submit_request,
    valid_fields,
)


def test_hung_mail_relay_never_holds_a_submission(make_app: Callable[..., Flask]) -> None:
    with HungServer() as relay:
        app = make_app(MAIL_PORT=relay.port)
        client = https_client(app)
        path = "/requests/en/new/access"
        response = client.post(
            path, data=valid_fields("access", "en") | {"csrf_token": csrf_token(client, path)}
        )
        # The answer came while the relay still holds the sender's connection unanswered:
        # sending inside the request would have waited for the SMTP timeout and stored its error.
        assert response.status_code == 303
        assert relay.accepted.wait(timeout=30)
        with app.app_context():
            [request] = get_session().scalars(select(DataRequest)).all()
            [message] = get_session().scalars(select(OutboxMessage)).all()
        assert request.status == RequestStatus.unconfirmed
        assert message.status == "pending" and message.last_error is None
        page = client.get(response.headers["Location"])
        assert page.status_code == 200
    assert mail.wait_idle(app)
    with app.app_context():
        [message] = get_session().scalars(select(OutboxMessage)).all()
    # The dropped connection is an ordinary failed attempt: the message waits for the next one.
    assert message.status == "pending" and message.last_error == "SMTPServerDisconnected"
    later = BeautifulSoup(client.get(response.headers["Location"]).text, "html.parser")
    assert (
        later.h1 is not None and later.h1.get_text(strip=True) == "Your request has been recorded"
    )


def submit(client: FlaskClient, lang: str = "fi", **fields: str) -> TestResponse:
    """Post a valid access request in `lang` (the form page itself needs no database)."""
    path = f"/requests/{lang}/new/access"
    data = valid_fields("access", lang, **fields) | {"csrf_token": csrf_token(client, path)}
    return client.post(path, data=data)


def assert_unavailable_page(response: TestResponse, heading: str) -> None:
    """Check the localized 503 page: its heading and an incident number."""
    assert response.status_code == 503
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.h1 is not None and soup.h1.get_text(strip=True) == heading
    incident = soup.find("p", class_="incident")
    assert incident is not None and re.search(r"\b[0-9A-F]{8}\b", incident.get_text())


def test_hung_database_gets_the_unavailable_page(make_app: Callable[..., Flask]) -> None:
    with HungServer() as database:
        app = make_app(
            DATABASE_URL=f"postgresql+psycopg://postgres@127.0.0.1:{database.port}/test",
            DATABASE_CONNECT_TIMEOUT=2,
        )
        response = submit(https_client(app), "fi")
        assert database.accepted.is_set()
    assert_unavailable_page(response, "Palvelu on tilapäisesti poissa käytöstä")


@pytest.mark.postgres
def test_frozen_database_gets_the_unavailable_page(
    make_app: Callable[..., Flask], postgres_schema_url: str
) -> None:
    # The server stops answering mid-conversation while its TCP stays up (a stopped process):
    # the portal's own read deadline, not the kernel, ends the wait.
    proxy = FreezableProxy(make_url(postgres_schema_url).port or 5432)
    try:
        url = make_url(postgres_schema_url).set(port=proxy.port)
        app = make_app(
            DATABASE_URL=url.render_as_string(hide_password=False),
            DATABASE_CONNECT_TIMEOUT=2,
            DATABASE_READ_TIMEOUT=2,
        )
        client = https_client(app)
        assert submit(client, "fi").status_code == 303  # through the proxy while it forwards
        proxy.freeze()
        started = time.monotonic()
        response = submit(client, "sv", email="toinen@example.fi")
        waited = time.monotonic() - started
    finally:
        proxy.close()
    assert_unavailable_page(response, "Tjänsten är tillfälligt otillgänglig")
    assert waited < 12, waited


@pytest.mark.postgres
def test_a_statement_to_a_frozen_database_ends_at_the_read_timeout(
    postgres_schema_url: str,
) -> None:
    proxy = FreezableProxy(make_url(postgres_schema_url).port or 5432)
    engine = make_engine(
        make_url(postgres_schema_url).set(port=proxy.port).render_as_string(hide_password=False),
        connect_timeout=2,
        read_timeout=2,
    )
    outcome: list[BaseException | None] = []
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT 1")).scalar() == 1
            proxy.freeze()  # mid-conversation: the connection stays open, nothing comes back

            def ask() -> None:
                try:
                    connection.execute(text("SELECT 2"))
                    outcome.append(None)
                except BaseException as error:  # noqa: BLE001 - inspected below
                    outcome.append(error)

            asking = threading.Thread(target=ask, daemon=True)
            started = time.monotonic()
            asking.start()
            asking.join(timeout=15)
            waited = time.monotonic() - started
    finally:
        proxy.close()
        engine.dispose()
    assert waited < 6, f"still waiting after {waited:.1f} s"
    (error,) = outcome
    assert isinstance(error, OperationalError)
    assert "did not answer within 2 s" in str(error)


def test_locked_database_gets_the_unavailable_page(
    make_app: Callable[..., Flask], db_url: str
) -> None:
    app = make_app(DATABASE_STATEMENT_TIMEOUT=1)
    client = https_client(app)
    blocker = create_engine(db_url, poolclass=NullPool)
    try:
        with blocker.connect() as connection:
            # Another transaction holds the table the submission writes to, and never lets go.
            if blocker.dialect.name == "sqlite":
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                connection.execute(text("LOCK TABLE data_request IN ACCESS EXCLUSIVE MODE"))
            response = submit(client, "sv")
            connection.rollback()
    finally:
        blocker.dispose()
    assert_unavailable_page(response, "Tjänsten är tillfälligt otillgänglig")
    with app.app_context():
        assert get_session().scalars(select(DataRequest)).all() == []


def test_redis_down_keeps_submissions_and_sign_ins(
    make_app: Callable[..., Flask], caplog: pytest.LogCaptureFixture
) -> None:
    # A port nothing listens on: every connection to "Redis" is refused.
    app = make_app(
        RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{free_port()}/0", RATELIMIT_SUBMIT="2 per hour"
    )
    client = https_client(app)
    with caplog.at_level(logging.WARNING):
        response = submit(client, "en")
        assert response.status_code == 303
        staff = StaffActions(app, client)
        signed_in = staff.login(staff.create("hanna", totp=False))
    assert signed_in.status_code == 302
    with app.app_context():
        assert len(get_session().scalars(select(DataRequest)).all()) == 1
    assert any(
        "rate limit storage unreachable" in record.getMessage().lower() for record in caplog.records
    )
    # Limits still hold meanwhile, counted in this process.
    assert submit(client, "en", email="toinen@example.fi").status_code == 303
    assert submit(client, "en", email="kolmas@example.fi").status_code == 429


def test_hung_redis_keeps_submissions(make_app: Callable[..., Flask]) -> None:
    with HungServer() as redis:
        app = make_app(RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{redis.port}/0")
        response = submit(https_client(app), "en")
        assert redis.accepted.is_set()
    assert response.status_code == 303
    with app.app_context():
        assert len(get_session().scalars(select(DataRequest)).all()) == 1


@pytest.mark.postgres
def test_postgres_connections_notice_a_dead_server_from_the_client_side() -> None:
    """A server that stops answering mid-statement is noticed by the client's own timers."""
    from portal.db import make_engine
    from tests.portal.support.database import postgres_server_url

    engine = make_engine(postgres_server_url(), statement_timeout=7)
    try:
        with engine.connect() as connection:
            parameters = connection.connection.dbapi_connection.info.get_parameters()
    finally:
        engine.dispose()
    assert parameters["keepalives"] == "1"
    assert parameters["keepalives_idle"] == "7"
    assert parameters["tcp_user_timeout"] == "12000"


def _terminate_backends(application_name: str) -> int:
    """End every server process of connections named `application_name`, as a restart does."""
    from tests.portal.support.database import postgres_server_url

    engine = create_engine(postgres_server_url(), poolclass=NullPool)
    try:
        with engine.connect() as connection:
            ended = connection.execute(
                text(
                    "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))"
                    " FROM pg_stat_activity WHERE application_name = :name"
                ),
                {"name": application_name},
            ).scalar_one()
    finally:
        engine.dispose()
    return int(ended)


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_status_pages_survive_a_database_restart(
    make_app: Callable[..., Flask], db_url: str, smtp_server: SmtpServer
) -> None:
    # The kept status page reads without pinging its connection first: the read itself notices
    # the dropped connection and is tried once more on a new one, never a 500.
    name = f"seloste_restart_{time.monotonic_ns()}"
    app = make_app(DATABASE_URL=f"{db_url}&application_name={name}")
    client = https_client(app)
    submit_request(client, "access", "fi")
    confirmed = confirm_from_mail(client, smtp_server)
    paths = [confirmed.status_path.replace("/fi/", f"/{lang}/") for lang in ("fi", "sv", "en")]
    before = [client.get(path) for path in paths]
    assert [page.status_code for page in before] == [200, 200, 200]
    assert [client.get(path).text for path in paths] == [page.text for page in before]  # kept

    for path, page in zip(paths, before, strict=True):
        assert _terminate_backends(name) >= 1
        after = client.get(path)
        assert (after.status_code, after.text) == (200, page.text)
    # A page rendered through the request's session (the receipt) gets a new connection too.
    assert _terminate_backends(name) >= 1
    receipt = client.get(confirmed.receipt_path)
    heading = BeautifulSoup(receipt.text, "html.parser").h1
    assert receipt.status_code == 200 and heading is not None
    assert heading.get_text(strip=True) == "Kuittaus pyyntösi vastaanottamisesta"


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_submissions_survive_a_database_restart(
    make_app: Callable[..., Flask], db_url: str, smtp_server: SmtpServer
) -> None:
    # A submission's connection is not pinged when taken from the pool: its first round trip
    # notices the dropped connection before anything is written, and the submission goes again
    # on a new connection. Every post is recorded once, with its event and its e-mail.
    name = f"seloste_submit_restart_{time.monotonic_ns()}"
    app = make_app(DATABASE_URL=f"{db_url}&application_name={name}")
    client = https_client(app)
    emails = [f"henkilo{n}@example.fi" for n in range(4)]
    assert submit_request(client, "access", "fi", email=emails[0]).status_code == 303
    for email in emails[1:]:
        token = csrf_token(client, "/requests/fi/new/access")
        assert _terminate_backends(name) >= 1
        response = client.post(
            "/requests/fi/new/access", data=valid_fields("access", email=email, csrf_token=token)
        )
        assert response.status_code == 303
        page = BeautifulSoup(client.get(response.headers["Location"]).text, "html.parser")
        assert page.h1 is not None
        assert page.h1.get_text(strip=True) in {"Tarkista sähköpostisi", "Pyyntösi on kirjattu"}
    mail.wait_idle(app)
    with app.app_context():
        session = get_session()
        recorded = session.scalars(select(DataRequest.email).order_by(DataRequest.id)).all()
        assert recorded == emails
        recipients = session.scalars(select(OutboxMessage.recipient).order_by(OutboxMessage.id))
        assert list(recipients) == emails
        from portal.core import audit

        assert audit.verify(session).checked == 4


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_submission_says_try_again_while_the_database_is_gone(
    make_app: Callable[..., Flask], db_url: str
) -> None:
    proxy = FreezableProxy(make_url(db_url).port or 5432)
    try:
        url = make_url(db_url).set(port=proxy.port)
        app = make_app(DATABASE_URL=url.render_as_string(hide_password=False))
        client = https_client(app)
        assert submit_request(client, "access", "sv", email="maija@example.fi").status_code == 303
        token = csrf_token(client, "/requests/sv/new/access")
        proxy.close()  # every connection dropped and none accepted: the retry fails too
        response = client.post(
            "/requests/sv/new/access",
            data=valid_fields("access", "sv", email="toinen@example.fi", csrf_token=token),
        )
    finally:
        proxy.close()
    assert_unavailable_page(response, "Tjänsten är tillfälligt otillgänglig")
    engine = create_engine(db_url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            emails = connection.execute(select(DataRequest.email)).scalars().all()
    finally:
        engine.dispose()
    assert emails == ["maija@example.fi"]


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_status_page_says_try_again_while_the_database_is_gone(
    make_app: Callable[..., Flask], db_url: str, smtp_server: SmtpServer
) -> None:
    proxy = FreezableProxy(make_url(db_url).port or 5432)
    try:
        url = make_url(db_url).set(port=proxy.port)
        app = make_app(DATABASE_URL=url.render_as_string(hide_password=False))
        client = https_client(app)
        submit_request(client, "access", "sv", email="maija@example.fi")
        confirmed = confirm_from_mail(client, smtp_server)
        assert client.get(confirmed.status_path).status_code == 200
        assert client.get(confirmed.status_path).status_code == 200  # kept
        proxy.close()  # every connection dropped and none accepted: the retry fails too
        response = client.get(confirmed.status_path)
    finally:
        proxy.close()
    assert_unavailable_page(response, "Tjänsten är tillfälligt otillgänglig")


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_consent_posts_survive_a_database_restart(
    make_app: Callable[..., Flask], db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    # A consent batch's connection is not pinged when taken from the pool: its first statement
    # notices the dropped connection before anything is written, and the batch goes again on a
    # new connection. The post is answered by the fast layer, not handed to Flask after an error.
    from portal.core import consent
    from portal.core.models import ConsentRecord
    from tests.portal.test_consent import choice, post

    name = f"seloste_consent_restart_{time.monotonic_ns()}"
    app = make_app(DATABASE_URL=f"{db_url}&application_name={name}")
    client = https_client(app)
    bodies = [choice(app, accepted=["analytics"]) for _ in range(4)]
    assert post(client, bodies[0]).status_code == 201
    with caplog.at_level(logging.INFO, logger="portal"):
        for body in bodies[1:]:
            assert _terminate_backends(name) >= 1
            response = post(client, body)
            assert response.status_code == 201, response.text
            assert response.json["consent_id"] == body["consent_id"]
    assert "handed to Flask" not in caplog.text
    with app.app_context():
        session = get_session()
        rows = session.scalars(select(ConsentRecord).order_by(ConsentRecord.id)).all()
        assert [row.event_id for row in rows] == [body["event_id"] for body in bodies]
        assert consent.verify(session).ok
