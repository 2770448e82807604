"""What the person is told on the status page: an answer received, a download code sent twice."""

from __future__ import annotations

from bs4 import BeautifulSoup
from sqlalchemy import select

from portal.core.models import OutboxMessage
from portal.db import get_session
from tests.portal.staff.test_attachments import _decide_with
from tests.portal.staff.test_replies import SCAN, _asked, _reply
from tests.portal.support.staff import StaffActions
from tests.portal.support.web import https_client, page_token


def test_the_person_is_told_their_answer_arrived_on_the_page_and_by_mail(
    app, smtp_server, staff: StaffActions
) -> None:
    row, confirmed = _asked(app, smtp_server, staff)
    person = https_client(app)
    response = _reply(person, confirmed, "Liitteenä lasku.", ("lasku.pdf", SCAN))
    assert response.status_code == 303
    page = BeautifulSoup(person.get(confirmed.status_path).text, "html.parser")
    notice = page.find(id="reply-received")
    assert notice["role"] == "status"
    assert notice.h2.get_text() == "Kiitos, saimme vastauksesi"
    assert " ".join(notice.p.get_text().split()) == (
        "Jatkamme pyyntösi käsittelyä ja kerromme sinulle, kun olemme tehneet siitä päätöksen. "
        "Lähetimme sinulle myös vahvistuksen sähköpostitse."
    )
    again = BeautifulSoup(person.get(confirmed.status_path).text, "html.parser")
    assert again.find(id="reply-received") is None  # said once
    with app.app_context():
        (mail,) = get_session().scalars(
            select(OutboxMessage).where(
                OutboxMessage.request_id == row.id,
                OutboxMessage.subject.like("Saimme vastauksesi%"),
            )
        )
        assert mail.recipient == row.email
        assert mail.subject == f"Saimme vastauksesi (pyyntö {row.reference})"
        body = mail.message.decode("utf-8", "replace")
        assert "Liitteenä lasku." not in body  # the answer itself is not mailed back


def test_asking_for_a_download_code_twice_says_to_check_the_mail_and_wait(
    app, smtp_server, staff: StaffActions
) -> None:
    row, confirmed = _decide_with(app, smtp_server, staff)
    person = https_client(app)
    token = page_token(person.get(confirmed.status_path).text)
    first = person.post(f"{confirmed.status_path}/files/code", data={"send-csrf_token": token})
    assert first.status_code == 303
    sent = BeautifulSoup(person.get(confirmed.status_path).text, "html.parser")
    assert sent.find(attrs={"data-field": "code-notice"}).get_text() == (
        "Lähetimme koodin sähköpostiosoitteeseesi. Tarkista sähköpostisi, myös "
        "roskapostikansio; koodi on voimassa 15 minuuttia."
    )
    second = person.post(f"{confirmed.status_path}/files/code", data={"send-csrf_token": token})
    assert second.status_code == 303
    page = BeautifulSoup(person.get(f"{confirmed.status_path}").text, "html.parser")
    text = page.find(attrs={"data-field": "code-notice"}).get_text()
    assert text.startswith("Lähetimme sinulle koodin alle minuutti sitten. Tarkista ")
    seconds = int(text.split("koodin ")[-1].split(" sekunnin")[0])
    assert 1 <= seconds <= 61
    quiet = BeautifulSoup(person.get(confirmed.status_path).text, "html.parser")
    assert quiet.find(attrs={"data-field": "code-notice"}) is None
    with app.app_context():
        codes = get_session().scalars(
            select(OutboxMessage).where(
                OutboxMessage.request_id == row.id, OutboxMessage.recipient == row.email
            )
        )
        assert sum("koodi" in m.subject.lower() for m in codes) <= 1  # one e-mail, not two
