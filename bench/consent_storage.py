"""Consent records on PostgreSQL without the web stack: storage, purge cost, appends per second.

    .venv/bin/python -m bench.consent_storage [--sizes 10000 100000 1000000] [--purge 2000]

In a schema of its own at 127.0.0.1:5432 (PORTAL_TEST_DATABASE_URL):
1. appends: `--append` records through `GroupCommit`'s writer in batches of 8 (what 8 waiting
   posts make), one thread: records/s of the chain itself, no HTTP;
2. storage: bytes per record of the table with its indexes (`pg_total_relation_size`) and of
   the counters, after those appends (real records: the demo content's notice, analytics
   accepted);
3. purge: for each of `--sizes` records held, the oldest `--purge` of them expired, the time
   `consent.purge` takes; the work should stay flat as what is kept grows. The plans
   (EXPLAIN ANALYZE) of its two statements at the largest size are printed.
Filler records for the purge sizes are made by SQL (`generate_series`): the purge does not
check hashes. Writes bench/results/consent-storage.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session

from bench.consent import PG_URL
from notice.loader import load_content
from portal.core import consent
from portal.db import make_engine, temporary_schema
from portal.demo import demo_content

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
FILL = """
INSERT INTO consent_record (id, event_id, consent_id, at, expires_at, kind, source, revision,
    notice_hash, lang, choice, prev_hash, hash)
SELECT n, gen_random_uuid()::text, gen_random_uuid()::text, now(),
    CASE WHEN n < CAST(:expired_below AS integer) THEN now() - interval '1 day'
    ELSE now() + interval '1000 days' END, 'first', 'banner', 1, :notice, 'fi', :choice,
    md5(n::text) || md5(n::text), md5((n + 1)::text) || md5(n::text)
FROM generate_series(CAST(:first AS integer), CAST(:last AS integer)) AS n
"""


def _choice(notice: consent.Notice) -> consent.Choice:
    analytics = list(notice.services.get("analytics", ()))
    return consent.parse(
        {
            "event_id": str(uuid.uuid4()), "consent_id": str(uuid.uuid4()), "kind": "first",
            "source": "banner", "revision": notice.revision, "notice": notice.hash,
            "token": notice.hash, "lang": "fi", "accepted": ["analytics", "necessary"],
            "refused": [], "accepted_services": {"analytics": analytics}, "refused_services": {},
        },
        notices={notice.hash: notice}, languages=["fi", "sv", "en"], gpc_header=False,
    )  # fmt: skip


def appends(url: str, notice: consent.Notice, count: int) -> dict[str, float]:
    """Append `count` records in batches of 8 through the group commit's writer."""
    engine = make_engine(url)
    group = consent.GroupCommit(engine)
    started = time.perf_counter()
    for _ in range(count // 8):
        batch = [consent._Pending(_choice(notice), consent.utcnow(), 1460) for _ in range(8)]
        group._write(batch)
    seconds = time.perf_counter() - started
    with engine.connect() as connection:
        total = connection.execute(text("SELECT pg_total_relation_size('consent_record')"))
        table_bytes = int(total.scalar() or 0)
        counters = connection.execute(  # none in a checkout from before the counters
            text("SELECT coalesce(pg_total_relation_size(to_regclass('consent_count')), 0)")
        )
        count_bytes = int(counters.scalar() or 0)
        held = int(connection.execute(text("SELECT count(*) FROM consent_record")).scalar() or 0)
    engine.dispose()
    return {
        "appended": held,
        "appends_per_second": round(held / seconds, 1),
        "bytes_per_record": round(table_bytes / held, 1),
        "counter_bytes": count_bytes,
    }


def purge_cost(
    url: str, notice: consent.Notice, size: int, purged: int, explain: list[str] | None = None
) -> tuple[float, int]:
    """Fill `size` records, the oldest `purged` expired; return the purge's seconds and count
    (with `explain`, add the plans of the purge's statements to it first)."""
    # Filling a million rows takes longer than the portal's 15 s statement timeout.
    engine = make_engine(url, statement_timeout=600, read_timeout=600)
    with engine.begin() as connection:
        connection.execute(text("TRUNCATE consent_record"))
        connection.execute(
            text(FILL),
            {"expired_below": purged + 1, "notice": notice.hash, "first": 1, "last": size,
             "choice": '{"accepted":["analytics","necessary"],"refused":[]}'},
        )  # fmt: skip
        connection.execute(text("ANALYZE consent_record"))
    if explain is not None:
        explain += plans(url, purged)
    with Session(engine) as session:
        started = time.perf_counter()
        count = consent.purge(session)
        seconds = time.perf_counter() - started
    engine.dispose()
    return seconds, count


def plans(url: str, purged: int) -> list[str]:
    """Return EXPLAIN ANALYZE of the purge's statements (read, then delete, rolled back)."""
    engine = make_engine(url)
    lines: list[str] = []
    with engine.connect() as connection:
        for statement in (
            "SELECT id, hash, expires_at FROM consent_record ORDER BY id LIMIT 5000",
            f"DELETE FROM consent_record WHERE id <= {purged} "
            "RETURNING notice_hash, source, revision, choice",
        ):
            lines.append(statement)
            rows = connection.execute(text(f"EXPLAIN (ANALYZE, COSTS OFF) {statement}"))
            lines += [f"    {row[0]}" for row in rows]
        connection.rollback()
    engine.dispose()
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--append", type=int, default=4000)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--purge", type=int, default=2000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-consent-storage-"))
    content = demo_content(ROOT / "content", tmp, "http://127.0.0.1:8000")
    notice = consent.current_notice(load_content(content).site)
    results: dict[str, object] = {"load_average": os.getloadavg()}
    with temporary_schema(PG_URL, "bench_consent_storage") as url:
        engine = make_engine(url)
        with Session(engine) as session:
            consent.archive_notice(session, notice)
            session.commit()
        engine.dispose()
        results["append"] = appends(url, notice, args.append)
        print(json.dumps(results["append"]))
        costs = []
        explained: list[str] = []
        for size in args.sizes:
            last = size == args.sizes[-1]
            seconds, count = purge_cost(url, notice, size, args.purge, explained if last else None)
            costs.append({"held": size, "purged": count, "seconds": round(seconds, 3)})
            print(json.dumps(costs[-1]))
        results["purge"] = costs
        results["plans"] = explained
        print("\n".join(explained))
    results["at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    out = BENCH_DIR / "results" / "consent-storage.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
