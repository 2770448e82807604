"""Two processes rendering one list of pages: one from the front, one from the back.

A cold build renders its pages in the building process while a forked process runs the checks
(`notice.build.ForkedChecking`). The checks end first, and their process then renders pages
from the back of the same list until the two meet, sending its pages back with the findings.
Which pages each renders is decided as they go (a few at a time, under a lock both share), so
neither waits for the other whatever the machine's load; every page is rendered exactly once.
"""

from __future__ import annotations

import mmap
import multiprocessing
import struct
import threading
from collections.abc import Callable, Sequence
from typing import Any, Protocol

STEP = 8
"""Pages claimed at a time: few enough that the two ends meet evenly, enough that the lock is
taken about once per 8 pages."""


class Page(Protocol):
    """What is shared out: a file's path and a way to make its bytes (`notice.build.Output`)."""

    path: str
    produce: Callable[[], bytes]


class PageShare:
    """Claims on `pages` from both ends, in memory that a fork shares (not copies)."""

    def __init__(self, pages: Sequence[Page]) -> None:
        self.pages = pages
        self._ends = mmap.mmap(-1, 16)  # anonymous and MAP_SHARED: one copy for parent and child
        self._set(0, len(pages))
        try:
            self._lock: Any = multiprocessing.get_context("fork").Lock()
        except ValueError:  # no fork here: the building process renders every page alone
            self._lock = threading.Lock()

    def _get(self) -> tuple[int, int]:
        front, back = struct.unpack_from("qq", self._ends)
        return int(front), int(back)

    def _set(self, front: int, back: int) -> None:
        struct.pack_into("qq", self._ends, 0, front, back)

    def _claim(self, from_front: bool) -> range:
        with self._lock:
            front, back = self._get()
            if from_front:
                end = min(front + STEP, back)
                self._set(end, back)
                return range(front, end)
            start = max(back - STEP, front)
            self._set(front, start)
            return range(start, back)

    def render(self, *, from_front: bool = True) -> dict[str, bytes]:
        """Render pages claimed from one end until none are left; return them by path."""
        done: dict[str, bytes] = {}
        while claimed := self._claim(from_front):
            for index in claimed:
                page = self.pages[index]
                done[page.path] = page.produce()
        return done

    def close(self) -> None:
        self._ends.close()
