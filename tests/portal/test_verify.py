"""The public verify page and the key commands: authentic, tampered, malformed and oversized."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from flask import Flask
from flask.cli import ScriptInfo
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from portal.cli import main
from portal.core import keys, seal
from portal.core.keys import export_public_key
from portal.web.verify import MAX_RECEIPT_BYTES
from tests.portal.support.cli import cli
from tests.portal.support.requests import new_request
from tests.portal.support.web import csrf_token
from tests.portal.test_seal import flip

PAGE = "/requests/{lang}/verify"


def sealed_receipt(app: Flask, **changes: Any) -> dict[str, Any]:
    """Return the receipt of a request sealed with the app's own key."""
    request = new_request(**changes)
    seal.seal_request(request, seal.app_key(app))
    return seal.receipt(request)


def post(client: FlaskClient, lang: str = "fi", **data: Any) -> TestResponse:
    path = PAGE.format(lang=lang)
    data.setdefault("csrf_token", csrf_token(client, path))
    return client.post(path, data=data, content_type="multipart/form-data")


def outcome(response: TestResponse) -> tuple[str | None, str | None]:
    """Return the page's (data-outcome, data-code) of the verification result."""
    soup = BeautifulSoup(response.text, "html.parser")
    element = soup.select_one("[data-outcome]")
    if element is None:
        return None, None
    code = element.get("data-code")
    return str(element["data-outcome"]), str(code) if code is not None else None


# ---- the page -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "heading"),
    [("fi", "Tarkista kuittaus"), ("en", "Check a receipt"), ("sv", "Kontrollera ett kvitto")],
)
def test_page_offers_upload_and_paste_in_each_language(
    client: FlaskClient, app: Flask, lang: str, heading: str
) -> None:
    response = client.get(PAGE.format(lang=lang))
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.html is not None and soup.html["lang"] == lang
    assert soup.h1 is not None and soup.h1.get_text(strip=True) == heading
    form = soup.find("form", enctype="multipart/form-data")
    assert form is not None and form["method"] == "post"
    assert form.find("input", {"type": "file", "name": "receipt_file"}) is not None
    assert form.find("textarea", {"name": "receipt_text"}) is not None
    assert form.find("input", {"name": "csrf_token"}) is not None
    assert seal.app_key(app).key_id in soup.get_text()
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("fi", "Allekirjoitus ja tiiviste ovat kelvolliset"),
        ("en", "The signature and the digest are valid"),
        ("sv", "Signaturen och kontrollsumman är giltiga"),
    ],
)
def test_pasted_authentic_receipt_is_confirmed(
    client: FlaskClient, app: Flask, lang: str, message: str
) -> None:
    text = json.dumps(sealed_receipt(app), ensure_ascii=False, indent=2)
    response = post(client, lang, receipt_text=text)
    assert response.status_code == 200
    assert outcome(response) == ("authentic", "ok")
    assert message in response.text


def test_uploaded_authentic_receipt_is_confirmed(client: FlaskClient, app: Flask) -> None:
    raw = json.dumps(sealed_receipt(app), ensure_ascii=False).encode()
    upload = (io.BytesIO(raw), "receipt-R7KQ2M9XW4HT.json", "application/json")
    response = post(client, "en", receipt_file=upload)
    assert response.status_code == 200
    assert outcome(response) == ("authentic", "ok")


TAMPERING = [
    ("payload", lambda v: v.replace("Äijälä Åsa", "Äijälä Åke"), "digest"),
    ("payload", lambda v: flip(v, 20), "digest"),
    ("digest", lambda v: flip(v, 5), "digest"),
    ("signature", lambda v: flip(v, 10), "signature"),
    ("key_id", lambda v: flip(v, 3), "key"),
    ("due_on", lambda v: "2025-05-31", "shown"),
    ("received_at", lambda v: "2025-01-30T08:30:00Z", "shown"),
    ("reference", lambda v: flip(v, 0), "shown"),
]


