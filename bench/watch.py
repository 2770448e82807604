"""Benchmark `notice serve --watch`: one register edited on a big site, until the page shows it.

    .venv/bin/python -m bench.watch [--registers 100] [--runs 7] [--interval 0.02]

Generates a content tree of `--registers` registers (as bench/site.py does), builds it, starts
the preview server and the watcher (polling every `--interval` seconds) in this process, then per
run edits one register's retention text and times, from the moment the file is saved:

  visible       until an HTTP GET of that register's page from the preview server shows the edit
  rebuild       the incremental build alone, called directly after the same kind of edit

`visible` includes the polling delay (half the interval on average). The watcher writes an
edited register's pages first and then runs the incremental build, so `visible` is below
`rebuild`; each save waits until the watcher is idle again, as an editor's saves are seconds
apart. The target: a saved edit is visible within 0.2 s on a 100-register site. Results land in
bench/results/watch.json.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from bench._stats import (
    TIMING_HEADERS,
    Check,
    Timing,
    ratio,
    table,
    time_runs,
    timing_row,
    write_results,
)
from bench.site import edit_one_register, write_content
from notice.build import build_site
from notice.serve import Watcher, make_server, serve_in_thread, wait_for

TARGET_SECONDS = 0.2


def fetch(url: str) -> str:
    """Return the body of `url` (the loopback preview server)."""
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
        return response.read().decode("utf-8")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the table and write bench/results/watch.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registers", type=int, default=100)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--interval", type=float, default=0.02, help="polling interval, seconds")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="seloste-watch-") as tmp:
        content, out = Path(tmp) / "content", Path(tmp) / "site"
        registers = write_content(content, args.registers)
        edited = registers[len(registers) // 2]
        watcher = Watcher(content, out, report=lambda line: None)
        watcher.build()
        server = make_server(out, 0)
        serve_in_thread(server)
        host, port = server.server_address[:2]
        page = f"http://{host}:{port}/en/{edited['slug']['en']}/"
        stop = threading.Event()
        thread = threading.Thread(target=watcher.run, args=(stop, args.interval), daemon=True)
        thread.start()
        visible = Timing("visible (save → served)")
        try:
            # One unmeasured round warms the incremental path (caches, compiled templates).
            for run in range(args.runs + 1):
                edit_one_register(content, edited["id"], run)
                marker = f"{run + 2} years after it ends"
                start = time.perf_counter()
                seconds = wait_for(lambda m=marker: m in fetch(page), timeout=30, step=0.002)
                if seconds is None:
                    print(f"run {run}: the edit never showed", file=sys.stderr)
                    return 1
                if run:
                    visible.seconds.append(time.perf_counter() - start)
                # An editor saves seconds apart: let the watcher finish this round (the full
                # incremental build after the page) before the next save.
                done = watcher.builds
                wait_for(lambda d=done: watcher.builds > d, timeout=30, step=0.005)
        finally:
            stop.set()
            thread.join(5)
            server.shutdown()
            server.server_close()
        base = args.runs + 10
        rebuild = time_runs(
            "rebuild (incremental build alone)",
            lambda: build_site(content, out, pdf=False, allow_errors=True),
            runs=args.runs,
            prepare=lambda run: edit_one_register(content, edited["id"], base + run),
        )
    rows = [timing_row(visible, "1.00"), timing_row(rebuild, f"{ratio(rebuild, visible):.2f}")]
    print(f"{args.registers} registers, polling every {args.interval * 1000:.0f} ms")
    print(table([*TIMING_HEADERS, "÷ visible"], rows))
    checks = [
        Check(
            f"edit visible on a {args.registers}-register site (median)",
            visible.median,
            TARGET_SECONDS,
            "lower",
            " s",
        )
    ]
    print()
    print(table(["target", "measured", "wanted", "verdict"], [c.describe() for c in checks]))
    path = write_results(
        "watch",
        {
            "registers": args.registers,
            "interval_s": args.interval,
            "visible": visible.as_dict(),
            "rebuild": rebuild.as_dict(),
            "targets": [check.as_dict() for check in checks],
        },
    )
    print(f"\nresults: {path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
