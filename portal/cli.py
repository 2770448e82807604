"""`portal` command line: the Flask CLI of the portal app plus its own commands.

Each area registers its commands from its own module (`register_commands(group)`), so this file
only lists them.
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup

from portal import accounts, audit, create_app, db, keys, mail, reminders, retention


def _create_app() -> Flask:
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """Seloste request portal: intake, staff queue, mail, audit and retention."""


db.register_commands(main)
mail.register_commands(main)
audit.register_commands(main)
retention.register_commands(main)
reminders.register_commands(main)
accounts.register_commands(main)
keys.register_commands(main)
