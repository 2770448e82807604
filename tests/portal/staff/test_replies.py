"""The person answers a request for information on the status page (multipart, both databases)."""

from __future__ import annotations

import io

from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import TestResponse, encode_multipart

from portal.core import answers, files
from portal.core.models import Attachment, AuditEvent, DataRequest, OutboxMessage, utcnow
from portal.db import get_session
from tests.portal.support.staff import STAFF, StaffActions
from tests.portal.support.web import (
    ConfirmedRequest,
    confirm_from_mail,
    https_client,
    page_token,
    submit_request,
    upload_action,
)

SCAN = b"%PDF-1.7\n" + b"0" * 200 + b"\n%%EOF\n"


def _asked(app: Flask, smtp_server, staff: StaffActions) -> tuple[DataRequest, ConfirmedRequest]:
    person = https_client(app)
    submit_request(person, "access")
    confirmed = confirm_from_mail(person, smtp_server)
    with app.app_context():
        row = get_session().scalars(select(DataRequest)).one()
        get_session().expunge(row)
    account = staff.create("hanna")
    staff.update(account, email="hanna@staff.example.fi")
    staff.login(account)
    staff.client.get(f"{STAFF}/?lang=en")
    assert staff.post_action(row.reference, "take").status_code == 302
    asked = staff.post_action(
        row.reference,
        "ask_info",
        reason="identity",
        message="Lähetä kopio laskusta, jossa asiakasnumerosi näkyy.",
        pause_clock="y",
    )
    assert asked.status_code == 302
    return row, confirmed


