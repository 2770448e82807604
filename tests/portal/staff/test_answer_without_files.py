"""An access answer with only a "what we have done" text: no files, and the extended due date.

The status page must not say that files were deleted when there never were any, and the signed
answer receipt carries the due date the person was told last (the extended one).
"""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import select

from portal.core import mail, seal
from portal.core.models import DataRequest
from portal.db import get_session
from tests.portal.support.staff import StaffActions
from tests.portal.support.web import confirm_from_mail, https_client, submit_request

SAID = {
    "fi": "Vastauksen mukana ei annettu tiedostoja. Päätöskirjeessä kerrotaan, mitä teimme.",
    "sv": "Inga filer gavs med svaret. I beslutsbrevet står vad vi har gjort.",
    "en": "No files were given with this answer. The decision letter says what we have done.",
}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_granted_access_without_files_says_so_and_seals_the_extended_due_date(
    app: Flask, smtp_server, staff: StaffActions, lang: str
) -> None:
    person = https_client(app)
    submit_request(person, "access", lang=lang, email="maija@example.fi")
    confirmed = confirm_from_mail(person, smtp_server, "maija@example.fi")
    with app.app_context():
        row = get_session().scalars(select(DataRequest).order_by(DataRequest.id.desc())).first()
        reference = row.reference
    staff.login(staff.create("hanna"))
    extended = staff.post_action(
        reference, "extend", months="2", reasons="Tietoja on kolmessa eri järjestelmässä."
    )
    assert extended.status_code == 302, extended.status_code
    decided = staff.post_action(
        reference,
        "decide",
        decision="granted",
        actions="Lähetimme tietosi kirjeessä: nimi, osoite ja tilaushistoria.",
    )
    assert decided.status_code == 302, decided.status_code
    mail.send_pending(app)
    with app.app_context():
        row = get_session().get(DataRequest, row.id)
        extended_due: dt.date = row.extended_due_on
        assert extended_due is not None and extended_due > row.due_on
    status = person.get(f"/requests/{lang}/status/{confirmed.token}")
    section = BeautifulSoup(status.text, "html.parser").find(id="files")
    text = section.get_text(" ", strip=True)
    assert SAID[lang] in text
    assert section.find("table") is None
    for deleted in ("poistettu", "raderats", "deleted"):
        assert deleted not in text
    receipt = person.get(f"/requests/{lang}/status/{confirmed.token}/answer.json")
    assert receipt.status_code == 200
    assert receipt.json["due_on"] == extended_due.isoformat()
    assert receipt.json["files"] == []
    assert seal.verify_receipt(receipt.json, seal.app_key(app).public_pem())


def test_access_granted_with_neither_file_nor_text_is_shown_at_the_field(
    app: Flask, smtp_server, staff: StaffActions
) -> None:
    person = https_client(app)
    submit_request(person, "access", lang="en", email="maija@example.fi")
    confirm_from_mail(person, smtp_server, "maija@example.fi")
    with app.app_context():
        row = get_session().scalars(select(DataRequest).order_by(DataRequest.id.desc())).first()
        reference, request_id = row.reference, row.id
    staff.login(staff.create("hanna"))
    bare = staff.post_action(reference, "decide", decision="granted")
    assert bare.status_code == 400  # as the other staff forms' errors
    page = BeautifulSoup(bare.text, "html.parser")
    said = "Liitä kopio henkilön tiedoista (tietosuoja-asetuksen 15 artiklan 3 kohta)"
    link = page.select_one('#error-summary a[href="#decide-actions"]')
    assert link is not None and said in link.get_text()
    assert said in page.find(id="decide-actions-error").get_text()
    field = page.find(id="decide-actions")
    assert field["aria-invalid"] == "true" and "decide-actions-error" in field["aria-describedby"]
    with app.app_context():
        assert get_session().get(DataRequest, request_id).status == "open"
