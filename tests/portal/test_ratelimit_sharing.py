"""Rate limits under several gunicorn workers: counting per process is said out loud at start."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from portal.web.ratelimit import gunicorn_workers
from tests.portal.support.mailserver import free_port

GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
WARNING = "rate limits are counted per process"


@pytest.mark.parametrize(
    ("argv", "environ", "expected"),
    [
        (["gunicorn", "-w", "3", "portal:create_app()"], {}, 3),
        (["/srv/venv/bin/gunicorn", "--workers=4", "app"], {}, 4),
        (["gunicorn", "-w2", "app"], {}, 2),
        (["gunicorn", "app"], {"WEB_CONCURRENCY": "5"}, 5),
        (["gunicorn", "app"], {"GUNICORN_CMD_ARGS": "--bind :80 --workers 6"}, 6),
        (["gunicorn", "app"], {}, 1),
        (["python", "-m", "portal.demo", "-w", "3"], {}, 1),
    ],
)
def test_worker_count_is_read_like_gunicorn_reads_it(
    argv: list[str], environ: dict[str, str], expected: int
) -> None:
    assert gunicorn_workers(argv, environ) == expected


def start_gunicorn(tmp_path: Path, workers: int, storage: str) -> str:
    """Serve the portal with gunicorn until both workers booted; return what it logged."""
    instance = tmp_path / "instance"
    env = os.environ | {
        "PORTAL_SECRET_KEY": secrets.token_urlsafe(32),
        "PORTAL_SITE_DIR": "",
        "PORTAL_DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        "PORTAL_RATELIMIT_STORAGE_URI": storage,
    }
    log = tmp_path / "gunicorn.log"
    port = free_port()
    with log.open("wb") as out:
        server = subprocess.Popen(
            [
                GUNICORN,
                "-w",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                f"portal:create_app({{'INSTANCE_PATH': {str(instance)!r}}})",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=Path(__file__).resolve().parents[2],
        )
        try:
            deadline = time.monotonic() + 60
            answered = 0
            # Each worker loads the app after "Booting worker"; a page served by every one of
            # them proves every app was made (connections close, so workers take turns).
            while answered < 4 * workers and time.monotonic() < deadline:
                assert server.poll() is None, log.read_text(encoding="utf-8", errors="replace")
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/requests/fi/") as page:
                        answered += page.status == 200
                except OSError:
                    time.sleep(0.1)
        finally:
            server.terminate()
            server.wait(timeout=30)
    return log.read_text(encoding="utf-8", errors="replace")


def test_unshared_limits_with_several_workers_warn_at_start(tmp_path: Path) -> None:
    output = start_gunicorn(tmp_path, 2, "memory://")
    assert output.count(WARNING) == 2, output
    assert "2 times looser" in output


def test_shared_limits_do_not_warn(tmp_path: Path) -> None:
    redis = os.environ.get("PORTAL_TEST_REDIS_URL") or "redis://127.0.0.1:6379/7"
    output = start_gunicorn(tmp_path, 2, redis)
    assert output.count("Booting worker") == 2, output
    assert WARNING not in output
