"""Everything a person and a member of staff receive, read back as they read it, in fi, sv and en.

One scenario per language through the real app (SQLite and PostgreSQL, real SMTP): a person asks
for access, confirms by e-mail and opens the receipt (page, PDF, JSON) and the status page; staff
sign in with the UI in the same language, ask for information, extend, and decide; other people
use every other right, and staff decide those, with Art 19 notices where they apply. Every e-mail
(plain and HTML), every letter (HTML and PDF), the receipt, the status and the staff pages are
read back to text (`tests/readback.py`) and must hold no programming artefact, no raw Markdown,
no untranslated message and no paragraph in another language; no PDF may set a letter or digit
in a fallback font. The records of processing are read back in every format and language in
tests/notice/test_records_read_back.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import select

from portal import db
from portal.core import mail, notify
from portal.core.models import DataRequest, Letter
from tests import readback
from tests.portal.support.mailserver import SmtpServer
from tests.portal.support.staff import STAFF, StaffActions
from tests.portal.support.web import (
    confirm_from_mail,
    https_client,
    page_token,
    submit_request,
)

LANGUAGES = ("fi", "sv", "en")
NAMES = {"fi": "Maija Meikäläinen", "sv": "Åsa Lindqvist", "en": "Mary Smith"}
WROTE = {
    "fi": "Haluan kaikki tietoni.",
    "sv": "Jag vill ha alla mina uppgifter.",
    "en": "I would like all my data.",
}


@dataclass
class Reading:
    """What was read, by name, with the language it must be in."""

    documents: list[tuple[str, str, str]] = field(default_factory=list)
    pdfs: list[tuple[str, bytes]] = field(default_factory=list)

    def add(self, name: str, lang: str, text: str) -> None:
        """Keep `text` (named `name`) to be read in `lang`."""
        assert text.strip(), f"{name} is empty"
        self.documents.append((name, lang, text))

    def add_pdf(self, name: str, lang: str, data: bytes) -> None:
        """Keep a PDF: its text and its fonts are read."""
        assert data.startswith(b"%PDF"), f"{name} is not a PDF"
        self.pdfs.append((name, data))
        self.add(name, lang, readback.pdf_text(data))

    def problems(self, allowed: list[str]) -> list[str]:
        """Return every problem of every document, prefixed with the document's name."""
        found = [
            f"{name} [{lang}]: {problem}"
            for name, lang, text in self.documents
            for problem in readback.problems(text, lang, allowed=allowed)
        ]
        found += [
            f"{name}: {problem}"
            for name, data in self.pdfs
            for problem in readback.font_problems(data)
        ]
        return found


def _mail_parts(message: EmailMessage) -> Iterator[tuple[str, str]]:
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "text/plain":
            yield "plain", part.get_content()
        elif kind == "text/html":
            yield "html", readback.html_text(part.get_content())


def _read_mail(reading: Reading, smtp_server: SmtpServer, lang: str) -> None:
    for index, message in enumerate(smtp_server.messages):
        subject = str(message["Subject"])
        for kind, text in _mail_parts(message):
            reading.add(f"e-mail {index} {subject!r} ({kind})", lang, subject + "\n" + text)
        for part in message.iter_attachments():
            if part.get_content_type() == "application/pdf":
                reading.add_pdf(f"e-mail {subject!r} attachment", lang, part.get_content())


def _page(reading: Reading, client, path: str, lang: str, name: str) -> BeautifulSoup:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    reading.add(name, lang, readback.html_text(response.text))
    return BeautifulSoup(response.text, "html.parser")


