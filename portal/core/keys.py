"""The receipt-signing key from the outside: publish its public half, rotate it, check receipts.

The private key never leaves the instance folder. Its public half is published with the notice
site at `.well-known/seloste/receipt-key.pem` (`export_public_key`, used by `make run`), served by
the portal at `<URL_PREFIX>/receipt-key.pem`, and exported with `portal keys export`. Anyone holding
it can check a receipt with `portal verify-receipt`, without the portal's database.

Receipts outlive keys (a request is kept for years; a key may be replaced after a leak or a
move), so every public key the portal has signed with is kept in the database (table
`signing_public_key`: key id, PEM, created and retired times), where every instance finds it.
`portal keys rotate` retires the current key there (and keeps its public half in
`instance/receipt-keys/<key id>.pem` too), destroys its private half and creates a new key. Checks
pick the key a receipt names by its id, and the site publishes every key under
`.well-known/seloste/keys/`. Retired keys found in an instance folder (from before the table) are
added to the database at the instance's start.

Several instances (hosts, containers) serving one database must sign with one key. The first
start records its key in the database (`recorded_signing_key`); every later start compares, and an
instance whose folder holds another key, or none, refuses to start and says how to copy the key:
`portal keys export --private --out FILE` on an instance that has it, `portal keys import FILE` (or
`portal init --signing-key FILE`) on the new one. A database that cannot be reached at start is
logged and not waited for: the check runs again at the next start.
"""

from __future__ import annotations

import datetime as dt
import errno
import logging
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from portal.config import ConfigurationError, settings_of
from portal.core import consent_receipt, paths, receipt_file, seal
from portal.core.models import DataRequest, RecordedSigningKey, SigningPublicKey, utcnow
from portal.core.paths import PUBLIC_KEY_PATH, PUBLIC_KEYS_DIR
from portal.core.private_files import write_owner_only

log = logging.getLogger(__name__)
RECORD_ID = 1
COPY_HINT = (
    "copy the key: on an instance that has it run `portal keys export --private --out key.pem`, "
    "then here `portal keys import key.pem` (or `portal init --signing-key key.pem`)"
)

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
    """Return the PEM of every key receipts may name, by key id: those the database knows (every
    key any instance signed with), those in this instance folder, and the current one."""
    keys = {}
    retired = Path(app.instance_path) / RETIRED_DIR
    for path in sorted(retired.glob("*.pem")):
        pem = path.read_bytes()
        keys[seal.key_id(seal.load_public_key(pem))] = pem
    try:
        with app.extensions["db_sessionmaker"]() as session:
            for row in session.scalars(select(SigningPublicKey)):
                keys[row.key_id] = row.public_pem.encode("ascii")
    except (DBAPIError, PoolTimeoutError) as exc:  # an outage: the folder's keys still check
        log.warning("signing keys not read from the database (%s)", type(exc).__name__)
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

    The new key becomes the recorded one; other instances must import it before they restart.
    Return the (old, new) key ids.
    """
    old = seal.app_key(app)
    retired = Path(app.instance_path) / RETIRED_DIR
    retired.mkdir(parents=True, exist_ok=True)
    (retired / f"{old.key_id}.pem").write_bytes(old.public_pem())
    remember_public_key(app, old.key_id, old.public_pem(), retired_at=utcnow())
    key_path(app).unlink()
    app.extensions.pop(seal.APP_KEY_EXTENSION, None)
    new = seal.app_key(app)
    record_key(app, new, replace=True)
    return old.key_id, new.key_id


def remember_public_key(
    app: Flask, key_id: str, pem: bytes, *, retired_at: dt.datetime | None = None
) -> None:
    """Keep a public key in the database (retired when `retired_at`); once per key id."""
    with app.extensions["db_sessionmaker"]() as session:
        row = session.get(SigningPublicKey, key_id)
        if row is None:
            session.add(
                SigningPublicKey(
                    key_id=key_id,
                    public_pem=pem.decode("ascii"),
                    created_at=utcnow(),
                    retired_at=retired_at,
                )
            )
        elif retired_at is not None and row.retired_at is None:
            row.retired_at = retired_at
        else:
            return
        try:
            session.commit()
        except IntegrityError:  # another instance added it at the same moment
            session.rollback()


def remember_folder_keys(app: Flask) -> None:
    """Add the retired public keys of this instance folder to the database (once each)."""
    for path in sorted((Path(app.instance_path) / RETIRED_DIR).glob("*.pem")):
        pem = path.read_bytes()
        modified = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
        remember_public_key(app, seal.key_id(seal.load_public_key(pem)), pem, retired_at=modified)


def key_path(app: Flask) -> Path:
    """Return where the app's private signing key lives."""
    return settings_of(app).signing_key_path


def recorded_key_id(app: Flask) -> str | None:
    """Return the id of the key recorded in the database, or None when none is recorded."""
    with app.extensions["db_sessionmaker"]() as session:
        record = session.get(RecordedSigningKey, RECORD_ID)
        return record.key_id if record is not None else None


def record_key(app: Flask, key: seal.SigningKey, *, replace: bool = False) -> str:
    """Record `key` as the shared one unless one is (or `replace`); return the recorded id."""
    with app.extensions["db_sessionmaker"]() as session:
        record = session.get(RecordedSigningKey, RECORD_ID)
        if record is not None and not replace:
            return record.key_id
        if record is None:
            record = RecordedSigningKey(id=RECORD_ID)
            session.add(record)
        record.key_id = key.key_id
        record.public_pem = key.public_pem().decode("ascii")
        record.recorded_at = utcnow()
        try:
            session.commit()
        except IntegrityError:  # another instance recorded its key at the same moment
            session.rollback()
            return recorded_key_id(app) or key.key_id
    remember_public_key(app, key.key_id, key.public_pem())
    return key.key_id


