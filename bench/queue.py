"""Benchmark the staff queue at 1,000, 100,000 and 1,000,000 requests, on SQLite and PostgreSQL.

    .venv/bin/python -m bench.queue [--sizes 1000,100000,1000000] [--runs 21]
                                    [--databases sqlite,postgresql]

For each database a fresh schema is migrated (SQLite: a file in a temporary folder; PostgreSQL: a
private schema, dropped afterwards) and filled in steps up to each size, by `executemany` on
SQLite and `COPY` on PostgreSQL (then ANALYZE and VACUUM, as autovacuum would). Requests are spread
like a queue that has run for years: most are closed, a few percent open, due dates within two
months either side of today, one open request in twenty extended.

Timed, through the same `portal.core.queue` functions the staff page calls (ORM rows included):

  page 1     the first 50 open requests by effective due date (the queue's default view)
  page deep  50 open requests from a cursor in the middle of the open ones (keyset: same cost)
  counts     the number of requests per status, each capped at `queue.COUNT_CAP`

Each step runs `--runs` times after one warm-up; the table shows medians with min and max.
Targets: page 1 at the largest size under 50 ms and within 1.5x of its time at the smallest size.
The query plans of page 1 and of one status count are printed once per database, so index use is
visible. Results go to bench/results/queue.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bench._stats import (
    Check,
    Timing,
    ratio,
    table,
    time_runs,
    timing_row,
    write_results,
)
from portal.core import queue
from portal.core.models import DataRequest
from portal.db import make_engine, temporary_schema, upgrade

POSTGRES_URL = os.environ.get(
    "PORTAL_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
TODAY = dt.date(2030, 6, 15)
TARGET_MS = 50.0
TARGET_RATIO = 1.5

STATUS_WEIGHTS = {
    "closed": 85,
    "expired": 4,
    "open": 5,
    "awaiting_info": 1,
    "decided": 3,
    "unconfirmed": 2,
}
RIGHTS = ("access", "rectification", "erasure", "restriction", "portability", "objection")
COLUMNS = (
    "reference",
    "right",
    "register_id",
    "language",
    "status",
    "name",
    "email",
    "details",
    "signature_name",
    "attested",
    "created_at",
    "received_at",
    "due_on",
    "extended_due_on",
    "paused_days",
)


def rows(start: int, count: int, seed: int) -> Iterator[tuple[Any, ...]]:
    """Yield `count` synthetic requests numbered from `start`."""
    rng = random.Random(seed)
    statuses = list(STATUS_WEIGHTS)
    weights = list(STATUS_WEIGHTS.values())
    for number in range(start, start + count):
        status = rng.choices(statuses, weights)[0]
        confirmed = status not in ("unconfirmed", "expired")
        received = dt.datetime.combine(
            TODAY - dt.timedelta(days=rng.randint(0, 60)), dt.time(9), tzinfo=dt.UTC
        )
        due = (received + dt.timedelta(days=rng.randint(28, 31))).date() if confirmed else None
        extended = due + dt.timedelta(days=61) if status == "open" and rng.random() < 0.05 else None
        yield (
            f"B{number:010d}",
            rng.choice(RIGHTS),
            "asiakasrekisteri",
            rng.choice(("fi", "fi", "fi", "en", "sv")),
            status,
            f"Henkilö {number}",
            f"person{number}@example.fi",
            json.dumps({"message": "Haluan nähdä tietoni."}),
            f"Henkilö {number}",
            True,
            received,
            received if confirmed else None,
            due,
            extended,
            0,
        )


def fill_sqlite(engine: Engine, start: int, count: int) -> None:
    """Insert rows with one executemany in one transaction."""
    placeholders = ", ".join("?" for _ in COLUMNS)
    sql = f"INSERT INTO data_request ({', '.join(COLUMNS)}) VALUES ({placeholders})"
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()

        def adapt(row: tuple[Any, ...]) -> tuple[Any, ...]:
            return tuple(
                v.isoformat(sep=" ")
                if isinstance(v, dt.datetime)
                else v.isoformat()
                if isinstance(v, dt.date)
                else v
                for v in row
            )

        cursor.executemany(sql, (adapt(r) for r in rows(start, count, seed=start)))
        raw.commit()
        cursor.execute("ANALYZE")
        raw.commit()
    finally:
        raw.close()


def fill_postgresql(engine: Engine, start: int, count: int) -> None:
    """Load rows with COPY, then ANALYZE and VACUUM as autovacuum would."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        columns = ", ".join(f'"{c}"' for c in COLUMNS)
        with cursor.copy(f"COPY data_request ({columns}) FROM STDIN") as copy:
            for row in rows(start, count, seed=start):
                copy.write_row(row)
        raw.commit()
    finally:
        raw.close()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE data_request"))


