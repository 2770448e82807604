"""The staff page of a request received by post: the day and channel, the address, no signature."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from bs4 import BeautifulSoup
from sqlalchemy import select

from portal.core import duedates
from portal.core.models import DataRequest
from portal.db import get_session
from tests.portal.staff.conftest import _cheap_hashes, staff  # noqa: F401 - fixtures
from tests.portal.staff.test_channels import _enter, _login
from tests.portal.support.staff import STAFF, StaffActions


def test_a_postal_request_shows_its_day_channel_and_address(app, staff: StaffActions) -> None:  # noqa: F811
    _login(staff)
    assert _enter(staff).status_code == 302
    with app.app_context():
        reference = get_session().scalars(select(DataRequest.reference)).one()
    page = BeautifulSoup(staff.client.get(f"{STAFF}/r/{reference}?lang=en").text, "html.parser")
    facts = {
        dt_.get_text(strip=True): dt_.find_next_sibling("dd").get_text(strip=True)
        for dt_ in page.find_all("dt")
    }
    day = duedates.helsinki_today() - dt.timedelta(days=10)
    assert facts["Received"] == format_date(day, "medium", locale="en_GB")  # "24 Nov 2026"
    assert facts["How the request arrived"] == "Letter by post"
    assert facts["Postal address"] == "Odos Ermou 12\n105 63 Athens\nGreece"  # as typed
    assert "Signature" not in facts  # staff's entry is not the person's signature
    assert "received on" not in facts and "postal address" not in facts  # no raw keys
    new = BeautifulSoup(staff.client.get(f"{STAFF}/new?lang=en").text, "html.parser")
    label = new.find("label", attrs={"for": "entry-postal_address"}).get_text(strip=True)
    assert label == "Postal address (needed without e-mail: letters then go by post)"
    without = _enter(staff, postal_address="")
    assert without.status_code == 422
    error = BeautifulSoup(without.text, "html.parser").find(class_="error-message").get_text()
    assert (
        error == "Give a postal address or an e-mail address: without e-mail, letters go by post."
    )
