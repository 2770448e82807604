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

from portal import cli_backup, config, create_app, db
from portal.core import accounts, audit, files, keys, notify, reminders, retention, seal


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
    default=None,
    help="Instance folder to prepare (default: PORTAL_INSTANCE_PATH, else instance/).",
)
@click.option(
    "--signing-key",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Private key from `portal keys export --private` of an instance on the same database.",
)
def init_command(instance: Path | None, signing_key: Path | None) -> None:
    """Prepare an instance: secret, signing and file keys (0600), database; print next steps."""
    instance = config.instance_path(instance)
    created = config.write_secret_key(instance)
    kept = instance / config.SECRET_KEY_FILE
    click.echo(f"secret key: {created}" if created else f"secret key: {kept} (kept)")
    settings = config.load_settings(instance)
    key_path = instance / settings["SIGNING_KEY_FILE"]
    existed = key_path.is_file()
    if signing_key is not None:
        try:
            keys.import_key(instance, settings["SIGNING_KEY_FILE"], signing_key.read_bytes())
        except ValueError as exc:
            raise click.ClickException(f"{signing_key}: {exc}") from None
    # Upgraded before the app is made: the app's start compares keys with the database.
    db.upgrade(settings["DATABASE_URL"])
    try:
        app = create_app({"INSTANCE_PATH": str(instance)})
    except config.ConfigurationError as exc:
        raise click.ClickException(str(exc)) from None
    key = seal.app_key(app)
    how = "imported" if signing_key is not None else "kept" if existed else "created"
    click.echo(f"signing key: {key_path} ({key.key_id}, {how}), recorded in the database")
    file_keys = files.load_keys(app.instance_path)
    click.echo(f"file key: {Path(app.instance_path) / files.KEYS_DIR} ({file_keys.current})")
    click.echo(f"database: {_safe_url(app.config['DATABASE_URL'])} (upgraded)")
    app.extensions["db_engine"].dispose()
    click.echo(
        "\nNext steps:\n"
        "  portal staff add USERNAME --name 'Full Name' --role admin   # the first admin\n"
        "  portal keys export --site SITE_DIR               # publish the public key\n"
        "  portal keys export --private --out key.pem       # for another instance's init\n"
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
files.register_commands(main)
cli_backup.register_commands(main)
