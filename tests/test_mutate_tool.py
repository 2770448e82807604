"""scripts/mutate.py: the time limit for a run of only the tests that execute a mutant's lines, and
which mutants a --survivors run runs again."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

import pytest

from tests import REPO_ROOT


@pytest.fixture(scope="module")
def mutate() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "mutate_tool", REPO_ROOT / "scripts" / "mutate.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["mutate_tool"] = module  # dataclasses look their module up while the class is made
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules["mutate_tool"]
    return module


# A baseline of 100 s: 10 s outside the tests, 90 s in them.
COVERED = {
    "seconds": {"t/a.py::one": 2.0, "t/a.py::two": 3.0, "t/b.py::three": 85.0},
    "setup": {"t/a.py::one": 1.5, "t/a.py::two": 0.5, "t/b.py::three": 40.0},
}


def test_a_selection_gets_three_times_its_own_time_with_start_up_and_set_up(
    mutate: ModuleType,
) -> None:
    # 3 × (10 start-up + 3 the test + 1.5 the file's longest set-up) + 30
    assert mutate.covering_timeout(COVERED, ["-m", "x", "t/a.py::two"], 100.0, 310.0) == 73.5
    # both files: 3 × (10 + 2 + 85 + 1.5 + 40) + 30 = 445.5, more than the whole list's 310
    assert mutate.covering_timeout(COVERED, ["t/a.py::one", "t/b.py::three"], 100.0, 310.0) == 310.0


def test_without_the_baselines_times_the_whole_lists_limit_applies(mutate: ModuleType) -> None:
    assert mutate.covering_timeout({"order": []}, ["t/a.py::one"], 100.0, 310.0) == 310.0
    assert mutate.covering_timeout(COVERED, ["t/a.py::unknown"], 100.0, 310.0) == 310.0
    assert mutate.covering_timeout(COVERED, ["-m", "x"], 100.0, 310.0) == 310.0


def test_survivors_and_mutants_taken_off_the_equivalents_list_run_again(
    mutate: ModuleType,
) -> None:
    previous = {
        "survivors": [{"id": "f: delete Expr #1", "line": 3}],
        "equivalent_ids": ["g: return None #1", "h: const 1->2 #1"],
    }
    equivalents = {"h: const 1->2 #1": "a reason", "f: delete Expr #1": "found equivalent since"}
    again, still = mutate.run_again(previous, equivalents)
    assert again == {"f: delete Expr #1", "g: return None #1"}
    assert still == {"h: const 1->2 #1"}


def test_a_run_that_recorded_no_equivalent_ids_runs_only_its_survivors(mutate: ModuleType) -> None:
    again, still = mutate.run_again({"survivors": [{"id": "f: delete Expr #1"}]}, {"x": "y"})
    assert (again, still) == ({"f: delete Expr #1"}, set())