def browser_post(client, page_path: str, action: str, **overrides: object):
    """Send the `action` form of a page as a browser would: its defaults, then `overrides`.

    Checked boxes and radios, selected options, hidden and text fields keep the values the page
    gave them, so a test sends what a member of staff who only presses the button sends.
    """
    soup = BeautifulSoup(client.get(page_path).text, "html.parser")
    form = next(f for f in soup.find_all("form") if str(f.get("action", "")).endswith("/" + action))
    data: dict[str, object] = {}

    def put(name: str, value: object) -> None:
        data.setdefault(name, [])
        data[name].append(value)  # type: ignore[union-attr]

    for control in form.find_all(["input", "textarea", "select"]):
        name = control.get("name")
        if not name:
            continue
        kind = control.get("type", "text")
        if control.name == "textarea":
            put(name, control.get_text())
        elif control.name == "select":
            chosen = control.find("option", selected=True) or control.find("option")
            if chosen is not None:
                put(name, chosen.get("value", chosen.get_text()))
        elif kind in {"checkbox", "radio"}:
            if control.has_attr("checked"):
                put(name, control.get("value", "y"))
        elif kind not in {"submit", "button", "file"}:
            put(name, control.get("value", ""))
    for key, value in overrides.items():
        data[f"{action}-{key}"] = value if isinstance(value, list) else [value]
    return client.post(str(form["action"]), data=data)


def _tell_recipients_and_close(staff: StaffActions, reference: str) -> None:
    """Record an Art 19 outcome for every recipient (each kind once), then close the request."""
    page = BeautifulSoup(staff.client.get(f"{STAFF}/r/{reference}").text, "html.parser")
    options = page.find("select", id="notify-recipient").find_all("option")
    outcomes = ["done", "impossible", "not_received"]
    for index, option in enumerate(options):
        outcome = outcomes[min(index, 2)]
        fields = {"recipient": option["value"], "outcome": outcome}
        if outcome == "impossible":
            fields["reason"] = "Yhteystietoa ei ole."
        assert staff.post_action(reference, "notify", **fields).status_code == 302, option
    assert staff.post_action(reference, "close").status_code == 302


def _newest(app: Flask) -> DataRequest:
    with app.app_context():
        row = db.get_session().scalars(select(DataRequest).order_by(DataRequest.id.desc())).first()
        assert row is not None
        db.get_session().expunge(row)
        return row


def _deliver(app: Flask) -> None:
    """Make the letters' PDFs and send what waited for them (what the sender does after a reply)."""
    notify.deliver_letters(db.session_factory(app))
    mail.send_pending(app)
    mail.wait_idle(app)


def _read_letters(reading: Reading, app: Flask, request_id: int, lang: str) -> list[str]:
    with app.app_context():
        letters = db.get_session().scalars(
            select(Letter).where(Letter.request_id == request_id).order_by(Letter.id)
        )
        kinds = []
        for letter in letters:
            reading.add(f"letter {letter.kind} (HTML)", lang, readback.html_text(letter.html))
            assert letter.pdf is not None, f"letter {letter.kind} has no PDF: {letter.pdf_error}"
            reading.add_pdf(f"letter {letter.kind} (PDF)", lang, letter.pdf)
            kinds.append(letter.kind)
        return kinds


def _person_asks(
    app: Flask, smtp_server: SmtpServer, right: str, lang: str, who: str = "first"
) -> tuple[object, object]:
    person = https_client(app)
    email = f"{who}.{right}.{lang}@example.fi"
    fields = {"name": NAMES[lang], "signature_name": NAMES[lang], "email": email}
    if right == "access":
        fields["message"] = WROTE[lang]
    response = submit_request(person, right, lang, **fields)
    assert response.status_code in {302, 303}, (right, lang, response.status_code)
    confirmed = confirm_from_mail(person, smtp_server, email)
    return person, confirmed


