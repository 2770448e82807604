"""Outgoing e-mail through an outbox table: an SMTP outage never loses a message.

`enqueue` renders `templates/email/<name>/{subject.txt,body.txt,body.html}` in the recipient's
language and stores the whole RFC 5322 message in the same transaction as the change it reports,
so the request and its e-mail are committed together or not at all. A submission's confirmation
is queued by `defer` instead: the row says what to write (template, language, context) and
`send_pending` composes and commits the message before its first attempt, so the person does not
wait for the rendering and the row is still committed with the request. `send_pending` sends due
messages over SMTP. Each message is first *claimed* by a conditional UPDATE that pushes its next
attempt into the future, so two senders (the inline send after a request and `portal send-mail
--loop`) never send the same message twice, on SQLite as on PostgreSQL, and a sender that dies
mid-send only delays the message. Failures back off exponentially; after `MAIL_MAX_ATTEMPTS`
attempts, or at once on a permanent (5xx) refusal, the message is marked failed. Errors are
stored as class and SMTP code only: server replies can quote the address.

A web request never talks SMTP: it commits its outbox rows and wakes this process's background
sender (`send_soon`), then answers. A hung relay (one that accepts the connection and never
replies) holds that one thread for `SMTP_TIMEOUT_SECONDS`, not a worker and not a person.

Delivery is at least once. The Message-ID is made when the message is composed (when queued, or
for a deferred one before its first attempt) and stored with its bytes, so when a sender dies
after the relay accepted a message but before it marked it sent, the next attempt resends the
very same message with the same Message-ID, and mail clients and relays that de-duplicate by
Message-ID show it once.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import random
import smtplib
import ssl
import sys
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from email import message_from_bytes
from email.headerregistry import Address, BaseHeader, HeaderRegistry
from email.message import EmailMessage
from email.policy import SMTP, SMTPUTF8, EmailPolicy
from email.utils import format_datetime, make_msgid, parseaddr
from typing import Any

from flask import Flask, render_template
from flask_babel import force_locale, get_translations
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from notice import i18n as notice_i18n
from notice import theme
from notice.model import ThemeColors
from portal.config import ConfigurationError, Settings, current_settings, settings_of
from portal.core import content as portal_content
from portal.core import labels
from portal.core.models import DataRequest, Letter, OutboxMessage, utcnow

log = logging.getLogger(__name__)

SMTP_TIMEOUT_SECONDS = 10
SENDER_EXTENSION = "portal_mail_sender"
CLAIM_LEASE = dt.timedelta(minutes=5)
"""How long a claimed message is left alone before another sender may try it again."""
BACKOFF_BASE = dt.timedelta(minutes=1)
BACKOFF_MAX = dt.timedelta(hours=6)


class TemplateError(ValueError):
    """An e-mail template rendered something a mail header cannot hold."""


@dataclass
class SendReport:
    """What one `send_pending` run did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    unreachable: bool = False
    """The SMTP server could not be reached: due messages stay pending."""


def render_email(template: str, language: str, context: Mapping[str, Any]) -> tuple[str, str, str]:
    """Render (subject, text, html) of `templates/email/<template>/` in `language`."""
    with force_locale(notice_i18n.locale_of(language)):
        values = {
            "brand": brand(language),
            **context,
            "lang": language,
            **_gettext_of(get_translations()),
        }
        subject = render_template(f"email/{template}/subject.txt", **values).strip()
        text = render_template(f"email/{template}/body.txt", **values)
        html = render_template(f"email/{template}/body.html", **values)
    if "\n" in subject or "\r" in subject:
        raise TemplateError(f"subject of e-mail {template!r} ({language}) is not one line")
    return subject, text, html


_GETTEXT: dict[int, tuple[Any, dict[str, Callable[..., str]]]] = {}


