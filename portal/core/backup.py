"""One file that can bring the portal back: the database (with the encrypted files) and the keys.

`write_backup` makes a tar file with

- `seloste-backup.json`: the format, when, which database, counts, and the SHA-256 of every
  other member, so `restore` notices a damaged or edited file;
- `database/portal.sqlite3` (SQLite's online backup API: a consistent copy while the portal runs)
  or `database/portal.pgdump` (`pg_dump` custom format, one consistent snapshot); the encrypted
  files are in it (table `file_chunk`), with their wrapped keys and the key generations;
- `instance/attachments/…`: files still kept in the instance folder (from before the database
  store, not yet moved with `portal files move-to-db`), as stored, encrypted;
- `instance-secrets.enc`: the instance's keys and settings (secret key, master key, receipt-signing
  key, retired public keys, older file keys, the identity HMAC key and OIDC client keys,
  `portal.toml`) as a tar, encrypted with AES-256-GCM under a key derived from a passphrase with
  scrypt. Without them receipts cannot be verified nor files read (nor earlier requesters
  recognised), so a backup never leaves them out, and never holds them in clear. A master key
  given in the environment is written into it as `master-key`.

The database is copied first and the folder's files after, so every file the copy names is
there (a file purged in between is named missing by `write_backup`, which then fails).

`restore_backup` writes into an empty instance folder and an empty database only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from sqlalchemy import create_engine, func, inspect, select
from sqlalchemy.engine import make_url

from portal.core import filekeys, files, paths
from portal.core.models import Attachment, AuditEvent, DataRequest, FileChunk

FORMAT = "seloste-backup/1"
MANIFEST = "seloste-backup.json"
SECRETS_MEMBER = "instance-secrets.enc"
SECRETS_MAGIC = b"SELOSTE-KEYS-1\n"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
SECRET_NAMES = (
    "secret_key",
    filekeys.MASTER_KEY_FILE,
    "portal.toml",
    "identity-hmac-key",
    "oidc-client-keys.json",
)
"""Instance files kept in the encrypted part besides the key folders and the signing key (without
identity-hmac-key a restored portal no longer recognises earlier requesters)."""
SECRET_FOLDERS = (filekeys.LEGACY_KEYS_DIR, "receipt-keys")


class BackupError(RuntimeError):
    """A backup or restore cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class BackupReport:
    """What a backup holds (also what a restore brought back)."""

    path: Path
    database: str
    requests: int
    attachments: int
    audit_events: int


def _key(passphrase: str, salt: bytes) -> bytes:
    if not passphrase:
        raise BackupError("an empty passphrase: set PORTAL_BACKUP_PASSPHRASE or type one")
    return Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P).derive(
        passphrase.encode("utf-8")
    )


def encrypt_secrets(data: bytes, passphrase: str) -> bytes:
    """Return `data` encrypted under the passphrase: magic, salt, nonce, AES-GCM ciphertext."""
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    return SECRETS_MAGIC + salt + nonce + AESGCM(_key(passphrase, salt)).encrypt(nonce, data, None)


def decrypt_secrets(blob: bytes, passphrase: str) -> bytes:
    """Return what `encrypt_secrets` encrypted; BackupError on a wrong passphrase or damage."""
    if not blob.startswith(SECRETS_MAGIC):
        raise BackupError("the backup's key part is not in a format this version reads")
    body = blob[len(SECRETS_MAGIC) :]
    salt, nonce, ciphertext = body[:16], body[16:28], body[28:]
    try:
        return AESGCM(_key(passphrase, salt)).decrypt(nonce, ciphertext, None)
    except Exception:  # noqa: BLE001 - InvalidTag: wrong passphrase or changed bytes
        raise BackupError("wrong passphrase, or the backup's key part is damaged") from None


def _is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _libpq(url: str) -> tuple[str, str | None]:
    """Return a libpq URI for pg_dump/pg_restore and the schema the URL's search_path names."""
    parsed = make_url(url)
    options = parsed.query.get("options")
    schema = None
    for option in [options] if isinstance(options, str) else list(options or []):
        if "search_path=" in option:
            schema = option.split("search_path=", 1)[1].split(",")[0].strip()
    plain = parsed.set(drivername="postgresql")
    return plain.render_as_string(hide_password=False), schema


