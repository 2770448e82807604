"""Owner-only files of the instance folder (keys, secrets): one way to write them, durably.

Every key the portal keeps in a file is written here: to a private temporary file beside its
place (mode 0600 from the start, never briefly readable by others), flushed and fsynced, then
linked or renamed into place and the folder fsynced. A reader never sees a half-written key, a
crash never leaves one, and two workers creating the same key at once end up with one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_owner_only(path: Path, data: bytes, *, replace: bool = False) -> bool:
    """Write `data` to `path`, readable and writable by its owner only (0600), atomically.

    Without `replace` an existing file is kept and False returned (another process created it
    first); with `replace` the file is replaced in one step. Return True when written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")  # mode 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if replace:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)
            except FileExistsError:
                return False
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)
    _fsync_folder(path.parent)
    return True


def _fsync_folder(folder: Path) -> None:
    """Make the new name in `folder` durable too (a link is a change of the folder)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