def _gettext_of(translations: Any) -> dict[str, Callable[..., str]]:
    """Return the template's gettext functions bound to `translations`, as Jinja installs them.

    Flask-Babel's installed functions look the locale and the catalog up again for every
    `{% trans %}` (about fifty in one e-mail's three templates); within `force_locale` the
    catalog is the same for the whole e-mail, so the e-mail's templates get functions bound to it
    (context variables come before the environment's globals). They behave as Jinja's "new
    style" gettext: the text is marked safe under autoescape, then formatted with the
    variables.
    """
    kept = _GETTEXT.get(id(translations))
    if kept is not None and kept[0] is translations:
        return kept[1]

    @pass_context
    def gettext(__context: Context, __string: str, **variables: Any) -> str:
        text = translations.ugettext(__string)
        if __context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables  # type: ignore[no-any-return]

    @pass_context
    def ngettext(
        __context: Context, __singular: str, __plural: str, __num: int, **variables: Any
    ) -> str:
        variables.setdefault("num", __num)
        text = translations.ungettext(__singular, __plural, __num)
        if __context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables  # type: ignore[no-any-return]

    @pass_context
    def pgettext(__context: Context, __string_ctx: str, __string: str, **variables: Any) -> str:
        variables.setdefault("context", __string_ctx)
        text = translations.upgettext(__string_ctx, __string)
        if __context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables  # type: ignore[no-any-return]

    @pass_context
    def npgettext(
        __context: Context,
        __string_ctx: str,
        __singular: str,
        __plural: str,
        __num: int,
        **variables: Any,
    ) -> str:
        variables.setdefault("context", __string_ctx)
        variables.setdefault("num", __num)
        text = translations.unpgettext(__string_ctx, __singular, __plural, __num)
        if __context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables  # type: ignore[no-any-return]

    bound = {"gettext": gettext, "ngettext": ngettext, "pgettext": pgettext, "npgettext": npgettext}
    if len(_GETTEXT) < _REMEMBERED_MAX:
        _GETTEXT[id(translations)] = (translations, bound)
    return bound


def brand(language: str) -> dict[str, str] | None:
    """Return the theme's display name and accent colour for an e-mail's HTML part, or None.

    No logo: an image in a mail is either a remote fetch (which tells the sender when the mail
    was read) or an attachment in every message; the name in the theme's colour says who wrote.
    """
    site = portal_content.content().site
    if site.theme is None:
        return None
    colors = site.theme.colors or ThemeColors()
    return {"name": theme.display_name(site, language), "accent": colors.accent}


def sender_header(language: str) -> str:
    """Return the From header: MAIL_SENDER as configured when it names itself ("Name <address>"),
    else its address named by `sender_name` in `language`.

    The header is kept as text ("Tilitoimisto Ääkkönen Oy <…>"); the message's policy writes a
    name beyond ASCII as an RFC 2047 encoded word, and quotes one with specials such as a comma.
    """
    sender = _sender(current_settings())
    name, address = parseaddr(sender)
    if name or not address:
        return sender
    return str(Address(display_name=sender_name(language), addr_spec=address))


def sender_name(language: str) -> str:
    """Return whom people's e-mails come from, in `language`: the theme's display name, else the
    controller's name (the one site.yaml gives for that language, if any)."""
    site = portal_content.content().site
    if site.theme is not None and site.theme.display_name:
        return theme.display_name(site, language)
    return portal_content.controller_name(None, language)


class _HeaderClasses(HeaderRegistry):
    """The standard header registry, keeping the class it makes for each header name.

    `HeaderRegistry` makes a new class (`type(...)`) for every header set on a message, about
    fifteen per e-mail; that was a fifth of building one. The classes, and so the message's
    bytes, are the same.
    """

    def __init__(self) -> None:
        super().__init__()
        self._made: dict[str, type[BaseHeader]] = {}

    def __getitem__(self, name: str) -> type[BaseHeader]:
        key = name.lower()
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = super().__getitem__(name)
        return made


_REPEATED_HEADERS = frozenset(
    {
        "from",
        "mime-version",
        "content-type",
        "content-transfer-encoding",
        "auto-submitted",
        "content-language",
    }
)
"""Headers whose values recur from message to message (the sender, the parts' types)."""
_REMEMBERED_MAX = 256
_PARSED: dict[tuple[str, str], tuple[str, Any]] = {}
_FOLDED: dict[tuple[Any, ...], bytes] = {}


def _remembered(store: dict[Any, Any], key: Any, make: Callable[[], Any]) -> Any:
    """Return `store[key]`, made by `make()` the first time (kept while the store has room)."""
    value = store.get(key)
    if value is None:
        value = make()
        if len(store) < _REMEMBERED_MAX:
            store[key] = value
    return value


