"""Keep the cache home from growing for ever: delete what no build has used for a month.

Every output folder gets its own build cache in the cache home (`notice.buildcache`), and the
compiled templates of every catalog and version of the rendering code stay in `templates/`
(`notice.template_cache`). A continuous-integration runner that builds into a new temporary
folder each time, or a person trying ten output folders, would leave a cache behind each time.
A build marks what it uses (`mark_used`: the file's or folder's modification time); once a day
at most, a successful build deletes the output-folder caches and compiled templates of the
cache home that nothing used for `UNUSED_FOR`. Deleting one costs at most a cold build.

Only what the notice made is touched: folders named as `buildcache.cache_dir_for` names them
(32 hexadecimal digits) and `templates/*.code` files, of this user. A folder given with
`--cache-dir` outside the cache home is the person's own and is never pruned.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import time
from pathlib import Path

UNUSED_FOR = 30 * 24 * 3600
"""Seconds without a build using it after which an output folder's cache or a compiled template
is deleted."""

PRUNE_EVERY = 24 * 3600
"""Seconds between two prunings of one cache home (the stamp file's age)."""

STAMP = "pruned"
"""The file in the cache home whose modification time says when it was last pruned."""

_CACHE_FOLDER = re.compile(r"[0-9a-f]{32}")


def mark_used(path: Path, *, now: float | None = None) -> None:
    """Set `path`'s modification time to now, if it is older than an hour (a build uses it)."""
    now = time.time() if now is None else now
    with contextlib.suppress(OSError):  # a cache that cannot be marked is merely pruned sooner
        if now - path.stat().st_mtime > 3600:
            os.utime(path, (now, now))


def prune(home: Path, *, now: float | None = None) -> list[Path]:
    """Delete the caches and templates of `home` unused for UNUSED_FOR; return what was deleted.

    Does nothing when `home` was pruned less than PRUNE_EVERY ago; errors (a folder deleted by a
    build running meanwhile, a file of another user) leave that entry where it is.
    """
    now = time.time() if now is None else now
    stamp = home / STAMP
    try:
        if now - stamp.stat().st_mtime < PRUNE_EVERY:
            return []
    except FileNotFoundError:
        pass
    except OSError:
        return []
    try:
        stamp.touch()
        os.utime(stamp, (now, now))
    except OSError:
        return []  # a cache home we cannot write to is not ours to prune
    deleted: list[Path] = []
    uid = os.getuid()
    for entry in _entries(home):
        try:
            info = entry.lstat()
        except OSError:
            continue
        if info.st_uid != uid or now - info.st_mtime < UNUSED_FOR:
            continue
        try:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        except OSError:
            continue
        deleted.append(entry)
    return deleted


def _entries(home: Path) -> list[Path]:
    """Return the output-folder caches of `home` and its compiled templates."""
    found: list[Path] = []
    with contextlib.suppress(OSError):
        found += [path for path in home.iterdir() if _CACHE_FOLDER.fullmatch(path.name)]
    with contextlib.suppress(OSError):
        found += sorted((home / "templates").glob("*.code"))
    return found
