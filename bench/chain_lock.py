"""How long a submission holds the audit chain's lock, against the whole submission.

Every submission appends an event to the audit chain, and the chain's lock is held from the head's
read to the commit: on PostgreSQL that held time is what submissions from different people queue
for (the duplicate check and the inserts run under a lock of their own, on the address, right and
register). This records `--submissions` requests one after another through
`submissions.record_submission` on a migrated, empty database and reports, after the first 50,
the median and 90th percentile of

  held    the chain's lock taken (the head read) to the commit returned
  whole   `record_submission` called to returned (both locks, the check, the inserts, the commit)

On PostgreSQL the submission is recorded as the portal's intake records it: pipelined on the app's
autocommit engine, where the chain's lock is taken in the round trip that writes the rows and
`held` starts when that round trip's answer (the head) is back.

and held / whole. One thread, no server: it measures the lock's hold, not throughput
(`bench.portal` measures that).

    .venv/bin/python -m bench.chain_lock [--database postgresql|sqlite] [--submissions 400]
"""

from __future__ import annotations

import argparse
import datetime as dt
import secrets
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import _stats
from bench.portal import drop_schema, prepare_database

WARM_UP = 50


def measure(database: str, submissions_count: int) -> dict[str, list[float]]:
    """Return the held and whole times (ms) of each submission after the warm-up."""
    from portal import create_app, db
    from portal.core import audit, mail, submissions
    from portal.core.models import DataRequest, RequestStatus

    workdir = Path(tempfile.mkdtemp(prefix="seloste-chain-lock-"))
    url, schema = prepare_database(database, workdir)
    settings = {
        "SECRET_KEY": secrets.token_hex(32),
        "INSTANCE_PATH": str(workdir / "instance"),
        "DATABASE_URL": url,
        "SITE_DIR": "",
        "MAIL_SEND_INLINE": False,
    }
    app = create_app(settings)
    # As the portal's intake passes it (PostgreSQL: the submission is pipelined on it).
    fast_engine = app.extensions.get(db.READ_ENGINE)
    taken: list[float] = []
    lock_and_read = audit._lock_chain_and_read_head
    # Where the lock is taken in a pipeline with the rows, the head is read off its rows.
    head_of = getattr(audit, "head_of", None)

    def timed_lock(session: Any) -> tuple[int, str]:
        head = lock_and_read(session)
        taken.append(time.perf_counter())
        return head

    def timed_head_of(rows: Any) -> tuple[int, str]:
        assert head_of is not None
        head = head_of(rows)
        taken.append(time.perf_counter())
        return head

    audit._lock_chain_and_read_head = timed_lock
    if head_of is not None:
        audit.head_of = timed_head_of
    held: list[float] = []
    whole: list[float] = []
    fast = {"fast_engine": fast_engine} if fast_engine is not None and head_of is not None else {}
    try:
        factory = db.session_factory(app)
        with app.app_context():
            for n in range(submissions_count + WARM_UP):
                request = DataRequest(
                    reference=f"BENCH-{n:06d}-{secrets.token_hex(3)}",
                    right="access",
                    register_id="asiakasrekisteri",
                    language="fi",
                    status=RequestStatus.unconfirmed,
                    name="Maija Meikäläinen",
                    email=f"maija{n}@example.fi",
                    details={},
                    signature_name="Maija Meikäläinen",
                    attested=True,
                    created_at=dt.datetime.now(dt.UTC),
                )
                queued = mail.defer(
                    to=request.email,
                    template="confirm",
                    language="fi",
                    context={"confirm_url": "https://portal.example.fi/c", "valid_hours": 72},
                    with_request=True,
                )
                with factory() as session:
                    start = time.perf_counter()
                    recorded = submissions.record_submission(
                        session, request, queued, ui_language="fi", **fast
                    )
                    end = time.perf_counter()
                if not recorded:
                    raise RuntimeError(f"submission {n} was taken for a duplicate")
                if n >= WARM_UP:
                    held.append((end - taken[-1]) * 1000)
                    whole.append((end - start) * 1000)
    finally:
        audit._lock_chain_and_read_head = lock_and_read
        if head_of is not None:
            audit.head_of = head_of
        app.extensions["db_engine"].dispose()
        if schema:
            drop_schema(schema)
    return {"held": held, "whole": whole}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--submissions", type=int, default=400)
    args = parser.parse_args(argv)
    times = measure(args.database, args.submissions)
    rows = []
    for name, values in times.items():
        ninetieth = statistics.quantiles(values, n=10)[-1]
        rows.append([name, f"{statistics.median(values):.2f} ms", f"{ninetieth:.2f} ms"])
    share = statistics.median(times["held"]) / statistics.median(times["whole"])
    print(f"database: {args.database}, {args.submissions} submissions after {WARM_UP}")
    print(_stats.table(["time", "median", "p90"], rows))
    print(f"\nheld / whole (medians): {share:.2f}")
    _stats.write_results(
        f"chain-lock-{args.database}",
        {"submissions": args.submissions, **times, "held / whole": share},
    )


if __name__ == "__main__":
    main()
