"""`portal send-mail`: letters' PDFs, then the outbox over SMTP."""

from __future__ import annotations

import time

import click
from flask import current_app


def register_commands(group: click.Group) -> None:
    """Add `send-mail` (letters' PDFs, then the outbox) to the portal command group."""

    @group.command("send-mail")
    @click.option("--loop", is_flag=True, help="Keep sending every --interval seconds.")
    @click.option("--interval", default=5.0, show_default=True, help="Seconds between runs.")
    @click.option("--limit", default=100, show_default=True, help="Messages per run.")
    def send_mail_command(loop: bool, interval: float, limit: int) -> None:
        """Send queued e-mail over SMTP (retries with backoff; failed after MAIL_MAX_ATTEMPTS)."""
        from portal.core import mail
        from portal.core.notify import deliver_letters
        from portal.db import session_factory

        app = current_app._get_current_object()  # type: ignore[attr-defined]
        while True:
            # Letters whose PDF is still missing first: their e-mails wait for it.
            deliver_letters(session_factory(app))
            report = mail.send_pending(app, limit=limit)
            if report.sent or report.retrying or report.failed or not loop:
                click.echo(
                    f"sent {report.sent}, retrying {report.retrying}, failed {report.failed}"
                    + (" (SMTP server unreachable)" if report.unreachable else "")
                )
            if not loop:
                break
            time.sleep(interval)
