"""A submission's confirmation e-mail is written by its sender: what arrives over SMTP, failures."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.cli import ScriptInfo
from sqlalchemy import select

from portal.cli import main
from portal.core import mail
from portal.core.models import DataRequest, OutboxMessage, RequestStatus, utcnow
from portal.db import get_session
from tests.portal.support.mailserver import SmtpServer
from tests.portal.support.web import confirm_from_mail, https_client, links_in, submit_request

RECEIVED = {
    "fi": (
        "Vahvista tietosuojapyyntösi",
        [
            "Hei,",
            "Olemme vastaanottaneet pyyntösi ”Tietojesi tarkastaminen”, joka koskee rekisteriä "
            "”Asiakasrekisteri” (rekisterinpitäjä Esa Kemppainen).",
            "Linkki on voimassa 72 tuntia.",
            "Viite: ",
        ],
    ),
    "sv": (
        "Bekräfta din dataskyddsbegäran",
        [
            "Hej,",
            "Vi har tagit emot din begäran till Esa Kemppainen: ”Tillgång till dina uppgifter” "
            "som gäller registret ”Kundregister”.",
            "Länken gäller i 72 timmar.",
            "Referens: ",
        ],
    ),
    "en": (
        "Confirm your data protection request",
        [
            "Hello,",
            "We have received your request to Esa Kemppainen: “Access to your data” concerning "
            "the register “Customer register”.",
            "The link is valid for 72 hours.",
            "Reference: ",
        ],
    ),
}


def _requests(app: Flask) -> list[DataRequest]:
    with app.app_context():
        return list(get_session().scalars(select(DataRequest)))


def _outbox(app: Flask) -> list[OutboxMessage]:
    with app.app_context():
        return list(get_session().scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_confirmation_arrives_over_smtp_in_the_requests_language(
    make_app: Callable[..., Flask], smtp_server: SmtpServer, lang: str
) -> None:
    app = make_app(MAIL_SEND_INLINE=False)
    client = https_client(app)
    # The form is in Finnish; the request (and so its e-mail) is in `lang`.
    assert submit_request(client, "access", "fi", language=lang).status_code == 303
    # Recorded with its e-mail in one commit, before anything was sent.
    [request] = _requests(app)
    [queued] = _outbox(app)
    assert (queued.request_id, queued.recipient, queued.status) == (
        request.id,
        "maija@example.fi",
        "pending",
    )
    assert smtp_server.messages == []

    result = CliRunner().invoke(main, ["send-mail"], obj=ScriptInfo(create_app=lambda: app))
    assert result.output.strip() == "sent 1, retrying 0, failed 0", result.output

    [received] = smtp_server.wait_for(1)
    subject, lines = RECEIVED[lang]
    assert received["Subject"] == f"{subject} {request.reference}"
    assert received["To"] == "maija@example.fi"
    assert received["Content-Language"] == lang
    assert received["Auto-Submitted"] == "auto-generated"
    text = received.get_body(("plain",)).get_content()
    html = received.get_body(("html",)).get_content()
    for line in lines:
        assert line in text
    assert f"{lines[-1]}{request.reference}" in text
    assert f'<html lang="{lang}">' in html and request.reference in html
    [link] = [p for p in links_in(received) if "/confirm/" in p]
    assert link.startswith(f"/requests/{lang}/confirm/") and link in html

    [sent] = _outbox(app)
    assert sent.status == "sent" and sent.subject == received["Subject"]
    assert sent.message.count(b"Message-ID:") == 1
    assert str(received["Message-ID"]).encode() in sent.message
    confirm_from_mail(client, smtp_server)
    [confirmed] = _requests(app)
    assert confirmed.status != RequestStatus.unconfirmed


def test_the_person_gets_the_confirmation_from_the_inline_sender(
    app: Flask, smtp_server: SmtpServer
) -> None:
    client = https_client(app)
    response = submit_request(client, "access", "sv")
    assert "/requests/sv/sent" in response.headers["Location"]
    [received] = smtp_server.wait_for(1)
    assert received["Subject"].startswith("Bekräfta din dataskyddsbegäran")
    confirm_from_mail(client, smtp_server)


def test_a_message_that_cannot_be_written_is_retried_then_failed_and_the_request_stays(
    make_app: Callable[..., Flask],
    smtp_server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = make_app(MAIL_SEND_INLINE=False, MAIL_MAX_ATTEMPTS=2)
    assert submit_request(https_client(app), "access", "en").status_code == 303

    def broken(name: str, **values: object) -> str:
        raise KeyError(name)

    monkeypatch.setattr(mail, "render_template", broken)
    now = utcnow()
    with caplog.at_level(logging.WARNING, logger="portal.core.mail"):
        first = mail.send_pending(app, now=now)
    assert (first.sent, first.retrying, first.failed) == (0, 1, 0)
    [waiting] = _outbox(app)
    assert waiting.status == "pending" and waiting.last_error == "composing failed: KeyError"
    assert waiting.next_attempt_at.replace(tzinfo=dt.UTC) == now + mail.backoff(1)
    assert f"composing message {waiting.id} failed (KeyError)" in caplog.text

    second = mail.send_pending(app, now=now + dt.timedelta(minutes=2))
    assert (second.sent, second.retrying, second.failed) == (0, 0, 1)
    [failed] = _outbox(app)
    assert failed.status == "failed" and failed.last_error == "composing failed: KeyError"
    assert smtp_server.messages == []
    [kept] = _requests(app)
    assert kept.status == RequestStatus.unconfirmed


def test_a_message_written_after_a_failure_is_sent(
    make_app: Callable[..., Flask], smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(MAIL_SEND_INLINE=False)
    assert submit_request(https_client(app), "access", "fi").status_code == 303
    with monkeypatch.context() as patch:
        patch.setattr(mail, "sender_header", lambda language: 1 / 0)
        assert mail.send_pending(app).retrying == 1
    report = mail.send_pending(app, now=utcnow() + dt.timedelta(minutes=2))
    assert report.sent == 1
    [received] = smtp_server.wait_for(1)
    assert received["Subject"].startswith("Vahvista tietosuojapyyntösi")
