"""One table of staff actions: every action the workflow allows has its form, label and domain call,
and an action posted when it is not allowed is refused with the reason in the page's language."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from portal.core import labels, workflow
from portal.core.models import (
    AuditEvent,
    DataRequest,
    Decision,
    RequestRight,
    RequestStatus,
    StaffUser,
)
from portal.db import get_session
from portal.web import staff_actions
from tests.portal.support.staff import STAFF, StaffActions

TODAY = dt.date(2025, 5, 20)


def _every_allowed_action() -> set[str]:
    """Return every action `allowed_actions` gives in any state, right and decision."""
    actor = StaffUser(username="anna", role="admin", is_active=True)
    found: set[str] = set()
    for status, right, decision in itertools.product(
        RequestStatus, RequestRight, [None, *Decision]
    ):
        request = DataRequest(
            status=status,
            right=right,
            decision=decision,
            received_at=dt.datetime(2025, 5, 10, 9, tzinfo=dt.UTC),
            due_on=dt.date(2025, 6, 10),
        )
        found |= workflow.allowed_actions(request, actor, TODAY)
    return found


def test_the_table_covers_every_allowed_action_and_every_label() -> None:
    allowed = _every_allowed_action()
    assert allowed == set(workflow.ACTIONS)
    assert "notify" in allowed and "attach" in allowed  # one name each, no renaming
    page_actions = set(staff_actions.ACTIONS)
    assert page_actions == set(labels.ACTIONS)
    assert page_actions == set(workflow.ACTIONS) | {"take"}
    assert {staff_actions.workflow_name(name) for name in page_actions} == set(workflow.ACTIONS)
    assert staff_actions.workflow_name("take") == "assign"
    letters = {action.letter for action in workflow.ACTIONS.values()} - {None}
    assert letters == {"info_request", "extension", "decision", "art19"}
    assert letters <= set(labels.LETTERS)
    assert staff_actions.PREVIEW_ACTIONS == {"ask_info", "extend", "decide"}
    for name in staff_actions.PREVIEW_ACTIONS:
        assert workflow.ACTIONS[name].letter is not None, name


WRONG_STATE = {
    "fi": "Toimenpide ei ole mahdollinen pyynnön nykyisessä tilassa (Suljettu).",
    "sv": "Åtgärden är inte möjlig i begärans nuvarande läge (Avslutad).",
    "en": "This action is not possible in the request's current state (Closed).",
}
NOT_ART19 = {
    "fi": "Vastaanottajille ilmoitetaan vain oikaisusta, poistamisesta ja käsittelyn "
    "rajoittamisesta.",
    "sv": "Mottagarna underrättas endast om rättelse, radering och begränsning.",
    "en": "Recipients are notified only of rectification, erasure and restriction.",
}
COLLEAGUES = {
    "fi": "Pyyntö on annettu toiselle käsittelijälle: voit vain lisätä siihen muistiinpanoja.",
    "sv": "Begäran har tilldelats en annan handläggare: du kan bara lägga till anteckningar.",
    "en": "This request is assigned to another handler: you can only add notes to it.",
}


def _post(staff: StaffActions, reference: str, action: str, lang: str, **fields: str) -> str:
    """Post an action in `lang`; assert it was refused and return the reason the page gives."""
    data = {f"{action}-{key}": value for key, value in fields.items()}
    data[f"{action}-csrf_token"] = staff.token(f"{STAFF}/r/{reference}")
    response = staff.client.post(f"{STAFF}/r/{reference}/{action}?lang={lang}", data=data)
    assert response.status_code == 403
    page = BeautifulSoup(response.text, "html.parser")
    assert page.html["lang"] == lang
    box = page.find(id="refused")
    assert box is not None and box["role"] == "alert"
    return box.find("p").get_text(" ", strip=True)


def _events(staff: StaffActions, reference: str) -> list[str]:
    """Return the request's audit events other than views (fetching a token views the page)."""
    with staff.app.app_context():
        session = get_session()
        row = session.scalar(select(DataRequest).where(DataRequest.reference == reference))
        assert row is not None
        return list(
            session.scalars(
                select(AuditEvent.action).where(
                    AuditEvent.request_id == row.id, AuditEvent.action != "request.viewed"
                )
            )
        )


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_an_action_not_allowed_now_is_refused_with_its_reason(
    staff: StaffActions, make_request: Callable[..., DataRequest], lang: str
) -> None:
    closed = make_request(status="closed", decision="granted")
    access = make_request(status="decided", decision="granted", right="access")
    staff.login(staff.create("anna", role="admin"))

    assert _post(staff, closed.reference, "decide", lang, decision="granted") == WRONG_STATE[lang]
    assert _post(staff, closed.reference, "take", lang) == WRONG_STATE[lang]
    assert _post(staff, access.reference, "notify", lang, outcome="done") == NOT_ART19[lang]
    assert _events(staff, closed.reference) == []
    assert _events(staff, access.reference) == []


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_colleagues_request_is_refused_with_its_reason(
    staff: StaffActions, make_request: Callable[..., DataRequest], lang: str
) -> None:
    other = staff.create("ville")
    row = make_request(assignee_id=other.id)
    staff.login(staff.create("hanna"))
    refused = _post(staff, row.reference, "extend", lang, months="1", reasons="Paljon tietoa.")
    assert refused == COLLEAGUES[lang]
    assert _events(staff, row.reference) == []


def test_the_extension_offered_first_is_the_shorter_one(
    staff: StaffActions, make_request: Callable[..., DataRequest]
) -> None:
    """Art 12(3) allows two further months "where necessary": the form does not pick the most."""
    row = make_request()
    staff.login(staff.create("anna", role="admin"))
    page = BeautifulSoup(staff.client.get(f"/requests/staff/r/{row.reference}").text, "html.parser")
    checked = page.select("input[name='extend-months'][checked]")
    assert [box["value"] for box in checked] == ["1"]
