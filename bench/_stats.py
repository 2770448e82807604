"""Shared timing, comparison and reporting for the benchmarks in bench/.

Each benchmark times a step several times with `time_runs`, compares medians with `ratio`, states
its targets as `Check`s, prints `table`s and writes `bench/results/<name>.json` with
`write_results`. Medians, because a shared 2-core machine makes single runs noisy; min and max are
kept so the spread is visible.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"


@dataclass
class Timing:
    """Wall-clock seconds of repeated runs of one step."""

    label: str
    seconds: list[float] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)
    """CPU time of this process per run (children not included): on a busy shared machine it
    shows what a step costs when wall-clock time mostly shows the others' load."""

    @property
    def median(self) -> float:
        """Return the median run time."""
        return statistics.median(self.seconds)

    @property
    def min(self) -> float:
        """Return the fastest run time."""
        return min(self.seconds)

    @property
    def max(self) -> float:
        """Return the slowest run time."""
        return max(self.seconds)

    @property
    def cpu_median(self) -> float:
        """Return the median CPU time of this process per run."""
        return statistics.median(self.cpu_seconds)

    def as_dict(self) -> dict[str, Any]:
        """Return the timing as JSON-ready data."""
        data = {
            "label": self.label,
            "runs": len(self.seconds),
            "median_s": self.median,
            "min_s": self.min,
            "max_s": self.max,
            "seconds": self.seconds,
        }
        if self.cpu_seconds:
            data["cpu_median_s"] = self.cpu_median
            data["cpu_seconds"] = self.cpu_seconds
        return data


def time_runs(
    label: str,
    step: Callable[[], object],
    *,
    runs: int,
    prepare: Callable[[int], object] | None = None,
    children: bool = False,
) -> Timing:
    """Time `step` `runs` times; `prepare(run_index)` runs untimed before each run.

    With `children`, the CPU of child processes the step started and waited for counts too (the
    notice build checks in a forked child beside its rendering).
    """
    timing = Timing(label)
    clock = _with_children if children else time.process_time
    for index in range(runs):
        if prepare is not None:
            prepare(index)
        # Collect first so one run's garbage is not charged to the next.
        gc.collect()
        cpu = clock()
        start = time.perf_counter()
        step()
        timing.seconds.append(time.perf_counter() - start)
        timing.cpu_seconds.append(clock() - cpu)
    return timing


def _with_children() -> float:
    """Return the CPU seconds of this process and of its children that it waited for."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def ratio(numerator: Timing | float, denominator: Timing | float) -> float:
    """Return median(numerator) / median(denominator)."""
    top = numerator.median if isinstance(numerator, Timing) else numerator
    bottom = denominator.median if isinstance(denominator, Timing) else denominator
    return top / bottom if bottom else float("inf")


@dataclass(frozen=True)
class Check:
    """A target a benchmark promises, e.g. "ours vs MkDocs >= 8x"."""

    name: str
    value: float
    target: float
    better: Literal["higher", "lower"]
    unit: str = "x"

    @property
    def met(self) -> bool:
        """Return True when the measured value meets the target."""
        return self.value >= self.target if self.better == "higher" else self.value < self.target

    def describe(self) -> list[str]:
        """Return the check as a table row: name, value, target, verdict."""
        sign = ">=" if self.better == "higher" else "<"
        return [
            self.name,
            format_number(self.value, self.unit),
            f"{sign} {format_number(self.target, self.unit)}",
            "met" if self.met else "MISSED",
        ]

    def as_dict(self) -> dict[str, Any]:
        """Return the check as JSON-ready data."""
        return {
            "name": self.name,
            "value": self.value,
            "target": self.target,
            "better": self.better,
            "unit": self.unit,
            "met": self.met,
        }


def format_seconds(seconds: float) -> str:
    """Format a duration for people: ms below one second, s above."""
    if seconds < 1:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds:.2f} s"


def format_number(value: float, unit: str) -> str:
    """Format a ratio (`x`) or a percentage (`%`)."""
    if unit == "%":
        return f"{value * 100:.1f} %"
    return f"{value:.2f}{unit}"


def timing_row(timing: Timing, *extra: str) -> list[str]:
    """Return label, median, min, max and runs of `timing`, followed by `extra` columns."""
    return [
        timing.label,
        format_seconds(timing.median),
        format_seconds(timing.min),
        format_seconds(timing.max),
        str(len(timing.seconds)),
        *extra,
    ]


TIMING_HEADERS = ["step", "median", "min", "max", "runs"]


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Lay out rows under headers in aligned columns (text left, numbers right)."""
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        parts = []
        for index, (cell, width) in enumerate(zip(cells, widths, strict=True)):
            parts.append(cell.ljust(width) if index == 0 else cell.rjust(width))
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


def machine() -> dict[str, Any]:
    """Describe where the numbers were measured, so results from different machines aren't mixed."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "commit": commit or None,
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def write_results(name: str, payload: dict[str, Any], directory: Path = RESULTS_DIR) -> Path:
    """Write `payload` plus machine facts to `<directory>/<name>.json` and return the path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.json"
    data = {"benchmark": name, "machine": machine(), **payload}
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
