"""`portal remind`: e-mail handlers their requests due soon or overdue."""

from __future__ import annotations

import click
from flask import current_app


def register_commands(group: click.Group) -> None:
    """Add `remind` to the portal command group."""

    @group.command("remind")
    @click.option(
        "--within",
        type=click.IntRange(min=0),
        default=None,
        help="Days ahead to look (default REMIND_WITHIN_DAYS).",
    )
    @click.option(
        "--language",
        type=click.Choice(["fi", "en", "sv"]),
        default=None,
        help="Language of every reminder (default: each reader's own, the language of the staff "
        "pages they last used; Finnish for one who never signed in).",
    )
    def remind_command(within: int | None, language: str | None) -> None:
        """E-mail each handler their requests due soon or overdue; unassigned ones to admins."""
        from portal.core.reminders import remind
        from portal.db import get_session

        days = within if within is not None else int(current_app.config["REMIND_WITHIN_DAYS"])
        session = get_session()
        report = remind(session, within=days, language=language)
        session.commit()
        click.echo(
            f"queued {report.messages} reminder(s) listing {report.requests} request(s) "
            f"due within {days} days or overdue; send them with `portal send-mail`"
        )
