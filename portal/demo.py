"""`make run`: the whole product on http://127.0.0.1:8000, from an empty checkout.

Builds the notice site from `content/` (its URLs pointed at this machine), prepares the instance
folder (database, secret key, signing key, first admin), publishes the public key with the site,
starts a local SMTP sink on 127.0.0.1:8025 whose mail is listed at `/requests/dev/mail`, mounts a
development OpenID Provider at `/requests/dev/idp` (`portal.dev_identity`, made-up people) for the
register whose access requests need strong identification, and
serves the site and the portal from one origin. Both ports are flags (`--port`, `--smtp-port`;
`make run PORT=… SMTP_PORT=…`), checked before anything is built. Everything here is for a
demonstration on loopback only: the mailbox route exists only in this process, and session
cookies drop `Secure` because the demo speaks plain HTTP. Production runs `portal:create_app()`
under gunicorn behind HTTPS (see README). The first admin's one-time password is printed last,
framed, once the server listens, so it is not scrolled away.
"""

from __future__ import annotations

import argparse
import datetime as dt
import email
import email.policy
import email.utils
import errno
import re
import shutil
import signal
import socket
import sys
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import yaml
from aiosmtpd.controller import Controller
from babel.dates import format_timedelta
from flask import Blueprint, Flask, Response, abort, render_template
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select
from werkzeug.serving import BaseWSGIServer

from notice.i18n import locale_of
from notice.loader import ContentError
from portal import config, create_app, db, dev_identity
from portal.core import mail, notify
from portal.core.models import OutboxMessage
from portal.core.paths import ROOT
from portal.dev_server import make_dev_server
from portal.web import attachments, i18n

HOST = "127.0.0.1"
PORT = 8000
SMTP_PORT = 8025
MAILBOX_LIMIT = 200
SEND_INTERVAL = 5
"""Seconds between the demo's rounds of sending the outbox (the mailbox page says it)."""


class PortBusy(RuntimeError):
    """A port the demo needs is taken; the message says which and how to pick another."""


def can_bind(port: int) -> bool:
    """Return whether `port` on HOST can be bound now."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError as exc:
            if exc.errno not in {errno.EADDRINUSE, errno.EACCES}:
                raise
            return False
    return True


@dataclass(frozen=True)
class PortUse:
    """A port the demo listens on, what for, and the flag and `make` variable that change it."""

    port: int
    what: str
    flag: str
    variable: str


def check_ports(uses: list[PortUse]) -> None:
    """Raise PortBusy naming every port of `uses` that cannot be bound now, in one message.

    One at a time, a person frees the web port only to be told on the next run that the SMTP
    sink's port is taken too.
    """
    busy = [use for use in uses if not can_bind(use.port)]
    if busy:
        raise PortBusy(busy_ports_message(busy, frozenset(use.port for use in uses)))


def busy_ports_message(busy: list[PortUse], avoid: frozenset[int] = frozenset()) -> str:
    """Return what to say when the ports of `busy` are taken, with one way out for all of them.

    Each suggestion is free now, not in `avoid` and not another's suggestion.
    """
    if len(busy) == 1:
        use = busy[0]
        return busy_message(use.port, use.what, use.flag, use.variable, avoid)
    names = " and ".join(f"{use.port} ({use.what})" for use in busy)
    said = f"ports {names} on {HOST} are in use, perhaps by another `make run`. "
    taken = set(avoid) | {use.port for use in busy}
    chosen: list[tuple[PortUse, int]] = []
    for use in busy:
        other = free_port_after(use.port, frozenset(taken))
        if other is None:
            variables = " ".join(f"{use.variable}=…" for use in busy)
            flags = " ".join(f"{use.flag} …" for use in busy)
            return said + f"Choose other free ports: `make run {variables}` or `{flags}`."
        taken.add(other)
        chosen.append((use, other))
    variables = " ".join(f"{use.variable}={other}" for use, other in chosen)
    flags = " ".join(f"{use.flag} {other}" for use, other in chosen)
    return said + f"Choose others: `make run {variables}` or `python -m portal.demo {flags}`."


def free_port_after(port: int, avoid: frozenset[int] = frozenset(), tries: int = 100) -> int | None:
    """Return the first port above `port` that is not in `avoid` and can be bound now."""
    for candidate in range(port + 1, min(port + 1 + tries, 65536)):
        if candidate not in avoid and can_bind(candidate):
            return candidate
    return None


def busy_message(
    port: int, what: str, flag: str, variable: str, avoid: frozenset[int] = frozenset()
) -> str:
    """Return what to say when `port` is taken, with a way out that is free now (not in `avoid`)."""
    said = f"port {port} on {HOST} ({what}) is in use, perhaps by another `make run`. "
    other = free_port_after(port, avoid | {port})
    if other is None:
        return said + f"Choose another free port: `make run {variable}=…` or `{flag} …`."
    return (
        said + f"Choose another: `make run {variable}={other}` or "
        f"`python -m portal.demo {flag} {other}`."
    )


def base_url(port: int) -> str:
    """Return the demo's address for `port`."""
    return f"http://{HOST}:{port}"


