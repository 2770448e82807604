"""Retention: unconfirmed requests deleted, closed ones anonymised, the audit chain intact."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.core import audit, retention
from portal.core.models import (
    DataRequest,
    Letter,
    OutboxMessage,
    RecipientNotification,
    RequestNote,
)
from tests.portal.support.cli import cli
from tests.portal.support.requests import add_request, add_staff

NOW = dt.datetime(2029, 3, 1, 12, 0, tzinfo=dt.UTC)


def days_ago(days: float) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


def unconfirmed(session: Session, age_days: float) -> DataRequest:
    request = add_request(session, created_at=days_ago(age_days))
    session.add(
        OutboxMessage(
            request_id=request.id,
            recipient=request.email,
            subject="Vahvista",
            message=b"To: asa.aijala@example.fi\r\n\r\nHei",
        )
    )
    audit.record(session, action="request.submitted", actor="subject", request_id=request.id)
    session.flush()
    return request


def closed(session: Session, closed_days_ago: float, **overrides: Any) -> DataRequest:
    handler = add_staff(session, f"h{closed_days_ago}".replace(".", "-"))
    values: dict[str, Any] = {
        "right": "erasure",
        "status": "closed",
        "created_at": days_ago(closed_days_ago + 30),
        "received_at": days_ago(closed_days_ago + 30),
        "due_on": days_ago(closed_days_ago).date(),
        "decision": "partly_granted",
        "decision_reasons": "Laskut säilytetään kirjanpitolain vuoksi.",
        "decided_at": days_ago(closed_days_ago + 1),
        "closed_at": days_ago(closed_days_ago),
        "extension_reason": "Paljon tietoa.",
        "sealed_payload": '{"name":"Äijälä Åsa"}',
        "seal_digest": "d" * 64,
        "seal_signature": "c2ln",
        "seal_key_id": "k1",
        "assignee_id": handler.id,
    }
    request = add_request(session, **(values | overrides))
    session.add_all(
        [
            Letter(
                request_id=request.id,
                kind="decision",
                language="fi",
                html="<p>Äijälä Åsa</p>",
                pdf="%PDF-1.7 Äijälä".encode(),
                sha256="a" * 64,
            ),
            RequestNote(request_id=request.id, staff_id=handler.id, text="Soitti 040 123 4567"),
            RecipientNotification(
                request_id=request.id,
                recipient="Perintätoimisto",
                outcome="impossible",
                reason="Äijälän velka on jo siirretty.",
                staff_id=handler.id,
            ),
            OutboxMessage(
                request_id=request.id,
                recipient=request.email,
                subject="Päätös",
                message=b"To: asa.aijala@example.fi\r\n\r\nHei",
                status="sent",
            ),
        ]
    )
    audit.record(session, action="request.closed", actor="staff", request_id=request.id)
    session.flush()
    return request


def count(session: Session, model: Any, request_id: int) -> int:
    return session.scalar(
        select(func.count()).select_from(model).where(model.request_id == request_id)
    )


def purge(session: Session, **kwargs: Any) -> retention.PurgeReport:
    with time_machine.travel(NOW, tick=False):
        return retention.purge(session, unconfirmed_days=7, closed_days=1095, **kwargs)


def test_old_unconfirmed_requests_are_deleted_with_their_mail(session: Session) -> None:
    old = unconfirmed(session, 7.01)
    young = unconfirmed(session, 6.9)
    confirmed = add_request(
        session, status="open", created_at=days_ago(40), received_at=days_ago(40)
    )
    expired = add_request(session, status="expired", created_at=days_ago(8))
    session.commit()
    old_id = old.id

    report = purge(session)
    assert (report.deleted, report.anonymised, report.dry_run) == (2, 0, False)
    assert session.get(DataRequest, old_id) is None
    assert session.get(DataRequest, expired.id) is None
    assert session.get(DataRequest, young.id) is not None
    assert session.get(DataRequest, confirmed.id) is not None
    assert count(session, OutboxMessage, old_id) == 0
    assert count(session, OutboxMessage, young.id) == 1
    purged = audit.events_for_request(session, old_id)
    assert [(e.action, e.actor, e.detail) for e in purged] == [
        ("request.submitted", "subject", ""),
        ("request.purged", "system", "deleted: never confirmed"),
    ]
    assert audit.event_fields(purged[-1])["at"] == "2029-03-01T12:00:00.000000Z"
    assert audit.verify(session).ok


def test_old_closed_requests_are_anonymised_keeping_the_record(session: Session) -> None:
    old = closed(session, 1095.5)
    recent = closed(session, 1094.5)
    undecided = add_request(
        session, status="decided", decision="granted", created_at=days_ago(4000)
    )
    session.commit()

    report = purge(session)
    assert (report.deleted, report.anonymised) == (0, 1)
    session.expire_all()
    row = session.get(DataRequest, old.id)
    assert row is not None
    assert (row.name, row.email, row.phone, row.customer_number) == ("", "", None, None)
    assert (row.details, row.signature_name, row.sealed_payload) == ({}, "", None)
    assert row.decision_reasons is None and row.extension_reason is None
    assert row.anonymised_at is not None
    # What shows the request was answered on time stays.
    assert (row.reference, row.right, row.register_id, row.decision) == (
        old.reference,
        "erasure",
        "asiakasrekisteri",
        "partly_granted",
    )
    assert row.received_at is not None and row.due_on is not None and row.closed_at is not None
    assert (row.seal_digest, row.seal_signature) == ("d" * 64, "c2ln")
    [kept_letter] = row.letters
    assert (kept_letter.html, kept_letter.pdf, kept_letter.sha256) == ("", None, "a" * 64)
    assert row.notes == []
    [notification] = row.notifications
    assert (notification.recipient, notification.outcome, notification.reason) == (
        "Perintätoimisto",
        "impossible",
        None,
    )
    assert count(session, OutboxMessage, old.id) == 0

    untouched = session.get(DataRequest, recent.id)
    assert untouched is not None and untouched.name == "Äijälä Åsa"
    assert untouched.letters[0].pdf is not None and count(session, OutboxMessage, recent.id) == 1
    assert session.get(DataRequest, undecided.id).name == "Äijälä Åsa"  # type: ignore[union-attr]

    assert audit.events_for_request(session, old.id)[-1].action == "request.purged"
    assert audit.verify(session).ok
    # A second run finds nothing more to do.
    assert purge(session) == retention.PurgeReport(0, 0, False)


def test_dry_run_counts_and_changes_nothing(session: Session) -> None:
    unconfirmed(session, 30)
    old = closed(session, 2000)
    session.commit()
    events_before = audit.verify(session).checked

    report = purge(session, dry_run=True)
    assert (report.deleted, report.anonymised, report.dry_run) == (1, 1, True)
    session.expire_all()
    assert session.get(DataRequest, old.id).name == "Äijälä Åsa"  # type: ignore[union-attr]
    assert audit.verify(session).checked == events_before


def test_purge_works_in_batches(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retention, "BATCH", 2)
    for _ in range(5):
        unconfirmed(session, 10)
    for n in range(3):
        closed(session, 1200 + n)
    session.commit()
    report = purge(session)
    assert (report.deleted, report.anonymised) == (5, 3)
    assert session.scalar(select(func.count()).select_from(DataRequest)) == 3
    assert audit.verify(session).ok


def test_retention_periods_follow_the_settings(session: Session) -> None:
    request = unconfirmed(session, 3)
    session.commit()
    with time_machine.travel(NOW, tick=False):
        report = retention.purge(session, unconfirmed_days=2, closed_days=1095)
    assert report.deleted == 1 and session.get(DataRequest, request.id) is None


def test_purge_command(app: Flask, session: Session) -> None:
    unconfirmed(session, 8)
    closed(session, 1100)
    session.commit()
    with time_machine.travel(NOW, tick=False):
        result = cli(app, "purge", "--dry-run")
        assert result.exit_code == 0, result.output
        assert result.output == (
            "would delete 1 unconfirmed request(s) older than 7 days; would anonymise 1 closed "
            "request(s) older than 1095 days\n"
        )
        result = cli(app, "purge")
        assert result.exit_code == 0, result.output
        assert result.output.startswith("deleted 1 unconfirmed request(s)")
        assert "anonymised 1 closed" in result.output
        assert "Äijälä" not in result.output and "@" not in result.output
