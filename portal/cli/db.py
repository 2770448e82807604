"""`portal db upgrade`: the database schema."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup


def register_commands(group: click.Group) -> None:
    """Add `db upgrade` to the portal command group."""
    db_group = AppGroup("db", help="Database schema.")

    @db_group.command("upgrade")
    def upgrade_command() -> None:
        """Upgrade the database to the newest schema."""
        from portal.db import upgrade

        upgrade(current_app.config["DATABASE_URL"])
        click.echo("database is up to date")

    group.add_command(db_group)
