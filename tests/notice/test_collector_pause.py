"""The collector paused while loading, checking or building (`notice.checking.no_cyclic_gc`).

What a pause made is set aside when the collector resumes, so its first pass does not walk the
whole content again; and cyclic garbage is not kept for longer than one more run.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from notice.checking import no_cyclic_gc


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


@pytest.fixture(autouse=True)
def nothing_set_aside() -> Iterator[None]:
    gc.unfreeze()
    gc.enable()
    yield
    gc.unfreeze()
    gc.enable()


def test_what_a_pause_made_is_set_aside_and_the_collector_runs_again() -> None:
    with no_cyclic_gc():
        assert not gc.isenabled()
        kept = [[index] for index in range(50_000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(kept)
    # The first pass after the pause walks none of them: young generations are empty of them.
    young = {id(item) for item in gc.get_objects(0)}
    assert not any(id(item) in young for item in kept)


def test_cyclic_garbage_of_a_pause_is_collected_after_the_next_one() -> None:
    with no_cyclic_gc():
        node = _Node()
        gone = weakref.ref(node)
        del node
    gc.collect()
    assert gone() is not None  # set aside with the rest of the first run
    with no_cyclic_gc():
        pass
    assert gc.get_freeze_count() == 0  # the second pause set nothing aside
    gc.collect()
    assert gone() is None


def test_a_pause_inside_a_pause_leaves_the_collector_to_the_outer_one() -> None:
    with no_cyclic_gc():
        with no_cyclic_gc():
            pass
        assert not gc.isenabled()
        assert gc.get_freeze_count() == 0
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0
