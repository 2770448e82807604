"""`make run`: ports are flags, a busy port is a clear message, the admin password comes last."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from flask import Flask

from portal import demo
from tests import REPO_ROOT
from tests.portal.support.mailserver import free_port
from tests.support_signals import ctrl_c_as_at_a_terminal


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
    suggested = int(re.search(rf"`make run {variable}=(\d+)`", error)[1])
    assert f"`python -m portal.demo {flag} {suggested}`" in error
    assert suggested > busy and suggested not in {int(port) for port in ports.values()}
    assert not (tmp_path / "site").exists()  # nothing built before the check


def consecutive_free_ports(count: int) -> int:
    """Return a port P such that P … P+count-1 on 127.0.0.1 can all be bound now."""
    for _ in range(50):
        base = free_port()
        if base + count <= 65536 and all(demo.can_bind(base + i) for i in range(count)):
            return base
    pytest.fail(f"no {count} consecutive free ports found in 50 tries")  # fail, never skip


def test_the_suggested_port_is_free_and_not_the_other_port() -> None:
    # PORT=P busy, P+1 busy too, SMTP_PORT=P+2: the way out is P+3, not P+1 as it used to be.
    base = consecutive_free_ports(4)
    with socket.socket() as web, socket.socket() as next_one:
        web.bind(("127.0.0.1", base))
        web.listen()
        next_one.bind(("127.0.0.1", base + 1))
        next_one.listen()
        with pytest.raises(demo.PortBusy) as busy:
            demo.check_ports(
                [
                    demo.PortUse(base, "web", "--port", "PORT"),
                    demo.PortUse(base + 2, "SMTP sink", "--smtp-port", "SMTP_PORT"),
                ]
            )
    assert str(busy.value) == (
        f"port {base} on 127.0.0.1 (web) is in use, perhaps by another `make run`. "
        f"Choose another: `make run PORT={base + 3}` or `python -m portal.demo --port {base + 3}`."
    )


def test_every_busy_port_is_named_in_one_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # PORT=P and SMTP_PORT=P+1 both busy: one message names both, and the two ways out are
    # free, distinct and not the other's port (P+2 for the web, P+3 for the SMTP sink).
    base = consecutive_free_ports(4)
    with socket.socket() as web, socket.socket() as smtp:
        for taken, port in ((web, base), (smtp, base + 1)):
            taken.bind(("127.0.0.1", port))
            taken.listen()
        code = demo.main(
            ["--out", str(tmp_path / "site"), "--instance", str(tmp_path / "instance")]
            + ["--port", str(base), "--smtp-port", str(base + 1)]
        )
    assert code == 2
    assert capsys.readouterr().err == (
        f"make run: ports {base} (web) and {base + 1} (SMTP sink) on 127.0.0.1 are in use, "
        "perhaps by another `make run`. Choose others: "
        f"`make run PORT={base + 2} SMTP_PORT={base + 3}` or "
        f"`python -m portal.demo --port {base + 2} --smtp-port {base + 3}`.\n"
    )
    assert not (tmp_path / "site").exists()  # nothing built before the check


def test_ports_taken_while_the_site_is_built_are_all_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Both ports free at the first check, both taken by another program during the build.
    base = consecutive_free_ports(4)
    taken = [socket.socket(), socket.socket()]

    def build_while_others_take_the_ports(*_args: object, **_kwargs: object) -> tuple:
        for sock, port in zip(taken, (base, base + 1), strict=True):
            sock.bind(("127.0.0.1", port))
            sock.listen()
        return Flask(__name__), "kertasalasana"

    monkeypatch.setattr(demo, "prepare", build_while_others_take_the_ports)
    try:
        code = demo.main(
            ["--out", str(tmp_path / "site"), "--instance", str(tmp_path / "instance")]
            + ["--port", str(base), "--smtp-port", str(base + 1)]
        )
    finally:
        for sock in taken:
            sock.close()
    assert code == 2
    out, err = capsys.readouterr()
    assert "kertasalasana" in out  # made during the build: shown once, even now
    assert err.startswith(
        f"make run: ports {base} (web) and {base + 1} (SMTP sink) on 127.0.0.1 are in use, "
        "perhaps by another `make run`. Choose others: "
        f"`make run PORT={base + 2} SMTP_PORT={base + 3}` or "
        f"`python -m portal.demo --port {base + 2} --smtp-port {base + 3}`. ("
    )


class Demo:
    """`python -m portal.demo` running in its own session, its output in a log file."""

    def __init__(self, tmp_path: Path) -> None:
        self.port, self.smtp_port = free_port(), free_port()
        while self.smtp_port == self.port:  # the system may hand out a just-freed port again
            self.smtp_port = free_port()
        self.tmp_path = tmp_path
        self.log = tmp_path / f"demo-{self.port}.log"
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Demo:
        """Start the demo and wait until it prints its last lines (the staff account's frame)."""
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "portal.demo",
                    "--port",
                    str(self.port),
                    "--smtp-port",
                    str(self.smtp_port),
                    "--out",
                    str(self.tmp_path / "site"),
                    "--instance",
                    str(self.tmp_path / "instance"),
                ],
                cwd=REPO_ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                # As a shell that ran `portal` or `flask` before may have it; app.run would then
                # do nothing at all.
                env=os.environ | {"PYTHONUNBUFFERED": "1", "FLASK_RUN_FROM_CLI": "true"},
                start_new_session=True,  # its session: every process it starts, found in /proc
                preexec_fn=ctrl_c_as_at_a_terminal,
            )
        deadline = time.monotonic() + 300
        while "reset-password admin" not in self.text():
            assert self.process.poll() is None, self.text()
            assert time.monotonic() < deadline, self.text()
            time.sleep(0.2)
        # The frame is printed once the server listens: it answers at once.
        socket.create_connection(("127.0.0.1", self.port), timeout=10).close()
        with socket.create_connection(("127.0.0.1", self.smtp_port), timeout=10) as smtp:
            assert smtp.recv(100).startswith(b"220")
        return self

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8")

    def stop(self, signum: int) -> int:
        """Send `signum` to the demo alone; return its exit code once it and its children end."""
        assert self.process is not None
        self.process.send_signal(signum)
        code = self.process.wait(timeout=60)
        deadline = time.monotonic() + 30
        while (left := session_processes(self.process.pid)) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert left == [], f"still running after the demo ended: {left}"
        return code

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)


