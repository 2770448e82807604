"""Hardening: private SQLite files, no Host-header echo, bounded audit writes from status pages."""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal import db
from portal.core.models import AuditEvent
from portal.db import get_session
from portal.web import intake
from tests.portal.support.mailserver import SmtpServer
from tests.portal.support.web import PUBLIC_URL, confirm_from_mail, https_client, submit_request


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_sqlite_files_are_created_owner_only(tmp_path: Path) -> None:
    os.umask(0o022)  # a usual umask: without care the file would be world-readable
    url = f"sqlite:///{tmp_path / 'data' / 'portal.sqlite3'}"
    db.upgrade(url)
    engine = db.make_engine(url)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE probe (x INTEGER)")
            connection.exec_driver_sql("INSERT INTO probe VALUES (1)")
            written = sorted(p.name for p in (tmp_path / "data").iterdir())
            assert "portal.sqlite3-wal" in written
            assert {name: mode(tmp_path / "data" / name) for name in written} == dict.fromkeys(
                written, 0o600
            )
    finally:
        engine.dispose()


@pytest.mark.parametrize("path", ["/requests", "/requests/fi", "/requests/staff"])
def test_a_forged_host_is_refused_not_echoed(client: FlaskClient, path: str) -> None:
    forged = client.get(path, base_url="https://evil.example")
    assert forged.status_code == 400
    assert "evil.example" not in forged.headers.get("Location", "")
    assert "evil.example" not in forged.text
    own = client.get(path, base_url=PUBLIC_URL)
    assert own.status_code == 308
    assert own.headers["Location"] == f"{PUBLIC_URL}{path}/"


def test_trusted_hosts_setting_adds_names(make_app: Callable[..., Flask]) -> None:
    client = https_client(make_app(TRUSTED_HOSTS="intra.example.fi, .tietosuoja.example"))
    for host in ("intra.example.fi", "www.tietosuoja.example", "www.proleader.fi", "127.0.0.1"):
        assert client.get("/requests/", base_url=f"https://{host}").status_code == 302, host
    assert client.get("/requests/", base_url="https://example.fi").status_code == 400


def test_reloading_a_status_page_writes_one_audit_row(
    app: Flask, client: FlaskClient, smtp_server: SmtpServer
) -> None:
    submit_request(client, "access", "fi")
    confirmed = confirm_from_mail(client, smtp_server)
    for _ in range(30):
        assert client.get(confirmed.status_path).status_code == 200
    assert client.get(confirmed.receipt_path).status_code == 200
    with app.app_context():
        views = get_session().scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "request.viewed")
        )
        assert sorted(views) == ["receipt", "status"]


def test_a_status_view_after_the_interval_is_audited_again(
    app: Flask, client: FlaskClient, smtp_server: SmtpServer
) -> None:
    # The worker remembers the view it wrote; past VIEW_AUDIT_INTERVAL that memory must not
    # stop the next view's row, and within it the memory and the database agree.
    submit_request(client, "access", "fi")
    confirmed = confirm_from_mail(client, smtp_server)
    start = dt.datetime.now(dt.UTC)
    with time_machine.travel(start, tick=False):
        assert client.get(confirmed.status_path).status_code == 200
    within = start + intake.VIEW_AUDIT_INTERVAL - dt.timedelta(seconds=1)
    with time_machine.travel(within, tick=False):
        assert client.get(confirmed.status_path).status_code == 200
    later = start + intake.VIEW_AUDIT_INTERVAL + dt.timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        assert client.get(confirmed.status_path).status_code == 200
        assert client.get(confirmed.status_path).status_code == 200
    with app.app_context():
        times = get_session().scalars(
            select(AuditEvent.at)
            .where(AuditEvent.action == "request.viewed", AuditEvent.detail == "status")
            .order_by(AuditEvent.id)
        )
        assert [t.replace(tzinfo=dt.UTC) - start for t in times] == [
            dt.timedelta(0),
            later - start,
        ]


def test_two_workers_on_one_database_write_one_view_row(
    make_app: Callable[..., Flask], smtp_server: SmtpServer
) -> None:
    # Each worker process remembers only what it saw; the second asks the database and finds
    # the first one's row.
    key = "k" * 64  # the two workers' one secret key
    first = make_app(SECRET_KEY=key)
    client = https_client(first)
    submit_request(client, "access", "fi")
    confirmed = confirm_from_mail(client, smtp_server)
    assert client.get(confirmed.status_path).status_code == 200
    second = https_client(make_app(SECRET_KEY=key))
    for _ in range(3):
        assert second.get(confirmed.status_path).status_code == 200
    with first.app_context():
        views = get_session().scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "request.viewed")
        )
        assert list(views) == ["status"]