def _counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {
                "requests": connection.scalar(select(func.count()).select_from(DataRequest)) or 0,
                "attachments": connection.scalar(select(func.count()).select_from(Attachment)) or 0,
                "audit_events": connection.scalar(select(func.count()).select_from(AuditEvent))
                or 0,
            }
    finally:
        engine.dispose()


def _storage_names(url: str) -> tuple[list[str], set[str]]:
    """Return the names of the files rows name (not purged) and of those the database holds."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            named = list(
                connection.scalars(
                    select(Attachment.storage_name).where(Attachment.purged_at.is_(None))
                )
            )
            held = set(connection.scalars(select(FileChunk.storage_name).where(FileChunk.seq == 0)))
            return named, held
    finally:
        engine.dispose()


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return found


def dump_database(url: str, folder: Path) -> Path:
    """Write a consistent copy of the database at `url` into `folder`; return the file."""
    if _is_sqlite(url):
        source_path = make_url(url).database
        if not source_path or not Path(source_path).is_file():
            raise BackupError(f"no SQLite database at {source_path}")
        target = folder / "portal.sqlite3"
        source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        return target
    uri, schema = _libpq(url)
    target = folder / "portal.pgdump"
    command = [_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={target}"]
    if schema:
        command.append(f"--schema={schema}")
    result = subprocess.run([*command, uri], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return target


def _owner_only(info: tarfile.TarInfo) -> tarfile.TarInfo:
    """Store a member as the owner's only: 0600 files, 0700 folders, no names of users."""
    info.mode = 0o700 if info.isdir() else 0o600
    info.uname = info.gname = ""
    info.uid = info.gid = 0
    return info


def _private_tree(folder: Path) -> None:
    """Make everything under `folder` owner-only, as `portal init` makes it."""
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o700 if path.is_dir() else 0o600)


def _secrets_tar(instance: Path, signing_key_file: str, master_key: str | None) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name in (*SECRET_NAMES, signing_key_file):
            path = instance / name
            if name == filekeys.MASTER_KEY_FILE and master_key:
                data = (master_key.strip() + "\n").encode("ascii")
                info = _owner_only(tarfile.TarInfo(name))
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
            elif path.is_file():
                archive.add(path, arcname=name, filter=_owner_only)
        for folder in SECRET_FOLDERS:
            if (instance / folder).is_dir():
                archive.add(instance / folder, arcname=folder, filter=_owner_only)
    return buffer.getvalue()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_backup(
    out: Path,
    *,
    instance: Path,
    database_url: str,
    signing_key_file: str,
    passphrase: str,
    master_key: str | None = None,
) -> BackupReport:
    """Write the whole portal (database, files, keys) to the tar file `out`.

    `master_key` is the MASTER_KEY setting when the environment gives it (it is then not in the
    instance folder, but the backup needs it)."""
    if not paths.signing_key_path(instance, signing_key_file).is_file():
        raise BackupError(f"no signing key in {instance}: is this the portal's instance folder?")
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="seloste-backup-") as work:
        folder = Path(work)
        database = dump_database(database_url, folder)
        counts = _counts(database_url)
        stored = files.legacy_store(instance).folder
        named, held = _storage_names(database_url)
        names = [name for name in named if name not in held]
        missing = [name for name in names if not (stored / name).is_file()]
        if missing:
            raise BackupError(
                f"{len(missing)} attachment file(s) the database names are neither in it nor in "
                f"{stored}"
            )
        encrypted = folder / SECRETS_MEMBER
        encrypted.write_bytes(
            encrypt_secrets(_secrets_tar(instance, signing_key_file, master_key), passphrase)
        )
        members: list[tuple[Path, str]] = [
            (database, f"database/{database.name}"),
            (encrypted, SECRETS_MEMBER),
        ]
        members += [(stored / name, f"instance/{files.FILES_DIR}/{name}") for name in names]
        manifest = {
            "format": FORMAT,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "database": "sqlite" if _is_sqlite(database_url) else "postgresql",
            "signing_key_file": signing_key_file,
            **counts,
            "sha256": {arcname: _sha256(path) for path, arcname in members},
        }
        partial = out.with_name(out.name + ".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle, tarfile.open(fileobj=handle, mode="w") as archive:
            data = json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode = len(data), 0o600
            archive.addfile(info, io.BytesIO(data))
            for path, arcname in members:
                archive.add(path, arcname=arcname, filter=_owner_only)
        os.replace(partial, out)
    return BackupReport(out, manifest["database"], **counts)


def _read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.extractfile(MANIFEST)
    except KeyError:
        raise BackupError("not a Seloste backup (no seloste-backup.json in it)") from None
    assert member is not None
    manifest = json.loads(member.read())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"a backup of format {manifest.get('format')!r}; this reads {FORMAT}")
    return manifest


