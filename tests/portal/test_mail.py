"""Outbox: templates in every language, SMTP outage and retries, no double sends, the CLI."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.cli import ScriptInfo
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.cli import main
from portal.core import mail
from portal.core.models import DataRequest, OutboxMessage, RequestStatus, utcnow
from portal.db import get_session
from portal.web.i18n import LANGUAGES
from tests import REPO_ROOT
from tests.portal.support.mailserver import Collector, SmtpServer, free_port
from tests.portal.support.web import confirm_from_mail, submit_request

EMAIL_DIR = REPO_ROOT / "templates" / "email"
OWN_TEMPLATES = ["confirm", "receipt"]
CONTEXT = {
    "reference": "ABCD-EFGH-IJKL-MNOP",
    "right": "access",
    "right_title": "Access",
    "register_name": "Asiakasrekisteri",
    "controller": "Esa Kemppainen",
    "confirm_url": "https://portal.example/requests/fi/confirm/x",
    "valid_hours": 72,
    "received_at": dt.datetime(2025, 5, 10, 8, 0, tzinfo=dt.UTC),
    "due_on": dt.date(2025, 6, 10),
    "status_url": "https://portal.example/requests/fi/status/x",
    "receipt_url": "https://portal.example/requests/fi/status/x/receipt",
    "receipt_json_url": "https://portal.example/requests/fi/status/x/receipt.json",
    "fingerprint": "0000 0000 0000 0000",
}


def outbox(app: Flask) -> list[OutboxMessage]:
    with app.app_context():
        return list(get_session().scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("template", sorted(p.name for p in EMAIL_DIR.iterdir() if p.is_dir()))
def test_every_subject_is_one_line_in_every_language(app: Flask, template: str, lang: str) -> None:
    for part in ("subject.txt", "body.txt", "body.html"):
        assert (EMAIL_DIR / template / part).is_file(), f"{template}/{part} is missing"
    with app.test_request_context():
        subject = app.jinja_env.get_template(f"email/{template}/subject.txt")
        text = subject.render(**CONTEXT, lang=lang).strip()
    assert text and "\n" not in text


@pytest.mark.parametrize(
    ("lang", "subject"),
    [
        ("fi", "Vahvista tietosuojapyyntösi ABCD-EFGH-IJKL-MNOP"),
        ("en", "Confirm your data protection request ABCD-EFGH-IJKL-MNOP"),
        ("sv", "Bekräfta din dataskyddsbegäran ABCD-EFGH-IJKL-MNOP"),
    ],
)
def test_own_templates_render_in_the_recipients_language(
    app: Flask, lang: str, subject: str
) -> None:
    with app.test_request_context("/requests/en/"):
        for template in OWN_TEMPLATES:
            rendered_subject, text, html = mail.render_email(template, lang, CONTEXT)
            assert "%(" not in text and "%(" not in html
            assert f'<html lang="{lang}">' in html
        assert mail.render_email("confirm", lang, CONTEXT)[0] == subject


@pytest.mark.parametrize(
    ("lang", "files", "said"),
    [
        ("fi", 1, "Vastauksesi mukana tuli 1 tiedosto."),
        ("fi", 3, "Vastauksesi mukana tuli 3 tiedostoa."),
        ("sv", 1, "Ditt svar innehöll 1 fil."),
        ("sv", 3, "Ditt svar innehöll 3 filer."),
        ("en", 3, "Your answer came with 3 files."),
    ],
)
def test_an_email_speaks_its_own_language_with_plurals_and_escaped_names(
    app: Flask, lang: str, files: int, said: str
) -> None:
    # The page being served is in another language: the e-mail follows its recipient's.
    other = "sv" if lang == "fi" else "fi"
    context = CONTEXT | {"files": files, "register_name": "Asiakkaat <&> muut"}
    with app.test_request_context(f"/requests/{other}/"):
        _, text, html = mail.render_email("reply_confirmed", lang, context)
    assert said in text and f"<p>{said}</p>" in html
    assert "Asiakkaat <&> muut" in text
    assert "Asiakkaat &lt;&amp;&gt; muut" in html and "<&>" not in html


def test_a_multiline_subject_is_refused(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mail, "render_template", lambda name, **values: "one\ntwo")
    with app.test_request_context(), pytest.raises(mail.TemplateError):
        mail.render_email("confirm", "fi", CONTEXT)


def test_message_has_parts_headers_and_attachment(app: Flask) -> None:
    with app.test_request_context():
        message = mail.build_message(
            sender="tietosuoja@example.fi",
            to="maija@example.fi",
            subject="Kuittaus",
            text="teksti",
            html="<p>html</p>",
            language="fi",
            attachments=[("receipt.pdf", "application/pdf", b"%PDF-1.7 test")],
        )
    assert message["Content-Language"] == "fi"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Message-ID"].endswith("@example.fi>")
    assert message.get_body(("plain",)).get_content().strip() == "teksti"
    assert message.get_body(("html",)).get_content().strip() == "<p>html</p>"
    [attachment] = message.iter_attachments()
    assert attachment.get_filename() == "receipt.pdf"


def test_smtp_outage_keeps_request_and_mail_until_sent(
    app: Flask, client: FlaskClient, smtp_server: SmtpServer
) -> None:
    smtp_server.stop()
    response = submit_request(client, "access", "en")
    assert response.status_code == 303
    page = client.get(response.headers["Location"])
    assert "will follow shortly" in page.text
    with app.app_context():
        [kept] = get_session().scalars(select(DataRequest)).all()
        assert kept.status == RequestStatus.unconfirmed
    [pending] = outbox(app)
    assert pending.status == "pending" and pending.attempts == 1
    assert pending.last_error == "ConnectionRefusedError"
    assert pending.next_attempt_at.replace(tzinfo=dt.UTC) > utcnow()

    # Not due yet: nothing is tried.
    report = mail.send_pending(app)
    assert (report.sent, report.retrying) == (0, 0)

    smtp_server.start()
    report = mail.send_pending(app, now=utcnow() + dt.timedelta(minutes=2))
    assert report.sent == 1
    [sent] = outbox(app)
    assert sent.status == "sent" and sent.attempts == 2 and sent.last_error is None
    assert len(smtp_server.wait_for(1)) == 1
    confirm_from_mail(client, smtp_server, "maija@example.fi")


@pytest.mark.parametrize(
    ("attempts", "minutes"),
    [(0, 1), (1, 1), (2, 2), (3, 4), (9, 256), (10, 360), (42, 360), (10_000, 360)],
)
def test_the_wait_after_a_failed_send_doubles_up_to_six_hours(attempts: int, minutes: int) -> None:
    # From 42 attempts (MAIL_MAX_ATTEMPTS set that high) the doubling overflowed timedelta.
    assert mail.backoff(attempts) == dt.timedelta(minutes=minutes)


def test_backoff_doubles_and_gives_up_after_max_attempts(
    make_app,
    smtp_server: SmtpServer,  # type: ignore[no-untyped-def]
) -> None:
    app = make_app(MAIL_MAX_ATTEMPTS=3, MAIL_SEND_INLINE=False)
    with app.test_request_context():
        mail.enqueue(
            get_session(), to="x@example.fi", template="confirm", language="fi", context=CONTEXT
        )
        get_session().commit()
    smtp_server.stop()
    now = utcnow()
    waits = []
    for _ in range(3):
        report = mail.send_pending(app, now=now)
        [message] = outbox(app)
        if message.status == "failed":
            break
        assert report.unreachable and report.retrying == 1
        wait = message.next_attempt_at.replace(tzinfo=dt.UTC) - now
        waits.append(wait)
        now = now + wait
    assert waits == [dt.timedelta(minutes=1), dt.timedelta(minutes=2)]
    [failed] = outbox(app)
    assert failed.status == "failed" and failed.attempts == 3
    assert mail.backoff(20) == mail.BACKOFF_MAX


def test_permanent_refusal_fails_at_once(
    make_app,
    smtp_server: SmtpServer,  # type: ignore[no-untyped-def]
) -> None:
    app = make_app(MAIL_SEND_INLINE=False)

    async def refuse(server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        if address.startswith("nobody@"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    smtp_server.handler.handle_RCPT = refuse  # type: ignore[attr-defined]
    try:
        with app.test_request_context():
            for to in ("nobody@example.fi", "somebody@example.fi"):
                mail.enqueue(
                    get_session(), to=to, template="confirm", language="en", context=CONTEXT
                )
            get_session().commit()
        report = mail.send_pending(app)
    finally:
        del smtp_server.handler.handle_RCPT  # type: ignore[attr-defined]
    assert (report.sent, report.failed) == (1, 1)
    refused, delivered = outbox(app)
    assert refused.status == "failed" and refused.last_error == "SMTPRecipientsRefused"
    assert delivered.status == "sent"


def test_concurrent_senders_never_send_twice(
    make_app,
    smtp_server: SmtpServer,  # type: ignore[no-untyped-def]
) -> None:
    app = make_app(MAIL_SEND_INLINE=False)
    with app.test_request_context():
        for n in range(12):
            mail.enqueue(
                get_session(),
                to=f"p{n}@example.fi",
                template="confirm",
                language="fi",
                context=CONTEXT,
            )
        get_session().commit()
    reports: list[mail.SendReport] = []

    def run() -> None:
        reports.append(mail.send_pending(app))

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r.sent for r in reports) == 12
    received = smtp_server.wait_for(12)
    assert sorted(m["To"] for m in received) == sorted(f"p{n}@example.fi" for n in range(12))
    assert all(m.status == "sent" and m.attempts == 1 for m in outbox(app))


def test_the_background_sender_sends_every_message_handed_to_it(
    make_app,
    smtp_server: SmtpServer,  # type: ignore[no-untyped-def]
) -> None:
    # More than one run's default limit (100) can pile up while a batch is being sent.
    app = make_app(MAIL_SEND_INLINE=True)
    addresses = [f"p{n}@example.fi" for n in range(130)]
    _queue(app, *addresses)
    ids = [m.id for m in outbox(app)]
    assert mail.send_soon(app, ids)
    assert mail.wait_idle(app)
    assert sorted(m["To"] for m in smtp_server.wait_for(130)) == sorted(addresses)
    assert {m.status for m in outbox(app)} == {"sent"}


def test_send_mail_command(make_app, smtp_server: SmtpServer) -> None:  # type: ignore[no-untyped-def]
    app = make_app(MAIL_SEND_INLINE=False)
    with app.test_request_context():
        mail.enqueue(
            get_session(), to="x@example.fi", template="confirm", language="sv", context=CONTEXT
        )
        get_session().commit()
    result = CliRunner().invoke(main, ["send-mail"], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "sent 1, retrying 0, failed 0"
    assert smtp_server.wait_for(1)[0]["Subject"].startswith("Bekräfta")


def _queue(app: Flask, *addresses: str) -> None:
    with app.app_context():
        session = get_session()
        for address in addresses:
            mail.enqueue(session, to=address, template="confirm", language="fi", context=CONTEXT)
        session.commit()


def test_an_address_beyond_ascii_fails_alone_on_a_relay_without_smtputf8(
    make_app, smtp_server: SmtpServer
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(MAIL_SEND_INLINE=False)
    _queue(app, "anna@example.fi", "jörg@example.com", "bob@example.fi")
    report = mail.send_pending(app)
    assert (report.sent, report.retrying, report.failed) == (2, 0, 1)
    assert sorted(m["To"] for m in smtp_server.wait_for(2)) == ["anna@example.fi", "bob@example.fi"]
    statuses = {m.recipient: (m.status, m.last_error) for m in outbox(app)}
    assert statuses["jörg@example.com"][0] == "failed"
    assert "SMTPUTF8" in (statuses["jörg@example.com"][1] or "")
    # A failed message is not tried again.
    assert mail.send_pending(app) == mail.SendReport()


def test_an_address_beyond_ascii_goes_as_smtputf8_when_the_relay_offers_it(make_app) -> None:  # type: ignore[no-untyped-def]
    relay = SmtpServer("127.0.0.1", free_port(), Collector(), smtputf8=True)
    relay.start()
    try:
        app = make_app(MAIL_SEND_INLINE=False, MAIL_PORT=relay.port)
        _queue(app, "jörg@example.com", "anna@example.fi")
        report = mail.send_pending(app)
        assert (report.sent, report.failed) == (2, 0)
        received = relay.wait_for(2)
        assert sorted(relay.handler.envelope_recipients) == ["anna@example.fi", "jörg@example.com"]
        assert sorted(str(m["To"]) for m in received) == ["anna@example.fi", "jörg@example.com"]
        jorg = next(m for m in received if str(m["To"]) == "jörg@example.com")
        assert "Vahvista" in str(jorg["Subject"])
    finally:
        relay.stop()
