"""The receipt-signing key from the outside: publish its public half, rotate it, check receipts.

The private key never leaves the instance folder. Its public half is published with the notice
site at `.well-known/seloste/receipt-key.pem` (`export_public_key`, used by `make run`), served by
the portal at `<URL_PREFIX>/receipt-key.pem`, and exported with `portal keys export`. Anyone holding
it can check a receipt with `portal verify-receipt`, without the portal's database.

Receipts outlive keys (a request is kept for years; a key may be replaced after a leak or a
move), so `portal keys rotate` keeps the public half of the old key in `instance/receipt-keys/
<key id>.pem`, destroys its private half and creates a new key. Checks pick the key a receipt
names by its id, and the site publishes every key under `.well-known/seloste/keys/`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from portal.core import seal
from portal.core.models import DataRequest
from portal.core.paths import PUBLIC_KEY_PATH, PUBLIC_KEYS_DIR

SITE_KEY_PATH = Path(PUBLIC_KEY_PATH)
"""Where the current public key lives inside the built notice site."""

SITE_KEYS_DIR = Path(PUBLIC_KEYS_DIR)
"""Where every public key, current and retired, lives in the site as `<key id>.pem`."""

RETIRED_DIR = "receipt-keys"
"""Folder in the instance that keeps the public halves of retired keys."""


def export_public_key(app: Flask, site_dir: Path | str) -> Path:
    """Write the app's public key to `<site_dir>/.well-known/seloste/receipt-key.pem`.

    Every key that receipts may name (current and retired) is also written to
    `.well-known/seloste/keys/<key id>.pem`.
    """
    target = Path(site_dir) / SITE_KEY_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(seal.app_key(app).public_pem())
    every = Path(site_dir) / SITE_KEYS_DIR
    every.mkdir(parents=True, exist_ok=True)
    for key_id, pem in public_keys(app).items():
        (every / f"{key_id}.pem").write_bytes(pem)
    return target


def public_keys(app: Flask) -> dict[str, bytes]:
    """Return the PEM of every key receipts may name, by key id: retired ones and the current."""
    keys = {}
    retired = Path(app.instance_path) / RETIRED_DIR
    for path in sorted(retired.glob("*.pem")):
        pem = path.read_bytes()
        keys[seal.key_id(seal.load_public_key(pem))] = pem
    current = instance_public_key(app)
    if current is not None:
        keys[seal.app_key(app).key_id] = current
    return keys


def public_key_for(app: Flask, key_id: Any) -> bytes | None:
    """Return the PEM of the key a receipt names, else the current key (None if there is none).

    A receipt naming an unknown key is then checked against the current key and reported as
    signed by another key, which is what it is.
    """
    keys = public_keys(app)
    if isinstance(key_id, str) and key_id in keys:
        return keys[key_id]
    return instance_public_key(app)


def verify_request_seal(app: Flask, request: DataRequest) -> bool:
    """Check a stored request's seal with the key that sealed it, retired or current."""
    pem = public_keys(app).get(request.seal_key_id or "")
    return pem is not None and seal.verify_seal(request, seal.load_public_key(pem))


def rotate_key(app: Flask) -> tuple[str, str]:
    """Retire the current key (keep its public half, destroy its private half), make a new one.

    Return the (old, new) key ids.
    """
    old = seal.app_key(app)
    retired = Path(app.instance_path) / RETIRED_DIR
    retired.mkdir(parents=True, exist_ok=True)
    (retired / f"{old.key_id}.pem").write_bytes(old.public_pem())
    (Path(app.instance_path) / app.config["SIGNING_KEY_FILE"]).unlink()
    app.extensions.pop(seal.APP_KEY_EXTENSION, None)
    return old.key_id, seal.app_key(app).key_id


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
        app = current_app._get_current_object()  # type: ignore[attr-defined]
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
        old, new = rotate_key(current_app._get_current_object())  # type: ignore[attr-defined]
        click.echo(f"retired key {old}; new key {new}.")
        click.echo("Restart the portal, then publish the keys again (keys export --site).")

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
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        if key_file is None and instance_public_key(app) is None:
            raise click.UsageError("this instance has no signing key; give --key PEM")
        try:
            document = read_receipt(file)
        except ValueError as exc:
            click.echo(f"TAMPERED: {exc}")
            sys.exit(1)
        if key_file is not None:
            pem = key_file.read_bytes()
        else:
            named = document.get("key_id") if isinstance(document, dict) else None
            pem = public_key_for(app, named) or b""
        result = seal.verify_receipt(document, pem)
        click.echo(f"{'OK' if result.ok else 'TAMPERED'}: {result.reason}")
        sys.exit(0 if result.ok else 1)
