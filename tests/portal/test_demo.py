"""`make run`: ports are flags, a busy port is a clear message, the admin password comes last."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from portal import demo
from tests.portal.support.mailserver import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("flag", "variable"), [("--port", "PORT"), ("--smtp-port", "SMTP_PORT")])
def test_a_busy_port_is_named_with_the_way_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flag: str, variable: str
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        ports = {"--port": str(free_port()), "--smtp-port": str(free_port())} | {flag: str(busy)}
        code = demo.main(
            ["--out", str(tmp_path / "site"), "--instance", str(tmp_path / "instance")]
            + [word for pair in ports.items() for word in pair]
        )
    assert code == 2
    error = capsys.readouterr().err
    assert f"port {busy} on 127.0.0.1" in error
    assert f"make run {variable}={busy + 1}" in error and f"{flag} {busy + 1}" in error
    assert not (tmp_path / "site").exists()  # nothing built before the check


def test_demo_serves_on_the_given_ports_and_prints_the_password_last(tmp_path: Path) -> None:
    port, smtp_port = free_port(), free_port()
    while smtp_port == port:  # the system may hand out a just-freed port again
        smtp_port = free_port()
    log = tmp_path / "demo.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "portal.demo",
                "--port",
                str(port),
                "--smtp-port",
                str(smtp_port),
                "--out",
                str(tmp_path / "site"),
                "--instance",
                str(tmp_path / "instance"),
            ],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            # As a shell that ran `portal` or `flask` before may have it; app.run would then
            # do nothing at all.
            env=os.environ | {"PYTHONUNBUFFERED": "1", "FLASK_RUN_FROM_CLI": "true"},
        )
        try:
            deadline = time.monotonic() + 180
            while "reset-password admin" not in log.read_text(encoding="utf-8"):
                assert process.poll() is None, log.read_text(encoding="utf-8")
                assert time.monotonic() < deadline, log.read_text(encoding="utf-8")
                time.sleep(0.2)
            with socket.create_connection(("127.0.0.1", smtp_port), timeout=10) as smtp:
                assert smtp.recv(100).startswith(b"220")
        finally:
            process.terminate()
            process.wait(timeout=30)
    lines = [line for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
    mailbox = next(i for i, line in enumerate(lines) if line.startswith("Mailbox:"))
    assert f"http://127.0.0.1:{port}/requests/dev/mail" in lines[mailbox]
    frame = lines[mailbox + 1 :]
    frame = frame[: next(i for i, line in enumerate(frame) if i and line.startswith("+")) + 1]
    assert frame[0].startswith("+-") and frame[-1] == frame[0]
    assert all(line.startswith("|") and line.endswith("|") for line in frame[1:-1])
    assert len({len(line) for line in frame}) == 1
    assert any(".venv/bin/portal staff reset-password admin" in line for line in frame)