def session_processes(session: int) -> list[str]:
    """Return `pid command` of every live process in `session`, read from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue  # ended meanwhile
        fields = stat.rsplit(")", 1)[1].split()  # after "pid (comm)": state, ppid, pgrp, session
        if int(fields[3]) == session and fields[0] != "Z":
            found.append(f"{entry.name} {command[:120]}")
    return found


def set_cookies(url: str) -> list[str]:
    """Return the names of the cookies a GET of `url` sets."""
    with urllib.request.urlopen(url, timeout=30) as response:
        headers = response.headers.get_all("Set-Cookie") or []
    return sorted(header.split("=", 1)[0] for header in headers)


def test_demo_serves_on_the_given_ports_and_prints_the_password_last(tmp_path: Path) -> None:
    demo = Demo(tmp_path)
    try:
        demo.start()
        # The notice pages set no cookie; the portal sets only what the demo's cookie list names.
        for page in ("/", "/fi/", "/fi/asiakasrekisteri/", "/sv/cookies/", "/en/cookies/"):
            assert set_cookies(demo.url + page) == [], page
        assert set_cookies(demo.url + "/requests/sv/new/access") == ["lang", "session"]
        declared = yaml.safe_load(
            (tmp_path / "instance" / "demo-content" / "site.yaml").read_text(encoding="utf-8")
        )
        names = [cookie["name"] for cookie in declared["cookies"]]
        assert {"lang", "session"} <= set(names) and "__Host-session" not in names
        with urllib.request.urlopen(demo.url + "/en/cookies/", timeout=30) as response:
            cookie_page = response.read().decode()
        assert '<th scope="row" data-label="Name"><code>session</code></th>' in cookie_page
        assert "__Host-session" not in cookie_page
        # `kill` ends the demo as Ctrl+C does, and every process it started (PDF workers, fork
        # server): status 0, not 143, which `make run` reported as "Error 143".
        assert demo.stop(signal.SIGTERM) == 0
    finally:
        demo.kill()
    lines = [line for line in demo.text().splitlines() if line.strip()]
    site = next(line for line in lines if line.startswith("Site:"))
    assert site == (
        f"Site:    {demo.url}/   (built into {tmp_path / 'site'}/; `make build` writes site/)"
    )
    mailbox = next(i for i, line in enumerate(lines) if line.startswith("Mailbox:"))
    assert f"http://127.0.0.1:{demo.port}/requests/dev/mail" in lines[mailbox]
    assert lines[mailbox + 1] == (
        f"Cookies: .venv/bin/notice scan --content {tmp_path / 'instance' / 'demo-content'} "
        f"{demo.url}/fi/cookie-settings/ {demo.url}/requests/fi/new/access"
    )
    assert lines[mailbox + 2].strip().startswith("(compares what these pages store with the")
    assert "show as 'not seen': keep them)" in lines[mailbox + 2]
    # What the checks found is said as `notice build` says it (the shipped content lacks a
    # business id and a postcode): the person adapting it sees that first.
    assert "the checks found 2 warnings; `notice check` lists them" in lines
    frame = frame_after(lines, mailbox + 3)
    assert frame[1].startswith("|  First staff account: user `admin`, one-time password")
    assert any(".venv/bin/portal staff reset-password admin" in line for line in frame)
    # Last indeed: after the frame only the log of this test's requests, no start-up lines
    # (" * Running on …", "Press CTRL+C to quit") that would push the password up.
    after = lines[mailbox + 3 + len(frame) :]
    assert after[-1] == "Demo stopped."  # the SIGTERM, without a traceback
    assert after[:-1] and all(line.startswith("127.0.0.1 - - [") for line in after[:-1]), after


def test_a_second_run_says_how_to_get_the_admin_password(tmp_path: Path) -> None:
    first = Demo(tmp_path)
    try:
        first.start()
        first.stop(signal.SIGINT)  # Ctrl+C
    finally:
        first.kill()
    second = Demo(tmp_path)  # the same instance: the admin exists
    try:
        second.start()
        assert second.stop(signal.SIGINT) == 0
    finally:
        second.kill()
    lines = [line for line in second.text().splitlines() if line.strip()]
    assert lines[-1] == "Demo stopped."  # Ctrl+C: the same line as for SIGTERM
    cookies = next(i for i, line in enumerate(lines) if line.startswith("Cookies:"))
    assert [line.strip("| ").rstrip() for line in frame_after(lines, cookies + 1)[1:-1]] == [
        "Staff account: user `admin` (made at the first `make run`).",
        "Its password is not shown again. For a new one-time password run",
        ".venv/bin/portal staff reset-password admin",
    ]
    assert "one-time password (shown only now)" not in second.text()


def frame_after(lines: list[str], start: int) -> list[str]:
    """Return the framed block starting at `lines[start]`, checking its frame."""
    frame = lines[start:]
    frame = frame[: next(i for i, line in enumerate(frame) if i and line.startswith("+")) + 1]
    assert frame[0].startswith("+-") and frame[-1] == frame[0]
    assert all(line.startswith("|") and line.endswith("|") for line in frame[1:-1])
    assert len({len(line) for line in frame}) == 1
    return frame


def test_make_run_builds_its_own_copy_apart_from_make_builds_site() -> None:
    """`make build` beside a running demo must not replace what the demo serves (the demo's
    links point to this machine's portal, a build's to the real one)."""
    shown = subprocess.run(
        ["make", "-n", "run", "build", "INSTANCE=/srv/demo"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    demo = next(line for line in shown.splitlines() if "-m portal.demo" in line)
    build = next(line for line in shown.splitlines() if "build.py" in line)
    assert "--out /srv/demo/demo-site " in demo
    assert build.endswith("--content content --out site")
