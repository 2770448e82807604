"""`portal` command line: the Flask CLI of the portal app plus its own commands.

Each area registers its commands from its own module (`register_commands(group)`), so this file
only lists them, plus `init`, which prepares an instance before any app can start. Listing the
commands (`portal --help`) needs no configuration: the app is made only to run a command.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from flask import Flask
from flask.cli import FlaskGroup

from portal import config, create_app, db
from portal.core import accounts, audit, keys, notify, reminders, retention, seal
from portal.core.paths import ROOT

DEFAULT_INSTANCE = ROOT / "instance"
"""Flask's instance folder of the portal package (where `create_app` looks by default)."""


def _create_app() -> Flask:
    return create_app()


class PortalGroup(FlaskGroup):
    """The Flask CLI group, listing its commands without making the app first."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Return the portal's and Flask's own commands (every command is registered here)."""
        return sorted(click.Group.list_commands(self, ctx))


@click.group(cls=PortalGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """Seloste request portal: intake, staff queue, mail, audit and retention."""


@main.command("init", with_appcontext=False)
@click.option(
    "--instance",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_INSTANCE,
    show_default=True,
    help="Instance folder to prepare.",
)
def init_command(instance: Path) -> None:
    """Prepare an instance: secret key, signing key (both 0600), database; print next steps."""
    created = config.write_secret_key(instance)
    kept = instance / config.SECRET_KEY_FILE
    click.echo(f"secret key: {created}" if created else f"secret key: {kept} (kept)")
    app = create_app({"INSTANCE_PATH": str(instance)})
    key_path = Path(app.instance_path) / app.config["SIGNING_KEY_FILE"]
    existed = key_path.is_file()
    key = seal.app_key(app)
    click.echo(f"signing key: {key_path} ({key.key_id}{', kept' if existed else ''})")
    db.upgrade(app.config["DATABASE_URL"])
    click.echo(f"database: {_safe_url(app.config['DATABASE_URL'])} (upgraded)")
    click.echo(
        "\nNext steps:\n"
        "  portal staff add USERNAME --name 'Full Name' --role admin   # the first admin\n"
        "  portal keys export --site SITE_DIR               # publish the public key\n"
        "  gunicorn 'portal:create_app()'                   # serve the portal behind HTTPS\n"
        "  portal send-mail --loop; daily: portal remind, portal purge\n"
        "Settings: instance/portal.toml or PORTAL_* variables (docs/portal-settings.md)."
    )


def _safe_url(url: Any) -> str:
    """Return a database URL without its password, for printing."""
    from sqlalchemy.engine import make_url

    return make_url(str(url)).render_as_string(hide_password=True)


db.register_commands(main)
notify.register_commands(main)
audit.register_commands(main)
retention.register_commands(main)
reminders.register_commands(main)
accounts.register_commands(main)
keys.register_commands(main)
