"""The keys that wrap file keys: a master key in every instance, key generations in the database.

Three levels, so that N instances need only the database and the same instance secrets:

- each file has its own random key (`portal.core.files`), stored with its attachment row,
  encrypted ("wrapped") by a key-encryption key (KEK) and naming it `g<generation>`;
- each KEK generation is a random 256-bit key kept in the table `file_key_generation`, wrapped by
  the master key; the highest generation wraps new files;
- the master key (`MASTER_KEY`: the environment's `PORTAL_MASTER_KEY` or `instance/master-key`,
  base64 of 32 bytes) is the same on every instance and never in the database.

Rotation (`portal files rotate-key`) records a new generation and re-wraps file keys in batches,
each batch committed. A running worker asks the database for the current generation each time it
wraps a key (one indexed query per stored file) and loads any generation it has not seen when it
unwraps one, so no restart is needed. Older generations are kept while any file key names them;
`portal files rotate-key` says how many are left on each and never drops one that wraps a file.

File keys wrapped by the file keys of an older instance folder (`instance/file-keys/<id>.key`)
still open; the first rotation re-wraps them with a generation in the database.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from portal.config import settings_of
from portal.core import paths
from portal.core.models import Attachment, FileKeyGeneration, utcnow
from portal.core.private_files import write_owner_only

log = logging.getLogger(__name__)
MASTER_KEY_FILE = paths.MASTER_KEY_FILE
"""Instance file holding the master key when `PORTAL_MASTER_KEY` is not set."""
LEGACY_KEYS_DIR = "file-keys"
"""Folder of the per-instance file keys used before the key generations in the database."""
WRAP_AAD = b"seloste file key v1"
"""Associated data of a wrapped file key (unchanged from the per-instance keys)."""
PREFIX = "g"
"""A file key wrapped by generation 3 names `g3`."""
BATCH = 200
"""File keys re-wrapped per committed batch during a rotation."""
RETIRED_GRACE = dt.timedelta(hours=1)
"""A generation is dropped only this long after it was retired (an upload started before the
rotation may still wrap a key with it) and when no file key names it."""


class UnwrapError(LookupError):
    """A wrapped key cannot be opened: the key that wrapped it is missing or another."""


def new_master_key() -> str:
    """Return a new master key as base64 text."""
    return base64.b64encode(AESGCM.generate_key(bit_length=256)).decode("ascii")


def parse_master_key(text: str, where: str) -> bytes:
    """Decode a base64 master key; ValueError naming `where` unless it is 32 bytes."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise ValueError(f"{where}: the master key must be base64 of 32 bytes")
    return raw


def write_master_key(instance_path: Path | str, text: str | None = None) -> Path | None:
    """Create `instance/master-key` (0600) unless it exists; return it when created."""
    path = paths.master_key_path(instance_path)
    if path.exists():
        return None
    written = write_owner_only(path, ((text or new_master_key()) + "\n").encode("ascii"))
    return path if written else None


