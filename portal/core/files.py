"""Files of a request (staff's data copy, the person's reply, a scanned letter), encrypted at rest.

Every file is checked before anything is kept: its name (no path separators, no control or
bidirectional characters), its size, and its type, sniffed from its first bytes and required to
agree with its name's extension; a ZIP is opened and every member decompressed and counted, so a
zip bomb stops at `ATTACHMENT_ZIP_MAX_MB`. A rejected file leaves nothing behind.

Envelope encryption: each file gets its own random 256-bit key and is written as AES-256-GCM
chunks of 64 KiB (`_seal_chunk`), each chunk's nonce being the file's random prefix plus the chunk
counter and each chunk's associated data naming the file, the counter and whether it is the last
chunk, so chunks cannot be reordered, swapped between files or cut off. The encrypted pieces go
to a `portal.core.filestore` store (rows of `file_chunk` in the database by default, so every
instance serving the database reads every file). The file key is stored with the attachment row,
wrapped by a key-encryption key generation (`portal.core.filekeys`). Uploads and downloads stream
chunk by chunk: a 20 MB package is never in memory at once. Rotating the key-encryption key
(`portal files rotate-key`) re-wraps only the small file keys; the files themselves are not
rewritten (docs/portal-files.md).
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import secrets
import struct
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from babel.numbers import format_decimal
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from notice.i18n import locale_of
from portal.config import Settings
from portal.core import filekeys, filestore
from portal.core.models import Attachment, DataRequest, utcnow

CHUNK = 64 * 1024
"""Plaintext bytes per encrypted chunk (and per read of an upload)."""
TAG = 16
MAGIC = b"SLF1"
PREFIX_BYTES = 8
FILES_DIR = "attachments"
ZIP_MAX_MEMBERS = 10_000
NAME_MAX = 200

EXTENSIONS: dict[str, str] = {
    "csv": "csv",
    "json": "json",
    "pdf": "pdf",
    "zip": "zip",
    "png": "png",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "tif": "tiff",
    "tiff": "tiff",
    "webp": "webp",
}
"""File name extension → type (the setting ATTACHMENT_TYPES names types)."""

MEDIA_TYPES: dict[str, str] = {
    "csv": "text/csv",
    "json": "application/json",
    "pdf": "application/pdf",
    "zip": "application/zip",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "tiff": "image/tiff",
    "webp": "image/webp",
}

MACHINE_READABLE = frozenset({"csv", "json"})
"""Types a portability answer must be in (Art 20: structured, commonly used, machine-readable)."""

_MAGIC: tuple[tuple[str, bytes, int], ...] = (
    ("pdf", b"%PDF-", 0),
    ("zip", b"PK\x03\x04", 0),
    ("zip", b"PK\x05\x06", 0),
    ("png", b"\x89PNG\r\n\x1a\n", 0),
    ("jpeg", b"\xff\xd8\xff", 0),
    ("tiff", b"II*\x00", 0),
    ("tiff", b"MM\x00*", 0),
    ("webp", b"WEBP", 8),
)
"""Binary types by their magic bytes (type, bytes, offset)."""


class FileRejected(ValueError):
    """An upload is refused; `message` says why in the user's language, `code` for tests."""

    def __init__(self, message: Any, code: str) -> None:
        super().__init__(str(code))
        self.message = message
        self.code = code
        self.filename: str | None = None
        """The name as uploaded, set by whoever knows which file of several it was."""


@dataclass(frozen=True)
class Limits:
    """What an upload may be: size, types, decompressed size of a ZIP."""

    max_bytes: int
    types: frozenset[str]
    zip_max_bytes: int

    @classmethod
    def from_settings(cls, settings: Settings, types: Iterable[str] | None = None) -> Limits:
        """Return the limits the app's settings give (optionally narrowed to `types`)."""
        allowed = set(settings.attachment_type_names)
        if types is not None:
            allowed &= set(types)
        return cls(
            max_bytes=settings.attachment_max_bytes,
            types=frozenset(allowed),
            zip_max_bytes=settings.attachment_zip_max_bytes,
        )


# --- keys and stores ----------------------------------------------------------------------------


def app_keys(app: Any) -> filekeys.Keyring:
    """Return the app's keyring (master key read once; generations from the database)."""
    return filekeys.app_keyring(app)


