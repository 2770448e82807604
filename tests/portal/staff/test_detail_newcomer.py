"""The staff request page as a newcomer read it: an optional question left empty showed its
label with nothing under it, and a request sent the same minute was listed as "earlier"."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import select

from portal.core.models import DataRequest
from portal.db import get_session
from tests.portal.staff.test_attachments import _login
from tests.portal.support.mailserver import SmtpServer
from tests.portal.support.staff import STAFF, StaffActions
from tests.portal.support.web import confirm_from_mail, https_client, submit_request

SAYS = {
    "fi": ("Mitä haluat tietää? (vapaaehtoinen)", "(ei täytetty)", "Saman henkilön muut pyynnöt"),
    "sv": ("Vad vill du veta? (frivilligt)", "(inte ifyllt)", "Samma persons andra begäranden"),
    "en": (
        "What would you like to know? (optional)",
        "(not given)",
        "Other requests by the same person",
    ),
}


@pytest.mark.parametrize("lang", list(SAYS))
def test_an_empty_optional_answer_and_the_same_persons_other_requests(
    app: Flask, smtp_server: SmtpServer, staff: StaffActions, lang: str
) -> None:
    question, not_given, others = SAYS[lang]
    person = https_client(app)
    for what in ("", "Tilaushistoriani."):  # two requests from one address, the same minute
        submit_request(person, "access", "fi", message=what)
        confirm_from_mail(person, smtp_server)
        smtp_server.clear()
    with app.app_context():
        first, second = get_session().scalars(select(DataRequest).order_by(DataRequest.id)).all()
        references = first.reference, second.reference
    _login(staff, lang)
    soup = BeautifulSoup(staff.client.get(f"{STAFF}/r/{references[0]}").text, "html.parser")
    answers = {
        dt.get_text(" ", strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
        for dt in soup.select("dl dt")
    }
    assert answers[question] == not_given  # not a label over nothing
    section = soup.find(id="earlier")
    assert section.find("h2").get_text(strip=True) == others  # a later one is not "earlier"
    assert references[1] in section.get_text()
    soup = BeautifulSoup(staff.client.get(f"{STAFF}/r/{references[1]}").text, "html.parser")
    answers = {
        dt.get_text(" ", strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
        for dt in soup.select("dl dt")
    }
    assert answers[question] == "Tilaushistoriani."