def explain(session: Session, dialect: str) -> dict[str, str]:
    """Return the query plans of page 1 and of one status count."""
    compiler_dialect = sqlite.dialect() if dialect == "sqlite" else postgresql.dialect()
    page = queue.queue_select(queue.QueueFilter(), staff_id=None, today=TODAY).limit(51)
    deep = queue.queue_select(
        queue.QueueFilter(), staff_id=None, today=TODAY, after=queue.Cursor(TODAY, 0)
    ).limit(51)
    capped = (
        select(DataRequest.id)
        .where(DataRequest.status == "awaiting_info")
        .order_by(queue.EFFECTIVE_DUE, DataRequest.id)
        .limit(queue.COUNT_CAP + 1)
    ).subquery()
    count = select(text("count(*)")).select_from(capped)
    plans = {}
    for name, stmt in (("page 1", page), ("page deep", deep), ("count awaiting_info", count)):
        sql = str(stmt.compile(dialect=compiler_dialect, compile_kwargs={"literal_binds": True}))
        prefix = "EXPLAIN QUERY PLAN " if dialect == "sqlite" else "EXPLAIN (ANALYZE, COSTS OFF) "
        result = session.execute(text(prefix + sql)).all()
        lines = [row[-1] if dialect == "sqlite" else row[0] for row in result]
        plans[name] = "\n".join(str(line) for line in lines)
    return plans


def measure(session: Session, runs: int, size: int, db: str) -> dict[str, Timing]:
    """Time page 1, a deep page and the counts on the current data."""
    filt = queue.QueueFilter()
    open_ids = session.execute(select(DataRequest.id).where(DataRequest.status == "open")).all()
    middle = None
    if open_ids:
        page = queue.fetch_page(
            session, filt, staff_id=None, today=TODAY, limit=len(open_ids) // 2 or 1
        )
        middle = page.next_cursor

    def page1() -> None:
        result = queue.fetch_page(session, filt, staff_id=None, today=TODAY)
        assert len(result.rows) == min(50, len(open_ids))
        session.expunge_all()

    def deep() -> None:
        queue.fetch_page(session, filt, staff_id=None, today=TODAY, after=middle)
        session.expunge_all()

    def counts() -> None:
        queue.status_counts(session)

    timings = {}
    for label, step in (("page 1", page1), ("page deep", deep), ("counts", counts)):
        step()  # warm-up: caches and prepared plans, as on a running server
        timings[label] = time_runs(f"{db} {size:>9,} {label}", step, runs=runs)
    return timings


def run_database(db: str, sizes: list[int], runs: int, workdir: Path) -> dict[str, Any]:
    """Fill one database size by size and measure after each step."""
    if db == "sqlite":
        url = f"sqlite:///{workdir / 'queue.sqlite3'}"
        upgrade(url)
        return measure_database(db, url, sizes, runs)
    with temporary_schema(POSTGRES_URL, "bench_queue") as url:
        return measure_database(db, url, sizes, runs)


def measure_database(db: str, url: str, sizes: list[int], runs: int) -> dict[str, Any]:
    """Fill the migrated database at `url` size by size, measuring after each step."""
    engine = make_engine(url)
    fill = fill_sqlite if db == "sqlite" else fill_postgresql
    done = 0
    results: dict[str, Any] = {"sizes": {}, "plans": {}}
    try:
        for size in sizes:
            print(f"  {db}: filling to {size:,} …", file=sys.stderr, flush=True)
            fill(engine, done, size - done)
            done = size
            with Session(engine) as session:
                results["sizes"][size] = measure(session, runs, size, db)
        with Session(engine) as session:
            results["plans"] = explain(session, db)
    finally:
        engine.dispose()
    return results


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table, plans and target verdicts."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,100000,1000000")
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    databases = [d.strip() for d in args.databases.split(",") if d.strip()]

    measured: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="seloste-bench-queue-") as tmp:
        for db in databases:
            measured[db] = run_database(db, sizes, args.runs, Path(tmp))

    rows_out: list[list[str]] = []
    checks: list[Check] = []
    for db, result in measured.items():
        print(f"\n== {db}: query plans at {sizes[-1]:,} requests")
        for name, plan in result["plans"].items():
            print(f"-- {name}\n{plan}")
        for size in sizes:
            for timing in result["sizes"][size].values():
                rows_out.append(timing_row(timing))
        small, large = result["sizes"][sizes[0]], result["sizes"][sizes[-1]]
        for label in ("page 1", "page deep", "counts"):
            checks.append(
                Check(
                    f"{db} {label} at {sizes[-1]:,} (ms)",
                    large[label].median * 1000,
                    TARGET_MS,
                    "lower",
                    "ms",
                )
            )
            checks.append(
                Check(
                    f"{db} {label} {sizes[-1]:,}/{sizes[0]:,}",
                    ratio(large[label], small[label]),
                    TARGET_RATIO,
                    "lower",
                )
            )
    print()
    print(table(["step", "median", "min", "max", "runs"], rows_out))
    print()
    print(table(["target", "value", "target", "verdict"], [c.describe() for c in checks]))
    path = write_results(
        "queue",
        {
            "sizes": sizes,
            "runs": args.runs,
            "timings": {
                db: {
                    str(size): {k: t.as_dict() for k, t in r["sizes"][size].items()}
                    for size in sizes
                }
                for db, r in measured.items()
            },
            "plans": {db: r["plans"] for db, r in measured.items()},
            "checks": [c.as_dict() for c in checks],
        },
    )
    print(f"\nwrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