def app_store(app: Any) -> filestore.DatabaseStore:
    """Return the store downloads read from: the app's database, a short query per chunk."""
    return filestore.DatabaseStore(app.extensions["db_engine"])


def legacy_store(instance_path: Path | str) -> filestore.DiskStore:
    """Return the folder where files were kept before the database store."""
    return filestore.DiskStore(Path(instance_path) / FILES_DIR)


# --- chunked AEAD ------------------------------------------------------------------------------


def _aad(storage_name: str, index: int, last: bool) -> bytes:
    return storage_name.encode("ascii") + struct.pack(">I?", index, last)


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + struct.pack(">I", index)


class _Encryptor:
    """Turn plaintext into pieces: the header, then numbered AES-GCM chunks, the last marked."""

    def __init__(self, key: bytes, storage_name: str) -> None:
        self.aead = AESGCM(key)
        self.name = storage_name
        self.prefix = os.urandom(PREFIX_BYTES)
        self.index = 0
        self.pending = b""

    def header(self) -> bytes:
        return MAGIC + self.prefix

    def write(self, data: bytes) -> Iterator[bytes]:
        self.pending += data
        # Keep at least one byte back: only `finish` knows which chunk is the last.
        while len(self.pending) > CHUNK:
            yield self._emit(self.pending[:CHUNK], last=False)
            self.pending = self.pending[CHUNK:]

    def finish(self) -> bytes:
        piece = self._emit(self.pending, last=True)
        self.pending = b""
        return piece

    def _emit(self, chunk: bytes, *, last: bool) -> bytes:
        nonce = _nonce(self.prefix, self.index)
        self.index += 1
        return self.aead.encrypt(nonce, chunk, _aad(self.name, self.index - 1, last))


def decrypt_chunks(pieces: Iterable[bytes], key: bytes, storage_name: str) -> Iterator[bytes]:
    """Yield the plaintext of an encrypted file's pieces one by one; raise on any tampering."""
    stream = iter(pieces)
    head = next(stream, b"")
    if head[: len(MAGIC)] != MAGIC or len(head) != len(MAGIC) + PREFIX_BYTES:
        raise InvalidTag("not an encrypted portal file")
    prefix = head[len(MAGIC) :]
    aead = AESGCM(key)
    index = 0
    current = next(stream, b"")
    while True:
        following = next(stream, None) if len(current) == CHUNK + TAG else None
        last = following is None
        yield aead.decrypt(_nonce(prefix, index), current, _aad(storage_name, index, last))
        if last:
            return
        current = following
        index += 1


# --- checks ------------------------------------------------------------------------------------


def clean_filename(raw: str | None) -> str:
    """Return the name as it will be kept (NFC), or raise FileRejected.

    Control, format (U+200B, U+FEFF, bidi and tag characters) and line/paragraph separator
    characters are refused anywhere in the name, before surrounding spaces are trimmed."""
    if any(_invisible(c) for c in raw or ""):
        raise FileRejected(
            _l("A file name must not contain control characters."), "control_in_name"
        )
    name = unicodedata.normalize("NFC", (raw or "").strip())
    if not name:
        raise FileRejected(_l("The file has no name."), "no_name")
    if "/" in name or "\\" in name or name in {".", ".."}:
        raise FileRejected(_l("A file name must not contain folders (/ or \\)."), "path_in_name")
    if len(name) > NAME_MAX:
        raise FileRejected(
            _l("The file name is too long (at most %(limit)s characters).", limit=NAME_MAX),
            "long_name",
        )
    return name


def declared_type(name: str, limits: Limits) -> str:
    """Return the type a name's extension declares, if it is an accepted type."""
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    kind = EXTENSIONS.get(extension)
    if kind is None or kind not in limits.types:
        accepted = ", ".join(sorted(e.upper() for e, t in EXTENSIONS.items() if t in limits.types))
        raise FileRejected(
            _l("This type of file is not accepted. Accepted: %(types)s.", types=accepted),
            "bad_type",
        )
    return kind


def sniff(head: bytes) -> str | None:
    """Return the binary type that `head` (the first bytes) starts with, or None for text."""
    for kind, magic, offset in _MAGIC:
        if head[offset : offset + len(magic)] == magic:
            if kind == "webp" and head[:4] != b"RIFF":
                continue
            return kind
    return None


