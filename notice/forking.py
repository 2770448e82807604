"""Share a large batch of pure-Python work with one forked process, when there are two cores.

Loading, checking and rendering a large site are CPU-bound Python. `halves(work, items)` runs
`work` on the second half of `items` in a child forked from this process (which inherits
everything loaded so far, so nothing but the results is pickled) while this process does the
first half, and returns the results in order. It does the whole batch here when the batch is
small, when there is one core, where fork does not exist, and once WeasyPrint's native libraries
are loaded (they are not fork-safe).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_WORK: tuple[Callable[[Sequence[Any]], list[Any]], Sequence[Any]] | None = None
"""What the forked child works on: inherited from the parent, never pickled."""


def cores() -> int:
    """Return the number of cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether a second process may be forked from this one to share work."""
    return (
        cores() >= 2
        and "fork" in multiprocessing.get_all_start_methods()
        and "weasyprint" not in sys.modules
    )


def halves(work: Callable[[Sequence[T]], list[R]], items: Sequence[T], minimum: int) -> list[R]:
    """Return `work(items)`, computed in two processes when there are at least `minimum` items.

    `work` must return one result per item, in order, and its results must pickle.
    """
    if len(items) < minimum or not can_fork():
        return work(items)
    global _WORK
    _WORK = (work, items)
    half = len(items) // 2
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            theirs = pool.submit(_work_on, half, len(items))
            mine = work(items[:half])
            return mine + theirs.result()
    finally:
        _WORK = None


def _work_on(start: int, stop: int) -> list[Any]:
    assert _WORK is not None
    work, items = _WORK
    return work(items[start:stop])
