"""Files of a request (staff's data copy, the person's reply, a scanned letter), encrypted at rest.

Every file is checked before anything is kept: its name (no path separators, no control or
bidirectional characters), its size, and its type, sniffed from its first bytes and required to
agree with its name's extension; a ZIP is opened and every member decompressed and counted, so a
zip bomb stops at `ATTACHMENT_ZIP_MAX_MB`. A rejected file leaves nothing behind.

Envelope encryption: each file gets its own random 256-bit key and is written as AES-256-GCM
chunks of 64 KiB (`_seal_chunk`), each chunk's nonce being the file's random prefix plus the chunk
counter and each chunk's associated data naming the file, the counter and whether it is the last
chunk, so chunks cannot be reordered, swapped between files or cut off. The file key is stored in
the database encrypted ("wrapped") with the instance's file key (`instance/file-keys/<id>.key`,
0600, made by `portal init`). Uploads and downloads stream chunk by chunk: a 20 MB package is
never in memory at once. Rotating the instance key (`portal files rotate-key`) re-wraps only the
small file keys; the files themselves are not rewritten (docs/portal-files.md).
"""

from __future__ import annotations

import base64
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

from portal.core.models import Attachment, DataRequest, utcnow

CHUNK = 64 * 1024
"""Plaintext bytes per encrypted chunk (and per read of an upload)."""
TAG = 16
MAGIC = b"SLF1"
PREFIX_BYTES = 8
FILES_DIR = "attachments"
KEYS_DIR = "file-keys"
CURRENT_KEY = "current"
WRAP_AAD = b"seloste file key v1"
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
    def from_config(cls, config: Any, types: Iterable[str] | None = None) -> Limits:
        """Return the limits the app's settings give (optionally narrowed to `types`)."""
        allowed = {t.strip() for t in str(config["ATTACHMENT_TYPES"]).split(",") if t.strip()}
        if types is not None:
            allowed &= set(types)
        return cls(
            max_bytes=int(config["ATTACHMENT_MAX_MB"]) * 1024 * 1024,
            types=frozenset(allowed),
            zip_max_bytes=int(config["ATTACHMENT_ZIP_MAX_MB"]) * 1024 * 1024,
        )


# --- keys --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileKeys:
    """The instance's file keys by id, and which one wraps new files."""

    keys: dict[str, bytes]
    current: str

    def wrap(self, file_key: bytes) -> tuple[str, bytes]:
        """Encrypt a file key with the current instance key; return (key id, wrapped key)."""
        nonce = os.urandom(12)
        return self.current, nonce + AESGCM(self.keys[self.current]).encrypt(
            nonce, file_key, WRAP_AAD
        )

    def unwrap(self, key_id: str, wrapped: bytes) -> bytes:
        """Decrypt a wrapped file key (KeyError: the instance key is gone)."""
        return AESGCM(self.keys[key_id]).decrypt(wrapped[:12], wrapped[12:], WRAP_AAD)


def _key_id(key: bytes) -> str:
    return hashlib.sha256(b"seloste file key id" + key).hexdigest()[:16]


def _write_private(path: Path, data: bytes) -> bool:
    """Create `path` with mode 0600 holding `data`; False if it already exists."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".key-")  # mode 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        return True
    finally:
        os.unlink(tmp)


def new_key(instance_path: Path | str) -> str:
    """Create a new instance file key, make it the current one, and return its id."""
    folder = Path(instance_path) / KEYS_DIR
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = AESGCM.generate_key(bit_length=256)
    key_id = _key_id(key)
    _write_private(folder / f"{key_id}.key", base64.b64encode(key) + b"\n")
    pointer = folder / f".{CURRENT_KEY}-{secrets.token_hex(4)}"
    pointer.write_text(key_id + "\n", encoding="ascii")
    os.chmod(pointer, 0o600)
    os.replace(pointer, folder / CURRENT_KEY)
    return key_id


def load_keys(instance_path: Path | str) -> FileKeys:
    """Return the instance's file keys, creating the first one (0600) if there is none."""
    folder = Path(instance_path) / KEYS_DIR
    if not (folder / CURRENT_KEY).is_file():
        new_key(instance_path)
    keys = {path.stem: base64.b64decode(path.read_bytes().strip()) for path in folder.glob("*.key")}
    current = (folder / CURRENT_KEY).read_text(encoding="ascii").strip()
    for key_id, key in keys.items():
        if _key_id(key) != key_id or len(key) != 32:
            raise ValueError(f"{folder / key_id}.key is not the key its name says")
    if current not in keys:
        raise ValueError(f"{folder / CURRENT_KEY} names a key that is missing")
    return FileKeys(keys=keys, current=current)


def app_keys(app: Any) -> FileKeys:
    """Return the app's file keys (loaded once per app)."""
    keys = app.extensions.get("portal_file_keys")
    if keys is None:
        keys = app.extensions["portal_file_keys"] = load_keys(app.instance_path)
    return keys


def files_dir(instance_path: Path | str) -> Path:
    """Return (and create, 0700) the folder of encrypted files."""
    folder = Path(instance_path) / FILES_DIR
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


# --- chunked AEAD ------------------------------------------------------------------------------


def _aad(storage_name: str, index: int, last: bool) -> bytes:
    return storage_name.encode("ascii") + struct.pack(">I?", index, last)


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + struct.pack(">I", index)


