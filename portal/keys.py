"""The receipt-signing key from the outside: publish its public half, check receipts offline.

The private key never leaves the instance folder. Its public half is published with the notice
site at `.well-known/seloste/receipt-key.pem` (`export_public_key`, used by `make run`), served by
the portal at `<URL_PREFIX>/receipt-key.pem`, and exported with `portal keys export`. Anyone holding
it can check a receipt with `portal verify-receipt`, without the portal's database.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from portal import seal

SITE_KEY_PATH = Path(".well-known") / "seloste" / "receipt-key.pem"
"""Where the public key lives inside the built notice site."""


def export_public_key(app: Flask, site_dir: Path | str) -> Path:
    """Write the app's public key to `<site_dir>/.well-known/seloste/receipt-key.pem`."""
    target = Path(site_dir) / SITE_KEY_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(seal.app_key(app).public_pem())
    return target


def instance_public_key(app: Flask) -> bytes | None:
    """Return the public key PEM of the app's existing signing key, or None if it has none."""
    path = Path(app.instance_path) / app.config["SIGNING_KEY_FILE"]
    if not path.is_file():
        return None
    return seal.app_key(app).public_pem()


def read_receipt(source: Any) -> Any:
    """Parse a receipt from an open text file; raise ValueError when it is not JSON."""
    try:
        return json.loads(source.read())
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValueError("the file is not JSON text") from exc


def register_commands(group: click.Group) -> None:
    """Add `keys export|show` and `verify-receipt` to the portal command group."""
    keys_group = AppGroup("keys", help="The receipt-signing key.")

    @keys_group.command("export")
    @click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="PEM file.")
    @click.option(
        "--site",
        type=click.Path(file_okay=False, path_type=Path),
        help="Built notice site: writes .well-known/seloste/receipt-key.pem in it.",
    )
    def export_command(out: Path | None, site: Path | None) -> None:
        """Write the public key (PEM) that verifies receipts; the private key stays put."""
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        if out is None and site is None:
            raise click.UsageError("give --out PATH or --site DIR")
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
        key = seal.app_key(current_app._get_current_object())  # type: ignore[attr-defined]
        click.echo(f"key id {key.key_id} ({seal.ALGORITHM})")
        click.echo(key.public_pem().decode("ascii"), nl=False)

    group.add_command(keys_group)

    @group.command("verify-receipt")
    @click.argument("file", type=click.File("r", encoding="utf-8"))
    @click.option(
        "--key",
        "key_file",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="Public key PEM (default: this instance's key).",
    )
    @with_appcontext
    def verify_receipt_command(file: Any, key_file: Path | None) -> None:
        """Check a receipt (FILE, or - for standard input): print OK or TAMPERED; exit 0 or 1."""
        if key_file is not None:
            pem = key_file.read_bytes()
        else:
            pem = instance_public_key(current_app._get_current_object())  # type: ignore[attr-defined]
            if pem is None:
                raise click.UsageError("this instance has no signing key; give --key PEM")
        try:
            document = read_receipt(file)
        except ValueError as exc:
            click.echo(f"TAMPERED: {exc}")
            sys.exit(1)
        result = seal.verify_receipt(document, pem)
        click.echo(f"{'OK' if result.ok else 'TAMPERED'}: {result.reason}")
        sys.exit(0 if result.ok else 1)
