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
            email="maija@example.fi",
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


ASK_INFO = {
    "en": (
        "Ask for information",
        "Ask only when there is reasonable doubt about who the person is, and only for what "
        "removes that doubt (Art 12(6)). The request stays recorded meanwhile.",
        [
            "Why the information is needed",
            "What the person is asked to send",
            "Pause the clock until the person answers (only when their identity is in doubt)",
            "Clarification before a possible refusal as manifestly unfounded or excessive "
            "(Article 12(5)): the letter says so, with the remedies",
            "Fee under Article 12(5)(a), in euros (only after the clarification letter)",
        ],
        ["Ask for information", "Preview the letter"],
    ),
    "fi": (
        "Pyydä lisätietoja",
        "Pyydä vain, jos henkilöllisyydestä on perusteltu epäily, ja vain sitä, mikä poistaa "
        "epäilyn (12 artiklan 6 kohta). Pyyntö pysyy kirjattuna sillä välin.",
        [
            "Miksi tietoja tarvitaan",
            "Mitä henkilöä pyydetään lähettämään",
            "Keskeytä määräajan kulku, kunnes henkilö vastaa (vain kun hänen henkilöllisyytensä "
            "on epävarma)",
            "Tarkennuspyyntö ennen mahdollista hylkäämistä ilmeisen perusteettomana tai "
            "kohtuuttomana (12 artiklan 5 kohta): kirje kertoo sen ja oikeussuojakeinot",
            "12 artiklan 5 kohdan a alakohdan mukainen maksu euroina (vasta tarkennuspyynnön "
            "jälkeen)",
        ],
        ["Pyydä lisätietoja", "Esikatsele kirjettä"],
    ),
    "sv": (
        "Be om information",
        "Be bara om det finns rimligt tvivel om vem personen är, och bara om det som undanröjer "
        "tvivlet (artikel 12.6). Ärendet förblir registrerat under tiden.",
        [
            "Varför informationen behövs",
            "Vad personen ombeds skicka",
            "Pausa tidsfristen tills personen svarar (bara när personens identitet är oviss)",
            "Begäran om förtydligande före ett eventuellt avslag som uppenbart ogrundad eller "
            "orimlig (artikel 12.5): brevet säger det, med rättsmedlen",
            "Avgift enligt artikel 12.5 a i euro (först efter begäran om förtydligande)",
        ],
        ["Be om information", "Förhandsgranska brevet"],
    ),
}
VERIFY_IDENTITY_HINT = {
    "en": "Ask for identity only when there is reasonable doubt. Once checked, only who checked, "
    "when and how is kept: the files the person sent are deleted.",
    "fi": "Pyydä henkilöllisyyden todistamista vain, kun on perusteltua epäilyä. Tarkistuksen "
    "jälkeen säilytetään vain, kuka tarkisti, milloin ja miten: henkilön lähettämät tiedostot "
    "poistetaan.",
    "sv": "Be om identitetsuppgifter bara när det finns rimliga tvivel. Efter kontrollen bevaras "
    "bara vem som kontrollerade, när och hur: filerna som personen skickade raderas.",
}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_each_action_form_is_drawn_from_its_table_entry(
    staff: StaffActions, make_request: Callable[..., DataRequest], lang: str
) -> None:
    row = make_request()
    staff.login(staff.create("anna", role="admin"))
    response = staff.client.get(f"{STAFF}/r/{row.reference}?lang={lang}")
    page = BeautifulSoup(response.text, "html.parser")
    forms = {form["class"][1].removeprefix("action-"): form for form in page("form", "action")}
    assert list(forms) == [
        "take", "assign", "note", "ask_info", "extend", "attach", "decide", "verify_identity"
    ]  # fmt: skip
    for name, form in forms.items():
        action = staff_actions.ACTIONS[name]
        # The table's fields, in its order, each drawn by its macro; the hint above them.
        ids = [f"{name}-{field}" for _macro, field in action.fields]
        drawn = [tag["id"] for tag in form.find_all(id=ids)]
        assert drawn == ids, name
        hints = [p.get_text() for p in form.find_all("p", class_="hint", recursive=False)]
        if action.partial is None:  # a partial's hints depend on the request
            assert len(hints) == (1 if action.hint else 0), name
        assert (form.get("enctype") == "multipart/form-data") == action.uploads, name
        assert bool(form.find("button", attrs={"name": f"{name}-preview"})) == action.preview
    heading, hint, labels_, buttons = ASK_INFO[lang]
    ask = forms["ask_info"]
    assert ask.h3.get_text() == heading
    assert [p.get_text() for p in ask.find_all("p", class_="hint", recursive=False)] == [hint]
    assert [label.get_text(" ", strip=True) for label in ask("label")] == labels_
    assert [button.get_text() for button in ask("button")] == buttons
    verify = forms["verify_identity"]
    assert verify.find("p", class_="hint").get_text() == VERIFY_IDENTITY_HINT[lang]