class _TextCheck:
    """Check, chunk by chunk, that a CSV is text and a JSON is UTF-8 text starting an object."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.decoder = codecs.getincrementaldecoder("utf-8")("strict")
        self.first: str | None = None

    def feed(self, data: bytes, final: bool = False) -> bool:
        if b"\x00" in data:
            return False
        if self.kind != "json":
            return True
        try:
            text = self.decoder.decode(data, final)
        except UnicodeDecodeError:
            return False
        if self.first is None:
            stripped = text.lstrip("\ufeff \t\r\n")
            if stripped:
                self.first = stripped[0]
        return not final or self.first in ("{", "[")


ZIP_MAX_DEPTH = 3
"""ZIP files inside a ZIP are opened too, to this many levels (the upload itself is level 1)."""
ZIP_MAX_RATIO = 200
"""Largest unpacked-to-packed ratio of one member (text compresses ~5-20×, a zip bomb ~1000×)..."""
ZIP_RATIO_FLOOR = 1024 * 1024
"""...checked once the member has unpacked past this many bytes (tiny files compress oddly)."""
_DRIVE = re.compile(r"^[A-Za-z]:")
_SYMLINK = 0o120000


def _bad_zip() -> FileRejected:
    return FileRejected(_l("The ZIP file is damaged or cannot be checked."), "bad_zip")


@dataclass
class _ZipBudget:
    """What every level of one upload has unpacked so far, against the upload's limits."""

    limits: Limits
    total: int = 0
    members: int = 0

    def count_member(self) -> None:
        self.members += 1
        if self.members > ZIP_MAX_MEMBERS:
            raise FileRejected(_l("The ZIP file has too many files in it."), "zip_members")

    def count_bytes(self, size: int) -> None:
        self.total += size
        if self.total > self.limits.zip_max_bytes:
            raise FileRejected(
                _l(
                    "The ZIP file unpacks to more than %(limit)s MB.",
                    limit=self.limits.zip_max_bytes // (1024 * 1024),
                ),
                "zip_bomb",
            )


def check_zip(source: IO[bytes], limits: Limits) -> None:
    """Open a ZIP and decompress every member, and every member of a ZIP inside it, refusing it
    past the unpacked-size limit (all levels together), the ratio or the depth limit, or when a
    member's name could write outside the folder it is unpacked into."""
    try:
        _check_zip_level(source, _ZipBudget(limits), depth=1)
    except FileRejected:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        RuntimeError,
        OSError,
        ValueError,  # zipfile's own errors on malformed headers
        EOFError,
    ):
        raise _bad_zip() from None


def _check_zip_level(source: IO[bytes], budget: _ZipBudget, depth: int) -> None:
    with zipfile.ZipFile(source) as archive:
        for member in archive.infolist():
            budget.count_member()
            check_member_name(member.filename)
            if (member.external_attr >> 16) & 0o170000 == _SYMLINK:
                raise FileRejected(
                    _l(
                        "The ZIP file contains a link (%(name)s); send the file itself.",
                        name=_shown(member.filename),
                    ),
                    "zip_link",
                )
            if member.flag_bits & 0x1:
                raise FileRejected(
                    _l("A password-protected ZIP file cannot be checked; send it unprotected."),
                    "zip_encrypted",
                )
            with (
                archive.open(member) as stream,
                tempfile.SpooledTemporaryFile(max_size=CHUNK * 16) as copy,
            ):
                nested: bool | None = None
                unpacked = 0
                # Declared sizes can lie: count what actually comes out.
                while block := stream.read(CHUNK):
                    budget.count_bytes(len(block))
                    unpacked += len(block)
                    if unpacked > ZIP_RATIO_FLOOR and unpacked > ZIP_MAX_RATIO * max(
                        member.compress_size, 1
                    ):
                        raise FileRejected(
                            _l("The ZIP file is packed suspiciously tightly (a zip bomb?)."),
                            "zip_ratio",
                        )
                    if nested is None:
                        nested = block.startswith((b"PK\x03\x04", b"PK\x05\x06"))
                    if nested:
                        copy.write(block)
                if nested:
                    if depth >= ZIP_MAX_DEPTH:
                        raise FileRejected(
                            _l(
                                "The ZIP file has ZIP files inside it more than %(limit)s levels "
                                "deep.",
                                limit=ZIP_MAX_DEPTH,
                            ),
                            "zip_depth",
                        )
                    copy.seek(0)
                    _check_zip_level(copy, budget, depth + 1)


