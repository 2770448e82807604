"""Two processes working through one list: the pages of a build, or the items to check.

A cold build renders its pages in the building process while a forked process runs the checks
(`notice.build.ForkedChecking`). Whichever of the two is done with its own kind of work helps
with the other's: the checks' process, once no item is left to check, renders pages from the
back of the list until the two ends meet; the building process, once no page is left to render,
checks items itself (`CheckShare`), so that a site whose checks outweigh its pages does not wait
for one process to check it all. What each takes is decided as they go (a few at a time, under a
lock both share, in memory a fork shares), so neither waits for the other whatever the machine's
load; every page is rendered, and every item checked, exactly once.
"""

from __future__ import annotations

import mmap
import multiprocessing
import struct
import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any, Protocol

STEP = 8
"""Pages claimed at a time: few enough that the two ends meet evenly, enough that the lock is
taken about once per 8 pages."""

CHECK_SHARES = 24
"""Into how many claims the items to check are cut (at least two items each). Each claim is one
run of the checker over the site and its items, and a run has costs of its own (the site's
rules, the context), so a claim holds many items: 21 at 500 registers; the last claims still
leave the two processes within a claim's time (0.1-0.8 s) of each other."""


class Claims:
    """Claims on the indices 0..count-1 from both ends, in memory that a fork shares."""

    def __init__(self, count: int) -> None:
        self._ends = mmap.mmap(-1, 16)  # anonymous and MAP_SHARED: one copy for parent and child
        self._set(0, count)
        try:
            self._lock: Any = multiprocessing.get_context("fork").Lock()
        except ValueError:  # no fork here: one process takes everything alone
            self._lock = threading.Lock()

    def _get(self) -> tuple[int, int]:
        front, back = struct.unpack_from("qq", self._ends)
        return int(front), int(back)

    def _set(self, front: int, back: int) -> None:
        struct.pack_into("qq", self._ends, 0, front, back)

    def claim(self, step: int, *, from_front: bool = True) -> range:
        """Take up to `step` indices nobody took yet, from one end; an empty range when none."""
        with self._lock:
            front, back = self._get()
            if from_front:
                end = min(front + step, back)
                self._set(end, back)
                return range(front, end)
            start = max(back - step, front)
            self._set(front, start)
            return range(start, back)

    def close(self) -> None:
        self._ends.close()


class Page(Protocol):
    """What is shared out: a file's path and a way to make its bytes (`notice.build.Output`)."""

    path: str
    produce: Callable[[], bytes]


class PageShare:
    """Pages rendered by two processes, one from the front of the list, one from the back.

    With `keep`, each page's bytes go to `keep(path, data)` as soon as they are rendered (the
    build stages them on disk, `notice.staging`) and what it returns stands for the page.
    """

    def __init__(
        self, pages: Sequence[Page], keep: Callable[[str, bytes], Any] | None = None
    ) -> None:
        self.pages = pages
        self._keep = keep
        self._claims = Claims(len(pages))

    def render(self, *, from_front: bool = True) -> dict[str, Any]:
        """Render pages claimed from one end until none are left; return them by path (their
        bytes, or what `keep` made of them)."""
        done: dict[str, Any] = {}
        keep = self._keep
        while claimed := self._claims.claim(STEP, from_front=from_front):
            for index in claimed:
                page = self.pages[index]
                data = page.produce()
                done[page.path] = data if keep is None else keep(page.path, data)
        return done

    def close(self) -> None:
        self._claims.close()


class CheckShare:
    """Items of a check plan checked by two processes, each taking the next few in turn.

    `session` makes the context the runs of one process share: the checker's memory of what it
    worked out per text, which a site whose registers share texts relies on
    (`CheckPlan.session`)."""

    def __init__(
        self,
        items: Sequence[Any],
        check: Callable[[Sequence[Any]], list[Any]],
        session: Callable[[], AbstractContextManager[Any]] = nullcontext,
    ) -> None:
        self.items = items
        self._check = check
        self._session = session
        self._step = max(2, -(-len(items) // CHECK_SHARES))
        self._claims = Claims(len(items))

    def check(self) -> dict[int, Any]:
        """Check items until none are left; return each one's findings by its index."""
        found: dict[int, Any] = {}
        with self._session():
            while claimed := self._claims.claim(self._step):
                batch = self._check([self.items[index] for index in claimed])
                found.update(zip(claimed, batch, strict=True))
        return found

    def close(self) -> None:
        self._claims.close()
