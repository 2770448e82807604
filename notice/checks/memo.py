"""Per-run memoization of the checker's pure text functions.

Many registers of a site share their texts (standard sentences, copied sections), and the rules
ask the same questions of the same text again and again (does this sentence speak of consent?).
`per_run` caches such a pure function for the duration of one `run_checks`; `fresh_run` empties
every cache, so that one run never answers from another's memory and memory does not grow across
runs in a long-lived process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

_CACHES: list[Any] = []
_depth = 0


def per_run(function: F) -> F:
    """Memoize `function` (hashable arguments, no side effects) until the next `fresh_run`."""
    cached = lru_cache(maxsize=None)(function)
    _CACHES.append(cached)
    return cached  # type: ignore[return-value]


def clear() -> None:
    """Empty every per-run cache."""
    for cached in _CACHES:
        cached.cache_clear()


@contextmanager
def fresh_run() -> Iterator[None]:
    """Run a block with empty caches, emptied again afterwards (nested blocks share the outer's)."""
    global _depth
    if _depth == 0:
        clear()
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0:
            clear()
