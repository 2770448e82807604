"""The receipt PDF reads as a letter to a person and still carries the proof a verifier needs.

A newcomer found the receipt PDF showing its signed JSON to the person as a block of code:
unreadable, and it looked broken. The letter now says in words what was received, when, the
reference, the legal due date, how to follow the request and how to check the receipt, with the
receipt's fingerprint (the e-mail gives the same); the signed JSON is only the PDF's attached
file. Read back with pypdf, in fi, sv and en: the visible text holds no JSON, the attached file
verifies with the portal's own check (`seal.verify_receipt`), a changed attachment fails it, and
the verify page, given the PDF itself, the attached file or its pasted text, says "authentic"
with the fingerprint printed in the letter. The PDF stays tagged (PDF/UA-1) like every letter.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader, PdfWriter

from notice.loader import load_content
from portal.core import letters, seal
from portal.core.receipt_file import load_receipt
from tests import REPO_ROOT
from tests.golden_letters import NOW, POSTAL, VERIFY_URL, signing_key
from tests.portal.support.mailserver import SmtpServer
from tests.portal.support.requests import new_request
from tests.portal.support.web import (
    PUBLIC_URL,
    confirm_from_mail,
    csrf_token,
    https_client,
    submit_request,
)

LANGS = ("fi", "sv", "en")
WORDS = "Haluan kaikki tietoni."
STEM = {"fi": "kuitti", "sv": "kvitto", "en": "receipt"}
REFERENCE = {"fi": "Viite", "sv": "Referens", "en": "Reference"}
FINGERPRINT = {
    "fi": "Tämän kuittauksen sormenjälki",
    "sv": "Kvittots fingeravtryck",
    "en": "Fingerprint of this receipt",
}
DUE = {"fi": "Vastaamme viimeistään", "sv": "Vi svarar senast", "en": "We answer by"}
IN_THE_MAIL = {
    "fi": "Kuittauksesi sormenjälki",
    "sv": "Fingeravtryck för ditt kvitto",
    "en": "Fingerprint of your receipt",
}
"""How the receipt e-mail names the fingerprint that the letter prints (no SHA-256 jargon)."""
SAYS = {
    "fi": [
        "Kuittaus pyyntösi vastaanottamisesta",
        "Olemme vastaanottaneet pyyntösi. Tästä kuittauksesta näet, mitä lähetit meille ja "
        "milloin.",
        f"Viestisi: {WORDS}",
        "Vastaamme kuukauden kuluessa pyyntösi vastaanottamisesta (tietosuoja-asetuksen 12 "
        "artiklan 3 kohta).",
        "Näin seuraat pyyntöäsi",
        "Sähköpostissa, jonka mukana lähetimme tämän kuittauksen, on linkki pyyntösi tilasivulle.",
        "Näin tarkistat kuittauksen",
        "Säilytä tämä PDF-tiedosto sellaisenaan: allekirjoitettu kuittauksemme on liitetty sen "
        "sisään tiedostona",
        "Kun tarkistat kuittauksen, sivu näyttää tämän saman sormenjäljen.",
    ],
    "sv": [
        "Kvitto på din begäran",
        "Vi har tagit emot din begäran. Detta kvitto visar vad du skickade till oss och när.",
        f"Ditt meddelande: {WORDS}",
        "Vi svarar inom en månad från att vi tog emot din begäran (artikel 12.3 i "
        "dataskyddsförordningen).",
        "Så följer du din begäran",
        "E-postmeddelandet som vi skickade dig med detta kvitto innehåller länken till statussidan "
        "för din begäran",
        "Så kontrollerar du kvittot",
        "Spara denna PDF-fil som du fick den: vårt signerade kvitto finns som bilaga inuti den",
        "När du kontrollerar kvittot visar sidan samma fingeravtryck.",
    ],
    "en": [
        "Receipt of your request",
        "We have received your request. This receipt shows what you sent us and when.",
        f"Your message: {WORDS}",
        "We answer within one month of receiving your request (Article 12(3) GDPR).",
        "Following your request",
        "The e-mail we sent you with this receipt has the link to the status page of your request",
        "How to verify this receipt",
        "Keep this PDF as you received it: our signed receipt is attached inside it, as the file",
        "When you check the receipt, the page shows this same fingerprint.",
    ],
}
"""What the person reads in the receipt PDF of a web request, in order (pypdf's text, flattened)."""
BY_POST = {
    "fi": [
        "Lähetämme vastauksemme ja mahdolliset kysymyksemme postitse yllä olevaan osoitteeseen.",
        "Säilytä tämä kirje. Säilytämme allekirjoitetun kuittauksen tiedostona niin kauan kuin "
        "säilytämme pyyntösi;",
    ],
    "sv": [
        "Vi skickar vårt svar, och eventuella frågor, per post till adressen ovan.",
        "Spara detta brev. Vi sparar det signerade kvittot som en fil så länge vi sparar din "
        "begäran;",
    ],
    "en": [
        "We will send our answer, and any questions we have, by post to the address above.",
        "Keep this letter. We keep the signed receipt as a file for as long as we keep your "
        "request;",
    ],
}
"""What a receipt printed and posted says instead: the person has no e-mail and no attachment."""


def flat(text: str) -> str:
    return " ".join(text.split())


def visible_text(pdf: bytes) -> str:
    """Return the text a reader sees on the PDF's pages, whitespace flattened."""
    return flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


def fingerprint_of(document: dict[str, Any]) -> str:
    """Return the fingerprint printed for a receipt: its digest's first 16 hex digits by 4."""
    digest = document["digest"]
    return " ".join(digest[i : i + 4] for i in range(0, 16, 4))


def attached(pdf: bytes) -> tuple[str, dict[str, Any]]:
    """Return the name and the JSON of the PDF's one attached file."""
    [(name, [raw])] = PdfReader(io.BytesIO(pdf)).attachments.items()
    return name, json.loads(raw)


def with_attachment(pdf: bytes, change: Callable[[dict[str, Any]], dict[str, Any]]) -> bytes:
    """Return `pdf` with its attached receipt replaced by `change(receipt)`, as an editor could."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    [entry] = list(writer.attachment_list)
    entry.content = json.dumps(change(json.loads(entry.content)), ensure_ascii=False).encode()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def assert_no_json_shown(text: str, document: dict[str, Any]) -> None:
    """The page's text is the letter: no braces, keys or codes of the signed JSON."""
    assert "{" not in text and "}" not in text, text
    for key in ('"reference"', '"payload"', '"received_at"', "received_at", "due_on"):
        assert key not in text
    assert document["digest"] not in text
    assert document["signature"][:20] not in text


def assert_tagged(pdf: bytes, lang: str) -> None:
    """The receipt is a tagged PDF/UA-1 in its language, as every letter is."""
    reader = PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == lang
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog
    xmp = catalog["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfuaid:part="1"' in xmp


def check_page(client: FlaskClient, lang: str, **data: Any) -> BeautifulSoup:
    """Send a receipt to the verify page as a person does; return the answer page."""
    path = f"/requests/{lang}/verify"
    data["csrf_token"] = csrf_token(client, path)
    response = client.post(path, data=data, content_type="multipart/form-data")
    return BeautifulSoup(response.text, "html.parser")


def outcome(page: BeautifulSoup) -> tuple[str, str, str | None]:
    """Return the verdict (data-outcome), its code and the fingerprint the page shows."""
    result = page.select_one("[data-outcome]")
    assert result is not None
    shown = result.select_one('[data-field="fingerprint"]')
    return (
        str(result["data-outcome"]),
        str(result["data-code"]),
        shown.get_text(strip=True) if shown is not None else None,
    )


@pytest.mark.parametrize("lang", LANGS)
def test_the_receipt_pdf_a_person_gets_reads_as_a_letter_and_verifies(
    app: Flask, smtp_server: SmtpServer, lang: str
) -> None:
    person = https_client(app)
    submit_request(person, "access", lang, message=WORDS)
    confirm_from_mail(person, smtp_server)
    mail = smtp_server.receipt_to("maija@example.fi")
    [part] = [p for p in mail.iter_attachments() if p.get_content_type() == "application/pdf"]
    pdf = part.get_content()

    # The signed receipt is the PDF's one attached file, and the portal's check accepts it.
    name, document = attached(pdf)
    reference = document["reference"]
    assert name == f"{STEM[lang]}-{reference}.json"
    pem = seal.app_key(app).public_pem()
    assert seal.verify_receipt(document, pem).code == "ok"
    assert load_receipt(pdf) == document  # what the verify page and command read from a PDF

    # The person reads the letter, in order, in their language, and no JSON.
    text = visible_text(pdf)
    at = [text.find(said) for said in SAYS[lang]]
    assert -1 not in at, [said for said, i in zip(SAYS[lang], at, strict=True) if i < 0]
    assert at == sorted(at)
    assert f"{REFERENCE[lang]}: {reference}" in text
    due = letters.format_long_date(dt.date.fromisoformat(document["due_on"]), lang)
    assert f"{DUE[lang]}: {due}" in text
    assert name in text  # the attached file, named
    # pypdf breaks a long address after a slash: read it without the spaces.
    assert f"{PUBLIC_URL}/requests/{lang}/verify" in "".join(text.split())
    assert f"{FINGERPRINT[lang]}: {fingerprint_of(document)}" in text
    assert_no_json_shown(text, document)
    assert_tagged(pdf, lang)
    # The e-mail that brought the PDF gives the same fingerprint.
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert f"{IN_THE_MAIL[lang]}: {fingerprint_of(document)}" in body

    # The check page takes what the person has: the PDF, its attached file, or that file's text;
    # each is authentic and shows the fingerprint printed in the letter.
    raw = json.dumps(document, ensure_ascii=False, indent=2)
    authentic = ("authentic", "ok", fingerprint_of(document))
    checker = https_client(app)
    uploads = {
        "the PDF": {"receipt_file": (io.BytesIO(pdf), f"{STEM[lang]}-{reference}.pdf")},
        "its attached file": {"receipt_file": (io.BytesIO(raw.encode()), name)},
        "its text pasted": {"receipt_text": raw},
    }
    seen = {what: outcome(check_page(checker, lang, **data)) for what, data in uploads.items()}
    assert seen == dict.fromkeys(uploads, authentic)

    # A changed attachment fails, in the PDF as the person would send it.
    later = with_attachment(pdf, lambda d: d | {"due_on": "2099-12-31"})
    reworded = with_attachment(
        pdf, lambda d: d | {"payload": d["payload"].replace(WORDS, "En halua mitään.")}
    )
    for changed, code in ((later, "shown"), (reworded, "digest")):
        assert seal.verify_receipt(load_receipt(changed), pem).code == code
        upload = {"receipt_file": (io.BytesIO(changed), "kuitti.pdf")}
        assert outcome(check_page(checker, lang, **upload)) == ("invalid", code, None)


@pytest.mark.parametrize("lang", LANGS)
def test_a_receipt_for_the_post_says_how_it_goes_on_without_e_mail(lang: str) -> None:
    request = new_request(language=lang, **POSTAL)
    key = signing_key()
    seal.seal_request(request, key)
    letter = letters.render_letter(
        "receipt",
        request,
        lang,
        content=load_content(REPO_ROOT / "content"),
        verify_url=VERIFY_URL.format(lang=lang),
        now=NOW,
    )
    name, document = attached(letter.pdf)
    assert seal.verify_receipt(document, key.public_pem()).code == "ok"
    text = visible_text(letter.pdf)
    assert all(said in text for said in BY_POST[lang]), text
    assert f"{FINGERPRINT[lang]}: {fingerprint_of(document)}" in text
    # Printed and posted, the PDF has no attachment to point at, nor an e-mail to follow.
    assert name not in text and "@example.fi" not in text
    assert_no_json_shown(text, document)
    assert_tagged(letter.pdf, lang)
    later = with_attachment(letter.pdf, lambda d: d | {"received_at": "2025-02-27T08:00:00Z"})
    assert seal.verify_receipt(load_receipt(later), key.public_pem()).code == "shown"


def test_the_fingerprint_is_the_digests_first_sixteen_hex_digits_in_fours() -> None:
    digest = "a1c874302d17dc9d832bfc506db3faaed5c279e92c05a31c627fcae738da76aa"
    assert seal.fingerprint(digest) == "a1c8 7430 2d17 dc9d"
    assert seal.fingerprint(digest).replace(" ", "") == digest[:16]
