"""Benchmark the public portal under gunicorn (2 workers) with wrk, against two floors.

    .venv/bin/python -m bench.portal [--seconds 10] [--connections 8] [--runs 3]
                                     [--database postgresql] [--threads 8]

The workers are sync by default, as in every landing's numbers; `--threads 8` runs them threaded
as deployed (README, docs/deploy.md: `--worker-class gthread --threads 8`), where the insert
floor gains more from the threads than a submission, whose audit event waits for the chain's lock.

Routes, each loaded for `--seconds` by wrk (2 threads, `--connections` keep-alive connections,
8 by default: the connection count the p99 target is stated at), `--runs` times in turn (route
after route, then again, so a burst of load from other work hits every route alike):

  hello     floor: a route returning 12 bytes through the same app (headers, locale, session)
  insert    floor: a route committing one request row and nothing else (the database's durable
            write rate through SQLAlchemy; no form, no audit, no mail)
  form      GET of the access form (CSRF token, register list, translated labels)
  submit    POST of a valid access request with its CSRF token, a new e-mail address each time
            (validation, duplicate check, insert, audit event, confirmation e-mail rendered into
            the outbox, commit; mail is not sent inline and rate limits are off)
  status    GET of a request's status page through its signed link (token check, lookup, an
            audit event committed per view)

The two floor routes exist only in the app this benchmark builds (`bench_app`); the portal itself
never has them. Both floors pay what the measured routes pay and nothing else: `hello` goes through
the same app, middleware and after-request hooks (security headers, language cookie); `insert`
commits the same row through the same engine (SQLite in WAL mode with `synchronous=FULL`, so one
fsync per commit, like a submission). Prints the median req/s, p50/p99 latency and the workers'
CPU time per request (from /proc: what a request costs the server, whatever share of the cores
the machine's other work left it) per route over the runs, the ratios route/floor (in req/s, and
in CPU per request), a verdict per target (form and status >= 50 % of hello, submit >= 50 % of
insert, p99 < 50 ms; judged on req/s), and writes bench/results/portal-<database>.json. Needs wrk
(apt-get install wrk).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
CONFIG_ENV = "SELOSTE_BENCH_CONFIG"
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

SUBMIT_LUA = r"""
local counter = 0
local thread_id = 0
local threads = {}
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  thread_id = tid
end
function request()
  counter = counter + 1
  local body = "csrf_token=" .. wrk.csrf ..
    "&register=asiakasrekisteri&name=Bench+Person&email=b" .. thread_id .. "x" .. counter ..
    "%40example.fi&language=fi&signature_name=Bench+Person&attest=y&message="
  return wrk.format("POST", wrk.path, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = wrk.cookie,
  }, body)
end
"""


def threaded(threads: int) -> list[str]:
    """Return gunicorn's arguments for `threads` threads per worker (none: sync workers)."""
    return ["--worker-class", "gthread", "--threads", str(threads)] if threads else []


def workers_kind(threads: int) -> str:
    """Say what kind of gunicorn workers ran: threaded as deployed, or sync."""
    return f"gthread, {threads} threads each" if threads else "sync"


