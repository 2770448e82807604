"""The consent counters: kept in the transaction of every append and purge, they always equal a
count of the records held (`consent.recount`), under concurrent posts, withdrawals and purges.

Real threads against the real app on SQLite and PostgreSQL (the `db_url` fixture).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

from alembic import command
from flask import Flask
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from portal.core import consent
from portal.core.models import ConsentCount
from portal.db import alembic_config, upgrade
from tests.portal.test_consent import choice, notice_of, post


def in_threads(work: list[Callable[[], None]]) -> None:
    """Run each callable in its own thread at once; raise the first failure."""
    failures: list[BaseException] = []

    def run(job: Callable[[], None]) -> None:
        try:
            job()
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(error)

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


def visitor(app: Flask, consents: int) -> Callable[[], None]:
    """A browser posting `consents` consents (each a new id), then withdrawing its first one."""

    def run() -> None:
        web = app.test_client()
        bodies = [choice(app, accepted=["analytics"]) for _ in range(consents)]
        for body in bodies:
            assert post(web, body).status_code == 201
        withdrawal = choice(app, accepted=[], consent_id=bodies[0]["consent_id"], kind="change",
                            source="settings")  # fmt: skip
        assert post(web, withdrawal).status_code == 201

    return run


def test_counts_equal_a_recount_after_concurrent_posts_withdrawals_and_purges(
    app: Flask, session: Session
) -> None:
    notice = notice_of(app)
    in_threads([visitor(app, 4) for _ in range(8)])
    expected = {
        "revision": [(notice.revision, notice.hash, 40)],
        "source": [("banner", 32), ("settings", 8)],
        "category": [("analytics", 32, 8), ("necessary", 40, 0)],
        "refusals": [],
    }
    assert consent.counts(session) == expected
    assert consent.recount(session) == expected

    session.execute(text("UPDATE consent_record SET expires_at = :t WHERE id <= 25"),
                    {"t": dt.datetime(2020, 1, 1, tzinfo=dt.UTC)})  # fmt: skip
    session.commit()
    purged: list[int] = []

    def purge() -> None:
        with app.app_context(), app.extensions["db_sessionmaker"]() as mine:
            purged.append(consent.purge(mine, batch=4))

    in_threads([purge, purge, *(visitor(app, 1) for _ in range(6))])
    assert sum(purged) == 25
    held = consent.recount(session)
    assert consent.counts(session) == held
    assert sum(count for _, _, count in held["revision"]) == 40 - 25 + 12
    assert consent.verify(session).ok


def test_records_purged_to_the_last_leave_no_rows_on_the_page(app: Flask, session: Session) -> None:
    """A revision whose records are all purged disappears from the counts, as from a recount."""
    web = app.test_client()
    for _ in range(3):
        assert post(web, choice(app, accepted=["analytics"])).status_code == 201
    session.execute(text("UPDATE consent_record SET expires_at = :t"),
                    {"t": dt.datetime(2020, 1, 1, tzinfo=dt.UTC)})  # fmt: skip
    session.commit()
    assert consent.purge(session) == 3
    empty: dict[str, list[Any]] = {"revision": [], "source": [], "category": [], "refusals": []}
    assert consent.counts(session) == empty == consent.recount(session)
    rows = session.scalars(select(ConsentCount).order_by(ConsentCount.category)).all()
    assert [(row.category, row.accepted, row.refused) for row in rows] == [
        ("*", 0, 0),
        ("analytics", 0, 0),
        ("necessary", 0, 0),
    ]


def test_the_migration_counts_the_records_already_held(
    app: Flask, session: Session, db_url: str
) -> None:
    """0011_consent_counts fills the counters from the records an existing portal holds."""
    notice = notice_of(app)
    web = app.test_client()
    for accepted in (["analytics"], ["analytics"], []):
        body = choice(app, accepted=["analytics"])
        assert post(web, body).status_code == 201
        if not accepted:  # withdrawn from the settings
            withdrawal = choice(app, accepted=[], consent_id=body["consent_id"], kind="change",
                                source="settings")  # fmt: skip
            assert post(web, withdrawal).status_code == 201
    session.close()
    command.downgrade(alembic_config(db_url), "0010_consent")
    upgrade(db_url)
    assert consent.counts(session) == {
        "revision": [(notice.revision, notice.hash, 4)],
        "source": [("banner", 3), ("settings", 1)],
        "category": [("analytics", 3, 1), ("necessary", 4, 0)],
        "refusals": [],
    }
