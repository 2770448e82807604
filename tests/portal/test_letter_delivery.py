"""Letters' PDFs are made after the commit: a PDF never holds a lock, a person or a decision."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from notice.pdf import PdfError
from portal.core import letters
from portal.core.models import AuditEvent, DataRequest, Letter, OutboxMessage, RequestStatus
from portal.db import get_session
from tests.portal.support.cli import cli
from tests.portal.support.mailserver import SmtpServer
from tests.portal.support.web import confirm_from_mail, submit_request


def _can_lock_the_request(db_url: str, reference: str) -> bool:
    """Return whether another connection could take the write lock on the request right now."""
    engine = create_engine(db_url, connect_args={"timeout": 0} if "sqlite" in db_url else {})
    try:
        with engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                connection.execute(
                    text("SELECT id FROM data_request WHERE reference = :r FOR UPDATE NOWAIT"),
                    {"r": reference},
                )
            connection.rollback()
        return True
    except OperationalError:
        return False
    finally:
        engine.dispose()


def _reference(app: Flask) -> str:
    with app.app_context():
        row = get_session().scalars(select(DataRequest).order_by(DataRequest.id.desc())).first()
        assert row is not None
        return row.reference


def test_the_receipt_pdf_is_made_with_no_lock_held(
    app: Flask,
    client: FlaskClient,
    smtp_server: SmtpServer,
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert submit_request(client).status_code == 303
    reference = _reference(app)
    real = letters.render_pdf
    seen: list[bool] = []

    def watching(*args: Any, **kwargs: Any) -> bytes:
        seen.append(_can_lock_the_request(db_url, reference))
        return real(*args, **kwargs)

    monkeypatch.setattr(letters, "render_pdf", watching)
    confirm_from_mail(client, smtp_server)
    assert seen == [True]
    [_, receipt] = smtp_server.wait_for(2)
    assert [a.get_content_type() for a in receipt.iter_attachments()] == ["application/pdf"]


def test_a_failing_pdf_confirms_the_request_and_is_made_later(
    app: Flask,
    client: FlaskClient,
    smtp_server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: Any, **kwargs: Any) -> bytes:
        raise PdfError("PDF must embed only Seloste Noto Sans; it embeds: DejaVuSans")

    assert submit_request(client, name="Åsa Äijälä").status_code == 303
    monkeypatch.setattr(letters, "render_pdf", broken)
    confirmed = confirm_from_mail(client, smtp_server)

    # The request is confirmed and its HTML receipt works; the receipt e-mail waits for its PDF.
    receipt_page = client.get(confirmed.receipt_path)
    assert receipt_page.status_code == 200
    assert BeautifulSoup(receipt_page.text, "html.parser").find("h1") is not None
    assert client.get(confirmed.receipt_path + ".pdf").status_code == 404
    assert len(smtp_server.wait_for(2, timeout=0.5)) == 1
    with app.app_context():
        session = get_session()
        request = session.scalars(select(DataRequest)).one()
        assert request.status == RequestStatus.open and request.seal_signature
        [letter] = request.letters
        assert (letter.pdf, letter.sha256, letter.pdf_attempts) == (None, None, 1)
        assert letter.pdf_error == "PdfError"
        [held] = session.scalars(
            select(OutboxMessage).where(OutboxMessage.letter_id == letter.id)
        ).all()
        assert held.status == "held"
        failures = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "letter.pdf_failed")
        ).all()
        assert [(e.request_id, e.detail) for e in failures] == [
            (request.id, f"letter={letter.id} attempt=1 error=PdfError")
        ]

    # Once PDFs render again, `portal send-mail` makes it and sends the receipt with it.
    monkeypatch.undo()
    result = cli(app, "send-mail")
    assert result.exit_code == 0, result.output
    assert result.output == "sent 1, retrying 0, failed 0\n", result.output
    [_, receipt] = smtp_server.wait_for(2)
    [attachment] = list(receipt.iter_attachments())
    assert attachment.get_content().startswith(b"%PDF-")
    assert client.get(confirmed.receipt_path + ".pdf").data == attachment.get_content()
    with app.app_context():
        [letter] = get_session().scalars(select(Letter)).all()
        assert letter.sha256 is not None and letter.pdf_error is None


def test_a_pdf_that_keeps_failing_stops_being_tried(
    app: Flask,
    client: FlaskClient,
    smtp_server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[int] = []

    def broken(*args: Any, **kwargs: Any) -> bytes:
        calls.append(1)
        raise OSError("font file unreadable")

    assert submit_request(client).status_code == 303
    monkeypatch.setattr(letters, "render_pdf", broken)
    confirm_from_mail(client, smtp_server)
    for _ in range(6):
        assert cli(app, "send-mail").exit_code == 0
    assert len(calls) == 5
    with app.app_context():
        [letter] = get_session().scalars(select(Letter)).all()
        assert (letter.pdf_attempts, letter.pdf_error) == (5, "OSError")


def test_deliver_letters_renders_each_letter_once(
    app: Flask, client: FlaskClient, smtp_server: SmtpServer
) -> None:
    from portal.core import notify
    from portal.db import session_factory

    assert submit_request(client).status_code == 303
    confirm_from_mail(client, smtp_server)
    sessions: Callable[[], Session] = session_factory(app)
    again = notify.deliver_letters(sessions)
    assert (again.rendered, again.failed, again.released) == ([], [], [])
