"""Fixtures of the workflow, audit, retention and reminder tests: one database per backend.

Every test gets an empty schema on SQLite (a file under tmp_path) and on PostgreSQL (a private
schema, so helpers running at once never meet); PostgreSQL unreachable is a failure, not a skip.
Import the fixtures into a test module with `from tests.portal.workflow_fixtures import *`.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from portal.db import Base, make_engine, upgrade
from portal.models import DataRequest, RequestStatus, StaffRole, StaffUser

DEFAULT_TEST_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _postgres_base() -> str:
    return os.environ.get("PORTAL_TEST_DATABASE_URL") or DEFAULT_TEST_DATABASE_URL


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def migrated_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Yield a URL of a freshly migrated database: a SQLite file or a private PostgreSQL schema."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'portal.sqlite3'}"
        upgrade(url)
        yield url
        return
    base = _postgres_base()
    schema = f"t_wf_{secrets.token_hex(6)}"
    admin = create_engine(base)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        separator = "&" if "?" in base else "?"
        url = f"{base}{separator}options=-csearch_path%3D{schema}"
        upgrade(url)
        yield url
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def engine(migrated_url: str) -> Iterator[Engine]:
    """Yield an engine on an emptied database (tables kept, rows removed after each test)."""
    engine = make_engine(migrated_url)
    yield engine
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(Base.metadata.sorted_tables):
                connection.execute(table.delete())
    engine.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Return a session factory bound to the test database."""
    return sessionmaker(bind=engine, expire_on_commit=False)


@pytest.fixture
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    """Yield one session on the test database."""
    with session_factory() as session:
        yield session


@pytest.fixture
def app(migrated_url: str, engine: Engine, tmp_path: Path) -> Iterator[Flask]:
    """Yield a portal app on the test database with its instance folder under tmp_path."""
    from portal import create_app

    app = create_app(
        {
            "SECRET_KEY": "test-secret-key-not-for-production",
            "DATABASE_URL": migrated_url,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "TESTING": True,
        }
    )
    yield app
    app.extensions["db_engine"].dispose()


def add_staff(
    session: Session,
    username: str,
    role: str = StaffRole.handler,
    *,
    email: str | None = None,
    active: bool = True,
) -> StaffUser:
    """Add a staff account (no usable password: these tests never log in)."""
    user = StaffUser(
        username=username,
        display_name=username.title(),
        email=email if email is not None else f"{username}@staff.example.fi",
        role=role,
        password_hash="!",
        is_active=active,
    )
    session.add(user)
    session.flush()
    return user


def add_request(session: Session, **overrides: Any) -> DataRequest:
    """Add an unconfirmed access request; overrides set any column."""
    values: dict[str, Any] = {
        "reference": secrets.token_hex(8).upper(),
        "right": "access",
        "register_id": "asiakasrekisteri",
        "language": "fi",
        "status": RequestStatus.unconfirmed,
        "name": "Äijälä Åsa",
        "email": "asa.aijala@example.fi",
        "phone": "040 123 4567",
        "customer_number": "A-1001",
        "details": {"what": "Kaikki minua koskevat tiedot."},
        "signature_name": "Åsa Äijälä",
        "attested": True,
        "created_at": dt.datetime(2025, 5, 10, 8, 0, tzinfo=dt.UTC),
        "paused_days": 0,
    }
    values.update(overrides)
    request = DataRequest(**values)
    session.add(request)
    session.flush()
    return request


__all__ = [
    "add_request",
    "add_staff",
    "app",
    "engine",
    "migrated_url",
    "session",
    "session_factory",
]
