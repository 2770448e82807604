"""Staff record a recipient that never received this person's data; the request then closes."""

from __future__ import annotations

from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import select

from portal.core.models import DataRequest, Letter
from portal.db import get_session
from tests.portal.support.mailserver import SmtpServer
from tests.portal.support.staff import STAFF, StaffActions
from tests.portal.support.web import confirm_from_mail, https_client, submit_request


def test_staff_mark_each_recipient_and_close_with_a_truthful_notice(
    app: Flask, smtp_server: SmtpServer, staff: StaffActions
) -> None:
    person = https_client(app)
    submit_request(person, "erasure", "fi")
    confirm_from_mail(person, smtp_server)
    with app.app_context():
        row = get_session().scalars(select(DataRequest)).one()
        reference, request_id = row.reference, row.id
    staff.login(staff.create("hanna"))
    assert staff.post_action(reference, "decide", decision="granted", reasons="").status_code == 302

    def page() -> BeautifulSoup:
        return BeautifulSoup(staff.client.get(f"{STAFF}/r/{reference}?lang=en").text, "html.parser")

    outcomes = page().find("form", class_="action-notify").find_all("input", type="radio")
    labels = [
        page().find("label", attrs={"for": box["id"]}).get_text(strip=True) for box in outcomes
    ]
    assert labels == [
        "Recipient notified",
        "Did not receive this person's data",
        "Impossible or disproportionate effort",
    ]
    options = page().find("select", id="notify-recipient").find_all("option")
    for index, option in enumerate(options):
        outcome = "done" if index == 0 else "not_received"
        response = staff.post_action(
            reference, "notify", recipient=option["value"], outcome=outcome
        )
        assert response.status_code == 302
    table = page().find(id="recipients-title").find_parent("section").find("tbody")
    cells = [
        [td.get_text(strip=True) for td in tr.find_all("td")][0] for tr in table.find_all("tr")
    ]
    assert cells == ["notified"] + ["did not receive this person's data"] * (len(options) - 1)
    assert staff.post_action(reference, "close").status_code == 302
    with app.app_context():
        notice = (
            get_session()
            .scalars(select(Letter).where(Letter.request_id == request_id, Letter.kind == "art19"))
            .one()
        )
    informed = BeautifulSoup(notice.html, "html.parser").select('[data-field="informed"] li')
    assert [li.get_text() for li in informed] == [
        "Tilitoimisto (kirjanpidon ja laskutuksen ulkoistuskumppani)"
    ]
    assert "Google" not in notice.html and "Perintätoimisto" not in notice.html