def bench_app() -> Any:
    """Gunicorn factory: the portal plus the two floor routes, from CONFIG_ENV's settings."""
    from flask import Blueprint

    from portal import create_app
    from portal.core.models import DataRequest, RequestStatus
    from portal.db import get_session
    from portal.web import intake

    app = create_app(json.loads(os.environ[CONFIG_ENV]))
    floors = Blueprint("bench", __name__)

    @floors.get("/bench/hello")
    def hello() -> str:
        return "hello, world"

    @floors.post("/bench/insert")
    def insert() -> str:
        session = get_session()
        session.add(
            DataRequest(
                reference=intake.new_reference(),
                right="access",
                register_id="asiakasrekisteri",
                language="fi",
                status=RequestStatus.unconfirmed,
                name="Bench Person",
                email="bench@example.fi",
                details={},
                signature_name="Bench Person",
                attested=True,
            )
        )
        session.commit()
        return "ok"

    app.extensions["csrf"].exempt(floors)
    app.register_blueprint(floors)
    return app


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, timeout: float = 30.0) -> None:
    """Wait until `url` answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up in {timeout} s")


def session_and_token(base: str) -> tuple[str, str]:
    """Open the form once; return the session cookie and its CSRF token."""
    with urllib.request.urlopen(f"{base}/requests/fi/new/access") as response:
        cookie = "; ".join(c.split(";", 1)[0] for c in response.headers.get_all("Set-Cookie"))
        html = response.read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    if token is None:
        raise RuntimeError("no CSRF token on the form")
    return cookie, token.group(1)


def workers_cpu(master: int) -> float | None:
    """Return the CPU seconds (user + system) used so far by the children of process `master`
    (gunicorn's workers), from Linux's /proc; None where there is no /proc."""
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        total = 0
        for pid in children:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
    except OSError:
        return None
    return total / os.sysconf("SC_CLK_TCK")


def run_wrk(
    url: str,
    seconds: int,
    connections: int,
    script: Path | None = None,
    server: int | None = None,
) -> dict[str, float]:
    """Run wrk against `url`; return req/s, p50/p99 (ms), error counts and, given the server's
    process id, its workers' CPU milliseconds per request (what a request costs the server,
    whatever share of the cores the machine's other work left it)."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if script is not None:
        command += ["-s", str(script)]
    before = workers_cpu(server) if server is not None else None
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    after = workers_cpu(server) if server is not None else None
    result = parse_wrk(output)
    if before is not None and after is not None and result["requests"]:
        result["cpu_ms"] = (after - before) * 1000 / result["requests"]
    return result


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(output: str) -> dict[str, float]:
    """Extract req/s, p50, p99 and non-2xx/3xx responses from wrk's --latency output."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    total = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    return {
        "requests": total,
        "rps": rps,
        "p50_ms": p50,
        "p99_ms": p99,
        "non_2xx_3xx": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(1) if errors else "",  # type: ignore[dict-item]
    }


def median_result(route_runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the medians of one route's runs (req/s, p50, p99), its req/s range and totals."""
    rps = [r["rps"] for r in route_runs]
    return {
        "rps": statistics.median(rps),
        "rps_min": min(rps),
        "rps_max": max(rps),
        "p50_ms": statistics.median(r["p50_ms"] for r in route_runs),
        "p99_ms": statistics.median(r["p99_ms"] for r in route_runs),
        "cpu_ms": (
            statistics.median(r["cpu_ms"] for r in route_runs)
            if all("cpu_ms" in r for r in route_runs)
            else None
        ),
        "requests": sum(r["requests"] for r in route_runs),
        "non_2xx_3xx": sum(r["non_2xx_3xx"] for r in route_runs),
    }


def prepare_database(kind: str, workdir: Path) -> tuple[str, str | None]:
    """Return (URL, schema to drop) of a migrated, empty database."""
    from sqlalchemy import create_engine, text

    from portal.db import upgrade

    if kind == "sqlite":
        url = f"sqlite:///{workdir / 'bench.sqlite3'}"
        upgrade(url)
        return url, None
    base = os.environ.get("PORTAL_TEST_DATABASE_URL") or POSTGRES_URL
    schema = f"bench_{secrets.token_hex(5)}"
    with create_engine(base).begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{base}?options=-csearch_path%3D{schema}"
    upgrade(url)
    return url, schema


def drop_schema(schema: str) -> None:
    """Drop the benchmark's PostgreSQL schema."""
    from sqlalchemy import create_engine, text

    base = os.environ.get("PORTAL_TEST_DATABASE_URL") or POSTGRES_URL
    with create_engine(base).begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


def status_path(settings: dict[str, Any]) -> str:
    """Record one request in-process and return its status page path."""
    from sqlalchemy import select

    from portal import create_app
    from portal.core import tokens
    from portal.core.models import DataRequest
    from portal.db import get_session

    app = create_app(settings)
    with app.test_request_context():
        reference = get_session().scalars(select(DataRequest.reference).limit(1)).first()
        if reference is None:
            raise RuntimeError("no request was recorded by the submit run")
        token = tokens.make_token(tokens.Purpose.status, reference)
    app.extensions["db_engine"].dispose()
    return f"/requests/fi/status/{token}"


def main(argv: list[str] | None = None) -> None:
    """Start gunicorn, load every route with wrk, print and save the numbers."""
    from bench import _stats

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument(
        "--threads",
        type=int,
        default=0,
        help="threads per gunicorn worker (0: sync workers; deployed: 8, docs/deploy.md)",
    )
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")

    workdir = Path(tempfile.mkdtemp(prefix="seloste-bench-"))
    url, schema = prepare_database(args.database, workdir)
    settings = {
        "SECRET_KEY": secrets.token_hex(32),
        "INSTANCE_PATH": str(workdir / "instance"),
        "DATABASE_URL": url,
        "SITE_DIR": "",
        "SECURE_COOKIES": False,
        "MAIL_SEND_INLINE": False,
        "RATELIMIT_ENABLED": False,
    }
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, CONFIG_ENV: json.dumps(settings)}
    gunicorn = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "--chdir",
            str(ROOT),
            "-w",
            "2",
            *threaded(args.threads),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "bench.portal:bench_app()",
        ],
        env=env,
    )
    runs: dict[str, list[dict[str, float]]] = {}
    try:
        wait_until_up(f"{base}/bench/hello")
        cookie, token = session_and_token(base)
        script = workdir / "submit.lua"
        script.write_text(
            f'wrk.csrf = "{token}"\nwrk.cookie = "{cookie}"\n' + SUBMIT_LUA, encoding="utf-8"
        )
        insert_script = workdir / "insert.lua"
        insert_script.write_text('wrk.method = "POST"\n', encoding="utf-8")
        plan: list[tuple[str, str, Path | None]] = [
            ("hello", f"{base}/bench/hello", None),
            ("insert", f"{base}/bench/insert", insert_script),
            ("form", f"{base}/requests/fi/new/access", None),
            ("submit", f"{base}/requests/fi/new/access", script),
        ]
        for run in range(args.runs):
            for name, target, lua in plan:
                runs.setdefault(name, []).append(
                    run_wrk(target, args.seconds, args.connections, lua, gunicorn.pid)
                )
                print(f"run {run + 1} {name}: {runs[name][-1]['rps']:.0f} req/s", flush=True)
            if run == 0:
                # The status page needs a recorded request: the first submit run made some.
                plan.append(("status", base + status_path(settings), None))
                runs["status"] = [
                    run_wrk(plan[-1][1], args.seconds, args.connections, None, gunicorn.pid)
                ]
                print(f"run 1 status: {runs['status'][-1]['rps']:.0f} req/s", flush=True)
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)
        if schema:
            drop_schema(schema)
        shutil.rmtree(workdir, ignore_errors=True)

    results = {name: median_result(route_runs) for name, route_runs in runs.items()}
    rows = [
        [
            name,
            f"{r['rps']:.0f}",
            f"{r['rps_min']:.0f}-{r['rps_max']:.0f}",
            f"{r['p50_ms']:.1f} ms",
            f"{r['p99_ms']:.1f} ms",
            f"{r['cpu_ms']:.2f} ms" if r["cpu_ms"] is not None else "-",
            str(int(r["requests"])),
            str(int(r["non_2xx_3xx"])),
        ]
        for name, r in results.items()
    ]
    print()
    print(
        f"gunicorn 2 workers ({workers_kind(args.threads)}), "
        f"wrk 2 threads x {args.connections} connections, {args.seconds} s, "
        f"median of {args.runs} run(s); load average {os.getloadavg()[0]:.2f}"
    )
    print(f"database: {args.database}")
    headers = ["route", "req/s", "min-max", "p50", "p99", "cpu/req", "requests", "non-2xx/3xx"]
    print(_stats.table(headers, rows))
    ratios = {
        "form / hello": results["form"]["rps"] / results["hello"]["rps"],
        "status / hello": results["status"]["rps"] / results["hello"]["rps"],
        "submit / insert": results["submit"]["rps"] / results["insert"]["rps"],
        "insert / hello": results["insert"]["rps"] / results["hello"]["rps"],
    }
    cpu = {name: r["cpu_ms"] for name, r in results.items()}
    if all(value for value in cpu.values()):
        # The same ratios in server CPU per request: what they would be if the workers had the
        # cores to themselves (the machine's other work moves req/s, much less the CPU a request
        # costs).
        ratios |= {
            "status / hello (cpu)": cpu["hello"] / cpu["status"],
            "form / hello (cpu)": cpu["hello"] / cpu["form"],
            "submit / insert (cpu)": cpu["insert"] / cpu["submit"],
        }
    print()
    print(_stats.table(["ratio (req/s)", "value"], [[k, f"{v:.2f}"] for k, v in ratios.items()]))
    checks = [
        _stats.Check("form / hello", ratios["form / hello"], 0.5, "higher", "%"),
        _stats.Check("status / hello", ratios["status / hello"], 0.5, "higher", "%"),
        _stats.Check("submit / insert", ratios["submit / insert"], 0.5, "higher", "%"),
        *(
            _stats.Check(f"{name} p99 (ms)", results[name]["p99_ms"], 50.0, "lower", "")
            for name in ("form", "submit", "status")
        ),
    ]
    print()
    print(_stats.table(["target", "value", "wanted", "verdict"], [c.describe() for c in checks]))
    if args.connections != 8:
        print("note: the p99 target is stated at 8 connections")
    path = _stats.write_results(
        f"portal-{args.database}",
        {
            "seconds": args.seconds,
            "connections": args.connections,
            "database": args.database,
            "runs": args.runs,
            "routes": results,
            "route_runs": runs,
            "ratios": ratios,
            "checks": [c.as_dict() for c in checks],
        },
    )
    print(f"\nwritten to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
