"""Benchmark consent records through the real server against the plain insert floor.

    .venv/bin/python -m bench.consent [--seconds 10] [--clients 8] [--database sqlite|postgresql]
        [--server gunicorn|werkzeug] [--workers N] [--threads 8] [--code DIR]

The portal runs in its own process(es), as deployed (docs/deploy/systemd/seloste-portal.service:
gunicorn, gthread workers, one per core by default, 8 threads each, the rate limiter's counts in
Redis at 127.0.0.1:6379 as several workers need) or, with `--server werkzeug`, in Werkzeug's
threaded server in one process (what `make run` uses). 8 client threads post banner choices (a
new consent id each, analytics accepted) over keep-alive HTTP for `--seconds`. The floor is the
plain insert of the same row into `consent_record`, one commit each, on the same database, measured
two ways:

  http floor  the same clients posting the same body over keep-alive HTTP to the same server
              processes, where a bare WSGI route (`/bench/insert`, in front of the portal, in the
              app this benchmark builds only) reads the body and inserts the row through the
              app's engine: HTTP and the server as the records pay them, and nothing else (no
              parsing, no validation, no limiter, no chain) -- what `bench/portal.py`'s insert
              floor is for a request;
  db floor    the same number of threads inserting straight into the database from this process
              through SQLAlchemy: no HTTP, no server at all.

The target is judged against the http floor, as `bench/portal.py` judges a submit against its
insert route; the db floor's ratio is printed beside it, and so is the http floor's own share of
the db floor (an endpoint cannot do better than that share: client, server and database share the
machine's cores, and the db floor pays for no client or server). Prints records/s of each, the
ratios, p50/p99 latency of a post, the server's CPU time per record and per floor insert (every
server process) and its share of one core, bytes per record, the cost of purging half the
records, and whether the records pass `portal consent verify`'s checks after the load and after
the purge; targets: >= 50 % of the http floor, p99 < 50 ms. `--code DIR` runs the server from
another checkout (an older commit, for a before/after in the same session).
Writes bench/results/consent-<database>[-<server>].json.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select, text

from portal.db import make_engine, upgrade
from portal.demo import demo_content

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent

PG_URL = os.environ.get(
    "PORTAL_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
FLOOR_PATH = "/bench/insert"
FLOOR_MODULE = "bench_consent_floor"
FLOOR_APP = '''"""The portal with the http floor's route in front of it (written into the
benchmark's temporary folder, so that `--code` runs an older checkout's portal behind it)."""

import itertools
import os
import secrets
import uuid

from sqlalchemy import text

from portal import create_app

INSERT = text(
    "INSERT INTO consent_record (id, event_id, consent_id, at, expires_at, kind, source, "
    "revision, notice_hash, lang, choice, prev_hash, hash) VALUES (:id, :e, :c, "
    "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'first', 'banner', 1, :h, 'fi', '{{}}', :h, :x)"
)


def make(settings):
    app = create_app(settings)
    engine = app.extensions["db_engine"]
    portal = app.wsgi_app
    # Floor rows get ids from 20,000,000 up, apart per worker process; the benchmark deletes
    # every id >= 10,000,000 before it measures a purge.
    ids = itertools.count(20_000_000 + (os.getpid() % 1000) * 1_000_000)

    def floor(environ, start_response):
        if environ.get("PATH_INFO") != "{path}" or environ["REQUEST_METHOD"] != "POST":
            return portal(environ, start_response)
        environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        with engine.begin() as connection:
            connection.execute(
                INSERT,
                {{"id": next(ids), "e": str(uuid.uuid4()), "c": str(uuid.uuid4()),
                  "h": "0" * 64, "x": secrets.token_hex(32)}},
            )
        body = b'{{"ok": true}}\\n'
        start_response(
            "201 CREATED",
            [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
        )
        return [body]

    app.wsgi_app = floor
    return app
'''
SERVER = """
import logging
logging.getLogger("werkzeug").setLevel(logging.ERROR)
from bench_consent_floor import make
from werkzeug.serving import make_server
app = make({settings!r})
make_server("127.0.0.1", {port}, app, threaded=True).serve_forever()
"""


def cpu_seconds(pid: int) -> float:
    """Return the user and system CPU time a process and its live children (gunicorn's workers)
    have used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    total = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            total += cpu_seconds(int(child))
    return total


def start_server(
    args: argparse.Namespace, settings: dict[str, Any], port: int, code: Path, tmp: Path
) -> subprocess.Popen[bytes]:
    """Start the portal with the http floor's route: gunicorn as deployed, or Werkzeug's
    threaded server."""
    (tmp / f"{FLOOR_MODULE}.py").write_text(FLOOR_APP.format(path=FLOOR_PATH), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": f"{code}{os.pathsep}{tmp}"}
    if args.server == "werkzeug":
        program = SERVER.format(settings=settings, port=port)
        return subprocess.Popen([sys.executable, "-c", program], cwd=code, env=env)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [
        str(gunicorn), "--workers", str(args.workers), "--worker-class", "gthread",
        "--threads", str(args.threads), "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
        f"{FLOOR_MODULE}:make({settings!r})",
    ]  # fmt: skip
    return subprocess.Popen(command, cwd=code, env=env)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def database(kind: str, tmp: Path) -> str:
    if kind == "sqlite":
        url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    else:
        schema = "bench_consent_" + secrets.token_hex(4)
        engine = create_engine(PG_URL)
        with engine.begin() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
        engine.dispose()
        url = f"{PG_URL}?options=-csearch_path%3D{schema}"
    upgrade(url)
    return url


def body(notice: dict[str, Any]) -> bytes:
    return json.dumps(
        {
            "event_id": str(uuid.uuid4()),
            "consent_id": str(uuid.uuid4()),
            "kind": "first",
            "source": "banner",
            "revision": notice["revision"],
            "notice": notice["hash"],
            "token": notice["hash"],
            "lang": "fi",
            "accepted": ["analytics", "necessary"],
            "refused": [],
            "accepted_services": {"analytics": notice["analytics"]},
            "refused_services": {},
        }
    ).encode()


def post_load(
    port: int, notice: dict[str, Any], seconds: float, clients: int, path: str = "/requests/consent"
) -> list[float]:
    latencies: list[float] = []
    lock = threading.Lock()
    end = time.perf_counter() + seconds

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port)
        mine = []
        headers = {"Content-Type": "application/json", "Origin": f"http://127.0.0.1:{port}"}
        while time.perf_counter() < end:
            started = time.perf_counter()
            connection.request("POST", path, body(notice), headers)
            response = connection.getresponse()
            response.read()
            if response.status != 201:
                raise RuntimeError(f"post answered {response.status}")
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies


def db_floor(url: str, seconds: float, clients: int) -> int:
    engine = make_engine(url)  # the portal's own engine: WAL, synchronous=FULL, busy timeout
    counter = [0]
    lock = threading.Lock()
    end = time.perf_counter() + seconds
    statement = text(
        "INSERT INTO consent_record (id, event_id, consent_id, at, expires_at, kind, source, "
        "revision, notice_hash, lang, choice, prev_hash, hash) VALUES (:id, :e, :c, "
        "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'first', 'banner', 1, :h, 'fi', '{}', :h, :x)"
    )

    def writer() -> None:
        while time.perf_counter() < end:
            with lock:
                counter[0] += 1
                number = 10_000_000 + counter[0]
            with engine.begin() as connection:
                connection.execute(
                    statement,
                    {"id": number, "e": str(uuid.uuid4()), "c": str(uuid.uuid4()),
                     "h": "0" * 64, "x": secrets.token_hex(32)},
                )  # fmt: skip

    threads = [threading.Thread(target=writer) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()
    return counter[0]


def remove_floor_rows(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM consent_record WHERE id >= 10000000"))
    engine.dispose()


def percentile(values: list[float], share: float) -> float:
    """Return the value `share` of `values` lie at or below (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * share) - 1)]


def verified(url: str) -> bool:
    """Check the records as `portal consent verify` does: chain, anchors and counters."""
    from sqlalchemy.orm import Session

    from portal.core import consent as consent_core

    engine = create_engine(url)
    with Session(engine) as session:
        report = consent_core.verify(session)
        ok = report.ok and consent_core.counts(session) == consent_core.recount(session)
    engine.dispose()
    if not report.ok:
        print(f"consent chain BROKEN: {report.problem}", file=sys.stderr)
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--server", choices=["gunicorn", "werkzeug"], default="gunicorn")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout to run the server from")
    args = parser.parse_args()
    code = args.code.resolve()
    tmp = Path(tempfile.mkdtemp(prefix="bench-consent-"))
    url = database(args.database, tmp)
    port = free_port()
    # One public URL: the content's portal_url names this local portal, as in the demo.
    content = demo_content(ROOT / "content", tmp, f"http://127.0.0.1:{port}")
    settings = {
        "CONTENT_DIR": str(content),
        "SECRET_KEY": secrets.token_hex(16),
        "INSTANCE_PATH": str(tmp / "instance"),
        "DATABASE_URL": url,
        "SITE_DIR": "",
        "PUBLIC_URL": f"http://127.0.0.1:{port}",
        "SECURE_COOKIES": False,
        "MAIL_SEND_INLINE": False,
        "RATELIMIT_CONSENT": "100000000 per hour",
    }
    if args.server == "gunicorn":  # several processes share one limiter store, as deployed
        settings["RATELIMIT_STORAGE_URI"] = REDIS_URL
    server = start_server(args, settings, port, code, tmp)
    try:
        from notice.loader import load_content
        from portal.core import consent

        current = consent.current_notice(load_content(content).site)
        notice = {
            "hash": current.hash,
            "revision": current.revision,
            "analytics": list(current.services.get("analytics", ())),
        }
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        post_load(port, notice, 2, args.clients)  # warm-up: every worker archives the notice once
        cpu_before = cpu_seconds(server.pid)
        latencies = post_load(port, notice, args.seconds, args.clients)
        server_cpu = cpu_seconds(server.pid) - cpu_before
        post_load(port, notice, 1, args.clients, FLOOR_PATH)  # warm-up: the floor's connections
        cpu_before = cpu_seconds(server.pid)
        floor_latencies = post_load(port, notice, args.seconds, args.clients, FLOOR_PATH)
        floor_cpu = cpu_seconds(server.pid) - cpu_before
    finally:
        server.terminate()
        server.wait(timeout=10)
    rate = len(latencies) / args.seconds
    remove_floor_rows(url)  # the floors' rows are not records: no chain, no counters
    chain_ok = verified(url)  # what the server stored passes `portal consent verify`
    floor_rate = len(floor_latencies) / args.seconds
    db_rate = db_floor(url, args.seconds, args.clients) / args.seconds
    engine = create_engine(url)
    with engine.begin() as connection:
        records = connection.execute(
            select(func.count()).select_from(text("consent_record")).where(text("id < 10000000"))
        )
        count = int(records.scalar() or 0)
        sizes = connection.execute(
            text("SELECT avg(length(choice)) FROM consent_record WHERE id < 10000000")
        )
        choice_bytes = float(sizes.scalar() or 0)
    from sqlalchemy.orm import Session

    from portal.core import consent as consent_core

    with Session(engine) as session:
        half = session.scalar(text("SELECT max(id) / 2 FROM consent_record WHERE id < 10000000"))
        session.execute(text("DELETE FROM consent_record WHERE id >= 10000000"))
        session.execute(
            text("UPDATE consent_record SET expires_at = '2000-01-01' WHERE id <= :h"), {"h": half}
        )
        session.commit()
        started = time.perf_counter()
        purged = consent_core.purge(session)
        purge_seconds = time.perf_counter() - started
    chain_ok = chain_ok and verified(url)  # and still after the purge
    engine.dispose()
    if args.database == "postgresql":  # the bench's own schema goes with it
        schema = url.rsplit("%3D", 1)[1]
        admin = create_engine(PG_URL)
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
    p50 = statistics.median(latencies) * 1000
    p99 = percentile(latencies, 0.99) * 1000
    results = {
        "database": args.database,
        "server": args.server,
        "workers": args.workers if args.server == "gunicorn" else 1,
        "code": str(code),
        "clients": args.clients,
        "seconds": args.seconds,
        "records_per_second": round(rate, 1),
        "http_floor_inserts_per_second": round(floor_rate, 1),
        "ratio": round(rate / floor_rate, 3) if floor_rate else None,
        "db_floor_inserts_per_second": round(db_rate, 1),
        "ratio_to_db_floor": round(rate / db_rate, 3) if db_rate else None,
        "http_floor_to_db_floor": round(floor_rate / db_rate, 3) if db_rate else None,
        "http_floor_p99_ms": round(percentile(floor_latencies, 0.99) * 1000, 2),
        "p50_ms": round(p50, 2),
        "p99_ms": round(p99, 2),
        "server_cpu_ms_per_record": round(server_cpu / len(latencies) * 1000, 2),
        "server_cpu_share": round(server_cpu / args.seconds, 2),
        "server_cpu_ms_per_floor_insert": round(floor_cpu / len(floor_latencies) * 1000, 2),
        "records": count,
        "choice_bytes_avg": round(choice_bytes, 1),
        "purged": purged,
        "purge_seconds": round(purge_seconds, 3),
        "chain_verified": chain_ok,
        "load_average": os.getloadavg(),
    }
    print(json.dumps(results, indent=2))
    ratio_met = bool(results["ratio"]) and float(results["ratio"] or 0) >= 0.5
    print(f"records/s >= 50 % of the http floor: {'met' if ratio_met else 'MISSED'}")
    print(f"p99 < 50 ms: {'met' if p99 < 50 else 'MISSED'}")
    print(f"consent verify (chain, anchors, counts): {'ok' if chain_ok else 'BROKEN'}")
    suffix = "" if args.server == "werkzeug" else f"-{args.server}"
    out = BENCH_DIR / "results" / f"consent-{args.database}{suffix}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
