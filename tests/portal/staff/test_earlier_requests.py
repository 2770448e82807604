"""Staff see a person's earlier requests (same e-mail address or same strong identification)
with their dates and outcomes, so an Art 12(5) judgement rests on facts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from bs4 import BeautifulSoup
from flask import Flask

from portal.core.models import DataRequest, RequestIdentity, RequestStatus
from portal.db import get_session
from tests.portal.staff.test_attachments import _login
from tests.portal.support.staff import STAFF, StaffActions

HASH = "ab" * 32


def _identify(app: Flask, row: DataRequest) -> None:
    with app.app_context():
        session = get_session()
        session.add(
            RequestIdentity(
                request_id=row.id,
                method="oidc",
                provider="Test broker",
                name="Maija Meikäläinen",
                subject_hash=HASH,
                level="",
                identified_at=dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC),
            )
        )
        session.commit()


def _earlier(staff: StaffActions, reference: str) -> list[list[str]]:
    soup = BeautifulSoup(staff.client.get(f"{STAFF}/r/{reference}").text, "html.parser")
    section = soup.find(id="earlier")
    rows = section.select("tbody tr")
    if not rows:
        return [[" ".join(section.find("p").get_text().split())]]
    return [[" ".join(c.get_text().split()) for c in r.find_all(["th", "td"])] for r in rows]


def test_earlier_requests_by_email_or_identity_with_dates_and_outcomes(
    app: Flask, staff: StaffActions, make_request: Callable[..., DataRequest]
) -> None:
    first = make_request(
        email="Maija@Example.fi",
        right="access",
        status=RequestStatus.closed,
        decision="granted",
        received_at=dt.datetime(2025, 1, 10, 12, 0, tzinfo=dt.UTC),
    )
    other_address = make_request(
        email="maija.m@example.org",
        right="erasure",
        received_at=dt.datetime(2025, 2, 3, 12, 0, tzinfo=dt.UTC),
    )
    make_request(email="someone@example.fi")  # another person
    make_request(email="maija@example.fi", status=RequestStatus.unconfirmed)  # never sent
    current = make_request(email="maija@example.fi")
    _identify(app, other_address)
    _identify(app, current)
    _login(staff)
    assert _earlier(staff, current.reference) == [
        [other_address.reference, "Erasure", "3 Feb 2025", "Open", "strong identification"],
        [first.reference, "Access", "10 Jan 2025", "Closed – Granted", "e-mail address"],
    ]
    lonely = make_request(email="lonely@example.fi")
    assert _earlier(staff, lonely.reference) == [
        ["No other request with this e-mail address or strong identification."]
    ]