def check_instance_key(app: Flask) -> None:
    """Refuse to start when this instance's key is not the one recorded in the database.

    The first instance records its key (made now when its folder has none). A database that is
    down or not yet upgraded is logged and skipped: an outage must not stop a start.
    """
    try:
        recorded = recorded_key_id(app)
        remember_folder_keys(app)
        if recorded is None:
            record_key(app, seal.app_key(app))
            return
    except (DBAPIError, PoolTimeoutError) as exc:
        log.warning("signing key not checked against the database (%s)", type(exc).__name__)
        return
    path = key_path(app)
    if not path.is_file():
        raise ConfigurationError(
            f"this instance has no signing key ({path}), but the database records key {recorded} "
            f"that the other instances sign receipts with: {COPY_HINT}"
        )
    local = seal.app_key(app).key_id
    if local != recorded:
        raise ConfigurationError(
            f"the signing key {local} in {path} is not the key {recorded} recorded in the "
            f"database: receipts it signed would not verify on the other instances; {COPY_HINT}"
        )


def private_pem(app: Flask) -> bytes:
    """Return the app's private signing key as PEM (PKCS #8, unencrypted)."""
    return seal.app_key(app).private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def write_private(path: Path, pem: bytes) -> None:
    """Write a private key owner-only (0600), refusing to overwrite a file."""
    if not write_owner_only(path, pem):
        raise FileExistsError(errno.EEXIST, "file exists", str(path))


def import_key(instance_path: Path, filename: str, pem: bytes, *, replace: bool = False) -> str:
    """Install an exported private key in an instance folder; return its key id.

    Raise ValueError when `pem` is not an Ed25519 private key or the folder holds another key
    (unless `replace`: after a rotation on another instance, the old key's public half is kept in
    `receipt-keys/` and the new key takes its place).
    """
    try:
        private = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        raise ValueError("not an unencrypted PEM private key") from exc
    if not isinstance(private, Ed25519PrivateKey):
        raise ValueError("not an Ed25519 private key")
    imported = seal.key_id(private.public_key())
    target = paths.signing_key_path(instance_path, filename)
    if target.is_file():
        existing = seal.load_or_create_key(instance_path, filename).key_id
        if existing == imported:
            return imported
        if replace:
            old = seal.load_or_create_key(instance_path, filename)
            retired = Path(instance_path) / RETIRED_DIR
            retired.mkdir(parents=True, exist_ok=True)
            (retired / f"{old.key_id}.pem").write_bytes(old.public_pem())
            write_owner_only(target, pem, replace=True)
            return imported
        raise ValueError(
            f"{target} already holds key {existing}; retire it first (`portal keys rotate` "
            "keeps old receipts verifiable) or move it away"
        )
    write_private(target, pem)
    return imported


def instance_public_key(app: Flask) -> bytes | None:
    """Return the public key PEM of the app's existing signing key, or None if it has none."""
    if not key_path(app).is_file():
        return None
    return seal.app_key(app).public_pem()


EXIT_CODES: dict[str, int] = {"authentic": 0, "invalid": 1, "not_receipt": 2, "unchecked": 2}
"""`portal verify-receipt` exits 0 for an authentic receipt, 1 for an invalid one, 2 when nothing
could be checked (not a receipt, no usable key, a usage error)."""

CLI_VERDICTS: dict[str, str] = {
    "authentic": "AUTHENTIC",
    "invalid": "INVALID",
    "not_receipt": "NOT A RECEIPT",
    "unchecked": "NOT CHECKED",
}


def check_receipt_file(app: Flask, raw: bytes, key_pem: bytes | None) -> tuple[list[str], int]:
    """Check a receipt file's bytes (PDF or JSON); return the lines to print and the exit code.

    With `key_pem` None the key the receipt names is used (current or retired), else the
    current key.
    """
    try:
        document = receipt_file.load_receipt(raw)
    except receipt_file.NotAReceipt as exc:
        return [f"{CLI_VERDICTS['not_receipt']}: {exc.reason}"], EXIT_CODES["not_receipt"]
    is_consent = consent_receipt.is_consent_receipt(document)
    if key_pem is None:
        named = document.get("key_id") if isinstance(document, dict) else None
        if is_consent and isinstance(document.get("seal"), dict):
            named = document["seal"].get("key_id")
        key_pem = public_key_for(app, named) or b""
    if is_consent:
        result = consent_receipt.verify_receipt(document, key_pem)
    else:
        result = seal.verify_receipt(document, key_pem)
    lines = [f"{CLI_VERDICTS[result.verdict]}: {result.reason}"]
    if result.ok and is_consent:
        lines.append("signed: " + consent_receipt.receipt_summary(document))
    elif result.ok:
        lines.append("signed: " + signed_summary(document))
        if receipt_file.is_pdf(raw):
            lines.append("The PDF's printed text is not signed: compare it with the line above.")
    return lines, EXIT_CODES[result.verdict]


def signed_summary(document: dict[str, Any]) -> str:
    """Return what an authentic receipt vouches for, as one line."""
    parts = [
        f"reference {document['reference']}",
        f"right {document['right']}",
        f"register {document['register']}",
        f"received {document['received_at']}",
        f"due {document['due_on']}",
    ]
    if document.get("kind") == seal.ANSWER_KIND:
        names = ", ".join(str(item.get("name")) for item in document["files"])
        parts.append(
            f"files delivered: {len(document['files'])}" + (f" ({names})" if names else "")
        )
    # The fingerprint the receipt letter prints: the file checked is the one the letter describes.
    parts.append(f"fingerprint {seal.fingerprint(document['digest'])}")
    return ", ".join(parts)
