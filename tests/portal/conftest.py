"""Portal fixtures: the app on SQLite and on PostgreSQL, a real SMTP server, and action helpers.

Fixtures:
    db_url        a migrated, empty database: SQLite under tmp_path, or this session's private
                  PostgreSQL schema (emptied before each test); every test using it runs on both.
    smtp_server   a real SMTP server (aiosmtpd) on a free 127.0.0.1 port; `.messages` holds the
                  parsed e-mails of this test, `.stop()`/`.start()` simulate an outage.
    app, client, runner   the portal on `db_url` sending to `smtp_server`, HTTPS test client.
    make_app      factory: `make_app(**settings)` for a test that needs other settings.

Helpers (import them from this module):
    csrf_token(client, path) -> str
    submit_request(client, right="access", lang="fi", **fields) -> Response
    confirm_from_mail(client, smtp_server, email=...) -> ConfirmedRequest
    links_in(message) -> list[str]   (the URL paths in an e-mail's text part)
"""

from __future__ import annotations

import email
import email.policy
import os
import re
import secrets
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from hypothesis import HealthCheck, settings
from sqlalchemy import create_engine, text
from werkzeug.test import TestResponse

from portal import create_app
from portal.db import Base, temporary_schema, upgrade

DEFAULT_TEST_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

