"""`portal consent verify` and `portal consent export` on the real app (SQLite and PostgreSQL)."""

from __future__ import annotations

import json

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from portal.core import consent, content
from portal.core.models import ConsentRecord
from tests.portal.support.cli import cli
from tests.portal.test_consent import choice, notice_of, post


def test_consent_commands_verify_the_chain_and_export_every_record(
    app: Flask, client: FlaskClient, session: Session
) -> None:
    for _ in range(2):
        assert post(client, choice(app, accepted=["analytics"])).status_code < 300
    result = cli(app, "consent", "verify")
    assert (result.exit_code, result.output) == (
        0,
        "consent chain ok: 2 record(s)\nconsent counts ok\n",
    )
    session.execute(text("UPDATE consent_count SET accepted = 5 WHERE source = 'banner' "
                         "AND category = '*'"))  # fmt: skip
    session.commit()
    result = cli(app, "consent", "verify")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        "consent counts WRONG by revision, source: kept "
        f"[[({notice_of(app).revision}, '{notice_of(app).hash}', 5)], [('banner', 5)]], "
        f"records [[({notice_of(app).revision}, '{notice_of(app).hash}', 2)], [('banner', 2)]]"
    )
    session.execute(text("UPDATE consent_count SET accepted = 2 WHERE source = 'banner' "
                         "AND category = '*'"))  # fmt: skip
    session.commit()

    result = cli(app, "consent", "export")
    assert result.exit_code == 0, result.output
    with app.app_context():
        expected = consent.jsonld(session, content.controller_name())
    assert json.loads(result.output) == expected
    assert len(expected["@graph"]) == 2

    first = session.scalars(select(ConsentRecord).order_by(ConsentRecord.id)).first()
    assert first is not None
    session.execute(
        text("UPDATE consent_record SET choice = :c WHERE id = :i"),
        {"c": first.choice.replace("analytics", "marketing"), "i": first.id},
    )
    session.commit()
    result = cli(app, "consent", "verify")
    assert (result.exit_code, result.output) == (
        1,
        f"consent chain BROKEN: record {first.id}: content edited\n",
    )
