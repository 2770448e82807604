"""Where encrypted files live: a small interface, the database behind it, an old folder beside it.

A stored file is a sequence of pieces, already encrypted by `portal.core.files`: piece 0 is the
header (magic and nonce prefix), then one AES-GCM chunk per piece. A store only keeps and returns
those pieces in order; it never sees a key or a plaintext byte. `DatabaseStore` keeps them as rows
of `file_chunk` (PostgreSQL or SQLite), one row per piece, so instances sharing the database share
the files and nothing is ever held in memory whole. `DiskStore` reads (and deletes) the files that
instances before the database store wrote into `instance/attachments/`. An S3-compatible store
would implement the same four methods.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from portal.core.models import FileChunk

HEADER_BYTES = 12
"""Bytes of piece 0 in a file written by `portal.core.files` (magic and nonce prefix)."""
PIECE_BYTES = 64 * 1024 + 16
"""Bytes of every encrypted chunk but the last (64 KiB of plaintext and the GCM tag)."""
READ_BATCH = 16
"""Pieces read per query (about 1 MiB): few round trips, little memory."""


class FileStore(Protocol):
    """Keeps the encrypted pieces of files by storage name."""

    def put(self, name: str, pieces: Iterable[bytes]) -> int:
        """Store the pieces in order; on any error store nothing. Return how many."""

    def get(self, name: str) -> Iterator[bytes]:
        """Yield the pieces in order (FileNotFoundError if the file is not here)."""

    def delete(self, name: str) -> None:
        """Remove the file if it is here."""

    def names(self) -> set[str]:
        """Return the storage names of every file here."""


class DatabaseStore:
    """Pieces as rows of `file_chunk`, written through a session (in its transaction, so the
    file and its attachment row are committed together) or an engine (each call its own)."""

    def __init__(self, bind: Session | Engine) -> None:
        self.bind = bind

    def _write(self, statement: object) -> None:
        if isinstance(self.bind, Session):
            self.bind.execute(statement)  # type: ignore[call-overload]
        else:
            with self.bind.begin() as connection:
                connection.execute(statement)  # type: ignore[call-overload]

    def put(self, name: str, pieces: Iterable[bytes]) -> int:
        """Insert the pieces one row at a time; delete those inserted if anything fails."""
        count = 0
        try:
            for piece in pieces:
                self._write(insert(FileChunk).values(storage_name=name, seq=count, data=piece))
                count += 1
        except BaseException:
            self.delete(name)
            raise
        return count

    def get(self, name: str) -> Iterator[bytes]:
        """Yield the pieces, reading `READ_BATCH` rows per query (a short transaction each, so a
        slow download holds no connection and at most about 1 MiB is in memory)."""
        seq = 0
        while True:
            pieces = self._read(name, seq)
            if not pieces:
                if seq == 0:
                    raise FileNotFoundError(name)
                return
            yield from pieces
            seq += len(pieces)

    def _read(self, name: str, start: int, count: int = 0) -> list[bytes]:
        query = (
            select(FileChunk.data)
            .where(
                FileChunk.storage_name == name,
                FileChunk.seq >= start,
                FileChunk.seq < start + (count or READ_BATCH),
            )
            .order_by(FileChunk.seq)
        )
        if isinstance(self.bind, Session):
            return list(self.bind.scalars(query))
        with self.bind.connect() as connection:
            return list(connection.scalars(query))

    def has(self, name: str) -> bool:
        """Return whether the file's first piece is here."""
        return bool(self._read(name, 0, 1))

    def delete(self, name: str) -> None:
        """Delete every piece of the file."""
        self._write(delete(FileChunk).where(FileChunk.storage_name == name))

    def names(self) -> set[str]:
        """Return every stored file's name."""
        query = select(FileChunk.storage_name).where(FileChunk.seq == 0)
        if isinstance(self.bind, Session):
            return set(self.bind.scalars(query))
        with self.bind.connect() as connection:
            return set(connection.scalars(query))


class DiskStore:
    """Files as single files in a folder (the layout before the database store)."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)

    def put(self, name: str, pieces: Iterable[bytes]) -> int:
        """Write the pieces to a private temporary file and move it into place."""
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".upload-")
        count = 0
        try:
            with os.fdopen(fd, "wb") as out:
                for piece in pieces:
                    out.write(piece)
                    count += 1
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.folder / name)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return count

    def get(self, name: str) -> Iterator[bytes]:
        """Yield the header, then each encrypted chunk as written."""
        with (self.folder / name).open("rb") as handle:
            yield handle.read(HEADER_BYTES)
            while piece := handle.read(PIECE_BYTES):
                yield piece

    def has(self, name: str) -> bool:
        """Return whether the file is in the folder."""
        return (self.folder / name).is_file()

    def delete(self, name: str) -> None:
        """Delete the file."""
        (self.folder / name).unlink(missing_ok=True)

    def names(self) -> set[str]:
        """Return the names of the files in the folder (temporary ones left out)."""
        if not self.folder.is_dir():
            return set()
        return {path.name for path in self.folder.iterdir() if not path.name.startswith(".")}