@pytest.mark.parametrize("lang", LANGUAGES)
def test_what_a_person_and_staff_receive_reads_right(
    app: Flask, smtp_server: SmtpServer, staff: StaffActions, lang: str
) -> None:
    reading = Reading()
    # The person: access request, confirmation, receipt, status page.
    person, confirmed = _person_asks(app, smtp_server, "access", lang)
    _page(reading, person, confirmed.receipt_path, lang, "receipt page")
    receipt_pdf = person.get(confirmed.receipt_path + ".pdf")
    if receipt_pdf.status_code == 404:  # the PDF is made after the commit
        _deliver(app)
        receipt_pdf = person.get(confirmed.receipt_path + ".pdf")
    assert receipt_pdf.status_code == 200
    reading.add_pdf("receipt PDF", lang, receipt_pdf.data)
    _page(reading, person, confirmed.status_path, lang, "status page")
    access = _newest(app)

    # Staff, with the UI in the same language.
    staff.login(staff.create("hanna"))
    _page(reading, staff.client, f"{STAFF}/?lang={lang}", lang, "staff queue")
    assert staff.post_action(access.reference, "take").status_code == 302
    asked = staff.post_action(
        access.reference, "ask_info", reason="Tarkennus", message="Mitä tietoja tarkoitat?"
    )
    assert asked.status_code == 302, asked.status_code
    extended = staff.post_action(access.reference, "extend", months="1", reasons="Laaja pyyntö.")
    assert extended.status_code == 302, extended.status_code
    detail = f"{STAFF}/r/{access.reference}?lang={lang}"
    copy_sent = {
        "fi": "Kopio tiedoistasi lähetettiin sinulle postitse.",
        "sv": "En kopia av dina uppgifter skickades till dig per post.",
        "en": "A copy of your data was sent to you by post.",
    }[lang]
    decided = browser_post(
        staff.client, detail, "decide", decision="granted", reasons="", actions=copy_sent
    )
    assert decided.status_code == 302, decided.status_code
    _page(reading, staff.client, f"{STAFF}/r/{access.reference}?lang={lang}", lang, "staff detail")
    _page(reading, person, confirmed.status_path, lang, "status page after the decision")

    # Every other right, decided.
    for right in ("rectification", "erasure", "restriction", "portability", "objection"):
        _person_asks(app, smtp_server, right, lang)
        row = _newest(app)
        fields = {"decision": "granted", "reasons": ""}
        if right in {"rectification", "erasure", "restriction"}:
            fields["actions"] = "Korjattu / rättat / corrected."
        response = browser_post(staff.client, f"{STAFF}/r/{row.reference}", "decide", **fields)
        assert response.status_code == 302, (right, response.status_code)
        if right == "rectification":
            _tell_recipients_and_close(staff, row.reference)
    refused = _person_asks(app, smtp_server, "erasure", lang, "second")
    assert refused
    row = _newest(app)
    assert (
        staff.post_action(row.reference, "decide", decision="refused", reasons="Ei.").status_code
        == 302
    )

    _deliver(app)
    kinds: list[str] = []
    with app.app_context():
        ids = [r.id for r in db.get_session().scalars(select(DataRequest)).all()]
    for request_id in ids:
        kinds += _read_letters(reading, app, request_id, lang)
    _read_mail(reading, smtp_server, lang)

    assert {"receipt", "info_request", "extension", "decision", "art19"} <= set(kinds), kinds
    assert len(reading.documents) >= 30
    allowed = [
        NAMES[lang],
        WROTE[lang],
        "Mitä tietoja tarkoitat?",
        "Laaja pyyntö.",
        "Yhteystietoa ei ole.",
    ]
    found = reading.problems(allowed)
    assert not found, "\n".join(found)


def test_the_reader_fails_on_a_planted_repr(
    app: Flask, smtp_server: SmtpServer, staff: StaffActions
) -> None:
    """The scenario's reader is not blind: a letter with a repr planted in it fails."""
    reading = Reading()
    _person_asks(app, smtp_server, "access", "fi")
    row = _newest(app)
    staff.login(staff.create("hanna"))
    extra = "name={'fi': 'Etu- ja sukunimi'} retention=None"
    token = page_token(staff.client.get(f"{STAFF}/r/{row.reference}").text)
    response = staff.client.post(
        f"{STAFF}/r/{row.reference}/decide",
        data={
            "decide-csrf_token": token,
            "decide-decision": "granted",
            "decide-art15_extra": extra,
            "decide-actions": "Kopio tiedoistasi lähetettiin postitse.",
        },
    )
    assert response.status_code == 302
    _deliver(app)
    _read_letters(reading, app, row.id, "fi")
    found = reading.problems([])
    assert any("dict repr" in p and "letter decision (PDF)" in p for p in found), found
    assert any("None" in p for p in found), found
    assert dt.date.today()  # the scenario reads the letters of today
