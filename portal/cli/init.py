"""`portal init`: prepare an instance before any app can start."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from portal.cli import chosen_instance


@click.command("init")
@click.option(
    "--instance",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Instance folder to prepare (default: portal --instance, PORTAL_INSTANCE_PATH).",
)
@click.option(
    "--signing-key",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Private key from `portal keys export --private` of an instance on the same database.",
)
@click.option(
    "--master-key",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The instance/master-key file of an instance on the same database.",
)
def init_command(instance: Path | None, signing_key: Path | None, master_key: Path | None) -> None:
    """Prepare an instance: secret, signing and master keys (0600), database; print next steps."""
    from portal import config, create_app, db
    from portal.core import filekeys, files, keys, paths, seal

    instance = chosen_instance(instance)
    if master_key is not None:
        text = master_key.read_text(encoding="ascii", errors="replace")
        try:
            filekeys.parse_master_key(text, str(master_key))
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
        target = paths.master_key_path(instance)
        if filekeys.write_master_key(instance, text.strip()) is None:
            if target.read_text(encoding="ascii").strip() != text.strip():
                raise click.ClickException(f"{target} holds another master key; move it away")

    created = config.write_secret_key(instance)
    kept = instance / config.SECRET_KEY_FILE
    click.echo(f"secret key: {created}" if created else f"secret key: {kept} (kept)")
    settings = config.load_settings(instance)
    key_path = paths.signing_key_path(instance, settings["SIGNING_KEY_FILE"])
    existed = key_path.is_file()
    if signing_key is not None:
        try:
            keys.import_key(instance, settings["SIGNING_KEY_FILE"], signing_key.read_bytes())
        except ValueError as exc:
            raise click.ClickException(f"{signing_key}: {exc}") from None
    # Upgraded before the app is made: the app's start compares keys with the database.
    db.upgrade(settings["DATABASE_URL"])
    try:
        app = create_app({"INSTANCE_PATH": str(instance), "WARM_UP": False})
    except config.ConfigurationError as exc:
        raise click.ClickException(str(exc)) from None
    key = seal.app_key(app)
    how = "imported" if signing_key is not None else "kept" if existed else "created"
    click.echo(f"signing key: {key_path} ({key.key_id}, {how}), recorded in the database")
    keyring = files.app_keys(app)
    master = "PORTAL_MASTER_KEY" if app.config.get("MASTER_KEY") else filekeys.MASTER_KEY_FILE
    click.echo(
        f"file keys: wrapped by generation g{keyring.current_generation()} in the database, "
        f"itself wrapped by the master key ({master}; the same on every instance)"
    )
    click.echo(f"database: {_safe_url(app.config['DATABASE_URL'])} (upgraded)")
    app.extensions["db_engine"].dispose()
    click.echo(
        "\nNext steps (with this instance folder in PORTAL_INSTANCE_PATH, or --instance):\n"
        f"  export PORTAL_INSTANCE_PATH={instance}\n"
        "  portal staff add USERNAME --name 'Full Name' --role admin   # the first admin\n"
        "  portal keys export --site SITE_DIR               # publish the public key\n"
        "  portal keys export --private --out key.pem       # for another instance's init,\n"
        "      with master-key: portal init --signing-key key.pem --master-key master-key\n"
        "  gunicorn 'portal:create_app()'                   # serve the portal behind HTTPS\n"
        "  portal send-mail --loop; daily: portal remind, portal purge, portal backup\n"
        f"Settings: {instance / config.SETTINGS_FILE} or PORTAL_* variables "
        "(docs/portal-settings.md); deployment: docs/deploy.md."
    )


def _safe_url(url: Any) -> str:
    """Return a database URL without its password, for printing."""
    from sqlalchemy.engine import make_url

    return make_url(str(url)).render_as_string(hide_password=True)


def register_commands(group: click.Group) -> None:
    """Add `init` to the portal command group (it runs without an app: it makes the first)."""
    group.add_command(init_command)