RESET_COMMAND = ".venv/bin/portal staff reset-password admin"


def password_banner(password: str | None) -> str:
    """Return the first admin's one-time password, or how to get one, framed."""
    if password is None:  # a second `make run`: the account exists, its password was shown once
        lines = [
            "Staff account: user `admin` (made at the first `make run`).",
            "Its password is not shown again. For a new one-time password run",
            f"    {RESET_COMMAND}",
        ]
    else:
        lines = [
            "First staff account: user `admin`, one-time password (shown only now):",
            "",
            f"    {password}",
            "",
            "You choose a new password at the first login. Lost it? Run",
            f"    {RESET_COMMAND}",
        ]
    width = max(len(line) for line in lines)
    rule = "+" + "-" * (width + 4) + "+"
    return "\n".join([rule, *(f"|  {line.ljust(width)}  |" for line in lines), rule])


_URL = re.compile(r"(https?://[^\s<>\"]*[^\s<>\".,;:!?)\]])")
"""An address in a line of text, without the sentence's punctuation after it."""


@dataclass
class StoredMail:
    """A message the demo's SMTP sink received."""

    number: int
    message: EmailMessage

    @property
    def text(self) -> str:
        """Return the plain-text body."""
        body = self.message.get_body(preferencelist=("plain",))
        return body.get_content() if body is not None else ""

    @property
    def text_lines(self) -> list[list[tuple[str, bool]]]:
        """Return the plain-text body's lines as (text, is an address) pieces, so the mailbox
        links an address wherever it stands in a line ("Signed receipt as JSON: https://…"),
        as the HTML part does."""
        return [
            [(piece, bool(index % 2)) for index, piece in enumerate(_URL.split(line)) if piece]
            for line in self.text.splitlines()
        ]

    @property
    def attachments(self) -> list[str]:
        """Return the attachment file names."""
        return [part.get_filename() or "" for part in self.message.iter_attachments()]

    @property
    def sent_at(self) -> dt.datetime | None:
        """Return the message's Date, or None when it has none that can be read."""
        try:
            return email.utils.parsedate_to_datetime(self.message["Date"])
        except (TypeError, ValueError):
            return None

    def attachment(self, index: int) -> tuple[str, str, bytes] | None:
        """Return attachment `index` as (file name, content type, bytes), or None."""
        parts = list(self.message.iter_attachments())
        if not 0 <= index < len(parts):
            return None
        part = parts[index]
        return part.get_filename() or "", part.get_content_type(), part.get_payload(decode=True)


OPENED_INLINE = frozenset(
    {"application/pdf", "application/json", "text/plain", "text/csv", "image/png", "image/jpeg"}
)
"""Attachment types a browser shows itself (a letter PDF opens); others are downloaded."""


