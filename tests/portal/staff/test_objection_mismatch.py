"""Deciding an objection whose decision disagrees with its items names the items and the fix.

A newcomer refused an objection while an item was marked accepted and read only "The decision
must agree with the answers to the items.": which item, and what to change? The refusal now
names the disagreeing items and says what to choose or mark instead (fi, sv, en).
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import select

from portal.core.models import DataRequest
from portal.db import get_session
from tests.portal.support.staff import STAFF, StaffActions
from tests.portal.support.web import confirm_from_mail, https_client, submit_request

GROUNDS = "Asun turvakiellon alaisena."

REFUSED_WITH_ACCEPTED = {
    "fi": "Päätös ”Hylätty” ei sovi yhteen hyväksytyiksi merkittyjen kohtien kanssa: "
    "Profiloinnin vastustaminen. Merkitse ne hylätyiksi tai valitse päätökseksi "
    "”Osittain hyväksytty”.",
    "sv": "Beslutet ”Avslagen” stämmer inte med punkterna som markerats som godtagna: "
    "Invändning mot profilering. Markera dem som avslagna, eller välj ”Delvis beviljad” "
    "som beslut.",
    "en": "The decision “Refused” disagrees with the items marked accepted: Objection to "
    "profiling. Mark them refused, or choose “Partly granted” as the decision.",
}
GRANTED_WITH_REFUSED = {
    "fi": "Päätös ”Hyväksytty” ei sovi yhteen hylätyiksi merkittyjen kohtien kanssa: "
    "Profiloinnin vastustaminen, Luetteloissa tai hakemistoissa julkaisemisen vastustaminen. "
    "Merkitse ne hyväksytyiksi tai valitse päätökseksi ”Hylätty”.",
    "sv": "Beslutet ”Beviljad” stämmer inte med punkterna som markerats som avslagna: "
    "Invändning mot profilering, Invändning mot publicering i förteckningar eller kataloger. "
    "Markera dem som godtagna, eller välj ”Avslagen” som beslut.",
    "en": "The decision “Granted” disagrees with the items marked refused: Objection to "
    "profiling, Objection to publishing in lists or directories. Mark them accepted, or "
    "choose “Refused” as the decision.",
}


def _objection(app: Flask, smtp_server, **ticked: str) -> str:
    person = https_client(app)
    submit_request(person, "objection", "fi", **({"direct_marketing": None} | ticked))
    confirm_from_mail(person, smtp_server)
    with app.app_context():
        return get_session().scalars(select(DataRequest.reference)).one()


def _refusal(response) -> str:
    assert response.status_code == 400
    form = BeautifulSoup(response.text, "html.parser").find("form", class_="action-decide")
    said = [tag.get_text(" ", strip=True) for tag in form.select(".error-message")]
    return " ".join(" ".join(said).split())


@pytest.mark.parametrize("lang", list(REFUSED_WITH_ACCEPTED))
def test_refusing_with_an_item_accepted_names_the_item_and_the_fix(
    app: Flask, smtp_server, staff: StaffActions, lang: str
) -> None:
    reference = _objection(app, smtp_server, profiling="y", other="y", grounds=GROUNDS)
    staff.login(staff.create("hanna"))
    staff.client.get(f"{STAFF}/r/{reference}?lang={lang}")
    response = staff.post_action(
        reference,
        "decide",
        decision="refused",
        reasons="Perusteet eivät riitä.",
        objection_profiling="accepted",
        objection_other="refused",
    )
    said = _refusal(response)
    assert REFUSED_WITH_ACCEPTED[lang] in said
    assert "Objection to other processing" not in said  # only the item that disagrees


@pytest.mark.parametrize("lang", list(GRANTED_WITH_REFUSED))
def test_granting_with_items_refused_names_them_and_the_decision_they_give(
    app: Flask, smtp_server, staff: StaffActions, lang: str
) -> None:
    reference = _objection(app, smtp_server, profiling="y", publishing="y")
    staff.login(staff.create("hanna"))
    staff.client.get(f"{STAFF}/r/{reference}?lang={lang}")
    response = staff.post_action(
        reference,
        "decide",
        decision="granted",
        objection_profiling="refused",
        objection_publishing="refused",
    )
    assert GRANTED_WITH_REFUSED[lang] in _refusal(response)


def test_partly_granting_with_every_item_accepted_says_to_grant(
    app: Flask, smtp_server, staff: StaffActions
) -> None:
    reference = _objection(app, smtp_server, direct_marketing="y", profiling="y")
    staff.login(staff.create("hanna"))
    staff.client.get(f"{STAFF}/r/{reference}?lang=en")
    response = staff.post_action(
        reference,
        "decide",
        decision="partly_granted",
        reasons="Profiling stops.",
        objection_profiling="accepted",
    )
    assert (
        "The decision “Partly granted” needs an item accepted and another refused, but every "
        "item is marked accepted: Objection to direct marketing, Objection to profiling. "
        "Choose “Granted” as the decision, or mark an item refused."
    ) in _refusal(response)
