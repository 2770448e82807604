"""A letter PDF has one file name wherever it goes: the e-mail, the person's and staff's pages,
in the letter's language (ASCII, so every mail program keeps it)."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select

from portal.core.models import DataRequest, Letter
from portal.db import get_session
from tests.portal.support.mailserver import SmtpServer
from tests.portal.support.staff import StaffActions
from tests.portal.support.web import confirm_from_mail, submit_request


@pytest.mark.parametrize(("lang", "stem"), [("fi", "kuitti"), ("sv", "kvitto"), ("en", "receipt")])
def test_a_letter_pdf_has_one_name_everywhere(
    app: Flask,
    client: FlaskClient,
    smtp_server: SmtpServer,
    staff: StaffActions,
    lang: str,
    stem: str,
) -> None:
    submit_request(client, "access", lang)
    confirmed = confirm_from_mail(client, smtp_server)
    with app.app_context():
        reference = get_session().scalars(select(DataRequest.reference)).one()
        letter_id = get_session().scalars(select(Letter.id).where(Letter.kind == "receipt")).one()
    name = f"{stem}-{reference}.pdf"

    [attachment] = list(smtp_server.wait_for(2)[1].iter_attachments())
    assert attachment.get_filename() == name
    assert attachment["Content-Disposition"] == f'attachment; filename="{name}"'
    embedded = PdfReader(io.BytesIO(attachment.get_content())).attachments
    assert list(embedded) == [f"{stem}-{reference}.json"]
    json_download = client.get(f"{confirmed.status_path}/receipt.json")
    assert json_download.headers["Content-Disposition"] == (
        f'attachment; filename="{stem}-{reference}.json"'
    )
    for path in (
        f"{confirmed.receipt_path}.pdf",
        f"{confirmed.status_path}/letters/1.pdf",  # the request's first letter
    ):
        response = client.get(path)
        assert response.status_code == 200 and response.data.startswith(b"%PDF-")
        assert response.headers["Content-Disposition"] == f'attachment; filename="{name}"'

    staff.login(staff.create())
    shown = client.get(f"/requests/staff/r/{reference}/letters/{letter_id}.pdf")
    assert shown.status_code == 200 and shown.data.startswith(b"%PDF-")
    assert shown.headers["Content-Disposition"] == f'inline; filename="{name}"'
