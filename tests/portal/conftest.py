"""Portal fixtures: the app on SQLite and on PostgreSQL, a real SMTP server, a database session.

Fixtures:
    db_url        a migrated, empty database: SQLite under tmp_path, or this session's private
                  PostgreSQL schema (emptied before each test); every test using it runs on both.
    smtp_server   a real SMTP server (aiosmtpd) on a free 127.0.0.1 port; `.messages` holds the
                  parsed e-mails of this test, `.stop()`/`.start()` simulate an outage.
    app, client, runner   the portal on `db_url` sending to `smtp_server`, HTTPS test client.
    make_app      factory: `make_app(**settings)` for a test that needs other settings.
    session       a session on the test database inside an app context.

Helpers are in tests/portal/support/ (import them from there, never from this file).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from portal import create_app
from portal.core import mail
from portal.db import Base, upgrade
from tests.portal.support.database import postgres_schema
from tests.portal.support.mailserver import Collector, SmtpServer, free_port
from tests.portal.support.web import https_client


@pytest.fixture(scope="session")
def postgres_schema_url() -> Iterator[str]:
    """Yield a URL of a private, migrated PostgreSQL schema for this test session."""
    with postgres_schema("t_intake") as url:
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


@pytest.fixture(scope="session")
def _smtp_session() -> Iterator[SmtpServer]:
    server = SmtpServer("127.0.0.1", free_port(), Collector())
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
        mail.wait_idle(app)  # the background sender may still hold a connection
        app.extensions["db_engine"].dispose()


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    """Return the portal with test settings."""
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Return an HTTPS test client of the portal."""
    return https_client(app)


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """Return a CLI runner of the portal."""
    return app.test_cli_runner()


@pytest.fixture
def session_factory(app: Flask) -> sessionmaker[Session]:
    """Return the app's session factory (bound to this test's database)."""
    return app.extensions["db_sessionmaker"]


@pytest.fixture
def session(app: Flask, session_factory: sessionmaker[Session]) -> Iterator[Session]:
    """Yield a session on the test database inside an app context (mail, letters, content)."""
    with app.app_context(), session_factory() as session:
        yield session
