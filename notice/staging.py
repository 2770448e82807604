"""A build's pages written as they are rendered, and put in place only once the checks allow it.

A cold build of 500 registers writes about 4,000 files into about 3,000 new folders. Creating a
file or a folder costs the file system far more than renaming one (on the development machines
0.1-0.3 ms against about 0.02 ms), and the build used to do all of it at the end, in one process,
after both processes had rendered. Now each process, the building one and the checks' one
(`notice.page_share`), writes each page it renders under a temporary name beside its place
(`stage`), so the two cores share the writing as they share the rendering. Once the findings
are in and allow the build, the building process renames the staged files into place
(`commit`); a reader still sees the old file or the new one, never half of one. When anything
stops the build (the checks' errors, a page that fails, a checks' process that dies, an
interrupt), `discard` deletes every staged file and the folders the build made, so the output
is as it was: nothing was written.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

SUFFIX = ".tmp"
"""Added to a file's name while it is staged (as for any file this module writes in place)."""


class Staging:
    """Pages of one build, staged beside their places in `out_dir` and committed or discarded.

    Made in the building process before the checks' process forks, so both share what it knew
    then: which folders existed (`discard` removes only the others).
    """

    def __init__(self, out_dir: Path, paths: Iterable[str]) -> None:
        self.out_dir = out_dir
        self.paths = list(paths)
        self._existed = out_dir.is_dir()
        folders = {(out_dir / path).parent for path in self.paths}
        self._made: set[Path] = set()
        if self._existed:  # the folders missing now, and their parents up to one that exists
            for folder in folders:
                while folder not in self._made and folder != out_dir and not folder.is_dir():
                    self._made.add(folder)
                    folder = folder.parent
        else:  # every folder up to the output folder is new, and its parents that are missing
            self._made = {folder for path in folders for folder in _up_to(path, out_dir)}
            self._made.update(parent for parent in out_dir.parents if not parent.is_dir())
        self._known: set[Path] = set()  # folders this process knows exist (per process)

    def stage(self, path: str, data: bytes) -> bool:
        """Write `data` under a temporary name beside `path`, unless the file holds these very
        bytes already; return whether it was staged (False: it is unchanged)."""
        target = self.out_dir / path
        folder = target.parent
        if folder not in self._known:
            folder.mkdir(parents=True, exist_ok=True)
            self._known.update(_up_to(folder, self.out_dir))
        name = os.fspath(target)
        try:
            if os.stat(name).st_size == len(data) and target.read_bytes() == data:
                return False
        except FileNotFoundError:
            pass
        write_file(name + SUFFIX, data)
        return True

    def commit(self, path: str) -> None:
        """Put a staged file in its place."""
        name = os.fspath(self.out_dir / path)
        os.replace(name + SUFFIX, name)

    def discard(self) -> None:
        """Delete every staged file (whichever process staged it) and the folders this build
        made that are left empty."""
        for path in self.paths:
            try:
                os.unlink(os.fspath(self.out_dir / path) + SUFFIX)
            except FileNotFoundError:
                pass
        # Deepest first, so that a folder's subfolders are gone before it; a folder that holds
        # anything else stays.
        for folder in sorted(self._made, key=lambda f: len(f.parts), reverse=True):
            try:
                folder.rmdir()
            except OSError:
                pass


def _up_to(folder: Path, out_dir: Path) -> list[Path]:
    """Return `folder` and its parents up to and including `out_dir`."""
    chain = [folder]
    while folder != out_dir and folder.parent != folder:
        folder = folder.parent
        chain.append(folder)
    return chain


def write_file(name: str, data: bytes) -> None:
    """Create (or truncate) the file `name` and write `data` to it."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
    handle = os.open(name, flags, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view) :]
    finally:
        os.close(handle)
