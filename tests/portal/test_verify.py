"""The public verify page and the key commands: authentic, invalid, not a receipt, oversized.

Receipts come from the real app flow where it matters (the PDF the person is e-mailed, the JSON of
the status page, the answer's receipt after a decision with files); verdicts are checked as the
exact text a person reads.
"""

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
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import TestResponse, encode_multipart

from portal.cli import main
from portal.core import keys, seal
from portal.core.keys import export_public_key
from portal.core.receipt_file import MAX_JSON_BYTES as MAX_RECEIPT_BYTES
from portal.core.receipt_file import NotAReceipt, load_receipt
from tests.portal.support.cli import cli
from tests.portal.support.requests import new_request
from tests.portal.support.web import csrf_token
from tests.portal.test_seal import flip

PAGE = "/requests/{lang}/verify"
AUTHENTIC = "AUTHENTIC: the signature and digest are valid and the receipt is unaltered"


def sealed_receipt(app: Flask, **changes: Any) -> dict[str, Any]:
    """Return the receipt of a request sealed with the app's own key."""
    request = new_request(**changes)
    seal.seal_request(request, seal.app_key(app))
    return seal.receipt(request)


def post(client: FlaskClient, lang: str = "fi", **data: Any) -> TestResponse:
    path = PAGE.format(lang=lang)
    data.setdefault("csrf_token", csrf_token(client, path))
    return client.post(path, data=data, content_type="multipart/form-data")


