"""A letter PDF has one file name wherever it goes: the e-mail, the person's and staff's pages."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.core.models import DataRequest, Letter
from portal.db import get_session
from tests.portal.support.mailserver import SmtpServer
from tests.portal.support.staff import StaffActions
from tests.portal.support.web import confirm_from_mail, submit_request


def test_a_letter_pdf_has_one_name_everywhere(
    app: Flask, client: FlaskClient, smtp_server: SmtpServer, staff: StaffActions
) -> None:
    submit_request(client, "access", "sv")
    confirmed = confirm_from_mail(client, smtp_server)
    with app.app_context():
        reference = get_session().scalars(select(DataRequest.reference)).one()
        letter_id = get_session().scalars(select(Letter.id).where(Letter.kind == "receipt")).one()
    name = f"receipt-{reference}.pdf"

    [attachment] = list(smtp_server.wait_for(2)[1].iter_attachments())
    assert attachment.get_filename() == name
    for path in (
        f"{confirmed.receipt_path}.pdf",
        f"{confirmed.status_path}/letters/{letter_id}.pdf",
    ):
        response = client.get(path)
        assert response.status_code == 200 and response.data.startswith(b"%PDF-")
        assert response.headers["Content-Disposition"] == f'attachment; filename="{name}"'

    staff.login(staff.create())
    shown = client.get(f"/requests/staff/r/{reference}/letters/{letter_id}.pdf")
    assert shown.status_code == 200 and shown.data.startswith(b"%PDF-")
    assert shown.headers["Content-Disposition"] == f'inline; filename="{name}"'
