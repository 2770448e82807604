"""`portal backup` and `portal restore`: command-line adapters over `portal.core.backup`.

Neither builds the app: a restore target has no keys yet, and a backup needs only the settings.
The passphrase that encrypts the instance keys comes from `PORTAL_BACKUP_PASSPHRASE` (or the
setting in `portal.toml`), else a prompt.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from portal import config
from portal.cli import chosen_instance


def _passphrase(settings: dict[str, Any], *, confirm: bool) -> str:
    given = settings.get("BACKUP_PASSPHRASE")
    if given:
        return str(given)
    return str(
        click.prompt(
            "Passphrase for the instance keys", hide_input=True, confirmation_prompt=confirm
        )
    )


def counted(count: int, one: str, many: str) -> str:
    """Return "1 request" or "2 requests": the count with its word."""
    return f"{count} {one if count == 1 else many}"


def _contents(report: Any) -> str:
    return ", ".join(
        [
            counted(report.requests, "request", "requests"),
            counted(report.attachments, "file", "files"),
            counted(report.audit_events, "audit event", "audit events"),
        ]
    )


def register_commands(group: click.Group) -> None:
    """Add `backup` and `restore` to the portal command group."""

    @group.command("backup", with_appcontext=False)  # type: ignore[call-arg,attr-defined]
    @click.option(
        "--out",
        "out",
        type=click.Path(dir_okay=False, path_type=Path),
        required=True,
        help="The backup file to write (a tar file).",
    )
    @click.option("--instance", type=click.Path(file_okay=False, path_type=Path), default=None)
    def backup_command(out: Path, instance: Path | None) -> None:
        """Write the database, the encrypted files and the keys (encrypted) to one file."""
        from portal.core import backup

        folder = chosen_instance(instance)
        settings = config.load_settings(folder)
        try:
            report = backup.write_backup(
                out,
                instance=folder,
                database_url=settings["DATABASE_URL"],
                signing_key_file=settings["SIGNING_KEY_FILE"],
                passphrase=_passphrase(settings, confirm=True),
                master_key=settings.get("MASTER_KEY"),
            )
        except backup.BackupError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(
            f"backup: {report.path} ({report.database}; {_contents(report)}; keys encrypted)"
        )

    @group.command("restore", with_appcontext=False)  # type: ignore[call-arg]
    @click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--instance", type=click.Path(file_okay=False, path_type=Path), default=None)
    def restore_command(source: Path, instance: Path | None) -> None:
        """Bring a backup back into an empty instance folder and an empty database."""
        from portal.core import backup

        folder = chosen_instance(instance)
        settings = config.load_settings(folder)
        try:
            report = backup.restore_backup(
                source,
                instance=folder,
                database_url=settings["DATABASE_URL"],
                passphrase=_passphrase(settings, confirm=False),
            )
        except backup.BackupError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(
            f"restored into {folder}: {_contents(report)}. "
            f"Check it: portal --instance {folder} audit verify"
        )