def _reply(person, confirmed: ConfirmedRequest, text: str, *named) -> TestResponse:
    page = person.get(confirmed.status_path)
    fields = MultiDict([("csrf_token", page_token(page.text)), ("reply-text", text)])
    for name, data in named:
        fields.add("reply-files", FileStorage(io.BytesIO(data), filename=name))
    boundary, body = encode_multipart(fields)
    return person.post(
        upload_action(page.text, "/reply"),
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def test_the_reply_resumes_the_clock_and_tells_the_handler(
    app, smtp_server, staff: StaffActions
) -> None:
    row, confirmed = _asked(app, smtp_server, staff)
    person = https_client(app)
    form = BeautifulSoup(person.get(confirmed.status_path).text, "html.parser").find(id="reply")
    assert form.find("form")["enctype"] == "multipart/form-data"
    # The page says what we asked, why, and that the time limit waits, as the letter said it.
    asked = [" ".join(tag.get_text(" ").split()) for tag in form.find(class_="asked").children]
    question, why, clock = [line for line in asked if line]
    assert question == ("Mitä pyydämme sinulta Lähetä kopio laskusta, jossa asiakasnumerosi näkyy.")
    assert why.startswith("Miksi pyydämme Meillä on perusteltua syytä epäillä, onko pyyntö ")
    assert why.endswith(" Oikeaksi todistettua kopiota ei koskaan tarvita.")
    assert clock.startswith("Pyyntösi pysyy kirjattuna. Vastauksemme määräaika, ")
    assert clock.endswith(
        ", on keskeytetty, kunnes saamme vastauksesi; odotuspäivät "
        "lisätään määräaikaan, ja ilmoitamme sinulle uuden päivämäärän."
    )
    response = _reply(person, confirmed, "Liitteenä lasku 2024-11.", ("lasku.pdf", SCAN))
    assert response.status_code == 303
    assert (
        BeautifulSoup(person.get(confirmed.status_path).text, "html.parser").find(id="reply")
        is None
    )
    with app.app_context():
        session = get_session()
        stored = session.get(DataRequest, row.id)
        assert (stored.status, stored.paused_at) == ("open", None)
        assert [r.text for r in stored.replies] == ["Liitteenä lasku 2024-11."]
        (scan,) = session.scalars(select(Attachment)).all()
        assert (scan.purpose, scan.filename, scan.media_type) == (
            "reply",
            "lasku.pdf",
            "application/pdf",
        )
        notice = session.scalars(
            select(OutboxMessage).where(OutboxMessage.recipient == "hanna@staff.example.fi")
        ).one()
        # Hanna last used the staff pages in English: the notice to her is in English.
        assert notice.subject == f"The person answered: request {row.reference}"
        assert b"Liitteen" not in notice.message  # the answer stays in the portal
        actions = [e.action for e in session.scalars(select(AuditEvent))]
        assert "request.replied" in actions
    page = BeautifulSoup(staff.client.get(f"{STAFF}/r/{row.reference}").text, "html.parser")
    assert page.find(class_="reply").get_text() == "Liitteenä lasku 2024-11."
    link = page.find(id="reply-files-title").find_parent("section").find("a")
    assert staff.client.get(link["href"]).data == SCAN


def test_a_bad_reply_says_why_and_keeps_waiting(app, smtp_server, staff: StaffActions) -> None:
    row, confirmed = _asked(app, smtp_server, staff)
    person = https_client(app)
    empty = _reply(person, confirmed, "")
    assert empty.status_code == 422
    assert BeautifulSoup(empty.text, "html.parser").find(id="reply-text-error") is not None
    wrong = _reply(person, confirmed, "Tässä.", ("ohjelma.exe", b"MZ\x90\x00"))
    assert wrong.status_code == 422
    error = BeautifulSoup(wrong.text, "html.parser").find(id="reply-error").get_text()
    assert error.startswith("ohjelma.exe: Tämän tyyppisiä tiedostoja ei hyväksytä.")
    with app.app_context():
        stored = get_session().get(DataRequest, row.id)
        assert (stored.status, stored.replies) == ("awaiting_info", [])
        assert get_session().scalars(select(Attachment)).all() == []


def test_an_empty_reply_is_summed_up_at_the_top_in_each_language(
    app, smtp_server, staff: StaffActions
) -> None:
    _row, confirmed = _asked(app, smtp_server, staff)
    person = https_client(app)
    expected = {
        "fi": ("Korjaa nämä ja lähetä uudelleen", "Vastauksesi – Pakollinen."),
        "sv": ("Rätta till dessa och skicka igen", "Ditt svar – Det här fältet är obligatoriskt."),
        "en": ("Please correct these and send again", "Your answer – This field is required."),
    }
    for lang, (title, item) in expected.items():
        path = confirmed.status_path.replace("/fi/", f"/{lang}/", 1)
        page = person.get(path)
        response = person.post(
            upload_action(page.text, "/reply"),
            data={"csrf_token": page_token(page.text), "reply-text": ""},
        )
        assert response.status_code == 422
        soup = BeautifulSoup(response.text, "html.parser")
        summary = soup.find(class_="error-summary")
        assert summary.find_previous("h1") is soup.find("h1")  # at the top, under the heading
        assert summary.find_previous("section") is None  # before the status and the letters
        assert summary.h2.get_text() == title
        assert [li.get_text(strip=True) for li in summary.find_all("li")] == [item]
        assert summary.a["href"] == "#reply-text"


def test_an_identity_check_keeps_who_when_how_and_deletes_the_evidence(
    app, smtp_server, staff: StaffActions
) -> None:
    row, confirmed = _asked(app, smtp_server, staff)
    assert (
        _reply(https_client(app), confirmed, "Henkilökortti.", ("kortti.pdf", SCAN)).status_code
        == 303
    )
    with app.app_context():
        (scan,) = get_session().scalars(select(Attachment)).all()
    assert files.app_store(app).names() == {scan.storage_name}
    checked = staff.post_action(row.reference, "verify_identity", method="document")
    assert checked.status_code == 302
    assert files.app_store(app).names() == set()
    with app.app_context():
        (scan,) = get_session().scalars(select(Attachment)).all()
        assert scan.purged_at is not None and scan.sha256
        (event,) = (
            get_session()
            .scalars(select(AuditEvent).where(AuditEvent.action == "identity.verified"))
            .all()
        )
        assert (event.detail, event.staff_id is not None) == ("method=document deleted=1", True)
    assert staff.client.get(f"{STAFF}/r/{row.reference}/files/{scan.public_id}").status_code == 404


def test_an_anonymised_requests_files_are_deleted_by_purge(
    app, smtp_server, staff: StaffActions
) -> None:
    row, confirmed = _asked(app, smtp_server, staff)
    assert _reply(https_client(app), confirmed, "Lasku.", ("lasku.pdf", SCAN)).status_code == 303
    with app.app_context():
        session = get_session()
        session.get(DataRequest, row.id).anonymised_at = utcnow()
        session.commit()
        report = answers.purge_files(session, app.instance_path)
        (scan,) = session.scalars(select(Attachment)).all()
        assert (report.expired, scan.filename, scan.purged_at is not None) == (1, "", True)
    assert files.app_store(app).names() == set()


def test_swedish_names_our_question_as_its_letter_is_titled(
    app: Flask, smtp_server, staff: StaffActions
) -> None:
    """Swedish calls the request for information "begäran om ytterligare uppgifter" on the status
    page and in the reply's confirmation, as the letter is titled; the confirmation no longer
    reads "vår begäran om uppgifter om din begäran"."""
    person = https_client(app)
    submit_request(person, "erasure", "sv", email="asa@example.fi", language="sv")
    confirmed = confirm_from_mail(person, smtp_server, "asa@example.fi")
    with app.app_context():
        row = get_session().scalars(select(DataRequest)).one()
    staff.login(staff.create("hanna"))
    assert staff.post_action(row.reference, "take").status_code == 302
    asked = staff.post_action(
        row.reference, "ask_info", reason="Vilka?", message="Vilka uppgifter?"
    )
    assert asked.status_code == 302
    page = BeautifulSoup(person.get(confirmed.status_path).text, "html.parser")
    assert page.find(id="reply").find("h2").get_text(strip=True) == (
        "Svara på vår begäran om ytterligare uppgifter"
    )
    assert "Begäran om ytterligare uppgifter" in page.get_text()
    assert _reply(person, confirmed, "Alla.").status_code == 303
    smtp_server.wait_for(4)
    body = smtp_server.last_to("asa@example.fi").get_body(preferencelist=("plain",)).get_content()
    assert "har tagit emot ditt svar på vår begäran om ytterligare uppgifter angående din" in body
    assert "begäran om uppgifter om din begäran" not in body
