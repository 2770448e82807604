"""Benchmark the command line's start-up: every command's `--help`, and `notice check`.

    .venv/bin/python -m bench.cli_startup [--runs 7]

Each line runs the command in a fresh process, as a person does, and takes the median of
`--runs` runs; `python -c pass` (the interpreter alone) is measured in the same run as the
baseline, so the `over python` column is what the command itself costs. `portal staff list` runs
against a throw-away instance (SQLite, one account) made by `portal init`. CPU is the child
process's own user + system time, which a busy machine inflates less than wall-clock time.
Byte-code caches are allowed (PYTHONDONTWRITEBYTECODE is dropped for the commands): the unmeasured
first run writes them, as a person's first run of an installed tool does, so the measured runs
do not compile every imported module again (which alone took seconds for `portal staff list`).
Targets (issue 22): `notice --help` and `portal --help` < 0.5 s, `portal staff list` < 1 s.
Results land in bench/results/cli_startup.json.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench._stats import (
    ROOT,
    TIMING_HEADERS,
    Check,
    Timing,
    format_seconds,
    table,
    timing_row,
    write_results,
)

PYTHON = sys.executable
HELP_TARGET = 0.5
STAFF_LIST_TARGET = 1.0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_process(label: str, argv: list[str], runs: int, env: dict[str, str]) -> Timing:
    """Run `argv` `runs` times (after one unmeasured warm-up) and time each run."""
    timing = Timing(label)
    for run in range(runs + 1):
        cpu = _children_cpu()
        start = time.perf_counter()
        done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, check=False)
        seconds = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(f"{label} failed ({done.returncode}): {done.stderr.decode()[-500:]}")
        if run:  # the first run warms the file cache and the byte-code
            timing.seconds.append(seconds)
            timing.cpu_seconds.append(_children_cpu() - cpu)
    return timing


def command_names(cli: str) -> list[str]:
    """Return the commands `cli --help` lists (the help itself is what is measured)."""
    shown = subprocess.run(
        [PYTHON, "-c", f"from {cli}.cli import main; main()", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    listing = shown.split("Commands:")[1].splitlines()
    return [line.split()[0] for line in listing if line.startswith("  ") and line[2] != " "]


def prepare_instance(folder: Path, env: dict[str, str]) -> list[str]:
    """Make an instance with one account; return the argv that lists its accounts.

    The command runs as `portal staff list` does, on `portal.cli.create_database_app`, with the
    instance folder given instead of the default one.
    """
    code = (
        "import sys; from pathlib import Path; from flask.cli import ScriptInfo; "
        "from portal.cli import create_database_app, main; "
        f"main(sys.argv[1:], obj=ScriptInfo(create_app=lambda: create_database_app("
        f"Path({str(folder)!r}))))"
    )
    subprocess.run(
        [PYTHON, "-c", code, "init", "--instance", str(folder)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=True,
    )
    subprocess.run(
        [PYTHON, "-c", code, "staff", "add", "ilona", "--name", "Ilona Ek", "--role", "admin"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=True,
    )
    return [PYTHON, "-c", code, "staff", "list"]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the tables and write bench/results/cli_startup.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="seloste-cli-") as tmp:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("PORTAL_") and key != "PYTHONDONTWRITEBYTECODE"
        }
        env["PORTAL_DATABASE_URL"] = f"sqlite:///{tmp}/portal.db"
        baseline = time_process("python -c pass", [PYTHON, "-c", "pass"], args.runs, env)
        timings = [baseline]
        for cli in ("notice", "portal"):
            run = [PYTHON, "-c", f"from {cli}.cli import main; main()"]
            timings.append(time_process(f"{cli} --help", [*run, "--help"], args.runs, env))
            for name in command_names(cli):
                label = f"{cli} {name} --help"
                timings.append(time_process(label, [*run, name, "--help"], args.runs, env))
        staff_list = time_process(
            "portal staff list", prepare_instance(Path(tmp) / "instance", env), args.runs, env
        )
        timings.append(staff_list)
        # Reported: what the person writing the YAML waits for at each check of the default
        # content, through the console script (its quick ending included), cold and with the
        # cache the check keeps.
        notice = str(Path(PYTHON).with_name("notice"))
        check = [notice, "check", "--content", str(ROOT / "content")]
        env["SELOSTE_CACHE_DIR"] = str(Path(tmp) / "cache")
        timings.append(
            time_process(
                "notice check, default content, --no-cache", [*check, "--no-cache"], args.runs, env
            )
        )
        timings.append(
            time_process("notice check, default content, cache kept", check, args.runs, env)
        )
    by_label = {timing.label: timing for timing in timings}
    rows = [
        timing_row(
            timing,
            format_seconds(timing.cpu_median),
            format_seconds(max(timing.median - baseline.median, 0.0)),
        )
        for timing in timings
    ]
    print(table([*TIMING_HEADERS, "cpu", "over python"], rows))
    checks = [
        Check(
            "notice --help (median)", by_label["notice --help"].median, HELP_TARGET, "lower", " s"
        ),
        Check(
            "portal --help (median)", by_label["portal --help"].median, HELP_TARGET, "lower", " s"
        ),
        Check("portal staff list (median)", staff_list.median, STAFF_LIST_TARGET, "lower", " s"),
    ]
    print()
    print(table(["target", "measured", "wanted", "verdict"], [c.describe() for c in checks]))
    path = write_results(
        "cli_startup",
        {
            "baseline": baseline.as_dict(),
            "commands": [timing.as_dict() for timing in timings[1:]],
            "targets": [check.as_dict() for check in checks],
        },
    )
    print(f"\nresults: {path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
