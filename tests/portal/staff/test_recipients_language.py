"""Art 19 recipients are named in the staff page's language, recorded once whatever the language."""

from __future__ import annotations

from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import select

from portal.core.models import DataRequest
from portal.db import get_session
from tests.portal.support.mailserver import SmtpServer
from tests.portal.support.staff import STAFF, StaffActions
from tests.portal.support.web import confirm_from_mail, https_client, submit_request

ACCOUNTING = {
    "fi": "Tilitoimisto (kirjanpidon ja laskutuksen ulkoistuskumppani)",
    "en": "Accounting firm (our outsourcing partner for bookkeeping and invoicing)",
}


def test_recipients_read_in_the_pages_language(
    app: Flask, smtp_server: SmtpServer, staff: StaffActions
) -> None:
    person = https_client(app)
    submit_request(person, "rectification", "fi")
    confirm_from_mail(person, smtp_server)
    with app.app_context():
        reference = get_session().scalars(select(DataRequest.reference)).one()
    staff.login(staff.create("hanna"))
    assert staff.post_action(reference, "decide", decision="granted", reasons="").status_code == 302

    def page(lang: str) -> BeautifulSoup:
        response = staff.client.get(f"{STAFF}/r/{reference}?lang={lang}")
        return BeautifulSoup(response.text, "html.parser")

    for lang, name in ACCOUNTING.items():
        select_ = page(lang).find("select", id="notify-recipient")
        assert name in [option.get_text(strip=True) for option in select_.find_all("option")]
    value = next(
        option["value"]
        for option in page("en").find("select", id="notify-recipient").find_all("option")
        if option.get_text(strip=True) == ACCOUNTING["en"]
    )
    done = staff.post_action(reference, "notify", recipient=value, outcome="done")
    assert done.status_code == 302
    for lang, name in ACCOUNTING.items():
        table = page(lang).find(id="recipients-title").find_parent("section")
        assert [th.get_text(strip=True) for th in table.find_all("th", scope="row")] == [name]