def post_file(client: FlaskClient, lang: str, raw: bytes, filename: str) -> TestResponse:
    """Upload `raw` as a browser does: one multipart body, encoded in memory.

    (The test client would spool a body over 500 KiB to a temporary file it never closes.)
    """
    path = PAGE.format(lang=lang)
    fields = MultiDict([("csrf_token", csrf_token(client, path))])
    fields.add("receipt_file", FileStorage(io.BytesIO(raw), filename=filename))
    boundary, body = encode_multipart(fields)
    return client.post(path, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def outcome(response: TestResponse) -> tuple[str | None, str | None]:
    """Return the page's (data-outcome, data-code) of the verification result."""
    soup = BeautifulSoup(response.text, "html.parser")
    element = soup.select_one("[data-outcome]")
    if element is None:
        return None, None
    code = element.get("data-code")
    return str(element["data-outcome"]), str(code) if code is not None else None


def verdict(response: TestResponse) -> tuple[str, str]:
    """Return the verdict's heading and its first sentence, as the page shows them."""
    soup = BeautifulSoup(response.text, "html.parser")
    section = soup.select_one("[data-outcome]")
    assert section is not None, response.text
    heading = section.find("h2")
    assert heading is not None
    return heading.get_text(" ", strip=True), section.find("p").get_text(" ", strip=True)


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


WHAT_IT_CHECKS = {
    "fi": (
        "Tällä sivulla voit tarkistaa, että allekirjoittamamme kuittaus on aito ja muuttamaton:"
        " pyyntösi kuittaus (saamasi PDF-kirje, jonka sisällä on allekirjoitettu kuittaus, tai "
        "sama kuittaus JSON-tiedostona) tai evästesuostumuksesi kuittaus (evästeasetuksista "
        "lataamasi JSON-tiedosto).",
        "Kuittaus sisältää allekirjoittamamme sisällön (pyyntösi sellaisena kuin se oli, kun "
        "vastaanotimme sen, tai evästevalintasi ja niiden ajankohdat), sen SHA-256-tiivisteen "
        "ja Ed25519-allekirjoituksemme.",
    ),
    "sv": (
        "Här kan du kontrollera att ett kvitto som vi har signerat är äkta och oförändrat: "
        "kvittot på din begäran (PDF-brevet du fick, med det signerade kvittot inuti, eller "
        "samma kvitto som JSON-fil) eller kvittot på ditt samtycke till kakor (JSON-filen som"
        " du laddade ner från kakinställningarna).",
        "Kvittot innehåller det vi har signerat (din begäran som den var när vi tog emot den, "
        "eller dina kakval och när du gjorde dem), dess SHA-256-kontrollsumma och vår "
        "Ed25519-signatur av det.",
    ),
    "en": (
        "Here you can check that a receipt we signed is authentic and unchanged: the receipt of"
        " your request (the PDF letter you received, with the signed receipt inside it, or the "
        "same receipt as a JSON file) or the receipt of your cookie consent (the JSON file you "
        "downloaded from the cookie settings).",
        "A receipt contains what we signed (your request as it was when we received it, or your"
        " cookie choices and when you made them), its SHA-256 digest and our Ed25519 signature "
        "of it.",
    ),
}
"""The page's lead and the first sentence of how the check works: a request's receipt or a
consent receipt, each as the person has it."""


HOW_TITLE = {
    "fi": "Miten tarkistus toimii",
    "sv": "Så fungerar kontrollen",
    "en": "How the check works",
}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_page_says_it_checks_request_and_consent_receipts(client: FlaskClient, lang: str) -> None:
    soup = BeautifulSoup(client.get(PAGE.format(lang=lang)).text, "html.parser")
    lead, how = WHAT_IT_CHECKS[lang]
    assert " ".join(soup.select_one("p.lead").get_text().split()) == lead
    explained = soup.find("h2", string=HOW_TITLE[lang]).find_next_sibling("p").get_text()
    assert " ".join(explained.split()).startswith(how)


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
    assert outcome(response) == ("invalid", code)
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.title is not None and soup.title.get_text().startswith("The receipt is not valid")


def test_receipt_of_another_key_is_not_authentic(client: FlaskClient, tmp_path: Path) -> None:
    request = new_request()
    seal.seal_request(request, seal.load_or_create_key(tmp_path / "elsewhere"))
    response = post(client, "en", receipt_text=json.dumps(seal.receipt(request)))
    assert outcome(response) == ("invalid", "key")


@pytest.mark.parametrize(
    ("text", "status", "expected"),
    [
        ("not json at all", 400, ("not-receipt", "not_json")),
        ('{"version": 1', 400, ("not-receipt", "not_json")),
        ("[1, 2, 3]", 400, ("not-receipt", "not_receipt")),
        ('{"name": "Maija"}', 400, ("not-receipt", "not_receipt")),
        ('{"payload": "x"}', 200, ("invalid", "malformed")),
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


def test_oversized_pasted_receipt_is_refused(client: FlaskClient) -> None:
    response = post(client, "en", receipt_text="x" * (MAX_RECEIPT_BYTES + 1))
    assert response.status_code == 413
    assert "This is too long to be a receipt." in response.text


def test_oversized_uploaded_receipt_is_refused(client: FlaskClient) -> None:
    raw = b'{"a": "' + b"x" * MAX_RECEIPT_BYTES + b'"}'
    response = post(client, "en", receipt_file=(io.BytesIO(raw), "r.json", "application/json"))
    assert response.status_code == 413
    assert outcome(response) == ("not-receipt", "too_large")
    assert verdict(response) == ("This is not a receipt", "The file is too large to be a receipt.")


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
    assert "receipt check: authentic ok" in logged
    assert "Äijälä" not in logged and "asa.aijala" not in logged and "R7KQ2M9XW4HT" not in logged


def test_checks_are_rate_limited(make_app: Any) -> None:
    from tests.portal.support.web import https_client

    app = make_app(RATELIMIT_VERIFY="2 per hour")
    client = https_client(app)
    statuses = [post(client, "en", receipt_text="{}").status_code for _ in range(3)]
    assert statuses == [400, 400, 429]


@pytest.mark.parametrize(
    ("lang", "label"),
    [
        ("fi", "Lataa julkinen avain"),
        ("sv", "Ladda ner den publika nyckeln"),
        ("en", "Download the public key"),
    ],
)
def test_page_links_the_key_at_its_published_address(
    client: FlaskClient, lang: str, label: str
) -> None:
    # The address README and the letters give, not the portal's own copy under /requests/.
    soup = BeautifulSoup(client.get(PAGE.format(lang=lang)).text, "html.parser")
    link = soup.find("a", string=label)
    assert link is not None, soup.get_text()
    assert link["href"] == (
        "https://www.proleader.fi/tietosuoja/.well-known/seloste/receipt-key.pem"
    )


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
    assert result.output.startswith(f"{AUTHENTIC}\nsigned: reference R7KQ2M9XW4HT, right access, ")


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
    assert result.output.startswith("INVALID: the ")
    assert len(result.output.splitlines()) == 1


def test_verify_receipt_command_reads_standard_input(app: Flask) -> None:
    result = CliRunner().invoke(
        main,
        ["verify-receipt", "-"],
        input=json.dumps(sealed_receipt(app)),
        obj=ScriptInfo(create_app=lambda: app),
    )
    assert result.exit_code == 0 and result.output.startswith(f"{AUTHENTIC}\n")


def test_verify_receipt_command_with_a_published_key(app: Flask, tmp_path: Path) -> None:
    receipt_path = tmp_path / "receipt.json"
    receipt_path.write_text(json.dumps(sealed_receipt(app)), encoding="utf-8")
    published = tmp_path / "key.pem"
    assert cli(app, "keys", "export", "--out", str(published)).exit_code == 0
    assert cli(app, "verify-receipt", str(receipt_path), "--key", str(published)).exit_code == 0
    other = tmp_path / "other.pem"
    other.write_bytes(seal.load_or_create_key(tmp_path / "other").public_pem())
    result = cli(app, "verify-receipt", str(receipt_path), "--key", str(other))
    assert (result.exit_code, result.output) == (
        1,
        "INVALID: the receipt names a different signing key\n",
    )


def test_verify_receipt_command_on_a_file_that_is_not_json(app: Flask, tmp_path: Path) -> None:
    seal.app_key(app)
    path = tmp_path / "receipt.json"
    path.write_text("not json", encoding="utf-8")
    result = cli(app, "verify-receipt", str(path))
    assert (result.exit_code, result.output) == (
        2,
        "NOT A RECEIPT: the file is neither a PDF nor JSON text\n",
    )


def test_verify_receipt_command_without_any_key(app: Flask, tmp_path: Path) -> None:
    # The first start made and recorded a key; an instance folder can still lose it.
    (Path(app.instance_path) / "receipt-signing-key.pem").unlink()
    app.extensions.pop(seal.APP_KEY_EXTENSION, None)
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
        "invalid",
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
    assert name.startswith("kuitti-") and name.endswith(".json")  # named in the letter's language
    assert json.loads(embedded) == json.loads(downloaded.get_data(as_text=True))
    path = tmp_path / name
    path.write_bytes(embedded)
    published = tmp_path / "receipt-key.pem"
    published.write_bytes(client.get("/requests/receipt-key.pem").data)
    result = cli(app, "verify-receipt", str(path), "--key", str(published))
    assert (result.exit_code, result.output.splitlines()[0]) == (0, AUTHENTIC)


# ---- the person's own receipt: PDF and JSON from the real flow --------------------------------


def _real_receipt(
    client: FlaskClient, smtp_server: Any, lang: str = "fi", **fields: Any
) -> tuple[bytes, str]:
    """Submit and confirm a request; return the receipt PDF and JSON the status page offers."""
    from tests.portal.support.web import confirm_from_mail, submit_request

    assert submit_request(client, "access", lang, **fields).status_code in (200, 303)
    confirmed = confirm_from_mail(client, smtp_server)
    pdf = client.get(f"{confirmed.status_path}/receipt.pdf")
    text = client.get(f"{confirmed.status_path}/receipt.json")
    assert (pdf.status_code, text.status_code) == (200, 200)
    assert pdf.data.startswith(b"%PDF-")
    return pdf.data, text.get_data(as_text=True)


def _with_embedded(pdf: bytes, change: Any) -> bytes:
    """Return `pdf` with its embedded receipt JSON replaced by `change(receipt)`."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    [entry] = list(writer.attachment_list)
    entry.content = json.dumps(change(json.loads(entry.content)), ensure_ascii=False).encode()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _blank_pdf() -> bytes:
    """Return a valid one-page PDF with nothing embedded (any PDF that is not a receipt)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_metadata({"/Title": "Lasku 2026-11"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def fingerprint_of(document: dict[str, Any]) -> str:
    """Return the fingerprint a receipt letter prints: its digest's first 16 hex digits by 4."""
    digest = document["digest"]
    return f"{digest[0:4]} {digest[4:8]} {digest[8:12]} {digest[12:16]}"


def _changed(document: dict[str, Any], **changes: Any) -> dict[str, Any]:
    out = {**document, **changes}
    return {name: value for name, value in out.items() if value is not _REMOVE}


_REMOVE = object()
BINARY = bytes(range(256)) * 8  # not UTF-8, not a PDF
HUGE_JSON = b'{"payload": "' + b"x" * (2 * 1024 * 1024) + b'"}'
HUGE_PDF = b"%PDF-1.7\n" + b"%" + b"x" * (2 * 1024 * 1024) + b"\n%%EOF\n"

INVALID_DUE = "INVALID: the receipt's 'due_on' differs from what was signed"
INVALID_DECISION = "INVALID: the receipt has a field that is not signed: 'decision'"
INVALID_REMOVED = "INVALID: the receipt has no 'due_on' field"
INVALID_SIGNATURE = "INVALID: the signature is not valid for the payload"


def _variants(pdf: bytes, text: str) -> list[tuple[str, bytes, int, list[str]]]:
    """Return (name, file bytes, exit code, output lines) for every kind of input a person has."""
    document = json.loads(text)
    signed = (
        f"signed: reference {document['reference']}, right access, register asiakasrekisteri, "
        f"received {document['received_at']}, due {document['due_on']}, "
        f"fingerprint {fingerprint_of(document)}"
    )
    pdf_note = "The PDF's printed text is not signed: compare it with the line above."
    signature = flip(document["signature"], 7)
    return [
        ("authentic PDF", pdf, 0, [AUTHENTIC, signed, pdf_note]),
        ("authentic JSON", text.encode(), 0, [AUTHENTIC, signed]),
        (
            "PDF whose JSON was altered",
            _with_embedded(pdf, lambda d: _changed(d, due_on="2099-12-31")),
            1,
            [INVALID_DUE],
        ),
        (
            "PDF whose JSON gained a field",
            _with_embedded(pdf, lambda d: _changed(d, decision="granted")),
            1,
            [INVALID_DECISION],
        ),
        (
            "JSON with an added field",
            json.dumps(_changed(document, decision="granted")).encode(),
            1,
            [INVALID_DECISION],
        ),
        (
            "JSON with a removed field",
            json.dumps(_changed(document, due_on=_REMOVE)).encode(),
            1,
            [INVALID_REMOVED],
        ),
        (
            "JSON with a changed signature",
            json.dumps(_changed(document, signature=signature)).encode(),
            1,
            [INVALID_SIGNATURE],
        ),
        (
            "a PDF that is no receipt",
            _blank_pdf(),
            2,
            ["NOT A RECEIPT: the PDF holds no signed receipt"],
        ),
        ("a binary file", BINARY, 2, ["NOT A RECEIPT: the file is neither a PDF nor JSON text"]),
        ("an empty file", b"", 2, ["NOT A RECEIPT: the file is empty"]),
        (
            "a huge JSON file",
            HUGE_JSON,
            2,
            ["NOT A RECEIPT: the file is too large to be a receipt"],
        ),
        ("a huge PDF", HUGE_PDF, 2, ["NOT A RECEIPT: the file is too large to be a receipt"]),
        ("a broken PDF", pdf[: len(pdf) // 3], 2, ["NOT A RECEIPT: the PDF cannot be read"]),
    ]


def test_the_command_line_checks_the_receipt_pdf_and_json_as_a_person_has_them(
    client: FlaskClient, app: Flask, smtp_server: Any, tmp_path: Path
) -> None:
    pdf, text = _real_receipt(client, smtp_server)
    assert json.loads(text)["key_id"] == seal.app_key(app).key_id
    outcomes = {}
    for number, (name, raw, _code, _lines) in enumerate(_variants(pdf, text)):
        path = tmp_path / f"input-{number}"
        path.write_bytes(raw)
        result = cli(app, "verify-receipt", str(path))
        outcomes[name] = (result.exit_code, result.output.splitlines())
    expected = {name: (code, lines) for name, _raw, code, lines in _variants(pdf, text)}
    assert outcomes == expected


# The verdict heading and first sentence of the page, per language, for each kind of input.
PAGE_VERDICTS: dict[str, dict[str, tuple[str, str]]] = {
    "en": {
        "authentic": (
            "The receipt is authentic",
            "The signature and the digest are valid, and nothing in the receipt has been changed.",
        ),
        "shown": (
            "The receipt is not valid",
            "The dates or details shown in the receipt differ from what was signed.",
        ),
        "unsigned": (
            "The receipt is not valid",
            "The receipt holds information that our signature does not cover, so it has been "
            "changed.",
        ),
        "malformed": (
            "The receipt is not valid",
            "A part of the receipt is missing or has the wrong form.",
        ),
        "signature": (
            "The receipt is not valid",
            "The signature is not valid for this content: the receipt has been changed.",
        ),
        "no_receipt_in_pdf": (
            "This is not a receipt",
            "The PDF holds no signed receipt. Use the receipt PDF we sent you, or its JSON file.",
        ),
        "not_json": (
            "This is not a receipt",
            "The file is neither a receipt PDF nor the text of a receipt (JSON).",
        ),
        "empty": ("This is not a receipt", "The file is empty."),
        "too_large": ("This is not a receipt", "The file is too large to be a receipt."),
        "bad_pdf": ("This is not a receipt", "The PDF cannot be read."),
    },
    "fi": {
        "authentic": (
            "Kuittaus on aito",
            "Allekirjoitus ja tiiviste ovat kelvolliset, eikä kuittaukseen ole tehty muutoksia.",
        ),
        "shown": (
            "Kuittaus ei ole pätevä",
            "Kuittauksessa näkyvät päivämäärät tai tiedot poikkeavat allekirjoitetusta sisällöstä.",
        ),
        "unsigned": (
            "Kuittaus ei ole pätevä",
            "Kuittauksessa on tietoja, joita allekirjoituksemme ei kata, joten sitä on muutettu.",
        ),
        "malformed": (
            "Kuittaus ei ole pätevä",
            "Kuittauksesta puuttuu osa, tai osa on väärässä muodossa.",
        ),
        "signature": (
            "Kuittaus ei ole pätevä",
            "Allekirjoitus ei ole kelvollinen tälle sisällölle: kuittausta on muutettu.",
        ),
        "no_receipt_in_pdf": (
            "Tämä ei ole kuittaus",
            "PDF-tiedostossa ei ole allekirjoitettua kuittausta. Käytä lähettämäämme "
            "kuittaus-PDF:ää tai sen JSON-tiedostoa.",
        ),
        "not_json": (
            "Tämä ei ole kuittaus",
            "Tiedosto ei ole kuittaus-PDF eikä kuittauksen teksti (JSON).",
        ),
        "empty": ("Tämä ei ole kuittaus", "Tiedosto on tyhjä."),
        "too_large": ("Tämä ei ole kuittaus", "Tiedosto on liian suuri ollakseen kuittaus."),
        "bad_pdf": ("Tämä ei ole kuittaus", "PDF-tiedostoa ei voi lukea."),
    },
    "sv": {
        "authentic": (
            "Kvittot är äkta",
            "Signaturen och kontrollsumman är giltiga, och ingenting i kvittot har ändrats.",
        ),
        "shown": (
            "Kvittot är inte giltigt",
            "Datumen eller uppgifterna i kvittot skiljer sig från det som signerades.",
        ),
        "unsigned": (
            "Kvittot är inte giltigt",
            "Kvittot innehåller uppgifter som vår signatur inte täcker, så det har ändrats.",
        ),
        "malformed": (
            "Kvittot är inte giltigt",
            "En del av kvittot saknas eller har fel form.",
        ),
        "signature": (
            "Kvittot är inte giltigt",
            "Signaturen är inte giltig för detta innehåll: kvittot har ändrats.",
        ),
        "no_receipt_in_pdf": (
            "Det här är inte ett kvitto",
            "PDF-filen innehåller inget signerat kvitto. Använd kvitto-PDF:en vi skickade dig "
            "eller dess JSON-fil.",
        ),
        "not_json": (
            "Det här är inte ett kvitto",
            "Filen är varken en kvitto-PDF eller texten i ett kvitto (JSON).",
        ),
        "empty": ("Det här är inte ett kvitto", "Filen är tom."),
        "too_large": ("Det här är inte ett kvitto", "Filen är för stor för att vara ett kvitto."),
        "bad_pdf": ("Det här är inte ett kvitto", "PDF-filen kan inte läsas."),
    },
}

PAGE_CASES: list[tuple[str, str, str, int]] = [
    # (input, outcome, verdict key, status)
    ("authentic PDF", "authentic", "authentic", 200),
    ("authentic JSON", "authentic", "authentic", 200),
    ("PDF whose JSON was altered", "invalid", "shown", 200),
    ("PDF whose JSON gained a field", "invalid", "unsigned", 200),
    ("JSON with an added field", "invalid", "unsigned", 200),
    ("JSON with a removed field", "invalid", "malformed", 200),
    ("JSON with a changed signature", "invalid", "signature", 200),
    ("a PDF that is no receipt", "not-receipt", "no_receipt_in_pdf", 400),
    ("a binary file", "not-receipt", "not_json", 400),
    ("an empty file", "not-receipt", "empty", 400),
    ("a huge JSON file", "not-receipt", "too_large", 413),
    ("a huge PDF", "not-receipt", "too_large", 413),
    ("a broken PDF", "not-receipt", "bad_pdf", 400),
]


def test_the_page_checks_the_receipt_pdf_and_json_in_every_language(
    client: FlaskClient, app: Flask, smtp_server: Any
) -> None:
    pdf, text = _real_receipt(client, smtp_server, "sv")
    inputs = {name: raw for name, raw, _code, _lines in _variants(pdf, text)}
    seen, wanted = {}, {}
    for lang, verdicts in PAGE_VERDICTS.items():
        for name, result, key, status in PAGE_CASES:
            filename = "kuittaus.pdf" if inputs[name].startswith(b"%PDF") else "kuittaus.json"
            response = post_file(client, lang, inputs[name], filename)
            seen[lang, name] = (response.status_code, outcome(response)[0], verdict(response))
            wanted[lang, name] = (status, result, verdicts[key])
    assert seen == wanted


@pytest.mark.parametrize(
    ("lang", "labels"),
    [
        (
            "fi",
            [
                "Viite",
                "Pyyntö",
                "Rekisteri",
                "Vastaanotettu (vahvistettu)",
                "Vastaamme viimeistään",
                "Tämän kuittauksen sormenjälki",
            ],
        ),
        (
            "sv",
            [
                "Referens",
                "Begäran",
                "Register",
                "Mottagen (bekräftad)",
                "Vi svarar senast",
                "Kvittots fingeravtryck",
            ],
        ),
        (
            "en",
            [
                "Reference",
                "Request",
                "Register",
                "Received (confirmed)",
                "We will answer by",
                "Fingerprint of this receipt",
            ],
        ),
    ],
)
def test_an_authentic_pdf_shows_what_the_signature_covers(
    client: FlaskClient, app: Flask, smtp_server: Any, lang: str, labels: list[str]
) -> None:
    from pypdf import PdfReader

    pdf, text = _real_receipt(client, smtp_server, lang)
    response = post(client, lang, receipt_file=(io.BytesIO(pdf), "r.pdf", "application/pdf"))
    soup = BeautifulSoup(response.text, "html.parser")
    facts = soup.select_one("[data-outcome] dl.facts")
    assert facts is not None
    assert [dt.get_text(strip=True) for dt in facts.find_all("dt")] == labels
    values = [dd.get_text(" ", strip=True) for dd in facts.find_all("dd")]
    assert values[0] == json.loads(text)["reference"]
    assert "None" not in values and "access" not in values and "asiakasrekisteri" not in values
    # The fingerprint the page shows is the one printed in the PDF the person uploaded.
    assert values[-1] == fingerprint_of(json.loads(text))
    printed = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert f"{labels[-1]}: {values[-1]}" in " ".join(printed.split())
    note = facts.find_next_sibling("p")
    assert note is not None and "PDF" in note.get_text()


def test_the_answer_receipt_verifies_and_an_unsigned_field_makes_it_invalid(
    app: Flask, client: FlaskClient, smtp_server: Any, tmp_path: Path
) -> None:
    from tests.portal.staff.test_attachments import _decide_with
    from tests.portal.support.staff import StaffActions
    from tests.portal.support.web import https_client

    _row, confirmed = _decide_with(app, smtp_server, StaffActions(app, client))
    person = https_client(app)
    answer = person.get(f"{confirmed.status_path}/answer.json")
    assert answer.status_code == 200
    document = answer.json
    assert document["kind"] == "answer"
    files = ", ".join(f["name"] for f in document["files"])
    cases = [
        (
            document,
            0,
            [
                AUTHENTIC,
                f"signed: reference {document['reference']}, right access, "
                f"register asiakasrekisteri, received {document['received_at']}, "
                f"due {document['due_on']}, files delivered: 2 ({files}), "
                f"fingerprint {fingerprint_of(document)}",
            ],
        ),
        (
            _changed(document, decision="refused"),
            1,
            ["INVALID: the receipt has a field that is not signed: 'decision'"],
        ),
        (
            _changed(document, files=document["files"][:1]),
            1,
            ["INVALID: the receipt's 'files' differs from what was signed"],
        ),
        (_changed(document, kind=_REMOVE), 1, ["INVALID: the receipt has no 'kind' field"]),
        (
            _changed(document, kind="request"),
            1,
            ["INVALID: the receipt's 'kind' differs from what was signed"],
        ),
    ]
    for number, (changed, code, lines) in enumerate(cases):
        path = tmp_path / f"answer-{number}.json"
        path.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
        result = cli(app, "verify-receipt", str(path))
        assert (number, result.exit_code, result.output.splitlines()) == (number, code, lines)
    page = post(person, "fi", receipt_text=json.dumps(document, ensure_ascii=False))
    assert verdict(page) == PAGE_VERDICTS["fi"]["authentic"]
    facts = BeautifulSoup(page.text, "html.parser").select_one("[data-outcome] dl.facts")
    assert facts is not None and "tiedot.csv" in facts.get_text()


# ---- reading a receipt file -------------------------------------------------------------------


def _pdf_with(*files: tuple[str, bytes]) -> bytes:
    """Return a one-page PDF with `files` embedded (name, content), large ones Flate-compressed."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    for name, data in files:
        writer.add_attachment(name, data)
    for index, obj in enumerate(writer._objects):
        if isinstance(obj, DecodedStreamObject) and len(obj.get_data()) > 1024 * 1024:
            writer._objects[index] = obj.flate_encode(level=9)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("raw", "code", "reason"),
    [
        (
            _pdf_with(("a.json", b"{}"), ("b.json", b"{}")),
            "several_in_pdf",
            "the PDF holds more than one JSON file",
        ),
        (
            _pdf_with(("receipt.json", b"\xff\xfe")),
            "not_json",
            "the file in the PDF is not JSON text",
        ),
        (_pdf_with(("receipt.json", b"{")), "not_json", "the file in the PDF is not JSON text"),
        (_pdf_with(("notes.txt", b"{}")), "no_receipt_in_pdf", "the PDF holds no signed receipt"),
        # 16 MiB of spaces compress to a few KiB: the file in the PDF is refused, not inflated.
        (
            _pdf_with(("receipt.json", b" " * (16 * 1024 * 1024))),
            "bad_pdf",
            "the PDF cannot be read",
        ),
        (b"   \n\t ", "empty", "the file is empty"),
        (b"\x00" * 100, "not_json", "the file is neither a PDF nor JSON text"),
    ],
)
def test_what_cannot_hold_a_receipt_says_why(raw: bytes, code: str, reason: str) -> None:
    with pytest.raises(NotAReceipt) as caught:
        load_receipt(raw)
    assert (caught.value.code, caught.value.reason) == (code, reason)


def test_a_receipt_saved_with_a_byte_order_mark_still_reads() -> None:
    assert load_receipt(b'\xef\xbb\xbf{"version": 1}') == {"version": 1}
    assert load_receipt(_pdf_with(("receipt-X.JSON", b'{"a": "\xc3\xa4"}'))) == {"a": "ä"}


def test_every_reason_a_file_is_not_a_receipt_is_told_in_words() -> None:
    import re

    from portal.core import receipt_file
    from portal.web.verify import NOT_A_RECEIPT

    source = Path(receipt_file.__file__).read_text(encoding="utf-8")
    codes = set(re.findall(r'NotAReceipt\(\s*"(\w+)"', source))
    codes |= set(re.findall(r'"(\w+_in_pdf)"', source))
    assert codes == set(NOT_A_RECEIPT)