def _check_empty(instance: Path, database_url: str) -> None:
    if instance.exists() and any(instance.iterdir()):
        raise BackupError(
            f"the instance folder {instance} is not empty: restore needs an empty one"
        )
    if _is_sqlite(database_url):
        path = make_url(database_url).database
        if path and Path(path).exists() and Path(path).stat().st_size > 0:
            raise BackupError(f"the database {path} exists: restore needs an empty one")
        return
    _, schema = _libpq(database_url)
    engine = create_engine(database_url)
    try:
        tables = inspect(engine).get_table_names(schema=schema)
    finally:
        engine.dispose()
    if tables:
        raise BackupError(f"the database is not empty ({len(tables)} tables): restore needs one")


def _safe_members(archive: tarfile.TarFile, names: Iterable[str]) -> None:
    for name in names:
        if name.startswith("/") or ".." in Path(name).parts:
            raise BackupError(f"the backup names an unsafe path: {name!r}")


def restore_backup(
    source: Path, *, instance: Path, database_url: str, passphrase: str
) -> BackupReport:
    """Bring back a backup into an empty instance folder and an empty database."""
    _check_empty(instance, database_url)
    with tarfile.open(source, mode="r") as archive:
        manifest = _read_manifest(archive)
        expected: dict[str, str] = manifest["sha256"]
        _safe_members(archive, expected)
        with tempfile.TemporaryDirectory(prefix="seloste-restore-") as work:
            folder = Path(work)
            for arcname, digest in expected.items():
                member = archive.extractfile(arcname)
                if member is None:
                    raise BackupError(f"the backup lacks {arcname}")
                target = folder / arcname
                target.parent.mkdir(parents=True, exist_ok=True)
                with target.open("wb") as handle:
                    shutil.copyfileobj(member, handle)
                if _sha256(target) != digest:
                    raise BackupError(f"{arcname} is damaged or was changed (SHA-256 differs)")
            secrets_tar = decrypt_secrets((folder / SECRETS_MEMBER).read_bytes(), passphrase)
            instance.mkdir(parents=True, exist_ok=True)
            os.chmod(instance, 0o700)
            with tarfile.open(fileobj=io.BytesIO(secrets_tar), mode="r") as inner:
                _safe_members(inner, inner.getnames())
                inner.extractall(instance, filter="data")
            stored = folder / "instance" / files.FILES_DIR
            if stored.is_dir():
                shutil.copytree(stored, instance / files.FILES_DIR, dirs_exist_ok=True)
            _load_database(folder / "database", manifest["database"], database_url)
            _private_tree(instance)
    counts = _counts(database_url)
    report = BackupReport(source, manifest["database"], **counts)
    wanted = {key: manifest[key] for key in ("requests", "attachments", "audit_events")}
    if counts != wanted:
        raise BackupError(f"restored {counts}, the backup says {wanted}")
    return report


def _load_database(folder: Path, kind: str, database_url: str) -> None:
    if kind == "sqlite":
        if not _is_sqlite(database_url):
            raise BackupError("a SQLite backup restores into SQLite only (PORTAL_DATABASE_URL)")
        path = Path(make_url(database_url).database or "")
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / "portal.sqlite3", path)
        os.chmod(path, 0o600)
        return
    if _is_sqlite(database_url):
        raise BackupError("a PostgreSQL backup restores into PostgreSQL only (PORTAL_DATABASE_URL)")
    uri, _ = _libpq(database_url)
    result = subprocess.run(
        [
            _tool("pg_restore"),
            "--no-owner",
            "--exit-on-error",
            f"--dbname={uri}",
            str(folder / "portal.pgdump"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
