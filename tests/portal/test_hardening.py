"""Hardening: private SQLite files, no Host-header echo, bounded audit writes from status pages."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal import db
from portal.core.models import AuditEvent
from portal.db import get_session
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