def _wrap(key: bytes, secret: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(12)
    return nonce + AESGCM(key).encrypt(nonce, secret, aad)


def _unwrap(key: bytes, wrapped: bytes, aad: bytes) -> bytes:
    return AESGCM(key).decrypt(wrapped[:12], wrapped[12:], aad)


def _kek_aad(generation: int) -> bytes:
    return f"seloste key-encryption key g{generation}".encode("ascii")


def generation_of(key_id: str) -> int | None:
    """Return the generation a wrapped key names (`g3` → 3), None for an instance-folder key."""
    if key_id.startswith(PREFIX) and key_id[1:].isdigit():
        return int(key_id[1:])
    return None


@dataclass
class Keyring:
    """Wraps and unwraps file keys with the KEK generations in the database.

    Unwrapped KEKs are kept in memory by generation (they never change); which generation is
    current is asked of the database every time a key is wrapped.
    """

    master: bytes
    sessions: Callable[[], Session]
    legacy_folder: Path | None = None
    keks: dict[int, bytes] = field(default_factory=dict)

    def current_generation(self, session: Session | None = None) -> int:
        """Return the highest generation, creating generation 1 when there is none."""
        query = select(func.max(FileKeyGeneration.generation))
        if session is not None:
            current = session.scalar(query)
        else:
            with self.sessions() as own:
                current = own.scalar(query)
        if current is None:
            return self.add_generation()
        return int(current)

    def kek(self, generation: int) -> bytes:
        """Return a generation's KEK (loaded from the database the first time)."""
        if generation not in self.keks:
            with self.sessions() as session:
                row = session.get(FileKeyGeneration, generation)
                if row is None:
                    raise UnwrapError(f"key generation g{generation} is not in the database")
                wrapped = row.wrapped_key
            try:
                self.keks[generation] = _unwrap(self.master, wrapped, _kek_aad(generation))
            except InvalidTag:
                raise UnwrapError(
                    f"key generation g{generation} was wrapped by another master key: every "
                    "instance needs the same MASTER_KEY (docs/deploy.md)"
                ) from None
        return self.keks[generation]

    def add_generation(self) -> int:
        """Record a new generation (the next number) and return it; retire the one before."""
        kek = AESGCM.generate_key(bit_length=256)
        while True:
            with self.sessions() as session:
                last = session.scalar(select(func.max(FileKeyGeneration.generation))) or 0
                generation = int(last) + 1
                session.add(
                    FileKeyGeneration(
                        generation=generation,
                        wrapped_key=_wrap(self.master, kek, _kek_aad(generation)),
                        created_at=utcnow(),
                    )
                )
                if last:
                    previous = session.get(FileKeyGeneration, int(last))
                    if previous is not None and previous.retired_at is None:
                        previous.retired_at = utcnow()
                try:
                    session.commit()
                except IntegrityError:  # another instance added the same number: read again
                    session.rollback()
                    continue
            self.keks[generation] = kek
            return generation

    def wrap(self, file_key: bytes, session: Session | None = None) -> tuple[str, bytes]:
        """Encrypt a file key with the current generation; return (key id, wrapped key)."""
        generation = self.current_generation(session)
        return f"{PREFIX}{generation}", _wrap(self.kek(generation), file_key, WRAP_AAD)

    def unwrap(self, key_id: str, wrapped: bytes) -> bytes:
        """Decrypt a wrapped file key (UnwrapError when the key that wrapped it is not here)."""
        generation = generation_of(key_id)
        key = self.kek(generation) if generation is not None else self._legacy(key_id)
        try:
            return _unwrap(key, wrapped, WRAP_AAD)
        except InvalidTag:
            raise UnwrapError(f"the file key wrapped by {key_id} does not open") from None

    def _legacy(self, key_id: str) -> bytes:
        path = (self.legacy_folder or Path("/nonexistent")) / f"{key_id}.key"
        if not path.is_file():
            raise UnwrapError(
                f"file key {key_id} is neither a generation in the database nor in {path.parent}"
            )
        return base64.b64decode(path.read_bytes().strip())

    def legacy_ids(self) -> list[str]:
        """Return the ids of the instance-folder file keys still present."""
        if self.legacy_folder is None or not self.legacy_folder.is_dir():
            return []
        return sorted(path.stem for path in self.legacy_folder.glob("*.key"))


def rewrap(keyring: Keyring, *, batch: int = BATCH) -> Iterator[tuple[int, int]]:
    """Re-wrap every file key not on the current generation, `batch` per commit.

    Yield (done so far, left) after each batch; a key whose wrapping key is missing is left as
    it is (and counted as left).
    """
    target = keyring.current_generation()
    key_id = f"{PREFIX}{target}"
    done = 0
    skipped: set[int] = set()
    while True:
        with keyring.sessions() as session:
            rows = session.scalars(
                select(Attachment)
                .where(Attachment.key_id != key_id, Attachment.id.not_in(skipped or {0}))
                .order_by(Attachment.id)
                .limit(batch)
            ).all()
            if not rows:
                return
            for row in rows:
                try:
                    file_key = keyring.unwrap(row.key_id, row.wrapped_key)
                except UnwrapError:
                    skipped.add(row.id)
                    continue
                row.wrapped_key = _wrap(keyring.kek(target), file_key, WRAP_AAD)
                row.key_id = key_id
                done += 1
            session.commit()
            left = session.scalar(
                select(func.count()).select_from(Attachment).where(Attachment.key_id != key_id)
            )
        yield done, int(left or 0)


def usage(session: Session) -> dict[str, int]:
    """Return how many file keys each wrapping key (`g<n>` or a folder key id) wraps."""
    rows = session.execute(
        select(Attachment.key_id, func.count()).group_by(Attachment.key_id)
    ).all()
    return {str(key_id): int(count) for key_id, count in rows}


def drop_unused(session: Session, now: dt.datetime | None = None) -> list[int]:
    """Delete generations retired over `RETIRED_GRACE` ago that no file key names; return them."""
    now = now or utcnow()
    used = {generation_of(key_id) for key_id in usage(session)}
    dropped = []
    for row in session.scalars(
        select(FileKeyGeneration).where(FileKeyGeneration.retired_at.is_not(None))
    ):
        retired = row.retired_at
        if retired is not None and retired.tzinfo is None:
            retired = retired.replace(tzinfo=dt.UTC)
        if row.generation in used or retired is None or now - retired < RETIRED_GRACE:
            continue
        session.delete(row)
        dropped.append(row.generation)
    session.commit()
    return dropped


def master_key(text: str | None, instance_path: Path | str, *, create: bool = False) -> bytes:
    """Return the master key: `text` (the MASTER_KEY setting), else `instance/master-key`.

    With `create`, a missing file is made (0600); else a missing key is a ValueError.
    """
    if text:
        return parse_master_key(text, "PORTAL_MASTER_KEY")
    path = paths.master_key_path(instance_path)
    if not path.is_file():
        if not create:
            raise ValueError(f"no master key: set PORTAL_MASTER_KEY or create {path}")
        write_master_key(instance_path)
    return parse_master_key(path.read_text(encoding="ascii"), str(path))


COPY_HINT = (
    "copy the master key of the other instances: their instance/master-key file (or their "
    "PORTAL_MASTER_KEY) into this instance folder (0600) or this instance's environment"
)


def check_master_key(app: Any) -> None:
    """At start: make generation 1 and the master key on a first instance; refuse to start an
    instance whose master key does not open the database's current generation.

    A database that is down or not yet upgraded is logged and skipped (the check runs again at the
    next start; a wrong key then fails at the first file with the same message).
    """
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.exc import TimeoutError as PoolTimeoutError

    from portal.config import ConfigurationError

    maker = app.extensions["db_sessionmaker"]
    try:
        with maker() as session:
            current = session.scalar(select(func.max(FileKeyGeneration.generation)))
    except (DBAPIError, PoolTimeoutError) as exc:
        log.warning("master key not checked against the database (%s)", type(exc).__name__)
        return
    try:
        master = master_key(settings_of(app).master_key, app.instance_path, create=current is None)
    except ValueError as exc:
        raise ConfigurationError(f"{exc}; the database holds file keys: {COPY_HINT}") from None
    keyring = Keyring(
        master=master, sessions=maker, legacy_folder=Path(app.instance_path) / LEGACY_KEYS_DIR
    )
    try:
        if current is None:
            keyring.add_generation()
        else:
            keyring.kek(int(current))
    except UnwrapError as exc:
        raise ConfigurationError(f"{exc}; {COPY_HINT}") from None
    except (DBAPIError, PoolTimeoutError) as exc:
        log.warning("master key not checked against the database (%s)", type(exc).__name__)
        return
    app.extensions[EXTENSION] = keyring


EXTENSION = "portal_keyring"


def app_keyring(app: Any) -> Keyring:
    """Return the app's keyring (the master key is read once per app)."""
    keyring = app.extensions.get(EXTENSION)
    if keyring is None:
        maker: sessionmaker[Session] = app.extensions["db_sessionmaker"]
        keyring = app.extensions[EXTENSION] = Keyring(
            master=master_key(settings_of(app).master_key, app.instance_path, create=True),
            sessions=maker,
            legacy_folder=Path(app.instance_path) / LEGACY_KEYS_DIR,
        )
    return keyring
