"""Staff attach the data copy through the real multipart path; the person downloads it with a code.

Every test runs on SQLite and on PostgreSQL (the `db_url` fixture) with a real SMTP server.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from flask import Flask
from flask.cli import ScriptInfo
from pypdf import PdfReader
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import TestResponse, encode_multipart

from portal.cli import main
from portal.config import change_settings
from portal.core import answers, audit, files, mail, seal
from portal.core.models import Attachment, AuditEvent, DataRequest
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

CSV = "nimi;sähköposti;asiakasnumero\nÅsa Äijälä;asa@example.fi;A-1001\n".encode()
JSON = json.dumps({"nimi": "Åsa Äijälä", "tilaukset": [1, 2, 3]}, ensure_ascii=False).encode()
PDF = b"%PDF-1.7\n" + b"1 0 obj\n<<>>\nendobj\n" * 20 + b"%%EOF\n"


def _submitted(
    app: Flask, smtp_server, right: str = "access", email: str = "maija@example.fi"
) -> tuple[DataRequest, ConfirmedRequest]:
    person = https_client(app)
    submit_request(person, right, email=email)
    confirmed = confirm_from_mail(person, smtp_server, email)
    with app.app_context():
        row = get_session().scalars(select(DataRequest).order_by(DataRequest.id.desc())).first()
        get_session().expunge(row)
    return row, confirmed


def _attach(staff: StaffActions, reference: str, *named: tuple[str, bytes]) -> TestResponse:
    """Post the attach form as a browser does: one multipart body (encoded in memory here)."""
    page = staff.client.get(f"{STAFF}/r/{reference}").text
    fields = MultiDict([("attach-csrf_token", page_token(page))])
    for name, data in named:
        fields.add("attach-files", FileStorage(io.BytesIO(data), filename=name))
    boundary, body = encode_multipart(fields)
    return staff.client.post(
        upload_action(page, "/attach"),
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def _login(staff: StaffActions, lang: str = "en") -> None:
    staff.login(staff.create("hanna"))
    staff.client.get(f"{STAFF}/?lang={lang}")


def _rows(app: Flask, request_id: int) -> list[Attachment]:
    with app.app_context():
        rows = list(
            get_session().scalars(select(Attachment).where(Attachment.request_id == request_id))
        )
        for row in rows:
            get_session().expunge(row)
        return rows


def _stored(app: Flask) -> list[str]:
    """Return the storage names of the encrypted files the database holds."""
    return sorted(files.app_store(app).names())


def _errors(html: str) -> list[str]:
    form = BeautifulSoup(html, "html.parser").find("form", class_="action-attach")
    return [p.get_text(strip=True) for p in form.find_all("p", class_="error-message")]


def test_staff_attach_files_encrypted_and_open_them(app, smtp_server, staff: StaffActions) -> None:
    row, _confirmed = _submitted(app, smtp_server)
    _login(staff)
    response = _attach(staff, row.reference, ("tiedot.csv", CSV), ("tilaukset.json", JSON))
    assert response.status_code == 302, response.status_code
    stored = _rows(app, row.id)
    assert [(a.filename, a.media_type, a.size) for a in stored] == [
        ("tiedot.csv", "text/csv", len(CSV)),
        ("tilaukset.json", "application/json", len(JSON)),
    ]
    assert [a.sha256 for a in stored] == [hashlib.sha256(d).hexdigest() for d in (CSV, JSON)]
    store = files.app_store(app)
    kept = b"".join(b"".join(store.get(name)) for name in _stored(app))
    assert len(kept) > len(CSV) + len(JSON) and kept.count(files.MAGIC) == 2
    assert "Äijälä".encode() not in kept and b"asa@example.fi" not in kept
    page = BeautifulSoup(staff.client.get(f"{STAFF}/r/{row.reference}").text, "html.parser")
    table = page.find(id="files-title").find_parent("section").find("table")
    assert [th.get_text(strip=True) for th in table.tbody.find_all("th")] == [
        "tiedot.csv",
        "tilaukset.json",
    ]
    opened = staff.client.get(table.tbody.find("a")["href"])
    assert opened.status_code == 200 and opened.data == CSV
    assert opened.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("ohjelma.exe", b"MZ\x90\x00", "This type of file is not accepted."),
        (
            "kuva.pdf",
            b"\x89PNG\r\n\x1a\n" + b"0" * 64,
            "The file's content is not what its name says",
        ),
        ("../salasanat.csv", CSV, "A file name must not contain folders"),
        ("rivi\u0007.csv", CSV, "A file name must not contain control characters."),
        (
            "pommi.zip",
            None,
            "The ZIP file unpacks to more than 1 MB.",
        ),
        ("iso.csv", b"a;b\n" * 300_000, "The file is too large (at most 1 MB)."),
    ],
    ids=["type", "renamed", "path", "control", "zip-bomb", "size"],
)
def test_bad_uploads_say_why_and_store_nothing(
    app, smtp_server, staff: StaffActions, name: str, data: bytes | None, message: str
) -> None:
    change_settings(app, attachment_max_mb=1, attachment_zip_max_mb=1)
    if data is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("nollat.csv", b"0" * (2 * 1024 * 1024))
        data = buffer.getvalue()
    row, _confirmed = _submitted(app, smtp_server)
    _login(staff)
    response = _attach(staff, row.reference, ("hyva.csv", CSV), (name, data))
    assert response.status_code == 422, response.status_code
    (error,) = _errors(response.text)
    assert error.startswith(f"{name}: {message}"), error
    assert _rows(app, row.id) == [] and _stored(app) == []


def test_a_message_in_finnish(app, smtp_server, staff: StaffActions) -> None:
    row, _confirmed = _submitted(app, smtp_server)
    _login(staff, "fi")
    response = _attach(staff, row.reference, ("ohjelma.exe", b"MZ"))
    assert response.status_code == 422
    (error,) = _errors(response.text)
    assert error.startswith("ohjelma.exe: Tämän tyyppisiä tiedostoja ei hyväksytä."), error


def test_a_body_over_the_limit_gets_a_page_with_the_limits(
    app, smtp_server, staff: StaffActions
) -> None:
    change_settings(app, attachment_max_mb=1, attachment_max_files=1)
    row, _confirmed = _submitted(app, smtp_server)
    _login(staff)
    response = _attach(staff, row.reference, ("a.csv", CSV * 40_000), ("b.csv", CSV * 40_000))
    assert response.status_code == 413
    page = BeautifulSoup(response.text, "html.parser")
    assert page.h1.get_text(strip=True) == "The files are too large"
    assert _rows(app, row.id) == [] and _stored(app) == []


def test_portability_takes_only_json_or_csv_and_says_so(
    app, smtp_server, staff: StaffActions
) -> None:
    row, _confirmed = _submitted(app, smtp_server, "portability")
    _login(staff)
    page = BeautifulSoup(staff.client.get(f"{STAFF}/r/{row.reference}").text, "html.parser")
    assert "JSON and CSV" in page.find(id="attach-portability").get_text()
    refused = _attach(staff, row.reference, ("kirje.pdf", PDF))
    assert refused.status_code == 422
    assert _errors(refused.text)[0].startswith("kirje.pdf: This type of file is not accepted.")
    assert _attach(staff, row.reference, ("data.json", JSON)).status_code == 302


def _decide_with(app, smtp_server, staff: StaffActions) -> tuple[DataRequest, ConfirmedRequest]:
    row, confirmed = _submitted(app, smtp_server)
    _login(staff)
    assert _attach(staff, row.reference, ("tiedot.csv", CSV), ("kirje.pdf", PDF)).status_code == 302
    smtp_server.clear()
    assert staff.post_action(row.reference, "decide", decision="granted").status_code == 302
    mail.send_pending(app)
    return row, confirmed


def test_the_decision_lists_the_files_and_seals_the_answer(
    app, smtp_server, staff: StaffActions
) -> None:
    row, _confirmed = _decide_with(app, smtp_server, staff)
    smtp_server.wait_for(1)
    mail = smtp_server.last_to("maija@example.fi")
    pdf = next(
        part for part in mail.iter_attachments() if part.get_content_type() == "application/pdf"
    )
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.get_content())).pages)
    compact = re.sub(r"\s+", "", text)
    for name, data in (("tiedot.csv", CSV), ("kirje.pdf", PDF)):
        assert name in text
        assert hashlib.sha256(data).hexdigest() in compact
    with app.app_context():
        stored = get_session().get(DataRequest, row.id)
        answer = json.loads(stored.answer_payload)
        assert [(f["name"], f["sha256"]) for f in answer["files"]] == [
            ("tiedot.csv", hashlib.sha256(CSV).hexdigest()),
            ("kirje.pdf", hashlib.sha256(PDF).hexdigest()),
        ]
        assert answer["request_digest"] == stored.seal_digest
        assert answers.verify_answer(stored, seal.app_key(app).public_key)
        stored.answer_payload = stored.answer_payload.replace("tiedot.csv", "muut.csv")
        assert not answers.verify_answer(stored, seal.app_key(app).public_key)
        get_session().rollback()


def _code_from_mail(smtp_server) -> str:
    smtp_server.wait_for(1)
    body = smtp_server.last_to("maija@example.fi").get_body(preferencelist=("plain",))
    return re.search(r"^\s*(\d{8})\s*$", body.get_content(), re.M).group(1)


def test_the_person_downloads_after_an_emailed_code(app, smtp_server, staff: StaffActions) -> None:
    row, confirmed = _decide_with(app, smtp_server, staff)
    person = https_client(app)
    status = person.get(confirmed.status_path)
    section = BeautifulSoup(status.text, "html.parser").find(id="files")
    rows = section.find("table").tbody.find_all("tr")
    assert [r.th.get_text(strip=True) for r in rows] == ["tiedot.csv", "kirje.pdf"]
    assert rows[0].find("code").get_text() == hashlib.sha256(CSV).hexdigest()
    assert section.find("a", href=re.compile("/files/")) is None  # no link before the code
    with app.app_context():
        public_id = _rows(app, row.id)[0].public_id
    file_path = f"{confirmed.status_path}/files/{public_id}"
    assert person.get(file_path).status_code == 404
    smtp_server.clear()
    token = page_token(status.text)
    sent = person.post(f"{confirmed.status_path}/files/code", data={"send-csrf_token": token})
    assert sent.status_code == 303
    code = _code_from_mail(smtp_server)
    wrong = person.post(
        f"{confirmed.status_path}/files/unlock",
        data={"code-csrf_token": token, "code-code": "00000000" if code != "00000000" else "1"},
    )
    assert wrong.status_code == 422
    assert BeautifulSoup(wrong.text, "html.parser").find(id="code-code-error") is not None
    right = person.post(
        f"{confirmed.status_path}/files/unlock", data={"code-csrf_token": token, "code-code": code}
    )
    assert right.status_code == 303
    download = person.get(file_path)
    assert download.status_code == 200
    assert hashlib.sha256(download.data).hexdigest() == hashlib.sha256(CSV).hexdigest()
    assert "tiedot.csv" in download.headers["Content-Disposition"]
    again = person.post(
        f"{confirmed.status_path}/files/unlock", data={"code-csrf_token": token, "code-code": code}
    )
    assert again.status_code == 422  # a code works once
    stranger = https_client(app)
    assert stranger.get(file_path).status_code == 404  # the link without the code opens nothing
    with app.app_context():
        actions = [
            e.action
            for e in get_session().scalars(
                select(AuditEvent).where(AuditEvent.request_id == row.id)
            )
        ]
        assert actions.count("attachment.downloaded") == 1
        assert {"download.code_sent", "download.code_refused", "download.code_confirmed"} <= set(
            actions
        )
        assert audit.verify(get_session()).ok
    receipt = person.get(f"{confirmed.status_path}/answer.json")
    assert receipt.status_code == 200
    assert [f["name"] for f in receipt.json["files"]] == ["tiedot.csv", "kirje.pdf"]
    public_pem = seal.app_key(app).public_pem()
    assert seal.verify_receipt(receipt.json, public_pem)
    forged = receipt.json | {"files": [receipt.json["files"][0]]}
    assert seal.verify_receipt(forged, public_pem).code == "shown"


def test_another_requests_link_never_reaches_the_file(
    app, smtp_server, staff: StaffActions
) -> None:
    row, _confirmed = _decide_with(app, smtp_server, staff)
    other, other_confirmed = _submitted(app, smtp_server, email="jorg@example.com")
    person = https_client(app)
    with app.app_context():
        public_id = _rows(app, row.id)[0].public_id
    with person.session_transaction() as browser:
        browser["download_grants"] = {other.reference: "2999-01-01T00:00:00+00:00"}
    response = person.get(f"{other_confirmed.status_path}/files/{public_id}")
    assert response.status_code == 404


def test_expired_files_refuse_and_purge_deletes_them(
    app, smtp_server, staff: StaffActions, runner
) -> None:
    row, confirmed = _decide_with(app, smtp_server, staff)
    person = https_client(app)
    with app.app_context():
        attachment = _rows(app, row.id)[0]
    with person.session_transaction() as browser:
        browser["download_grants"] = {row.reference: "2999-01-01T00:00:00+00:00"}
    file_path = f"{confirmed.status_path}/files/{attachment.public_id}"
    assert person.get(file_path).status_code == 200
    with app.app_context():
        for stored in get_session().scalars(select(Attachment)):
            stored.expires_at = stored.delivered_at
        get_session().commit()
    assert person.get(file_path).status_code == 404
    result = CliRunner().invoke(main, ["purge"], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0, result.output
    assert "deleted 2 expired file(s)" in result.output
    assert _stored(app) == []
    status = BeautifulSoup(person.get(confirmed.status_path).text, "html.parser")
    assert "ne on poistettu" in status.find(id="files").get_text()  # the person wrote in Finnish


def test_rotating_the_file_key_rewraps_and_files_still_open(
    app, smtp_server, staff: StaffActions
) -> None:
    row, _confirmed = _submitted(app, smtp_server)
    _login(staff)
    assert _attach(staff, row.reference, ("tiedot.csv", CSV)).status_code == 302
    (before,) = _rows(app, row.id)
    assert before.key_id == "g1"
    result = CliRunner().invoke(
        main, ["files", "rotate-key"], obj=ScriptInfo(create_app=lambda: app)
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "new generation g2 recorded in the database; running instances wrap new files with it "
        "from now on (no restart needed)",
        "re-wrapped 1 file key(s), 0 left",
        "re-wrapped 1 file key(s) in all; 0 not on the current generation",
    ]
    (attachment,) = _rows(app, row.id)
    assert attachment.key_id == "g2" and attachment.wrapped_key != before.wrapped_key
    opened = staff.client.get(f"{STAFF}/r/{row.reference}/files/{attachment.public_id}")
    assert opened.status_code == 200 and opened.data == CSV