class _BuildPolicy(EmailPolicy):
    """`SMTP` that parses and folds each recurring header value once per process.

    Parsing a header value into its token tree and folding it back were about a third of
    building an e-mail, and most of a message's headers (its sender, the parts' Content-Type and
    transfer encoding, MIME-Version) are the same in every message. The parsed header and its
    folded bytes are pure functions of the header's name and value, so they are kept (for the
    headers of `_REPEATED_HEADERS`, at most `_REMEMBERED_MAX` values); the bytes are the standard
    policy's (`tests/portal/test_mail_headers.py`).
    """

    def header_store_parse(self, name: str, value: Any) -> tuple[str, Any]:
        """Parse `value` as `SMTP` does; a recurring value is parsed once."""
        if hasattr(value, "name") or name.lower() not in _REPEATED_HEADERS:
            return super().header_store_parse(name, value)  # type: ignore[no-any-return]
        parse = super().header_store_parse
        return _remembered(_PARSED, (name, value), lambda: parse(name, value))

    def fold_binary(self, name: str, value: Any) -> bytes:
        """Fold a header as `SMTP` does; a header parsed by `header_store_parse` is folded once."""
        key = (name, str(value))
        kept = _PARSED.get(key)
        if kept is None or kept[1] is not value:
            return super().fold_binary(name, value)  # type: ignore[no-any-return]
        # A generator may fold with a clone of this policy (another line length or separator).
        how = (*key, self.linesep, self.max_line_length, self.utf8, self.cte_type)
        fold = super().fold_binary
        return _remembered(_FOLDED, how, lambda: fold(name, value))


_BUILD_POLICY = _BuildPolicy(linesep="\r\n", header_factory=_HeaderClasses())
"""`SMTP` with the header classes made once and recurring headers parsed and folded once: what
`build_message` writes with."""
_BOUNDARY_DIGITS = len(repr(sys.maxsize - 1))


def _set_boundaries(message: EmailMessage, texts: Iterable[str]) -> None:
    """Give every multipart part of `message` its boundary, as the generator would.

    The generator makes a boundary of the same form and compiles a regular expression per
    message to check it against the parts' encoded text. Here the check is a plain search of the
    texts the parts were made from: a boundary found nowhere in them is not in their encodings
    either (quoted-printable writes "=" as "=3D", base64 has no "-"), nor in the attachments
    (always base64).
    """
    taken = list(texts)
    for part in message.walk():
        if not part.is_multipart() or part.get_boundary() is not None:
            continue
        while True:
            token = random.randrange(sys.maxsize)  # noqa: S311 - a separator, not a secret
            boundary = "=" * 15 + f"{token:0{_BOUNDARY_DIGITS}d}" + "=="
            if not any(boundary in text for text in taken):
                break
        part.set_boundary(boundary)
        taken.append(boundary)


