"""Staff enter requests received by post, phone, e-mail or in person (multipart, both databases)."""

from __future__ import annotations

import datetime as dt
import io

from bs4 import BeautifulSoup
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import TestResponse, encode_multipart

from portal.core import duedates, keys
from portal.core.models import Attachment, AuditEvent, DataRequest, Letter, OutboxMessage
from portal.db import get_session
from tests.portal.support.staff import STAFF, StaffActions
from tests.portal.support.web import page_token, upload_action

SCAN = b"%PDF-1.7\n" + b"0" * 200 + b"\n%%EOF\n"


def _enter(staff: StaffActions, scans=(), **fields: str) -> TestResponse:
    page = staff.client.get(f"{STAFF}/new").text
    token = page_token(page)
    values = {
        "channel": "post",
        "received_on": (duedates.helsinki_today() - dt.timedelta(days=10)).isoformat(),
        "right": "access",
        "register": "asiakasrekisteri",
        "language": "fi",
        "name": "Ζωή Παπαδοπούλου",
        "email": "",
        "postal_address": "Odos Ermou 12\n105 63 Athens\nGreece",
        "phone": "",
        "message": "Pyydän kopion tiedoistani (kirje 12.3.).",
    } | fields
    data = MultiDict([("entry-csrf_token", token)])
    for key, value in values.items():
        data.add(f"entry-{key}", value)
    for name, content in scans:
        data.add("entry-scans", FileStorage(io.BytesIO(content), filename=name))
    boundary, body = encode_multipart(data)
    return staff.client.post(
        upload_action(page, "/new"),
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def _login(staff: StaffActions) -> None:
    staff.login(staff.create("hanna"))
    staff.client.get(f"{STAFF}/?lang=en")


def test_a_letter_by_post_is_recorded_from_its_date_of_receipt(app, staff: StaffActions) -> None:
    _login(staff)
    response = _enter(staff, scans=[("kirje.pdf", SCAN)])
    assert response.status_code == 302, response.status_code
    received_on = duedates.helsinki_today() - dt.timedelta(days=10)
    with app.app_context():
        session = get_session()
        row = session.scalars(select(DataRequest)).one()
        assert response.headers["Location"] == f"{STAFF}/r/{row.reference}"
        assert (row.channel, row.status, row.email) == ("post", "open", "")
        assert duedates.helsinki_today(row.received_at) == received_on
        assert row.due_on == duedates.due_date(row.received_at)
        assert keys.verify_request_seal(app, row)
        assert [letter.kind for letter in session.scalars(select(Letter))] == ["receipt"]
        assert session.scalars(select(OutboxMessage)).all() == []  # no address: printed
        (scan,) = session.scalars(select(Attachment)).all()
        assert (scan.purpose, scan.media_type) == ("scan", "application/pdf")
        entered = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "request.entered")
        ).one()
        assert "channel=post" in entered.detail and "Παπαδοπούλου" not in entered.detail


def test_with_an_address_the_receipt_is_emailed(app, staff: StaffActions) -> None:
    _login(staff)
    assert _enter(staff, channel="phone", email="zoe@example.gr").status_code == 302
    with app.app_context():
        (message,) = get_session().scalars(select(OutboxMessage)).all()
        assert message.recipient == "zoe@example.gr"


def test_bad_entries_say_why_and_record_nothing(app, staff: StaffActions) -> None:
    _login(staff)
    tomorrow = (duedates.helsinki_today() + dt.timedelta(days=1)).isoformat()
    future = _enter(staff, received_on=tomorrow)
    assert future.status_code == 422
    page = BeautifulSoup(future.text, "html.parser")
    assert "within the past year" in page.find(class_="error-message").get_text()
    wrong = _enter(staff, scans=[("kirje.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 40)])
    assert wrong.status_code == 422
    error = BeautifulSoup(wrong.text, "html.parser").find(class_="error-message").get_text()
    assert error.startswith("kirje.pdf: The file's content is not what its name says")
    no_name = _enter(staff, name="")
    assert no_name.status_code == 400
    with app.app_context():
        assert get_session().scalars(select(DataRequest)).all() == []
        assert get_session().scalars(select(Attachment)).all() == []