class Mailbox:
    """aiosmtpd handler keeping the newest messages in memory and as .eml files."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self.messages: list[StoredMail] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            number = (self.messages[-1].number + 1) if self.messages else 1
            self.messages.append(StoredMail(number, message))  # type: ignore[arg-type]
            del self.messages[:-MAILBOX_LIMIT]
        (self.directory / f"{number:05d}.eml").write_bytes(envelope.content)
        return "250 Message accepted for delivery"

    def newest_first(self) -> list[StoredMail]:
        """Return the stored messages, newest first."""
        with self.lock:
            return list(reversed(self.messages))

    def get(self, number: int) -> StoredMail | None:
        """Return message `number`, or None when it is not (or no longer) kept."""
        with self.lock:
            return next((m for m in self.messages if m.number == number), None)


def mailbox_blueprint(mailbox: Mailbox) -> Blueprint:
    """Return the demo-only blueprint listing the SMTP sink's mail."""
    bp = Blueprint("demo", __name__)

    @bp.get("/dev/mail")
    def mail_list() -> ResponseReturnValue:
        """List the mail the demo's SMTP sink received, newest first, and say how many messages
        wait in the outbox (queued, not yet sent) and when the demo sends them."""
        lang = i18n.current_language()
        return render_template(
            "portal/demo/mail.html",
            messages=mailbox.newest_first(),
            waiting=waiting_mail(),
            interval=SEND_INTERVAL,
            # A failed send waits `mail.backoff(attempts)`: doubling from the first wait.
            first_wait=retry_wait(mail.BACKOFF_BASE, lang),
            longest_wait=retry_wait(mail.BACKOFF_MAX, lang),
        )

    @bp.get("/dev/mail/<int:number>/attachments/<int:index>")
    def mail_attachment(number: int, index: int) -> ResponseReturnValue:
        """Open an attachment of a received message: its type, under its own file name."""
        stored = mailbox.get(number)
        found = stored.attachment(index) if stored is not None else None
        if found is None:
            abort(404)
        filename, content_type, data = found
        kind = "inline" if content_type in OPENED_INLINE else "attachment"
        response = Response(data, mimetype=content_type)
        response.headers["Content-Disposition"] = attachments.disposition(filename, kind)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "no-store"
        return response

    return bp


def retry_wait(wait: dt.timedelta, lang: str) -> str:
    """Return a wait between sends as the page's language says it ("1 minuutti", "6 timmar")."""
    return format_timedelta(wait, format="long", locale=locale_of(lang))


def waiting_mail() -> int:
    """Return how many e-mails the outbox holds unsent: queued, or held for their letter's PDF."""
    count = select(func.count()).where(OutboxMessage.status.in_(("pending", "held")))
    return db.get_session().scalar(count.select_from(OutboxMessage)) or 0


