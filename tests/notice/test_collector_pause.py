"""The collector paused while loading, checking or building (`notice.checking.no_cyclic_gc`).

What a pause made is set aside when the collector resumes, so its first pass does not walk the
whole content again; and cyclic garbage is not kept for longer than one more run.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from notice import checking
from notice.checking import no_cyclic_gc


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


@pytest.fixture(autouse=True)
def nothing_set_aside(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    gc.unfreeze()
    gc.enable()
    monkeypatch.setattr(checking, "_set_aside_by_us", False)
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


def test_a_pause_after_one_that_set_aside_does_not_count_what_was_set_aside(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Counting walks every set-aside object (40 ms after a build of 500 registers): `notice
    # serve` paid it on every rebuild. The module knows what it set aside itself.
    counted: list[int] = []
    real = gc.get_freeze_count

    def counting() -> int:
        counted.append(real())
        return counted[-1]

    monkeypatch.setattr(gc, "get_freeze_count", counting)
    with no_cyclic_gc():
        kept = [[index] for index in range(1_000)]
    assert counted == [0]  # asked once, before anything was set aside
    with no_cyclic_gc():
        pass
    assert counted == [0]  # not asked again: it set those aside itself
    assert real() == 0  # and they are back in the collector's care
    assert kept


def test_what_someone_else_set_aside_is_respected() -> None:
    gc.freeze()  # a server that set its objects aside before forking, say
    before = gc.get_freeze_count()
    with no_cyclic_gc():
        made = [[index] for index in range(1_000)]
    assert gc.get_freeze_count() == before  # nothing of this pause added to theirs
    assert made
