"""A request staff typed in from a letter, call or e-mail reads as such on its detail page.

A newcomer entered a paper request in Swedish: the person's own words were shown under
"Något annat vi borde veta (frivilligt)", the web form's optional question, and the seal line
said "ärendet är exakt som personen skickade det" though staff had typed it. The text is now
labelled as the request's content as received, and the seal line says the record is as staff
entered it (fi, sv, en); a request sent through the web form keeps its own words.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import select

from portal.core.models import DataRequest
from portal.db import get_session
from tests.portal.staff.test_channels import _enter
from tests.portal.support.staff import STAFF, StaffActions
from tests.portal.support.web import confirm_from_mail, https_client, submit_request

WORDS = "Pyydän kopion tiedoistani (kirje 12.3.)."

ENTERED = {
    "fi": (
        "Pyynnön sisältö sellaisena kuin se saapui",
        "Tarkistettu: pyyntö on täsmälleen sellainen kuin henkilöstö sen kirjasi.",
    ),
    "sv": (
        "Begärans innehåll så som den togs emot",
        "Verifierad: ärendet är exakt som personalen förde in det.",
    ),
    "en": (
        "Content of the request as received",
        "Verified: the request is exactly as staff entered it.",
    ),
}
WEB = {
    "fi": ("Mitä haluat tietää? (vapaaehtoinen)", "henkilö sen lähetti"),
    "sv": ("Vad vill du veta? (frivilligt)", "personen skickade det"),
    "en": ("What would you like to know? (optional)", "the person submitted it"),
}


def _submitted(page: BeautifulSoup) -> dict[str, str]:
    section = page.find(id="submitted-title").find_parent("section")
    return {
        dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
        for dt in section.find_all("dt")
    }


def _reference(app: Flask) -> str:
    with app.app_context():
        return get_session().scalars(select(DataRequest.reference)).one()


@pytest.mark.parametrize("lang", list(ENTERED))
def test_a_request_entered_by_staff_is_labelled_as_received_and_as_entered(
    app: Flask, staff: StaffActions, lang: str
) -> None:
    staff.login(staff.create("hanna"))
    staff.client.get(f"{STAFF}/?lang={lang}")
    assert _enter(staff, message=WORDS).status_code == 302
    page = BeautifulSoup(
        staff.client.get(f"{STAFF}/r/{_reference(app)}?lang={lang}").text, "html.parser"
    )
    label, sealed = ENTERED[lang]
    submitted = _submitted(page)
    assert submitted[label] == WORDS
    assert WEB[lang][0] not in submitted
    assert "Anything else" not in page.get_text() and "Något annat" not in page.get_text()
    assert page.find(class_="seal-ok").get_text(strip=True) == sealed


@pytest.mark.parametrize("lang", list(WEB))
def test_a_web_request_keeps_the_form_question_and_the_person_s_submission(
    app: Flask, smtp_server, staff: StaffActions, lang: str
) -> None:
    person = https_client(app)
    submit_request(person, "access", "fi", message=WORDS)
    confirm_from_mail(person, smtp_server)
    staff.login(staff.create("hanna"))
    page = BeautifulSoup(
        staff.client.get(f"{STAFF}/r/{_reference(app)}?lang={lang}").text, "html.parser"
    )
    question, sealed = WEB[lang]
    assert _submitted(page)[question] == WORDS
    assert sealed in page.find(class_="seal-ok").get_text(strip=True)
