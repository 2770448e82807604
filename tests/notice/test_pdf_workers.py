"""PDF worker processes end with the process that started them, even one killed by SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

# Starts the build's pool of two PDF workers, prints their pids, then waits to be killed.
SCRIPT = """
import time
from notice import pdf

pool = pdf._pool(2)
list(pool.map(time.sleep, [1, 1]))  # two jobs at once: both workers start
print(" ".join(str(pid) for pid in pool._processes), flush=True)
time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_workers_exit_when_the_building_process_is_killed(repo_root: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", SCRIPT],
        cwd=repo_root,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        workers = [int(pid) for pid in process.stdout.readline().split()]
        assert len(workers) == 2 and all(_alive(pid) for pid in workers)
        process.send_signal(signal.SIGKILL)  # no exit hook runs: the workers must notice alone
        process.wait(timeout=30)
        deadline = time.monotonic() + 20
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert [pid for pid in workers if _alive(pid)] == []
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
        if process.stdout is not None:
            process.stdout.close()
