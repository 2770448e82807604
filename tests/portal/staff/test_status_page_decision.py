"""The person's status page: the due date while the request is open, the decision once sent."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask_babel import force_locale, format_date
from sqlalchemy import select

from notice.i18n import locale_of
from portal import db
from portal.core.models import DataRequest
from tests.portal.support.mailserver import SmtpServer
from tests.portal.support.staff import StaffActions
from tests.portal.support.web import confirm_from_mail, https_client, submit_request

CASES = {
    # lang: (due label, decision label, decision, outcome shown, decision fields)
    "fi": (
        "Vastaamme viimeistään",
        "Päätös",
        "granted",
        "Hyväksytty",
        {"actions": "Kopio tiedoistasi lähetettiin sinulle postitse."},
    ),
    "sv": ("Vi svarar senast", "Beslut", "refused", "Avslagen", {"reasons": "Inga uppgifter."}),
    "en": (
        "We will answer by",
        "Decision",
        "partly_granted",
        "Partly granted",
        {"reasons": "Some data is a trade secret.", "actions": "A copy was sent by post."},
    ),
}


def _facts(client, path: str) -> dict[str, str]:
    response = client.get(path)
    assert response.status_code == 200
    facts = BeautifulSoup(response.text, "html.parser").find("dl", class_="facts")
    return {
        dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
        for dt in facts.find_all("dt")
    }


@pytest.mark.parametrize("lang", list(CASES))
def test_the_status_page_shows_the_decision_instead_of_the_due_date(
    app: Flask, smtp_server: SmtpServer, staff: StaffActions, lang: str
) -> None:
    due_label, decision_label, decision, outcome, fields = CASES[lang]
    person = https_client(app)
    assert submit_request(person, "access", lang).status_code in {302, 303}
    confirmed = confirm_from_mail(person, smtp_server)
    with app.app_context():
        row = db.get_session().scalars(select(DataRequest)).one()
        reference, request_id, due_on = row.reference, row.id, row.due_on

    with app.test_request_context(), force_locale(locale_of(lang)):
        # A term's value reads as in the letters' facts: Swedish "7 januari 2027", no "den".
        due_text = format_date(due_on, "long")
    open_facts = _facts(person, confirmed.status_path)
    assert open_facts[due_label] == due_text  # while open: when we will answer
    assert decision_label not in open_facts

    staff.login(staff.create("hanna"))
    decided = staff.post_action(reference, "decide", decision=decision, **fields)
    assert decided.status_code == 302, decided.status_code
    with app.app_context():
        decided_at = db.get_session().get(DataRequest, request_id).decided_at
    with app.test_request_context(), force_locale(locale_of(lang)):
        decided_text = format_date(decided_at, "long")

    page = person.get(confirmed.status_path).text
    facts = _facts(person, confirmed.status_path)
    assert due_label not in facts and due_text not in page  # no date that no longer applies
    assert facts[decision_label] == f"{outcome}, {decided_text}"