def build_message(
    *,
    sender: str,
    to: str,
    subject: str,
    text: str,
    html: str,
    language: str,
    attachments: Iterable[tuple[str, str, bytes]] = (),
) -> EmailMessage:
    """Build a multipart message: text, HTML alternative and attachments (name, type, bytes)."""
    message = EmailMessage(policy=_BUILD_POLICY)
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(utcnow())
    domain = parseaddr(sender)[1].rpartition("@")[2]
    message["Message-ID"] = make_msgid(domain=domain or "localhost")
    # Tells autoresponders not to answer (RFC 3834).
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    for filename, content_type, data in attachments:
        maintype, _, subtype = content_type.partition("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    # After the body: setting content clears every Content-* header.
    message["Content-Language"] = language
    _set_boundaries(message, (text, html))
    return message


def compose(
    *,
    to: str,
    template: str,
    language: str,
    context: dict[str, Any],
    attachments: Sequence[tuple[str, str, bytes]] = (),
    request_id: int | None = None,
) -> OutboxMessage:
    """Render an e-mail in `language` into a pending outbox row, not yet added to a session.

    Rendering touches no database, so a caller can compose before its first write and add the
    row later (with `request_id` set once known) in the flush that writes the rest.
    """
    subject, message = _write(to, template, language, context, attachments)
    return _pending(request_id=request_id, recipient=to, subject=subject, message=message)


def _pending(**columns: Any) -> OutboxMessage:
    """Return a new outbox row with `columns`, due to be sent now."""
    return OutboxMessage(**columns, status="pending", attempts=0, next_attempt_at=utcnow())


def _write(
    to: str,
    template: str,
    language: str,
    context: Mapping[str, Any],
    attachments: Sequence[tuple[str, str, bytes]] = (),
) -> tuple[str, bytes]:
    """Render and build an e-mail; return its subject (as stored) and its bytes."""
    subject, text, html = render_email(template, language, context)
    message = build_message(
        sender=sender_header(language),
        to=to,
        subject=subject,
        text=text,
        html=html,
        language=language,
        attachments=attachments,
    )
    return subject[:300], message.as_bytes()


def defer(
    *,
    to: str,
    template: str,
    language: str,
    context: dict[str, Any],
    request_id: int | None = None,
    with_request: bool = False,
) -> OutboxMessage:
    """Return a pending outbox row saying what to write; its sender composes it before sending.

    Committed with the change it reports, the row is as durable as a composed one; rendering
    and building the message (a fifth of a submission's CPU) leave the request that queues it.
    `context` must be JSON (strings, numbers). With `with_request`, the sender adds
    `mail_context` of the row's request (`request_id`, which may be set later). The
    message's bytes and subject are empty until `compose_stored` writes them; the Message-ID is
    made then and stored before the first attempt, so a resend is still the same message.
    """
    recipe = {
        "template": template,
        "language": language,
        "context": context,
        "with_request": with_request,
    }
    return _pending(request_id=request_id, recipient=to, subject="", message=b"", recipe=recipe)


def mail_context(request: DataRequest) -> dict[str, Any]:
    """Return what every e-mail about a request may show (no more personal data than needed)."""
    return {
        "reference": request.reference,
        "right": request.right,
        "right_title": labels.RIGHTS[request.right].long,
        "register_name": portal_content.register_name(request.register_id, request.language),
        "controller": portal_content.controller_name(request.register_id, request.language),
    }


def compose_stored(app: Flask, session: Session, message: OutboxMessage) -> None:
    """Write the message `defer` described into `message` (the caller commits).

    The e-mail is the one `compose` would have made when the row was queued (its Date is now).
    Raises whatever rendering raises; `message` is left as it was then.
    """
    recipe = message.recipe
    if recipe is None:
        return
    context = dict(recipe["context"])
    with app.app_context():
        if recipe.get("with_request"):
            request = (
                session.get(DataRequest, message.request_id)
                if message.request_id is not None
                else None
            )
            if request is None:
                raise LookupError(f"outbox message {message.id}: its request is gone")
            context = mail_context(request) | context
        subject, data = _write(message.recipient, recipe["template"], recipe["language"], context)
    message.subject, message.message, message.recipe = subject, data, None


def enqueue(
    session: Session,
    *,
    to: str,
    template: str,
    language: str,
    context: dict[str, Any],
    attachments: Sequence[tuple[str, str, bytes]] = (),
    request_id: int | None = None,
    letter: Letter | None = None,
) -> OutboxMessage:
    """Render an e-mail in `language` and store it (the caller commits).

    With `letter`, the message is held until `release_held` attaches the letter's PDF.
    """
    outbox = compose(
        to=to,
        template=template,
        language=language,
        context=context,
        attachments=attachments,
        request_id=request_id,
    )
    if letter is not None:
        outbox.status = "held"
        outbox.letter_id = letter.id
    session.add(outbox)
    session.flush()
    return outbox


def release_held(session: Session, letter: Letter, attachment: tuple[str, str, bytes]) -> list[int]:
    """Attach the letter's PDF (name, type, bytes) to its held messages, make them pending.

    Return the ids of the messages released.
    """
    filename, content_type, data = attachment
    maintype, _, subtype = content_type.partition("/")
    held = session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.letter_id == letter.id, OutboxMessage.status == "held"
        )
    ).all()
    for outbox in held:
        message = message_from_bytes(outbox.message, policy=SMTP)
        # As `build_message` does: the language names the whole message, set after the parts.
        language = message["Content-Language"]
        del message["Content-Language"]
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
        if language:
            message["Content-Language"] = language
        outbox.message = message.as_bytes()
        outbox.status = "pending"
        outbox.next_attempt_at = utcnow()
    return [outbox.id for outbox in held]


def _sender(settings: Settings) -> str:
    """Return the From address: MAIL_SENDER, which create_app fills from the content if unset."""
    if not settings.mail_sender:
        raise ConfigurationError("no MAIL_SENDER: set PORTAL_MAIL_SENDER")
    return settings.mail_sender


