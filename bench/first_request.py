"""Benchmark the first visitor after a start: what a fresh portal process makes them wait.

    .venv/bin/python -m bench.first_request [--runs 5]

Each run starts a fresh Python process that builds the portal (`create_app`, SQLite instance
made once by `portal init`), then, timed separately:

  start            `create_app`, warm-up included when it is on (before any visitor arrives)
  first form       the first GET of the access form, through the app (the test client)
  first receipt    the first receipt letter as PDF, what the first confirmation renders after
                   its commit (`letters.render_letter`, as bench/letter_pdf.py does)

`first visitor` is the last two together. Runs alternate the warm-up on and off
(`WARM_UP`), so both are measured under the same load. Target (issue 22): the first visitor
waits < 1 s with the warm-up on (median). Results: bench/results/first_request.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench._stats import (
    ROOT,
    TIMING_HEADERS,
    Check,
    Timing,
    table,
    timing_row,
    write_results,
)

TARGET_SECONDS = 1.0
STEPS = ("start", "first form", "first receipt", "first visitor")

CHILD = """
import json, sys, time
from pathlib import Path
t0 = time.perf_counter()
from portal import create_app
app = create_app({"INSTANCE_PATH": sys.argv[1], "WARM_UP": sys.argv[2] == "on", "SITE_DIR": ""})
t1 = time.perf_counter()
response = app.test_client().get("/requests/fi/new/access")
assert response.status_code == 200, response.status_code
t2 = time.perf_counter()
from bench.letter_pdf import sealed_request
from notice.loader import load_content
from portal.core import letters
request = sealed_request(Path(sys.argv[1]), "fi")
context = {"content": load_content(Path("content")), "verify_url": "https://portal.example/v"}
t2b = time.perf_counter()  # the request above stands for the database row: not timed
pdf = letters.render_letter("receipt", request, "fi", **context).pdf
t3 = time.perf_counter()
assert pdf.startswith(b"%PDF")
print(json.dumps({"start": t1 - t0, "first form": t2 - t1, "first receipt": t3 - t2b}))
"""


def main(argv: list[str] | None = None) -> int:
    """Start fresh portal processes with the warm-up on and off; time their first visitor."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("PORTAL_") and key != "PYTHONDONTWRITEBYTECODE"
    }
    timings = {
        (mode, step): Timing(f"{step} (warm-up {mode})") for mode in ("on", "off") for step in STEPS
    }
    with tempfile.TemporaryDirectory(prefix="seloste-first-") as tmp:
        instance = Path(tmp) / "instance"
        env["PORTAL_DATABASE_URL"] = f"sqlite:///{tmp}/portal.db"
        subprocess.run(
            [
                sys.executable,
                "-c",
                "from portal.cli import main; main()",
                "init",
                "--instance",
                str(instance),
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            check=True,
        )
        for run in range(args.runs + 1):
            for mode in ("on", "off"):
                done = subprocess.run(
                    [sys.executable, "-c", CHILD, str(instance), mode],
                    cwd=ROOT,
                    env=env,
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if done.returncode != 0:
                    raise SystemExit(f"run failed: {done.stderr[-800:]}")
                if not run:
                    continue  # the first run writes byte-code caches, as an install does
                seconds = json.loads(done.stdout.strip().splitlines()[-1])
                seconds["first visitor"] = seconds["first form"] + seconds["first receipt"]
                for step in STEPS:
                    timings[mode, step].seconds.append(seconds[step])
    rows = [timing_row(timing) for timing in timings.values()]
    print(table(TIMING_HEADERS, rows))
    first = timings["on", "first visitor"]
    checks = [
        Check("first visitor, warm-up on (median)", first.median, TARGET_SECONDS, "lower", " s")
    ]
    print()
    print(table(["target", "measured", "wanted", "verdict"], [c.describe() for c in checks]))
    path = write_results(
        "first_request",
        {
            "timings": [timing.as_dict() for timing in timings.values()],
            "targets": [check.as_dict() for check in checks],
        },
    )
    print(f"\nresults: {path.relative_to(ROOT)}")
    return 0 if all(check.met for check in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