def demo_content(content_dir: Path, instance: Path, base_url: str = base_url(PORT)) -> Path:
    """Copy the content with its site and portal URLs pointed at `base_url` (this machine)."""
    target = instance / "demo-content"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(content_dir, target)
    site_file = target / "site.yaml"
    site = yaml.safe_load(site_file.read_text(encoding="utf-8"))
    site["base_url"] = f"{base_url}/"
    site["portal_url"] = f"{base_url}/requests/"
    for cookie in site.get("cookies") or []:
        # Plain HTTP: the portal's session cookie is `session`, as `__Host-` needs HTTPS
        # (portal/web/security.py), and the demo's cookie list names the cookie it sets.
        if cookie.get("name") == "__Host-session":
            cookie["name"] = "session"
    site_file.write_text(
        yaml.safe_dump(site, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return target


def build_site(content_dir: Path, out_dir: Path) -> None:
    """Build the notice site with PDFs; without them only if PDF rendering fails."""
    from notice.build import build_site as build
    from notice.pdf import stop_workers

    try:
        report = build(content_dir, out_dir, pdf=True)
    except (OSError, RuntimeError, ValueError) as exc:
        print(f"PDF build failed ({type(exc).__name__}: {exc}); building without PDFs")
        report = build(content_dir, out_dir, pdf=False)
    finally:
        stop_workers()  # the demo builds once: no PDF processes idle beside the server
    print(report.line())
    # As `notice build` says it: the shipped content has warnings (no business id, no postcode)
    # that whoever adapts it should see before anything else.
    found = report.findings_line()
    if found:
        print(found)


def prepare(
    content_dir: Path,
    out_dir: Path,
    instance: Path,
    *,
    port: int = PORT,
    smtp_port: int = SMTP_PORT,
) -> tuple[Flask, str | None]:
    """Build the site, set up the instance folder; return the app and a new admin's password."""
    url = base_url(port)
    content = demo_content(content_dir, instance, url)
    build_site(content, out_dir)
    created = config.write_secret_key(instance)
    if created is not None:
        print(f"created {created}")
    settings = {
        "INSTANCE_PATH": str(instance),
        "CONTENT_DIR": str(content),
        "SITE_DIR": str(out_dir.resolve()),
        "PUBLIC_URL": url,
        "MAIL_SERVER": HOST,
        "MAIL_PORT": smtp_port,
        "MAIL_USE_TLS": False,
        "MAIL_SEND_INLINE": True,
        # Plain HTTP on loopback: a Secure cookie would never come back.
        "SECURE_COOKIES": False,
        # Strong identification through the development provider mounted in main().
        **dev_identity.demo_settings(url),
    }
    # Upgraded first: the app's start compares its signing key with the one the database records.
    db.upgrade(config.load_settings(instance, settings).database_url or "")
    app = create_app(settings)
    from portal.core import accounts, keys

    key_path = keys.export_public_key(app, out_dir)
    print(f"public key published at {key_path}")
    with app.app_context():
        password = accounts.ensure_first_admin(db.get_session())
    return app, password


def send_loop(app: Flask, stop: threading.Event, interval: float = SEND_INTERVAL) -> None:
    """Retry queued mail every few seconds (what `portal send-mail --loop` does)."""
    while not stop.wait(interval):
        try:
            notify.deliver_letters(db.session_factory(app))
            mail.send_pending(app)
        except Exception as exc:  # noqa: BLE001 - the demo keeps serving; the log says why
            print(f"send-mail: {type(exc).__name__}", file=sys.stderr)


def _shown(path: Path) -> str:
    """Return `path` relative to the working directory when it lies below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _taken_while_building(
    busy: list[PortUse], avoid: frozenset[int], password: str | None, error: OSError
) -> int:
    """Say which ports were taken after the first check, and return the exit status 2."""
    print("\n" + password_banner(password) + "\n", flush=True)  # made now: shown once
    print(f"make run: {busy_ports_message(busy, avoid)} ({error.strerror})", file=sys.stderr)
    return 2


def _stop_on_signal(_signum: int, _frame: Any) -> None:
    """Turn SIGTERM (`kill`, a terminal closing `make run`) into what Ctrl+C raises."""
    raise KeyboardInterrupt


def _content_errors(content_dir: Path, exc: Exception) -> int:
    """Print what is wrong in the content as `notice build` says it and return 1.

    The demo builds a copy whose site.yaml it rewrites, so the errors are those of loading
    `content_dir` itself: the lines of the files the person edits, not of the copy.
    """
    from notice.load_messages import closing_line
    from notice.loader import load_content

    try:
        load_content(content_dir)
    except ContentError as found:
        for error in found.errors:
            print(error, file=sys.stderr)
        print(closing_line(len(found.errors), None, writes=True), file=sys.stderr)
        return 1
    raise exc  # wrong only in the demo's copy: not the content's own mistake


def main(argv: list[str] | None = None) -> int:
    """Prepare everything and serve the demo until interrupted; 2 when a port is taken."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument(
        "--out",
        type=Path,
        help="where the demo's copy of the site goes (default: INSTANCE/demo-site; not site/, "
        "which `make build` writes for publishing: the demo's links point to this machine)",
    )
    # Never PORTAL_INSTANCE_PATH: the demo writes made-up requests and accounts into its folder.
    parser.add_argument("--instance", type=Path, default=config.DEFAULT_INSTANCE)
    parser.add_argument("--port", type=int, default=PORT, help="web port (default 8000)")
    parser.add_argument(
        "--smtp-port", type=int, default=SMTP_PORT, help="SMTP sink port (default 8025)"
    )
    args = parser.parse_args(argv)
    args.instance = config.instance_path(args.instance)
    args.out = args.out or args.instance / "demo-site"
    if args.port == args.smtp_port:
        print(
            f"make run: PORT and SMTP_PORT are both {args.port}; give two ports.", file=sys.stderr
        )
        return 2
    web = PortUse(args.port, "web", "--port", "PORT")
    sink = PortUse(args.smtp_port, "SMTP sink", "--smtp-port", "SMTP_PORT")
    try:
        check_ports([web, sink])
    except PortBusy as exc:
        print(f"make run: {exc}", file=sys.stderr)
        return 2

    # `kill` (SIGTERM) ends the demo as Ctrl+C does: the `finally` below and the exit hooks run,
    # which stop the SMTP sink and any PDF worker processes; "stopped" and exit status 0, not
    # 143, which `make` reports as an error.
    signal.signal(signal.SIGTERM, _stop_on_signal)
    try:
        app, password = prepare(
            args.content, args.out, args.instance, port=args.port, smtp_port=args.smtp_port
        )
    except KeyboardInterrupt:  # stopped while the site was built: no traceback either
        print("Demo stopped.", flush=True)
        return 0
    except (ContentError, yaml.YAMLError) as exc:
        return _content_errors(args.content, exc)
    try:
        # Listening from here on; served below, after the lines that say where.
        server = make_dev_server(HOST, args.port, app)
    except OSError as exc:  # taken while the site was built; the SMTP sink's port too?
        busy = [web] if can_bind(sink.port) else [web, sink]
        return _taken_while_building(busy, frozenset({web.port, sink.port}), password, exc)
    mailbox = Mailbox(args.instance / "demo-mail")
    settings = config.settings_of(app)
    app.register_blueprint(mailbox_blueprint(mailbox), url_prefix=settings.url_prefix)
    dev_identity.mount_in_demo(app)
    smtp = Controller(mailbox, hostname=HOST, port=args.smtp_port)
    try:
        smtp.start()
    except OSError as exc:  # the SMTP sink's port was taken while the site was built
        server.server_close()
        return _taken_while_building([sink], frozenset({web.port, sink.port}), password, exc)
    stop = threading.Event()
    # From here on a Ctrl+C at any moment, even while the lines below are printed (a busy
    # machine can pause this process right after the frame, when the user already sees it),
    # goes through the `finally` that closes the server and stops the SMTP sink.
    try:
        _announce_and_serve(app, server, settings, args, password, stop)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        stop.set()
        smtp.stop()
        time.sleep(0.1)
    print("Demo stopped.", flush=True)
    return 0


def _announce_and_serve(
    app: Flask,
    server: BaseWSGIServer,
    settings: config.Settings,
    args: argparse.Namespace,
    password: str | None,
    stop: threading.Event,
) -> None:
    """Start the outbox loop, print where everything is (the staff login last) and serve."""
    threading.Thread(target=send_loop, args=(app, stop), daemon=True).start()

    url = base_url(args.port)
    prefix = settings.url_prefix
    print("Notice:  SECURE_COOKIES is off: the demo serves plain HTTP on 127.0.0.1 only.")
    print("         In production run gunicorn behind HTTPS: README.md, Deployment.")
    print(f"Site:    {url}/   (built into {_shown(args.out)}/; `make build` writes site/)")
    print(f"Portal:  {url}{prefix}/fi/")
    print(f"Staff:   {url}{prefix}/staff/")
    print(
        f"Identity: {settings.oidc_issuer}   (development provider, demo only; strong "
        f"identification for access requests at {url}{prefix}/en/new/access"
        "?register=tietosuojapyynnot)"
    )
    print(f"Mailbox: {url}{prefix}/dev/mail   (SMTP sink on {HOST}:{args.smtp_port})")
    print(
        f"Cookies: .venv/bin/notice scan --content {_shown(args.instance / 'demo-content')} "
        f"{url}/fi/cookie-settings/ {url}{prefix}/fi/new/access"
    )
    # Run as printed, the scan also lists declared cookies that these pages do not set: a
    # newcomer took that for "remove them" (issue 22's walkthrough). Say why before they run it.
    print(
        "         (compares what these pages store with the cookie list; cookies set elsewhere,"
        " such as Google Analytics on the company's own site or the staff sign-in, show as"
        " 'not seen': keep them)"
    )
    # Last, so it is not scrolled away by the lines above: the server already listens, and
    # serving prints nothing more until the first request (no Werkzeug start-up lines, which
    # `run_simple` would print after this frame).
    print("\n" + password_banner(password) + "\n", flush=True)
    # Not app.run: it silently does nothing when FLASK_RUN_FROM_CLI is set, which any
    # earlier `flask`/`portal` command in the same environment leaves behind.
    server.serve_forever()  # Ctrl+C ends it quietly


if __name__ == "__main__":  # pragma: no cover - `make run`
    sys.exit(main())