@pytest.mark.parametrize(("field", "change", "code"), TAMPERING)
def test_tampered_receipt_is_not_authentic(
    client: FlaskClient, app: Flask, field: str, change: Any, code: str
) -> None:
    document = sealed_receipt(app)
    document[field] = change(document[field])
    response = post(client, "en", receipt_text=json.dumps(document))
    assert response.status_code == 200
    assert outcome(response) == ("not-authentic", code)
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.title is not None and soup.title.get_text().startswith("Not an authentic receipt")


def test_receipt_of_another_key_is_not_authentic(client: FlaskClient, tmp_path: Path) -> None:
    request = new_request()
    seal.seal_request(request, seal.load_or_create_key(tmp_path / "elsewhere"))
    response = post(client, "en", receipt_text=json.dumps(seal.receipt(request)))
    assert outcome(response) == ("not-authentic", "key")


@pytest.mark.parametrize(
    ("text", "status", "expected"),
    [
        ("not json at all", 400, ("refused", None)),
        ('{"version": 1', 400, ("refused", None)),
        ("[1, 2, 3]", 400, ("not-authentic", "malformed")),
        ('{"payload": "x"}', 400, ("not-authentic", "malformed")),
    ],
)
def test_malformed_receipts_are_refused(
    client: FlaskClient, text: str, status: int, expected: tuple[str, str | None]
) -> None:
    response = post(client, "en", receipt_text=text)
    assert response.status_code == status
    assert outcome(response) == expected


def test_empty_submission_asks_for_a_receipt(client: FlaskClient) -> None:
    response = post(client, "en")
    assert response.status_code == 400
    assert "Choose the receipt file or paste its text." in response.text


@pytest.mark.parametrize(
    ("filename", "mimetype"),
    [("receipt.png", "image/png"), ("receipt.json", "image/png"), ("receipt.txt", "text/plain")],
)
def test_uploads_other_than_json_are_refused(
    client: FlaskClient, app: Flask, filename: str, mimetype: str
) -> None:
    raw = json.dumps(sealed_receipt(app)).encode()
    response = post(client, "en", receipt_file=(io.BytesIO(raw), filename, mimetype))
    assert response.status_code == 415
    assert outcome(response) == ("refused", None)


def test_oversized_pasted_receipt_is_refused(client: FlaskClient) -> None:
    response = post(client, "en", receipt_text="x" * (MAX_RECEIPT_BYTES + 1))
    assert response.status_code == 413
    assert "This is too long to be a receipt." in response.text


def test_oversized_uploaded_receipt_is_refused(client: FlaskClient) -> None:
    raw = b'{"a": "' + b"x" * MAX_RECEIPT_BYTES + b'"}'
    response = post(client, "en", receipt_file=(io.BytesIO(raw), "r.json", "application/json"))
    assert response.status_code == 413
    assert outcome(response) == ("refused", None)


def test_a_body_beyond_the_app_limit_never_reaches_the_check(client: FlaskClient) -> None:
    raw = b"x" * (256 * 1024)
    response = post(client, "en", receipt_file=(io.BytesIO(raw), "r.json", "application/json"))
    assert response.status_code == 413


def test_post_without_csrf_token_is_refused(client: FlaskClient, app: Flask) -> None:
    response = client.post(
        PAGE.format(lang="en"), data={"receipt_text": json.dumps(sealed_receipt(app))}
    )
    assert response.status_code == 400
    assert outcome(response) == (None, None)


