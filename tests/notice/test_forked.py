"""`notice.forked`: a whole result is taken without waiting for the child's end, which is
reaped later; a child that sends nothing is waited for and its exit status kept."""

from __future__ import annotations

import os
import time

import pytest

from notice import forked

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


def slow_to_end(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """Make a forked child linger `seconds` in its end, after its result is sent."""
    real_exit = os._exit

    def lingering(code: int) -> None:
        time.sleep(seconds)
        real_exit(code)

    monkeypatch.setattr(os, "_exit", lingering)


def test_a_whole_result_is_taken_while_the_child_is_still_ending(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    slow_to_end(monkeypatch, 3)
    child = forked.Forked(lambda: {"findings": [1, 2]})
    pid = child._pid
    assert child.result() == {"findings": [1, 2]}
    assert child.exit_code == 0
    # Still ending: not waited for, kept to be reaped.
    assert os.waitpid(pid, os.WNOHANG) == (0, 0)
    assert pid in forked._ENDING
    forked.reap_ended(wait=True)
    assert pid not in forked._ENDING
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def test_a_child_that_sends_nothing_is_waited_for_and_its_status_kept() -> None:
    def dies() -> object:
        os._exit(7)

    child = forked.Forked(dies)
    assert child.result() is None
    assert child.exit_code == 7
    assert not forked._ENDING


def test_a_result_of_none_is_a_result() -> None:
    child = forked.Forked(lambda: None)
    assert child.result() is None
    assert child.exit_code == 0
    forked.reap_ended(wait=True)