def check_member_name(name: str) -> None:
    """Refuse a ZIP member name that is absolute, climbs with `..`, names a drive, or holds a
    control or invisible character: unpacked, it could land outside the chosen folder."""
    parts = re.split(r"[\\/]", name)
    if (
        name.startswith(("/", "\\"))
        or _DRIVE.match(name)
        or ".." in parts
        or any(_invisible(char) for char in name)
    ):
        raise FileRejected(
            _l(
                "A file inside the ZIP has a name that could unpack outside its folder or hides "
                "characters: %(name)s",
                name=_shown(name),
            ),
            "zip_member_name",
        )


def _invisible(char: str) -> bool:
    """Whether a character is a control, format (zero-width, bidi, tag) or line separator."""
    return unicodedata.category(char) in _INVISIBLE


_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def _shown(name: str) -> str:
    """Return a name safe to show: invisible characters as \\uXXXX, at most 80 characters."""
    shown = "".join(f"\\u{ord(c):04x}" if _invisible(c) else c for c in name)
    return shown if len(shown) <= 80 else shown[:79] + "…"


# --- storing and reading -----------------------------------------------------------------------


def _too_large(limits: Limits) -> FileRejected:
    return FileRejected(
        _l("The file is too large (at most %(limit)s MB).", limit=limits.max_bytes // 1048576),
        "too_large",
    )


def store(
    session: Session,
    request: DataRequest,
    source: IO[bytes],
    filename: str | None,
    *,
    purpose: str,
    limits: Limits,
    keys: filekeys.Keyring,
    staff_id: int | None = None,
    into: filestore.FileStore | None = None,
) -> Attachment:
    """Check an upload, encrypt it into the store, add its row (the caller commits).

    The store is the database through `session` unless `into` names another, so the encrypted
    chunks are committed (or rolled back) with the row. Raise FileRejected, with nothing written,
    when the name, size, type or content is wrong.
    """
    name = clean_filename(filename)
    kind = declared_type(name, limits)
    storage_name = secrets.token_hex(16)
    file_key = AESGCM.generate_key(bit_length=256)
    key_id, wrapped = keys.wrap(file_key, session)
    digest = hashlib.sha256()
    sizes = [0]

    def pieces() -> Iterator[bytes]:
        encryptor = _Encryptor(file_key, storage_name)
        text_check = _TextCheck(kind) if kind in MACHINE_READABLE else None
        yield encryptor.header()
        head = b""
        while block := source.read(CHUNK):
            sizes[0] += len(block)
            if sizes[0] > limits.max_bytes:
                raise _too_large(limits)
            if len(head) < 16:
                head += block[:16]
            if text_check is not None and not text_check.feed(block):
                raise _not_what_it_says()
            digest.update(block)
            yield from encryptor.write(block)
        if sizes[0] == 0:
            raise FileRejected(_l("The file is empty."), "empty")
        sniffed = sniff(head)
        if text_check is not None:
            if sniffed is not None or not text_check.feed(b"", final=True):
                raise _not_what_it_says()
        elif sniffed != kind:
            raise _not_what_it_says()
        if kind == "zip":
            source.seek(0)
            check_zip(source, limits)
        yield encryptor.finish()

    (into or filestore.DatabaseStore(session)).put(storage_name, pieces())
    attachment = Attachment(
        public_id=secrets.token_urlsafe(18),
        purpose=purpose,
        filename=name,
        media_type=MEDIA_TYPES[kind],
        size=sizes[0],
        sha256=digest.hexdigest(),
        storage_name=storage_name,
        key_id=key_id,
        wrapped_key=wrapped,
        staff_id=staff_id,
        created_at=utcnow(),
    )
    request.attachments.append(attachment)
    session.add(attachment)
    session.flush()
    return attachment


def store_all(
    session: Session,
    request: DataRequest,
    uploads: Iterable[tuple[IO[bytes], str | None]],
    *,
    purpose: str,
    limits: Limits,
    app: Any,
    staff_id: int | None = None,
) -> list[Attachment]:
    """Store every upload of one form, or none: a refused file removes those stored before it.

    The refusal names the file it was about (`FileRejected.filename`).
    """
    stored: list[Attachment] = []
    keys = app_keys(app)
    try:
        for stream, name in uploads:
            try:
                stored.append(
                    store(
                        session,
                        request,
                        stream,
                        name,
                        purpose=purpose,
                        limits=limits,
                        keys=keys,
                        staff_id=staff_id,
                    )
                )
            except FileRejected as error:
                error.filename = name
                raise
    except FileRejected:
        for attachment in stored:
            filestore.DatabaseStore(session).delete(attachment.storage_name)
        raise
    return stored


def _not_what_it_says() -> FileRejected:
    return FileRejected(
        _l("The file's content is not what its name says (for example a renamed file)."),
        "content_mismatch",
    )


def discard_file(session: Session, attachment: Attachment, instance_path: Path | str) -> None:
    """Delete an attachment's encrypted file, in the session's transaction (and from the folder
    of files kept before the database store, if it is still there)."""
    filestore.DatabaseStore(session).delete(attachment.storage_name)
    legacy_store(instance_path).delete(attachment.storage_name)


def read_chunks(
    store: filestore.FileStore | Any, keys: filekeys.Keyring, attachment: Attachment
) -> Iterator[bytes]:
    """Yield an attachment's plaintext chunk by chunk (read from the store on the first chunk).

    `store` is a FileStore or an app (whose database store is read, else the instance folder
    for a file not yet moved into the database).
    """
    storage_name, key_id, wrapped = (
        attachment.storage_name,
        attachment.key_id,
        attachment.wrapped_key,
    )
    if hasattr(store, "instance_path"):  # an app
        database, folder = app_store(store), legacy_store(store.instance_path)
        store = folder if not database.has(storage_name) and folder.has(storage_name) else database
    file_key = keys.unwrap(key_id, wrapped)
    yield from decrypt_chunks(store.get(storage_name), file_key, storage_name)


def move_to_database(app: Any) -> Iterator[tuple[str, bool]]:
    """Move every file of the instance folder that a row names into the database, one commit
    per file; yield (storage name, moved). A file already in the database is checked the same
    and its folder copy deleted; a file no row names stays (the purge removes orphans)."""
    folder = legacy_store(app.instance_path)
    database = app_store(app)
    with app.extensions["db_sessionmaker"]() as session:
        named = set(session.scalars(select(Attachment.storage_name)))
    for name in sorted(folder.names()):
        if name not in named:
            yield name, False
            continue
        if not database.has(name):
            database.put(name, folder.get(name))
        if list(_piece_digests(database.get(name))) != list(_piece_digests(folder.get(name))):
            raise RuntimeError(f"{name}: the copy in the database differs from the file")
        folder.delete(name)
        yield name, True


def _piece_digests(pieces: Iterable[bytes]) -> Iterator[str]:
    for piece in pieces:
        yield hashlib.sha256(piece).hexdigest()


def format_size(size: int, lang: str = "en") -> str:
    """Return a size for readers of `lang`: bytes, kB or MB (decimal units, one digit)."""
    if size < 1000:
        return f"{size} B"
    unit, divisor = ("kB", 1000) if size < 1_000_000 else ("MB", 1_000_000)
    return f"{format_decimal(size / divisor, '0.0', locale=locale_of(lang))} {unit}"


@dataclass(frozen=True)
class KeysLeft:
    """What still wraps file keys after a rotation, and what was dropped for wrapping none."""

    older: dict[str, int]
    """Each key id other than the current generation's, with the file keys it wraps."""
    dropped: list[int]
    """Generations removed from the database just now: they wrapped no file key."""
    legacy: dict[str, int]
    """Each key file of the instance folder (`filekeys.LEGACY_KEYS_DIR`), with the file keys it
    wraps (0: it may be deleted after the backups that need it)."""


def keys_left(keyring: filekeys.Keyring) -> KeysLeft:
    """Drop the generations that wrap no file key; return what still wraps file keys."""
    with keyring.sessions() as session:
        used = filekeys.usage(session)
        dropped = filekeys.drop_unused(session)
    current = f"{filekeys.PREFIX}{keyring.current_generation()}"
    return KeysLeft(
        older={key_id: count for key_id, count in sorted(used.items()) if key_id != current},
        dropped=list(dropped),
        legacy={key_id: used.get(key_id, 0) for key_id in keyring.legacy_ids()},
    )