class _Encryptor:
    """Write plaintext as numbered AES-GCM chunks; the last chunk is marked as last."""

    def __init__(self, out: IO[bytes], key: bytes, storage_name: str) -> None:
        self.out = out
        self.aead = AESGCM(key)
        self.name = storage_name
        self.prefix = os.urandom(PREFIX_BYTES)
        self.index = 0
        self.pending = b""
        out.write(MAGIC + self.prefix)

    def write(self, data: bytes) -> None:
        self.pending += data
        # Keep at least one byte back: only `finish` knows which chunk is the last.
        while len(self.pending) > CHUNK:
            self._emit(self.pending[:CHUNK], last=False)
            self.pending = self.pending[CHUNK:]

    def finish(self) -> None:
        self._emit(self.pending, last=True)
        self.pending = b""

    def _emit(self, chunk: bytes, *, last: bool) -> None:
        nonce = _nonce(self.prefix, self.index)
        self.out.write(self.aead.encrypt(nonce, chunk, _aad(self.name, self.index, last)))
        self.index += 1


def decrypt_chunks(handle: IO[bytes], key: bytes, storage_name: str) -> Iterator[bytes]:
    """Yield the plaintext of an encrypted file chunk by chunk; raise on any tampering."""
    head = handle.read(len(MAGIC) + PREFIX_BYTES)
    if head[: len(MAGIC)] != MAGIC or len(head) != len(MAGIC) + PREFIX_BYTES:
        raise InvalidTag("not an encrypted portal file")
    prefix = head[len(MAGIC) :]
    aead = AESGCM(key)
    index = 0
    current = handle.read(CHUNK + TAG)
    while True:
        following = handle.read(CHUNK + TAG) if len(current) == CHUNK + TAG else b""
        last = not following
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
    instance_path: Path | str,
    keys: FileKeys,
    staff_id: int | None = None,
) -> Attachment:
    """Check an upload, encrypt it into the instance folder, add its row (the caller commits).

    Raise FileRejected, with nothing written, when the name, size, type or content is wrong.
    """
    name = clean_filename(filename)
    kind = declared_type(name, limits)
    folder = files_dir(instance_path)
    storage_name = secrets.token_hex(16)
    file_key = AESGCM.generate_key(bit_length=256)
    digest = hashlib.sha256()
    size = 0
    text_check = _TextCheck(kind) if kind in MACHINE_READABLE else None
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            encryptor = _Encryptor(out, file_key, storage_name)
            head = b""
            while block := source.read(CHUNK):
                size += len(block)
                if size > limits.max_bytes:
                    raise _too_large(limits)
                if len(head) < 16:
                    head += block[:16]
                if text_check is not None and not text_check.feed(block):
                    raise _not_what_it_says()
                digest.update(block)
                encryptor.write(block)
            if size == 0:
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
            encryptor.finish()
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, folder / storage_name)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    key_id, wrapped = keys.wrap(file_key)
    attachment = Attachment(
        public_id=secrets.token_urlsafe(18),
        purpose=purpose,
        filename=name,
        media_type=MEDIA_TYPES[kind],
        size=size,
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
                        instance_path=app.instance_path,
                        keys=keys,
                        staff_id=staff_id,
                    )
                )
            except FileRejected as error:
                error.filename = name
                raise
    except BaseException:
        for attachment in stored:
            discard_file(app.instance_path, attachment)
        raise
    return stored


def _not_what_it_says() -> FileRejected:
    return FileRejected(
        _l("The file's content is not what its name says (for example a renamed file)."),
        "content_mismatch",
    )


def discard_file(instance_path: Path | str, attachment: Attachment) -> None:
    """Delete an attachment's encrypted file (after its row is gone or its upload rolled back)."""
    (Path(instance_path) / FILES_DIR / attachment.storage_name).unlink(missing_ok=True)


def read_chunks(
    instance_path: Path | str, keys: FileKeys, attachment: Attachment
) -> Iterator[bytes]:
    """Yield an attachment's plaintext chunk by chunk (the file is opened on the first chunk)."""
    file_key = keys.unwrap(attachment.key_id, attachment.wrapped_key)
    path = Path(instance_path) / FILES_DIR / attachment.storage_name
    with path.open("rb") as handle:
        yield from decrypt_chunks(handle, file_key, attachment.storage_name)


def rewrap_all(session: Session, keys: FileKeys) -> int:
    """Re-wrap every file key with the current instance key; return how many changed."""
    changed = 0
    for attachment in session.scalars(select(Attachment).where(Attachment.key_id != keys.current)):
        file_key = keys.unwrap(attachment.key_id, attachment.wrapped_key)
        attachment.key_id, attachment.wrapped_key = keys.wrap(file_key)
        changed += 1
    session.flush()
    return changed


def format_size(size: int, locale: str = "en") -> str:
    """Return a size for people in `locale`: bytes, kB or MB (decimal units, one digit)."""
    if size < 1000:
        return f"{size} B"
    unit, divisor = ("kB", 1000) if size < 1_000_000 else ("MB", 1_000_000)
    return f"{format_decimal(size / divisor, '0.0', locale=locale)} {unit}"


def register_commands(group: Any) -> None:
    """Add `files rotate-key` to the portal command group."""
    import click
    from flask import current_app

    from portal.db import get_session

    @group.group("files")
    def files_group() -> None:
        """Encrypted attachments: the instance's file keys."""

    @files_group.command("rotate-key")
    def rotate_key_command() -> None:
        """Make a new file key current and re-wrap every file's key with it."""
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        new_id = new_key(app.instance_path)
        keys = load_keys(app.instance_path)
        app.extensions["portal_file_keys"] = keys
        session = get_session()
        changed = rewrap_all(session, keys)
        session.commit()
        used = set(session.scalars(select(Attachment.key_id).distinct()))
        retired = sorted(set(keys.keys) - used - {new_id})
        click.echo(f"current file key: {new_id}; re-wrapped {changed} file key(s)")
        for key_id in retired:
            click.echo(f"no file uses {KEYS_DIR}/{key_id}.key any more: delete it after backups")
