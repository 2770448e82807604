"""The access decision letter carries the register's Art 15(1)(a)–(h) information; staff edit it."""

from __future__ import annotations

from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import select

from portal.core import content as site
from portal.core.models import DataRequest, Letter
from portal.db import get_session
from tests.portal.support.staff import STAFF, StaffActions
from tests.portal.support.web import confirm_from_mail, https_client, submit_request


def _submitted(app: Flask, smtp_server, right: str = "access") -> DataRequest:
    person = https_client(app)
    submit_request(person, right, "fi")
    confirm_from_mail(person, smtp_server)
    with app.app_context():
        row = get_session().scalars(select(DataRequest).order_by(DataRequest.id.desc())).first()
        get_session().expunge(row)
    return row


def _decision_letter(app: Flask, request_id: int) -> BeautifulSoup:
    with app.app_context():
        letter = (
            get_session()
            .scalars(
                select(Letter).where(Letter.request_id == request_id, Letter.kind == "decision")
            )
            .one()
        )
        return BeautifulSoup(letter.html, "html.parser")


def test_access_letter_carries_art15_and_staff_strike_and_add(
    app, smtp_server, staff: StaffActions
) -> None:
    row = _submitted(app, smtp_server)
    staff.login(staff.create("hanna"))
    page = BeautifulSoup(staff.client.get(f"{STAFF}/r/{row.reference}?lang=en").text, "html.parser")
    boxes = page.find(id="decide-art15").find_all("input", {"type": "checkbox"})
    ids = [box["value"] for box in boxes]
    assert all(box.has_attr("checked") for box in boxes)
    assert {"purposes-0", "retention-0", "rights-0", "complaint-0", "automated-0"} <= set(ids)
    kept = [i for i in ids if i != "purposes-0"]
    # Granted with no copy attached and no word on how the person gets it: not sent.
    bare = staff.post_action(row.reference, "decide", decision="granted", art15_keep=kept)
    assert bare.status_code == 400  # a missing field, as the form's own errors
    assert "data (Article 15(3) GDPR), or say in the field below how they receive it" in bare.text
    response = staff.post_action(
        row.reference,
        "decide",
        decision="granted",
        art15_keep=kept,
        art15_extra="Tallenteet kameravalvonnasta poistetaan 30 päivässä.",
        actions="Kopio tiedoistasi lähetettiin kirjattuna kirjeenä osoitteeseesi.",
    )
    assert response.status_code == 302
    letter = _decision_letter(app, row.id)
    section = letter.find(attrs={"data-section": "art15"})
    lines = {li["data-line"]: li.get_text(" ", strip=True) for li in section.find_all("li")}
    assert "purposes-0" not in lines and "purposes-1" in lines
    assert lines["extra-0"] == "Tallenteet kameravalvonnasta poistetaan 30 päivässä."
    with app.app_context():
        register = site.content().register(row.register_id)
        named = [site.text(r.name, "fi") for r in register.recipients if str(r.role) != "internal"]
        retention = site.text(register.retention, "fi")
    recipients = section.find(attrs={"data-field": "art15-recipients"}).get_text(" ", strip=True)
    assert named and all(name in recipients for name in named)  # named, not categories
    assert lines["retention-0"] == " ".join(retention.split())
    assert "Oikeusperuste: " in lines["purposes-1"]  # the basis, in the person's language


def test_a_refusal_carries_no_art15_and_rectification_says_what_changed(
    app, smtp_server, staff: StaffActions
) -> None:
    refused = _submitted(app, smtp_server)
    staff.login(staff.create("hanna"))
    staff.post_action(refused.reference, "decide", decision="refused", reasons="Ei tietoja.")
    assert _decision_letter(app, refused.id).find(attrs={"data-section": "art15"}) is None
    smtp_server.clear()
    fixed = _submitted(app, smtp_server, "rectification")
    response = staff.post_action(
        fixed.reference, "decide", decision="granted", actions="Osoite muutettu: Uusi katu 1."
    )
    assert response.status_code == 302
    letter = _decision_letter(app, fixed.id)
    assert letter.find(attrs={"data-field": "actions"}).get_text(strip=True) == (
        "Osoite muutettu: Uusi katu 1."
    )
    recipients = letter.find(attrs={"data-section": "recipients"})
    assert "19" in recipients.get_text()  # the recipients are named in the Art 19 notice


def test_an_objection_decision_answers_every_ticked_item(
    app, smtp_server, staff: StaffActions
) -> None:
    person = https_client(app)
    submit_request(person, "objection", "fi", direct_marketing="y", profiling="y")
    confirm_from_mail(person, smtp_server)
    with app.app_context():
        row = get_session().scalars(select(DataRequest)).one()
        get_session().expunge(row)
    staff.login(staff.create("hanna"))
    page = BeautifulSoup(staff.client.get(f"{STAFF}/r/{row.reference}?lang=en").text, "html.parser")
    decide = page.find("form", class_="action-decide")
    assert decide.find(id="decide-objection_profiling") is not None
    assert decide.find(id="decide-objection_publishing") is None  # not ticked, not asked
    # The same input error answers the same every time: 400, the form again, the message in it
    # (it once answered 409, as if the request's state were in conflict).
    for _attempt in range(2):
        unanswered = staff.post_action(row.reference, "decide", decision="granted")
        assert unanswered.status_code == 400
        again = BeautifulSoup(unanswered.text, "html.parser").find("form", class_="action-decide")
        assert again is not None
        assert "Answer every item the person objected to." in again.get_text(" ", strip=True)
        assert again.find(id="decide-objection_profiling") is not None
    mismatch = staff.post_action(
        row.reference, "decide", decision="granted", objection_profiling="refused"
    )
    assert mismatch.status_code == 400
    assert (
        "The decision “Granted” disagrees with the items marked refused: Objection to profiling."
    ) in mismatch.text
    response = staff.post_action(
        row.reference,
        "decide",
        decision="partly_granted",
        reasons="Profilointi on välttämätöntä luottoriskin arvioimiseksi.",
        objection_profiling="refused",
    )
    assert response.status_code == 302
    items = _decision_letter(app, row.id).find(attrs={"data-field": "objections"})
    assert [(li["data-item"], li["data-outcome"]) for li in items.find_all("li")] == [
        ("direct_marketing", "accepted"),
        ("profiling", "refused"),
    ]