def _envelope_sender(settings: Settings) -> str:
    """Return the SMTP envelope's sender (MAIL FROM): MAIL_SENDER's address, without its name.

    A name beyond ASCII in MAIL_SENDER belongs in the From header only; in the envelope it would
    make an ASCII message need SMTPUTF8 (RFC 6531), which many relays do not offer.
    """
    sender = _sender(settings)
    return parseaddr(sender)[1] or sender


def _connect(settings: Settings) -> smtplib.SMTP:
    smtp = smtplib.SMTP(settings.mail_server, settings.mail_port, timeout=SMTP_TIMEOUT_SECONDS)
    try:
        if settings.mail_use_tls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.mail_username:
            smtp.login(settings.mail_username, settings.mail_password or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


class Undeliverable(Exception):
    """A message this relay can never take (e.g. an address it cannot carry); safe to show staff."""


def _send(smtp: smtplib.SMTP, sender: str, message: OutboxMessage) -> None:
    """Send one stored message; an address beyond ASCII goes as SMTPUTF8 (RFC 6531) or fails."""
    if sender.isascii() and message.recipient.isascii():
        smtp.sendmail(sender, [message.recipient], message.message)
        return
    smtp.ehlo_or_helo_if_needed()
    if not smtp.has_extn("smtputf8"):
        raise Undeliverable(
            "the address is not ASCII and the mail relay does not offer SMTPUTF8 (RFC 6531)"
        )
    # The stored message encodes its headers for ASCII relays, which mangles such an address;
    # this relay takes headers as UTF-8, so the address goes as it is.
    parsed = message_from_bytes(message.message, policy=SMTPUTF8)
    del parsed["To"]
    parsed["To"] = message.recipient
    data = parsed.as_bytes()
    smtp.sendmail(sender, [message.recipient], data, mail_options=["SMTPUTF8"])


def _describe(exc: BaseException) -> str:
    code = getattr(exc, "smtp_code", None)
    return f"{type(exc).__name__} {code}" if code else type(exc).__name__


def _lost_connection(exc: BaseException) -> bool:
    """True when the connection is gone (SMTP errors are OSErrors too, but leave it usable)."""
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return True
    return not isinstance(exc, smtplib.SMTPException)


def _is_permanent(exc: BaseException) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    code = getattr(exc, "smtp_code", None)
    return isinstance(code, int) and code >= 500


def backoff(attempts: int) -> dt.timedelta:
    """Return the wait after the `attempts`-th failed attempt (1 min, 2, 4, … up to 6 h)."""
    # The exponent stops where the cap is reached: timedelta overflows from 2 ** 41 minutes.
    doublings = min(max(attempts - 1, 0), _DOUBLINGS_TO_MAX)
    return min(BACKOFF_BASE * 2**doublings, BACKOFF_MAX)


_DOUBLINGS_TO_MAX = (BACKOFF_MAX // BACKOFF_BASE).bit_length()
"""Doublings of BACKOFF_BASE after which BACKOFF_MAX is passed (9 for 1 min and 6 h)."""


def send_pending(
    app: Flask,
    limit: int = 100,
    *,
    only_ids: Iterable[int] | None = None,
    now: dt.datetime | None = None,
) -> SendReport:
    """Send up to `limit` due messages (or only `only_ids`); return what happened."""
    now = now or utcnow()
    settings = settings_of(app)
    max_attempts = settings.mail_max_attempts
    report = SendReport()
    smtp: smtplib.SMTP | None = None
    with app.extensions["db_sessionmaker"]() as session:
        query = (
            select(OutboxMessage.id)
            .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
        )
        if only_ids is not None:
            query = query.where(OutboxMessage.id.in_(list(only_ids)))
        try:
            for message_id in session.scalars(query).all():
                if not _claim(session, message_id, now):
                    continue
                message = session.get(OutboxMessage, message_id, populate_existing=True)
                if message is None:  # deleted between the claim and now (a purge)
                    continue
                if message.recipe is not None and not _composed(app, session, message, report, now):
                    continue
                try:
                    if smtp is None:
                        smtp = _connect(settings)
                    _send(smtp, _envelope_sender(settings), message)
                except Undeliverable as exc:
                    # This message can never leave through this relay; the others can.
                    message.status, message.last_error = "failed", str(exc)[:500]
                    session.commit()
                    report.failed += 1
                    continue
                except (OSError, smtplib.SMTPException) as exc:
                    message.last_error = _describe(exc)[:500]
                    log.warning(
                        "mail: sending message %s failed (%s)", message.id, type(exc).__name__
                    )
                    if _is_permanent(exc) or message.attempts >= max_attempts:
                        message.status = "failed"
                        report.failed += 1
                    else:
                        message.next_attempt_at = now + backoff(message.attempts)
                        report.retrying += 1
                    session.commit()
                    if smtp is None or _lost_connection(exc):
                        # The server is unreachable: leave the other messages for the next run.
                        report.unreachable = True
                        smtp = _close(smtp)
                        break
                    continue
                message.status = "sent"
                message.sent_at = now
                message.last_error = None
                session.commit()
                report.sent += 1
        finally:
            _close(smtp)
    return report


def _composed(
    app: Flask, session: Session, message: OutboxMessage, report: SendReport, now: dt.datetime
) -> bool:
    """Compose a deferred message and commit it before its first send; False when that failed.

    A failure is recorded as a send failure is (`last_error`, retried with backoff, failed after
    `MAIL_MAX_ATTEMPTS`) and logged; the request it reports stays recorded.
    """
    try:
        compose_stored(app, session, message)
        session.commit()
        return True
    except Exception as exc:  # noqa: BLE001 - any template or content error: retried, then failed
        session.rollback()
        log.warning(
            "mail: composing message %s failed (%s)", message.id, type(exc).__name__, exc_info=True
        )
        message.last_error = f"composing failed: {type(exc).__name__}"[:500]
        if message.attempts >= settings_of(app).mail_max_attempts:
            message.status = "failed"
            report.failed += 1
        else:
            message.next_attempt_at = now + backoff(message.attempts)
            report.retrying += 1
        session.commit()
        return False


def _claim(session: Session, message_id: int, now: dt.datetime) -> bool:
    """Take a due message for this sender; False when another sender took it first."""
    result = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.status == "pending",
            OutboxMessage.next_attempt_at <= now,
        )
        .values(next_attempt_at=now + CLAIM_LEASE, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return result.rowcount == 1


def _close(smtp: smtplib.SMTP | None) -> None:
    if smtp is None:
        return None
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()
    return None


class BackgroundSender:
    """This process's mail thread: sends the messages requests hand it, one batch at a time."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.pid = os.getpid()
        self._ids: set[int] = set()
        self._busy = False
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="portal-mail", daemon=True)
        self._thread.start()

    def add(self, message_ids: Iterable[int]) -> None:
        """Queue these outbox ids for sending and wake the thread."""
        with self._changed:
            self._ids.update(message_ids)
            self._changed.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until every handed-over message was tried; False when `timeout` ran out first."""
        with self._changed:
            return self._changed.wait_for(lambda: not self._ids and not self._busy, timeout)

    def _run(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: bool(self._ids))
                batch, self._ids, self._busy = sorted(self._ids), set(), True
            try:
                # Every message handed over, however many came in while the last batch went.
                send_pending(self.app, limit=len(batch), only_ids=batch)
            except Exception as exc:  # noqa: BLE001 - the rows stay pending for `send-mail`
                log.warning(
                    "mail: background send failed (%s); mail stays queued", type(exc).__name__
                )
            finally:
                with self._changed:
                    self._busy = False
                    self._changed.notify_all()


def background_sender(app: Flask) -> BackgroundSender:
    """Return this process's sender of `app`, starting it (again after a fork) when needed."""
    sender: BackgroundSender | None = app.extensions.get(SENDER_EXTENSION)
    if sender is None or sender.pid != os.getpid():
        # A forked worker inherits the object but not the thread: start its own.
        sender = app.extensions[SENDER_EXTENSION] = BackgroundSender(app)
    return sender


def send_soon(app: Flask, message_ids: Iterable[int]) -> bool:
    """Hand committed messages to the background sender; False when inline sending is off."""
    if not settings_of(app).mail_send_inline:
        return False
    background_sender(app).add(message_ids)
    return True


def wait_idle(app: Flask, timeout: float = 30.0) -> bool:
    """Wait until the background sender tried everything handed to it (tests, the demo)."""
    sender: BackgroundSender | None = app.extensions.get(SENDER_EXTENSION)
    return sender is None or sender.wait_idle(timeout)
