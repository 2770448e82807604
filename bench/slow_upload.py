"""A slow upload through the documented gunicorn command, while other visitors use the portal.

    .venv/bin/python -m bench.slow_upload [--mb 25] [--kbps 200] [--workers N]

Starts gunicorn exactly as docs/deploy/systemd/seloste-portal.service does (gthread workers,
threads, timeouts; only the socket becomes a loopback port, and `--workers` may override the
count to show one worker is enough), on a migrated SQLite database with one request waiting for
the person's answer. One client then sends the person's reply with a `--mb` MB file at `--kbps`
KB/s (25 MB at 200 KB/s: about two minutes, four times gunicorn's default 30 s timeout), while
another loads a public page every half second. Prints the upload's status and duration and the
other client's answers and latencies (median, worst), with verdicts: the upload is accepted (303)
and no other request waits more than a second. Writes bench/results/slow_upload.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import re
import secrets
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
SERVICE = ROOT / "docs" / "deploy" / "systemd" / "seloste-portal.service"


def documented_command(service: Path, port: int, workers: int | None) -> list[str]:
    """Return the unit's ExecStart as argv, bound to a loopback port, run from this venv."""
    text = service.read_text(encoding="utf-8").replace("\\\n", " ")
    line = next(x for x in text.splitlines() if x.startswith("ExecStart="))
    argv = shlex.split(line.removeprefix("ExecStart="))
    argv[0] = str(Path(sys.executable).with_name("gunicorn"))
    argv[argv.index("--bind") + 1] = f"127.0.0.1:{port}"
    if workers is not None:
        argv[argv.index("--workers") + 1] = str(workers)
    return argv


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare(workdir: Path) -> tuple[dict[str, str], str]:
    """Migrate a database, record a request awaiting the person; return (env, status path)."""
    from portal import create_app
    from portal.core import tokens
    from portal.core.models import DataRequest, RequestStatus, utcnow
    from portal.db import get_session, upgrade

    url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    upgrade(url)
    env = {
        "PORTAL_SECRET_KEY": secrets.token_hex(32),
        "PORTAL_INSTANCE_PATH": str(workdir / "instance"),
        "PORTAL_DATABASE_URL": url,
        "PORTAL_SITE_DIR": "",
        "PORTAL_MAIL_SEND_INLINE": "0",
    }
    settings = {key.removeprefix("PORTAL_"): value for key, value in env.items()}
    app = create_app({**settings, "MAIL_SEND_INLINE": False})
    reference = "BNCH-SLOW-UPLD-0001"
    with app.app_context():
        session = get_session()
        session.add(
            DataRequest(
                reference=reference,
                right="access",
                register_id="asiakasrekisteri",
                language="fi",
                status=RequestStatus.awaiting_info,
                received_at=utcnow(),
                due_on=(utcnow() + dt.timedelta(days=30)).date(),
                paused_at=utcnow(),
                name="Bench Person",
                email="",
                details={},
                signature_name="Bench Person",
                attested=True,
            )
        )
        session.commit()
        token = tokens.make_token(tokens.Purpose.status, reference)
    app.extensions["db_engine"].dispose()
    return env, f"/requests/fi/status/{token}"


def get(port: int, path: str, cookie: str = "") -> tuple[int, bytes, list[str]]:
    """GET `path`; return (status, body, Set-Cookie headers)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        return response.status, response.read(), response.headers.get_all("Set-Cookie") or []
    finally:
        connection.close()


def wait_until_up(port: int, timeout: float = 60.0) -> None:
    """Wait until the portal answers its start page."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            get(port, "/requests/fi/")
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer in {timeout} s")