def test_checks_log_no_personal_data(
    client: FlaskClient, app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    post(client, "en", receipt_text=json.dumps(sealed_receipt(app)))
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "receipt check: ok" in logged
    assert "Äijälä" not in logged and "asa.aijala" not in logged and "R7KQ2M9XW4HT" not in logged


def test_checks_are_rate_limited(make_app: Any) -> None:
    from tests.portal.support.web import https_client

    app = make_app(RATELIMIT_VERIFY="2 per hour")
    client = https_client(app)
    statuses = [post(client, "en", receipt_text="{}").status_code for _ in range(3)]
    assert statuses == [400, 400, 429]


def test_public_key_is_served_and_verifies_receipts(client: FlaskClient, app: Flask) -> None:
    response = client.get("/requests/receipt-key.pem")
    assert response.status_code == 200
    assert response.data.startswith(b"-----BEGIN PUBLIC KEY-----")
    assert seal.verify_receipt(sealed_receipt(app), response.data).ok


# ---- command line ---------------------------------------------------------------------------


def test_verify_receipt_command_says_ok(app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "receipt.json"
    path.write_text(json.dumps(sealed_receipt(app), ensure_ascii=False), encoding="utf-8")
    result = cli(app, "verify-receipt", str(path))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK: ")


@pytest.mark.parametrize(("field", "change", "code"), TAMPERING)
def test_verify_receipt_command_says_tampered(
    app: Flask, tmp_path: Path, field: str, change: Any, code: str
) -> None:
    document = sealed_receipt(app)
    document[field] = change(document[field])
    path = tmp_path / "receipt.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = cli(app, "verify-receipt", str(path))
    assert result.exit_code == 1
    assert result.output.startswith("TAMPERED: ")


def test_verify_receipt_command_reads_standard_input(app: Flask) -> None:
    result = CliRunner().invoke(
        main,
        ["verify-receipt", "-"],
        input=json.dumps(sealed_receipt(app)),
        obj=ScriptInfo(create_app=lambda: app),
    )
    assert result.exit_code == 0 and result.output.startswith("OK: ")


def test_verify_receipt_command_with_a_published_key(app: Flask, tmp_path: Path) -> None:
    receipt_path = tmp_path / "receipt.json"
    receipt_path.write_text(json.dumps(sealed_receipt(app)), encoding="utf-8")
    published = tmp_path / "key.pem"
    assert cli(app, "keys", "export", "--out", str(published)).exit_code == 0
    assert cli(app, "verify-receipt", str(receipt_path), "--key", str(published)).exit_code == 0
    other = tmp_path / "other.pem"
    other.write_bytes(seal.load_or_create_key(tmp_path / "other").public_pem())
    result = cli(app, "verify-receipt", str(receipt_path), "--key", str(other))
    assert result.exit_code == 1
    assert "different signing key" in result.output


def test_verify_receipt_command_on_a_file_that_is_not_json(app: Flask, tmp_path: Path) -> None:
    seal.app_key(app)
    path = tmp_path / "receipt.json"
    path.write_text("not json", encoding="utf-8")
    result = cli(app, "verify-receipt", str(path))
    assert (result.exit_code, result.output) == (1, "TAMPERED: the file is not JSON text\n")


def test_verify_receipt_command_without_any_key(app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "receipt.json"
    path.write_text("{}", encoding="utf-8")
    result = cli(app, "verify-receipt", str(path))
    assert result.exit_code == 2
    assert "no signing key" in result.output
    assert not (Path(app.instance_path) / "receipt-signing-key.pem").exists()


def test_keys_export_writes_the_public_key_only(app: Flask, tmp_path: Path) -> None:
    out = tmp_path / "out" / "key.pem"
    site = tmp_path / "site"
    result = cli(app, "keys", "export", "--out", str(out), "--site", str(site))
    assert result.exit_code == 0, result.output
    pem = seal.app_key(app).public_pem()
    assert out.read_bytes() == pem
    assert (site / ".well-known" / "seloste" / "receipt-key.pem").read_bytes() == pem
    assert b"PRIVATE" not in pem
    assert cli(app, "keys", "export").exit_code == 2


def test_keys_show_prints_the_key_id(app: Flask) -> None:
    result = cli(app, "keys", "show")
    assert result.exit_code == 0
    assert result.output.startswith(f"key id {seal.app_key(app).key_id} (Ed25519)\n")


def test_export_public_key_for_the_site(app: Flask, tmp_path: Path) -> None:
    path = export_public_key(app, tmp_path / "site")
    assert path == tmp_path / "site" / ".well-known" / "seloste" / "receipt-key.pem"
    assert seal.load_public_key(path.read_bytes())


# ---- key rotation ---------------------------------------------------------------------------


def test_rotation_keeps_old_receipts_verifiable(
    client: FlaskClient, app: Flask, tmp_path: Path
) -> None:
    old_request = new_request()
    seal.seal_request(old_request, seal.app_key(app))
    old_id = seal.app_key(app).key_id
    result = cli(app, "keys", "rotate", "--yes")
    assert result.exit_code == 0, result.output
    new_id = seal.app_key(app).key_id
    assert new_id != old_id and f"retired key {old_id}; new key {new_id}." in result.output
    instance = Path(app.instance_path)
    assert (instance / "receipt-keys" / f"{old_id}.pem").read_bytes().startswith(b"-----BEGIN PUB")
    assert b"PRIVATE" not in (instance / "receipt-keys" / f"{old_id}.pem").read_bytes()
    later_request = new_request(reference="N3WKEY000001")
    seal.seal_request(later_request, seal.app_key(app))
    assert later_request.seal_key_id == new_id

    for request in (old_request, later_request):
        assert keys.verify_request_seal(app, request)
        text = json.dumps(seal.receipt(request))
        assert outcome(post(client, "en", receipt_text=text)) == ("authentic", "ok")
        path = tmp_path / f"{request.reference}.json"
        path.write_text(text, encoding="utf-8")
        assert cli(app, "verify-receipt", str(path)).exit_code == 0

    site = tmp_path / "site"
    export_public_key(app, site)
    published = sorted(p.name for p in (site / ".well-known" / "seloste" / "keys").iterdir())
    assert published == sorted([f"{old_id}.pem", f"{new_id}.pem"])
    shown = cli(app, "keys", "show").output
    assert f"key id {new_id}" in shown and f"retired keys still accepted: {old_id}" in shown


def test_a_receipt_naming_an_unknown_key_is_checked_against_the_current_one(
    client: FlaskClient, app: Flask, tmp_path: Path
) -> None:
    request = new_request()
    seal.seal_request(request, seal.load_or_create_key(tmp_path / "stranger"))
    seal.app_key(app)
    assert not keys.verify_request_seal(app, request)
    assert keys.public_key_for(app, request.seal_key_id) == seal.app_key(app).public_pem()
    assert keys.public_key_for(app, None) == seal.app_key(app).public_pem()
    assert outcome(post(client, "en", receipt_text=json.dumps(seal.receipt(request)))) == (
        "not-authentic",
        "key",
    )


def test_rotation_asks_for_confirmation(app: Flask) -> None:
    old_id = seal.app_key(app).key_id
    result = CliRunner().invoke(
        main, ["keys", "rotate"], input="n\n", obj=ScriptInfo(create_app=lambda: app)
    )
    assert result.exit_code == 1
    assert seal.app_key(app).key_id == old_id


# ---- end to end -----------------------------------------------------------------------------


def test_a_confirmed_request_yields_receipts_that_verify(
    client: FlaskClient, app: Flask, smtp_server: Any, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    from tests.portal.support.web import confirm_from_mail, submit_request

    assert submit_request(client, "access", "fi").status_code in (200, 303)
    confirmed = confirm_from_mail(client, smtp_server)
    downloaded = client.get(f"{confirmed.status_path}/receipt.json")
    assert downloaded.status_code == 200
    assert outcome(post(client, "fi", receipt_text=downloaded.get_data(as_text=True))) == (
        "authentic",
        "ok",
    )

    smtp_server.wait_for(2)
    mail = smtp_server.last_to("maija@example.fi")
    [pdf] = [
        part for part in mail.iter_attachments() if part.get_content_type() == "application/pdf"
    ]
    [(name, [embedded])] = PdfReader(io.BytesIO(pdf.get_content())).attachments.items()
    assert name.startswith("receipt-") and name.endswith(".json")
    assert json.loads(embedded) == json.loads(downloaded.get_data(as_text=True))
    path = tmp_path / name
    path.write_bytes(embedded)
    published = tmp_path / "receipt-key.pem"
    published.write_bytes(client.get("/requests/receipt-key.pem").data)
    result = cli(app, "verify-receipt", str(path), "--key", str(published))
    assert (result.exit_code, result.output[:4]) == (0, "OK: ")
