"""At-least-once delivery: a sender that dies after the relay accepted resends the same message."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.pool import NullPool

from portal.config import change_settings
from portal.core import mail
from portal.core.models import OutboxMessage, utcnow
from portal.db import get_session
from tests.portal.support.mailserver import free_port


class LockingCollector:
    """Accept each message, then lock the outbox row so its sender cannot mark it sent."""

    def __init__(self, lock: Callable[[], None]) -> None:
        self.lock = lock
        self.received: list[bytes] = []
        self.accepted = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.received.append(envelope.content)
        if len(self.received) == 1:
            self.lock()
            self.accepted.set()
        return "250 Message accepted for delivery"


@contextmanager
def row_lock(db_url: str) -> Iterator[Callable[[], None]]:
    """Yield a function that locks the outbox for writing until the block ends."""
    engine = create_engine(db_url, poolclass=NullPool)
    held: list[Connection] = []

    def lock() -> None:
        connection = engine.connect()
        held.append(connection)
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.execute(text("SELECT id FROM outbox_message FOR UPDATE"))

    try:
        yield lock
    finally:
        for connection in held:
            connection.rollback()
            connection.close()
        engine.dispose()


SENDER = """
import json, sys
from portal import create_app
from portal.core import mail
app = create_app(json.loads(sys.argv[1]))
mail.send_pending(app)
"""


def test_crash_after_acceptance_resends_with_the_same_message_id(
    repo_root: Path, make_app: Callable[..., Flask], db_url: str
) -> None:
    app = make_app(MAIL_SEND_INLINE=False)
    built = mail.build_message(
        sender="tietosuoja@example.fi",
        to="jorma@example.fi",
        subject="Vahvista pyyntösi",
        text="teksti",
        html="<p>teksti</p>",
        language="fi",
    )
    with app.app_context():
        session = get_session()
        session.add(
            OutboxMessage(
                recipient="jorma@example.fi",
                subject="Vahvista pyyntösi",
                message=built.as_bytes(),
                status="pending",
                attempts=0,
                next_attempt_at=utcnow(),
            )
        )
        session.commit()

    handler = LockingCollector(lambda: None)
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        with row_lock(db_url) as lock:
            handler.lock = lock
            settings = {
                key: app.config[key]
                for key in ("SECRET_KEY", "DATABASE_URL", "SITE_DIR", "PUBLIC_URL")
            } | {"INSTANCE_PATH": app.instance_path, "MAIL_PORT": controller.port}
            sender = subprocess.Popen(
                [sys.executable, "-c", SENDER, json.dumps(settings)], cwd=repo_root
            )
            try:
                assert handler.accepted.wait(timeout=60)
            finally:
                # The crash: the relay has the message, the row is not yet marked sent.
                sender.kill()
                sender.wait(timeout=30)
            with app.app_context():
                [row] = get_session().scalars(select(OutboxMessage)).all()
            assert row.status == "pending" and row.attempts == 1
        # The next run, once the dead sender's claim has lapsed, sends it again.
        change_settings(app, mail_port=controller.port)
        later = utcnow() + mail.CLAIM_LEASE + dt.timedelta(seconds=1)
        report = mail.send_pending(app, now=later)
    finally:
        controller.stop()
    assert report.sent == 1
    first, second = (
        email.message_from_bytes(raw, policy=email.policy.default) for raw in handler.received
    )
    assert first["Message-ID"] == second["Message-ID"] == built["Message-ID"]
    with app.app_context():
        [row] = get_session().scalars(select(OutboxMessage)).all()
    assert row.status == "sent" and row.attempts == 2