def reply_body(token: str, megabytes: int) -> tuple[str, bytes]:
    """Return (boundary, multipart body) of the reply form with one PDF of `megabytes` MB."""
    boundary = secrets.token_hex(16)
    pdf = b"%PDF-1.7\n%" + b"0" * (megabytes * 1024 * 1024 - 20) + b"\n%%EOF\n"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n',
        f'--{boundary}\r\nContent-Disposition: form-data; name="reply-text"\r\n\r\n'
        "Tässä pyytämänne liite.\r\n",
        f'--{boundary}\r\nContent-Disposition: form-data; name="reply-files"; '
        'filename="liite.pdf"\r\nContent-Type: application/pdf\r\n\r\n',
    ]
    body = "".join(parts).encode() + pdf + f"\r\n--{boundary}--\r\n".encode()
    return boundary, body


def slow_post(port: int, path: str, cookie: str, boundary: str, body: bytes, kbps: int) -> int:
    """POST `body` at `kbps` KB/s (paced every 100 ms); return the status code."""
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookie}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    step = kbps * 1024 // 10
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.sendall(head)
        start = time.monotonic()
        for n, offset in enumerate(range(0, len(body), step)):
            sock.sendall(body[offset : offset + step])
            pause = start + (n + 1) / 10 - time.monotonic()
            if pause > 0:
                time.sleep(pause)
        answer = sock.recv(200)
    return int(answer.split()[1])


def main(argv: list[str] | None = None) -> None:
    """Run the slow upload beside a stream of page loads; print and save the numbers."""
    from bench import _stats

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=25)
    parser.add_argument("--kbps", type=int, default=200)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="seloste-slow-"))
    env, status_path = prepare(workdir)
    port = free_port()
    command = documented_command(SERVICE, port, args.workers)
    server = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env})
    others: list[tuple[int, float]] = []
    uploading = threading.Event()
    try:
        wait_until_up(port)
        status, page, cookies = get(port, status_path)
        cookie = "; ".join(c.split(";", 1)[0] for c in cookies)
        found = re.search(rb'action="([^"]*/reply\?csrf_token=[^"]+)"', page)
        if status != 200 or found is None:
            raise RuntimeError(f"no reply form on the status page ({status})")
        action = found.group(1).decode().replace("&amp;", "&")
        token = action.rpartition("csrf_token=")[2]
        boundary, body = reply_body(token, args.mb)

        def visitor() -> None:
            while uploading.is_set():
                began = time.monotonic()
                try:
                    code = get(port, "/requests/fi/")[0]
                except OSError:
                    code = 0
                others.append((code, time.monotonic() - began))
                time.sleep(0.5)

        uploading.set()
        watcher = threading.Thread(target=visitor)
        watcher.start()
        began = time.monotonic()
        upload_status = slow_post(port, action, cookie, boundary, body, args.kbps)
        seconds = time.monotonic() - began
        uploading.clear()
        watcher.join()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)

    latencies = [latency for _code, latency in others]
    answered = sum(1 for code, _latency in others if code == 200)
    worst_ms = max(latencies) * 1000
    failed = len(others) - answered
    checks = [
        _stats.Check("upload accepted (1 = 303)", float(upload_status == 303), 1.0, "higher", ""),
        _stats.Check("other pages failed", float(failed), 1.0, "lower", ""),
        _stats.Check("other pages, worst wait", worst_ms, 1000.0, "lower", " ms"),
    ]
    print(" ".join(command[1:]))
    print(f"upload: {args.mb} MB at {args.kbps} KB/s -> {upload_status} in {seconds:.1f} s")
    print(
        f"other visitor: {answered}/{len(others)} pages 200, median "
        f"{statistics.median(latencies) * 1000:.0f} ms, worst {max(latencies) * 1000:.0f} ms"
    )
    for check in checks:
        print("  ".join(check.describe()))
    payload: dict[str, Any] = {
        "command": command[1:],
        "upload": {"mb": args.mb, "kbps": args.kbps, "status": upload_status, "seconds": seconds},
        "others": {
            "requests": len(others),
            "ok": answered,
            "median_ms": statistics.median(latencies) * 1000,
            "worst_ms": worst_ms,
        },
        "checks": [check.as_dict() for check in checks],
    }
    _stats.write_results("slow_upload", payload)


if __name__ == "__main__":
    main()
