"""`portal keys export|show|rotate|rotate-oidc|import` and `portal verify-receipt`."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from portal.cli import chosen_instance


def _app() -> Flask:
    return current_app._get_current_object()  # type: ignore[attr-defined,no-any-return]


def register_commands(group: click.Group) -> None:
    """Add `keys export|show|rotate|rotate-oidc|import` and `verify-receipt` to the portal
    command group."""
    keys_group = AppGroup("keys", help="The receipt-signing key.")

    @keys_group.command("export")
    @click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="PEM file.")
    @click.option(
        "--site",
        type=click.Path(file_okay=False, path_type=Path),
        help="Built notice site: writes .well-known/seloste/receipt-key.pem in it.",
    )
    @click.option(
        "--private",
        is_flag=True,
        help="Write the private key (0600) to --out, for `keys import` on another instance.",
    )
    def export_command(out: Path | None, site: Path | None, private: bool) -> None:
        """Write the public key (PEM) that verifies receipts, or with --private the signing key."""
        from portal.core import seal
        from portal.core.keys import export_public_key, private_pem, write_private

        app = _app()
        if out is None and site is None:
            raise click.UsageError("give --out PATH or --site DIR")
        if private:
            if out is None or site is not None:
                raise click.UsageError("--private writes to --out PATH only")
            try:
                write_private(out, private_pem(app))
            except FileExistsError:
                raise click.UsageError(f"{out} exists; give a new file") from None
            click.echo(f"private signing key {seal.app_key(app).key_id} written to {out} (0600)")
            click.echo("Copy it to the other instance, `portal keys import` it there, delete it.")
            return
        if out is not None:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(seal.app_key(app).public_pem())
            click.echo(f"public key {seal.app_key(app).key_id} written to {out}")
        if site is not None:
            path = export_public_key(app, site)
            click.echo(f"public key {seal.app_key(app).key_id} written to {path}")

    @keys_group.command("show")
    def show_command() -> None:
        """Print the key id and the public key (creating the key pair if there is none)."""
        from portal.core import seal
        from portal.core.keys import public_keys

        app = _app()
        key = seal.app_key(app)
        click.echo(f"key id {key.key_id} ({seal.ALGORITHM})")
        retired = [key_id for key_id in public_keys(app) if key_id != key.key_id]
        if retired:
            click.echo(f"retired keys still accepted: {', '.join(retired)}")
        click.echo(key.public_pem().decode("ascii"), nl=False)

    @keys_group.command("rotate")
    @click.confirmation_option(prompt="Replace the signing key? Old receipts stay verifiable.")
    def rotate_command() -> None:
        """Replace the signing key; the old public key stays accepted for old receipts."""
        from portal.core.keys import rotate_key

        old, new = rotate_key(_app())
        click.echo(f"retired key {old}; new key {new}.")
        click.echo("The retired public key is kept in the database: every instance verifies")
        click.echo("receipts signed with it. Copy the new key to the other instances (keys export")
        click.echo("--private, keys import --replace), restart them, then publish the keys again")
        click.echo("(keys export --site).")

    @keys_group.command("rotate-oidc")
    def rotate_oidc_command() -> None:
        """Add new OpenID Connect client keys; the old stay published for the overlap."""
        from portal.core.identity import keys as client_keys

        app = _app()
        overlap = dt.timedelta(days=app.config["OIDC_KEY_OVERLAP_DAYS"])
        published = client_keys.rotate(app.instance_path, overlap).entries
        current = [e["kid"] for e in published if "retired" not in e]
        click.echo(f"new signing and encryption keys: {', '.join(current)}")
        click.echo(
            f"{len(published) - len(current)} older keys stay in /.well-known/jwks.json until "
            f"{overlap.days} days after their rotation."
        )

    @keys_group.command("import", with_appcontext=False)
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option(
        "--instance",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Instance folder (default: the portal's instance folder).",
    )
    @click.option(
        "--replace",
        is_flag=True,
        help="Replace this folder's key (after `keys rotate` elsewhere); its public half is kept.",
    )
    def import_command(file: Path, instance: Path | None, replace: bool) -> None:
        """Install the signing key exported from another instance (`keys export --private`)."""
        from portal.config import load_settings
        from portal.core import paths
        from portal.core.keys import import_key

        folder = chosen_instance(instance)  # the folder every other command uses
        filename = load_settings(folder)["SIGNING_KEY_FILE"]
        try:
            key = import_key(folder, filename, file.read_bytes(), replace=replace)
        except ValueError as exc:
            raise click.ClickException(f"{file}: {exc}") from None
        target = paths.signing_key_path(folder, filename)
        click.echo(f"signing key {key} installed in {target} (0600)")

    group.add_command(keys_group)

    @group.command("verify-receipt")
    @click.argument("file", type=click.File("rb"))
    @click.option(
        "--key",
        "key_file",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="Public key PEM (default: the key the receipt names, if it is this instance's).",
    )
    @with_appcontext
    def verify_receipt_command(file: Any, key_file: Path | None) -> None:
        """Check a receipt: its PDF or its JSON (FILE, or - for standard input).

        Prints AUTHENTIC (exit 0), INVALID (exit 1) or NOT A RECEIPT (exit 2) with the reason.
        """
        from portal.core import receipt_file
        from portal.core.keys import check_receipt_file, instance_public_key

        app = _app()
        if key_file is None and instance_public_key(app) is None:
            raise click.UsageError("this instance has no signing key; give --key PEM")
        raw = file.read(receipt_file.MAX_PDF_BYTES + 1)
        pem = key_file.read_bytes() if key_file is not None else None
        lines, code = check_receipt_file(app, raw, pem)
        for line in lines:
            click.echo(line)
        sys.exit(code)
