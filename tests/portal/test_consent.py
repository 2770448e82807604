"""Consent records: the banner's posts recorded, chained, counted, purged, proven by receipts.

Each test runs on SQLite and PostgreSQL (the `db_url` fixture) through the real app.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from portal.core import consent, consent_receipt, content, keys, seal
from portal.core.models import AuditEvent, ConsentRecord, ConsentRefusalCount
from tests.portal.support.cli import cli
from tests.portal.support.web import PUBLIC_URL

SITE_ORIGIN = "https://www.proleader.fi"


def notice_of(app: Flask) -> consent.Notice:
    with app.app_context():
        return consent.current_notice(content.content().site)


def choice(app: Flask, *, accepted: list[str], **fields: Any) -> dict[str, Any]:
    """Return what the banner posts for a choice that accepts `accepted` (necessary always)."""
    notice = notice_of(app)
    refused = [c for c in notice.categories if c not in accepted and c != "necessary"]
    services = {c: list(notice.services.get(c, ())) for c in accepted if notice.services.get(c)}
    body = {
        "event_id": str(uuid.uuid4()),
        "consent_id": str(uuid.uuid4()),
        "kind": "first",
        "source": "banner",
        "revision": notice.revision,
        "notice": notice.hash,
        "token": notice.hash,
        "lang": "fi",
        "accepted": ["necessary", *accepted],
        "refused": refused,
        "accepted_services": services,
        "refused_services": {c: list(notice.services.get(c, ())) for c in refused},
    }
    return {**body, **fields}


def post(client: FlaskClient, body: Any, origin: str = SITE_ORIGIN, **headers: str) -> Any:
    return client.post("/requests/consent", json=body, headers={"Origin": origin, **headers})


def test_a_consent_is_recorded_with_its_revision_and_hash(app: Flask, client: FlaskClient,
                                                          session: Session) -> None:  # fmt: skip
    body = choice(app, accepted=["analytics"])
    response = post(client, body)
    assert response.status_code == 201, response.text
    assert response.headers["Access-Control-Allow-Origin"] == SITE_ORIGIN
    assert response.json["consent_id"] == body["consent_id"]
    assert response.json["source"] == "banner"
    row = session.scalars(select(ConsentRecord)).one()
    assert (row.consent_id, row.revision, row.notice_hash, row.lang, row.source) == (
        body["consent_id"], body["revision"], body["notice"], "fi", "banner",
    )  # fmt: skip
    assert json.loads(row.choice)["accepted"] == ["analytics", "necessary"]
    columns = {c.name for c in ConsentRecord.__table__.columns}
    assert not {"ip", "address", "remote_addr", "user_agent"} & columns


def test_the_same_event_twice_is_one_record(app: Flask, client: FlaskClient,
                                            session: Session) -> None:  # fmt: skip
    body = choice(app, accepted=["analytics"])
    first, again = post(client, body), post(client, body)
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json["record"] == again.json["record"]
    assert session.scalar(select(text("count(*)")).select_from(ConsentRecord)) == 1


def test_a_refusal_is_counted_without_any_identifier(app: Flask, client: FlaskClient,
                                                     session: Session) -> None:  # fmt: skip
    response = post(client, choice(app, accepted=[]))
    assert response.status_code == 202
    assert response.json == {"counted": True, "source": "banner"}
    assert session.scalars(select(ConsentRecord)).all() == []
    count = session.scalars(select(ConsentRefusalCount)).one()
    assert (count.source, count.lang, count.count) == ("banner", "fi", 1)
    post(client, choice(app, accepted=[]))
    session.expire_all()
    assert session.scalars(select(ConsentRefusalCount)).one().count == 2


def test_a_withdrawal_is_recorded_against_the_consent(app: Flask, client: FlaskClient,
                                                      session: Session) -> None:  # fmt: skip
    given = choice(app, accepted=["analytics"])
    post(client, given)
    withdrawn = choice(app, accepted=[], consent_id=given["consent_id"], kind="change",
                       source="settings")  # fmt: skip
    response = post(client, withdrawn)
    assert response.status_code == 201
    rows = session.scalars(select(ConsentRecord).order_by(ConsentRecord.id)).all()
    assert [(r.kind, r.source) for r in rows] == [("first", "banner"), ("change", "settings")]
    assert rows[1].prev_hash == rows[0].hash


def test_sec_gpc_refuses_analytics_and_records_gpc(app: Flask, client: FlaskClient,
                                                   session: Session) -> None:  # fmt: skip
    response = post(client, choice(app, accepted=["analytics"]), **{"Sec-GPC": "1"})
    assert response.status_code == 202
    assert response.json == {"counted": True, "source": "gpc"}
    assert session.scalars(select(ConsentRefusalCount)).one().source == "gpc"


def test_a_choice_made_in_the_settings_stands_over_gpc(app: Flask, client: FlaskClient) -> None:
    response = post(client, choice(app, accepted=["analytics"], source="settings"),
                    **{"Sec-GPC": "1"})  # fmt: skip
    assert response.status_code == 201
    assert response.json["source"] == "settings"


def test_posts_from_other_sites_and_forged_posts_are_refused(
    app: Flask, client: FlaskClient
) -> None:
    body = choice(app, accepted=["analytics"])
    assert post(client, body, origin="https://evil.example").status_code == 403
    assert post(client, body, origin="").status_code == 403
    assert post(client, {**body, "token": "0" * 64}).json["error"] == "token"
    assert post(client, {**body, "revision": 1}).json["error"] == "revision"
    assert post(client, {**body, "accepted": ["analytics"]}).json["error"] == "categories"
    assert post(client, {**body, "source": "robot"}).json["error"] == "source"
    form = client.post("/requests/consent", data={"a": "b"}, headers={"Origin": SITE_ORIGIN})
    assert form.status_code == 415
    preflight = client.options("/requests/consent", headers={"Origin": SITE_ORIGIN})
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Headers"] == "Content-Type"
    assert post(client, body, origin=PUBLIC_URL).status_code == 201


def test_posts_are_rate_limited(make_app: Any) -> None:
    from tests.portal.support.web import https_client

    app = make_app(RATELIMIT_CONSENT="2 per hour")
    client = https_client(app)
    statuses = [post(client, choice(app, accepted=["analytics"])).status_code for _ in range(3)]
    assert statuses == [201, 201, 429]


def test_the_receipt_is_sealed_and_verifies(app: Flask, client: FlaskClient) -> None:
    given = choice(app, accepted=["analytics"])
    post(client, given)
    response = client.get(f"/requests/consent/receipt/{given['consent_id']}.json")
    assert response.status_code == 200
    document = response.json
    assert document["schema_version"] == consent_receipt.RECEIPT_SCHEMA
    assert document["record_id"] == given["consent_id"]
    assert document["notice"]["hash"] == given["notice"]
    assert [(p["purpose"], p["state"]) for p in document["processing"]] == [
        ("analytics", "given"), ("necessary", "given"),
    ]  # fmt: skip
    pem = seal.app_key(app).public_pem()
    assert consent_receipt.verify_receipt(document, pem).ok
    document["processing"][0]["state"] = "refused"
    assert consent_receipt.verify_receipt(document, pem).code == "digest"
    assert client.get(f"/requests/consent/receipt/{uuid.uuid4()}.json").status_code == 404


def test_verify_receipt_command_checks_a_consent_receipt(app: Flask, client: FlaskClient,
                                                         tmp_path: Any) -> None:  # fmt: skip
    given = choice(app, accepted=["analytics"])
    post(client, given)
    path = tmp_path / "consent-receipt.json"
    path.write_bytes(client.get(f"/requests/consent/receipt/{given['consent_id']}.json").data)
    result = cli(app, "verify-receipt", str(path))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("AUTHENTIC: ")
    assert f"consent {given['consent_id']}" in result.output
    with app.app_context():
        lines, code = keys.check_receipt_file(app, path.read_bytes().replace(b"given", b"GIVEN"),
                                              None)  # fmt: skip
    assert code == 1 and lines[0].startswith("INVALID")


def test_the_notice_shown_is_served_by_its_hash(app: Flask, client: FlaskClient) -> None:
    notice = notice_of(app)
    response = client.get(f"/requests/consent/notices/{notice.hash}.json")
    assert response.status_code == 200
    assert consent.hashlib.sha256(response.data).hexdigest() == notice.hash
    texts = response.json
    assert texts["revision"] == notice.revision
    assert texts["translations"]["fi"]["consentModal"]["acceptAllBtn"] == "Hyväksy kaikki"
    assert client.get("/requests/consent/notices/" + "0" * 64 + ".json").status_code == 404


def test_the_chain_verifies_is_anchored_and_purges(app: Flask, client: FlaskClient,
                                                   session: Session) -> None:  # fmt: skip
    for _ in range(3):
        post(client, choice(app, accepted=["analytics"]))
    assert consent.verify(session).ok
    rows = session.scalars(select(ConsentRecord).order_by(ConsentRecord.id)).all()
    consent.anchor(session, rows[1].id, rows[1].hash)  # as every ANCHOR_EVERY records
    session.commit()
    assert consent.verify(session).ok
    session.execute(
        text("UPDATE consent_record SET choice = :c WHERE id = :i"),
        {"c": rows[1].choice.replace("analytics", "marketing"), "i": rows[1].id},
    )
    session.commit()
    report = consent.verify(session)
    assert not report.ok and report.problem == f"record {rows[1].id}: content edited"
    session.execute(text("UPDATE consent_record SET choice = :c WHERE id = :i"),
                    {"c": rows[1].choice, "i": rows[1].id})  # fmt: skip
    session.commit()
    later = rows[-1].expires_at.replace(tzinfo=dt.UTC) if rows[-1].expires_at.tzinfo is None \
        else rows[-1].expires_at  # fmt: skip
    session.execute(
        text("UPDATE consent_record SET expires_at = :t WHERE id <= :i"),
        {"t": later - dt.timedelta(days=3650), "i": rows[1].id},
    )
    session.commit()
    assert consent.purge(session) == 2
    assert [r.id for r in session.scalars(select(ConsentRecord))] == [rows[2].id]
    assert consent.verify(session).ok
    purged = session.scalars(select(AuditEvent).where(AuditEvent.action == "consent.purged")).one()
    assert purged.detail == f"through record {rows[1].id} {rows[1].hash}"


def test_purge_command_removes_expired_records(app: Flask, client: FlaskClient,
                                               session: Session) -> None:  # fmt: skip
    post(client, choice(app, accepted=["analytics"]))
    session.execute(text("UPDATE consent_record SET expires_at = :t"),
                    {"t": dt.datetime(2020, 1, 1, tzinfo=dt.UTC)})  # fmt: skip
    session.commit()
    result = cli(app, "purge")
    assert "deleted 1 expired consent record(s)" in result.output, result.output


def test_numbers_go_on_after_every_record_was_purged(app: Flask, client: FlaskClient,
                                                     session: Session) -> None:  # fmt: skip
    """A chain purged to its last record goes on from the purge mark: record 3 is followed by 4,
    not by a second record 1, and the chain still verifies."""
    for _ in range(3):
        assert post(client, choice(app, accepted=["analytics"])).status_code == 201
    session.execute(text("UPDATE consent_record SET expires_at = :t"),
                    {"t": dt.datetime(2020, 1, 1, tzinfo=dt.UTC)})  # fmt: skip
    session.commit()
    assert consent.purge(session) == 3
    answer = post(client, choice(app, accepted=["analytics"]))
    assert answer.status_code == 201 and answer.json["record"] == 4
    assert consent.verify(session) == consent.ChainReport(True, 1)


def test_a_withdrawn_consent_says_so_in_the_receipt_and_on_the_verify_page(
    app: Flask, client: FlaskClient
) -> None:
    from bs4 import BeautifulSoup

    from tests.portal.support.web import csrf_token

    given = choice(app, accepted=["analytics"])
    assert post(client, given).status_code == 201
    withdrawn = choice(app, accepted=[], consent_id=given["consent_id"], kind="change",
                       source="settings")  # fmt: skip
    assert post(client, withdrawn).status_code == 201
    document = client.get(f"/requests/consent/receipt/{given['consent_id']}.json").json
    states = {p["purpose"]: p["state"] for p in document["processing"]}
    assert (states.pop("analytics"), states.pop("necessary")) == ("withdrawn", "given")
    assert states == {}
    shown = {}
    for lang, label in (("fi", "Suostumus peruttu"), ("sv", "Samtycke återkallat"),
                        ("en", "Consent withdrawn")):  # fmt: skip
        path = f"/requests/{lang}/verify"
        page = client.post(
            path,
            data={"csrf_token": csrf_token(client, path), "receipt_text": json.dumps(document)},
            content_type="multipart/form-data",
        )
        facts = BeautifulSoup(page.text, "html.parser").select_one(".verify-result dl.facts")
        assert facts is not None, page.text
        terms = [dt.get_text(strip=True) for dt in facts.find_all("dt")]
        values = [dd.get_text(strip=True) for dd in facts.find_all("dd")]
        shown[lang] = dict(zip(terms, values, strict=True))[label]
    assert shown["fi"].startswith("Analytiikka (") and shown["fi"].endswith(")")
    assert shown["sv"].startswith("Analys (") and shown["en"].startswith("Analytics (")
    # Given once more: nothing is withdrawn any longer.
    again = choice(app, accepted=["analytics"], consent_id=given["consent_id"], kind="change",
                   source="settings")  # fmt: skip
    assert post(client, again).status_code == 201
    document = client.get(f"/requests/consent/receipt/{given['consent_id']}.json").json
    assert {p["purpose"]: p["state"] for p in document["processing"]}["analytics"] == "given"
    path = "/requests/en/verify"
    page = client.post(
        path,
        data={"csrf_token": csrf_token(client, path), "receipt_text": json.dumps(document)},
        content_type="multipart/form-data",
    )
    assert "Consent withdrawn" not in page.text and "Cookies accepted" in page.text


def test_a_category_never_given_is_refused_not_withdrawn() -> None:
    import datetime as dt
    from types import SimpleNamespace

    def row(number: int, accepted: list[str], refused: list[str]) -> Any:
        services = {"accepted_services": {}, "refused_services": {}}
        return SimpleNamespace(
            id=number, at=dt.datetime(2026, 12, 6, 9, number, tzinfo=dt.UTC), kind="change",
            source="settings", revision=1, notice_hash="0" * 64, lang="fi", hash="1" * 64,
            consent_id="c", expires_at=dt.datetime(2027, 12, 6, tzinfo=dt.UTC),
            choice=json.dumps({"accepted": accepted, "refused": refused, **services}),
        )  # fmt: skip

    records = [row(1, ["necessary", "analytics"], ["marketing"]),
               row(2, ["necessary"], ["analytics", "marketing"])]  # fmt: skip
    document = consent_receipt.receipt_content(records, controller={}, notice_url="{hash}")
    assert {p["purpose"]: p["state"] for p in document["processing"]} == {
        "analytics": "withdrawn", "marketing": "refused", "necessary": "given",
    }  # fmt: skip
    assert [e["state"] for e in document["consent_events"]] == ["given", "withdrawn"]
