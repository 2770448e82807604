"""Whoever acts on an unassigned request as its handler becomes its handler, as if they took it.

A request decided (or asked about, or extended) without pressing "Take" used to stay
"unassigned" in the queue and in the CSV export, as if nobody had handled it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from bs4 import BeautifulSoup
from sqlalchemy import select

from portal.core.models import AuditEvent, DataRequest
from portal.db import get_session
from tests.portal.support.staff import STAFF, StaffActions


def _handlers_in_queue(staff: StaffActions) -> dict[str, str]:
    soup = BeautifulSoup(staff.client.get(f"{STAFF}/?status=all&lang=en").text, "html.parser")
    table = soup.find("table", class_="queue")
    for hidden in table.thead.select(".visually-hidden, [aria-hidden]"):
        hidden.decompose()
    headings = [th.get_text(strip=True) for th in table.thead.find_all("th")]
    column = headings.index("Handler")
    return {
        tr.th.get_text(strip=True): tr.find_all(["th", "td"])[column].get_text(strip=True)
        for tr in table.tbody.find_all("tr")
    }


def _assignees_in_csv(staff: StaffActions) -> dict[str, str]:
    response = staff.client.get(f"{STAFF}/export.csv?status=all")
    assert response.status_code == 200
    rows = csv.DictReader(io.StringIO(response.get_data(as_text=True)))
    return {row["reference"]: row["assignee"] for row in rows}


def _assignments(app, reference: str) -> list[tuple[str, int | None, str]]:
    with app.app_context():
        session = get_session()
        row = session.scalars(select(DataRequest).where(DataRequest.reference == reference)).one()
        events = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.request_id == row.id, AuditEvent.action.like("request.%assigned"))
            .order_by(AuditEvent.id)
        )
        return [(e.action, e.staff_id, e.detail) for e in events]


def test_acting_on_an_unassigned_request_makes_you_its_handler(
    app, staff: StaffActions, make_request: Callable[..., DataRequest]
) -> None:
    decided = make_request(reference="RDECIDED0001")
    asked = make_request(reference="RASKED000001")
    noted = make_request(reference="RNOTED000001")
    taken = make_request(reference="RTAKEN000001")
    others = make_request(reference="ROTHERS00001")
    hanna, ville = staff.create("hanna"), staff.create("ville")

    staff.login(ville)
    assert staff.post_action(others.reference, "take").status_code == 302
    staff.logout()
    staff.login(hanna)
    assert staff.post_action(taken.reference, "take").status_code == 302
    copy_sent = "Kopio tiedoista lähetettiin postitse."
    response = staff.post_action(decided.reference, "decide", decision="granted", actions=copy_sent)
    assert response.status_code == 302
    response = staff.post_action(
        asked.reference, "ask_info", reason="clarification", message="Mitä tietoja tarkoitat?"
    )
    assert response.status_code == 302
    assert staff.post_action(noted.reference, "note", text="Soitin.").status_code == 302
    staff.logout()
    staff.login(staff.create("aino", "admin"))  # an admin may decide another's request
    response = staff.post_action(others.reference, "decide", decision="granted", actions=copy_sent)
    assert response.status_code == 302

    assert _handlers_in_queue(staff) == {
        "RDECIDED0001": "Hanna Testinen",
        "RASKED000001": "Hanna Testinen",
        "RNOTED000001": "unassigned",  # a note is not handling the request
        "RTAKEN000001": "Hanna Testinen",
        "ROTHERS00001": "Ville Testinen",  # deciding someone else's request does not take it
    }
    assert _assignees_in_csv(staff) == {
        "RDECIDED0001": "hanna",
        "RASKED000001": "hanna",
        "RNOTED000001": "",
        "RTAKEN000001": "hanna",
        "ROTHERS00001": "ville",
    }
    # Audited exactly as a take, once.
    take = _assignments(app, taken.reference)
    assert take == [("request.assigned", hanna.id, f"assignee={hanna.id}")]
    assert _assignments(app, decided.reference) == take
    assert _assignments(app, asked.reference) == take
    assert _assignments(app, others.reference) == [
        ("request.assigned", ville.id, f"assignee={ville.id}")
    ]