# Property tests of the portal: a quick sample locally, a long run when CI is set. A settings
# object rather than a loaded profile, so the notice tests' profile is left alone.
settings.register_profile(
    "portal-dev",
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile("portal-ci", settings.get_profile("portal-dev"), max_examples=1000)
PORTAL_HYPOTHESIS = settings.get_profile("portal-ci" if os.environ.get("CI") else "portal-dev")
PUBLIC_URL = "https://portal.example"
REGISTER_ID = "asiakasrekisteri"


def postgres_server_url() -> str:
    """Return the PostgreSQL server tests use (PORTAL_TEST_DATABASE_URL or the local default)."""
    return os.environ.get("PORTAL_TEST_DATABASE_URL") or DEFAULT_TEST_DATABASE_URL


@pytest.fixture(scope="session")
def postgres_schema_url() -> Iterator[str]:
    """Yield a URL of a private, migrated PostgreSQL schema for this test session."""
    with temporary_schema(postgres_server_url(), "t_intake") as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Return a migrated, empty database URL (SQLite file or the session's PostgreSQL schema)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'portal.sqlite3'}"
        upgrade(url)
        return url
    url = request.getfixturevalue("postgres_schema_url")
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()
    return url


class _Collector:
    """aiosmtpd handler that parses and keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    """A running local SMTP server and the messages it received."""

    host: str
    port: int
    handler: _Collector
    controller: Controller | None = None

    @property
    def messages(self) -> list[EmailMessage]:
        """Return the messages received so far."""
        with self.handler.lock:
            return list(self.handler.messages)

    def clear(self) -> None:
        """Forget the messages received so far."""
        with self.handler.lock:
            self.handler.messages.clear()

    def start(self) -> None:
        """Start accepting mail on the fixed port."""
        self.controller = Controller(self.handler, hostname=self.host, port=self.port)
        self.controller.start()

    def stop(self) -> None:
        """Stop the server: connections are refused, as in an outage."""
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def wait_for(self, count: int, timeout: float = 5.0) -> list[EmailMessage]:
        """Wait until at least `count` messages have arrived and return them."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages

    def last_to(self, address: str) -> EmailMessage:
        """Return the newest message to `address`."""
        for message in reversed(self.messages):
            if message["To"] == address:
                return message
        raise AssertionError(f"no e-mail to {address}; got {len(self.messages)} message(s)")


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def _smtp_session() -> Iterator[SmtpServer]:
    server = SmtpServer("127.0.0.1", free_port(), _Collector())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp_server(_smtp_session: SmtpServer) -> Iterator[SmtpServer]:
    """Yield the session's SMTP server, empty, and running again after the test."""
    _smtp_session.clear()
    if _smtp_session.controller is None:
        _smtp_session.start()
    yield _smtp_session
    if _smtp_session.controller is None:
        _smtp_session.start()


def portal_settings(tmp_path: Path, db_url: str, smtp_server: SmtpServer) -> dict[str, Any]:
    """Return the settings of a test app (instance folder under tmp_path)."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-" + secrets.token_hex(16),
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "DATABASE_URL": db_url,
        "SITE_DIR": "",
        "PUBLIC_URL": PUBLIC_URL,
        "MAIL_SERVER": smtp_server.host,
        "MAIL_PORT": smtp_server.port,
        "MAIL_SEND_INLINE": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "SECURE_COOKIES": True,
    }


@pytest.fixture
def make_app(
    tmp_path: Path, db_url: str, smtp_server: SmtpServer
) -> Iterator[Callable[..., Flask]]:
    """Yield a factory of portal apps on this test's database; engines are closed afterwards."""
    apps: list[Flask] = []

    def factory(**settings: Any) -> Flask:
        app = create_app({**portal_settings(tmp_path, db_url, smtp_server), **settings})
        apps.append(app)
        return app

    yield factory
    for app in apps:
        app.extensions["db_engine"].dispose()


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    """Return the portal with test settings."""
    return make_app()


def https_client(app: Flask) -> FlaskClient:
    """Return a test client that speaks HTTPS, so Secure cookies come back."""
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    client.environ_base["REMOTE_ADDR"] = "127.0.0.1"
    return client


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Return an HTTPS test client of the portal."""
    return https_client(app)


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """Return a CLI runner of the portal."""
    return app.test_cli_runner()


# ---- action helpers -------------------------------------------------------------------------


def csrf_token(client: FlaskClient, path: str) -> str:
    """Load `path` and return the CSRF token of its form."""
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    field = BeautifulSoup(response.text, "html.parser").find("input", {"name": "csrf_token"})
    assert field is not None, f"no CSRF token on {path}"
    return str(field["value"])


def valid_fields(right: str, lang: str = "fi", **fields: Any) -> dict[str, Any]:
    """Return a valid form submission for `right`, overridden by `fields` (None drops one)."""
    data: dict[str, Any] = {
        "register": REGISTER_ID,
        "name": "Maija Meikäläinen",
        "email": "maija@example.fi",
        "phone": "+358 40 123 4567",
        "customer_number": "A-1001",
        "message": "",
        "language": lang,
        "signature_name": "Maija Meikäläinen",
        "attest": "y",
    }
    if right == "rectification":
        data |= {"wrong": "Osoite on vanha.", "correct": "Uusi katu 1, 00100 Helsinki"}
    if right == "objection":
        data |= {"direct_marketing": "y", "grounds": ""}
    data |= fields
    return {k: v for k, v in data.items() if v is not None}


def submit_request(
    client: FlaskClient, right: str = "access", lang: str = "fi", **fields: Any
) -> TestResponse:
    """Fill and send the form of `right` in `lang` (valid unless `fields` say otherwise)."""
    path = f"/requests/{lang}/new/{right}"
    data = valid_fields(right, lang, **fields)
    data.setdefault("csrf_token", csrf_token(client, path))
    return client.post(path, data=data)


def links_in(message: EmailMessage) -> list[str]:
    """Return the portal paths linked from an e-mail's plain-text part."""
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return [url[len(PUBLIC_URL) :] for url in re.findall(r"https?://\S+", body.get_content())]


@dataclass
class ConfirmedRequest:
    """What a person has after confirming: the receipt page's path and the status link's token."""

    receipt_path: str
    status_path: str
    token: str
    lang: str
    response: TestResponse


def confirm_from_mail(
    client: FlaskClient, smtp_server: SmtpServer, email: str = "maija@example.fi"
) -> ConfirmedRequest:
    """Open the confirmation link of the newest e-mail to `email` and press the button."""
    smtp_server.wait_for(1)
    link = next(p for p in links_in(smtp_server.last_to(email)) if "/confirm/" in p)
    page = client.get(link)
    assert page.status_code == 200, page.status_code
    token = BeautifulSoup(page.text, "html.parser").find("input", {"name": "csrf_token"})
    assert token is not None
    response = client.post(link, data={"csrf_token": token["value"]})
    assert response.status_code == 303, response.status_code
    receipt_path = response.headers["Location"]
    match = re.fullmatch(r"/requests/(\w\w)/status/([^/]+)/receipt", receipt_path)
    assert match, receipt_path
    lang, status_token = match.groups()
    return ConfirmedRequest(
        receipt_path=receipt_path,
        status_path=f"/requests/{lang}/status/{status_token}",
        token=status_token,
        lang=lang,
        response=response,
    )
