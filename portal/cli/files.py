"""`portal files rotate-key|status|move-to-db`: the encrypted attachments and their keys."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from flask import Flask, current_app

if TYPE_CHECKING:
    from portal.core import filekeys

BATCH = 200
"""`filekeys.BATCH` (tests/portal/test_cli_startup.py keeps them equal): `--batch`'s default,
named here so that `portal files --help` does not import the domain and SQLAlchemy."""


def _app() -> Flask:
    return current_app._get_current_object()  # type: ignore[attr-defined,no-any-return]


def _say_what_is_left(keyring: filekeys.Keyring) -> None:
    from portal.core import filekeys
    from portal.core.files import keys_left

    left = keys_left(keyring)
    for key_id, count in left.older.items():
        click.echo(
            f"still wrapped by {key_id}: {count} file key(s); kept until "
            "`portal files rotate-key --resume` re-wraps them"
        )
    if left.dropped:
        names = ", ".join(f"{filekeys.PREFIX}{g}" for g in left.dropped)
        click.echo(f"removed from the database, wrapping no file key: {names}")
    for key_id, count in left.legacy.items():
        if count:
            click.echo(
                f"{filekeys.LEGACY_KEYS_DIR}/{key_id}.key still wraps {count} file key(s): keep it"
            )
        else:
            click.echo(
                f"{filekeys.LEGACY_KEYS_DIR}/{key_id}.key wraps no file key any more and no "
                "instance wraps with it: it may be deleted after the backups that need it"
            )


def register_commands(group: click.Group) -> None:
    """Add `files rotate-key`, `files status` and `files move-to-db` to the portal commands."""

    @group.group("files")
    def files_group() -> None:
        """Encrypted attachments: where they are, what wraps their keys."""

    @files_group.command("rotate-key")
    @click.option("--batch", default=BATCH, show_default=True, help="Keys per commit.")
    @click.option(
        "--resume", is_flag=True, help="Re-wrap what is left without making a new generation."
    )
    def rotate_key_command(batch: int, resume: bool) -> None:
        """Record a new key-encryption key generation and re-wrap every file key with it.

        Running instances wrap new files with the new generation at once (no restart).
        """
        from portal.core import filekeys
        from portal.core.files import app_keys

        keyring = app_keys(_app())
        if resume:
            generation = keyring.current_generation()
            click.echo(f"current generation: {filekeys.PREFIX}{generation}")
        else:
            generation = keyring.add_generation()
            click.echo(
                f"new generation {filekeys.PREFIX}{generation} recorded in the database; "
                "running instances wrap new files with it from now on (no restart needed)"
            )
        done, left = 0, 0
        for done, left in filekeys.rewrap(keyring, batch=batch):
            click.echo(f"re-wrapped {done} file key(s), {left} left")
        click.echo(f"re-wrapped {done} file key(s) in all; {left} not on the current generation")
        _say_what_is_left(keyring)

    @files_group.command("status")
    def status_command() -> None:
        """Say where files are kept and which keys wrap their keys."""
        from portal.core import filekeys
        from portal.core.files import app_keys, app_store, legacy_store

        keyring = app_keys(_app())
        folder = legacy_store(_app().instance_path)
        click.echo(f"current generation: {filekeys.PREFIX}{keyring.current_generation()}")
        with keyring.sessions() as session:
            for key_id, count in sorted(filekeys.usage(session).items()):
                click.echo(f"{key_id}: wraps {count} file key(s)")
        click.echo(f"files in the database: {len(app_store(_app()).names())}")
        click.echo(f"files still in {folder.folder}: {len(folder.names())}")

    @files_group.command("move-to-db")
    def move_command() -> None:
        """Move the encrypted files of the instance folder into the database (kept encrypted)."""
        from portal.core.files import move_to_database

        moved = skipped = 0
        for name, was_moved in move_to_database(_app()):
            if was_moved:
                moved += 1
            else:
                skipped += 1
                click.echo(f"{name}: no attachment names it; left in the folder")
        click.echo(f"moved {moved} file(s) into the database; {skipped} left in the folder")
