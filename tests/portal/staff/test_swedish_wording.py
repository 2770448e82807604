"""What a Swedish-speaking person reads, walked through in Swedish and read as they get it.

Walking the person's flow in sv (the least tested language) found wording that a native writer
would not leave: a date with "den" after one term and without it after the next ("Mottagen: den 7
december … / Vi svarar senast: 7 januari"; a term's value takes none), "ladda ned" beside "ladda
ner" on the same pages, "bifogad i pdf-filen av detta brev", "den offentliga nyckel" beside "den
publika nyckeln", the status page's calque "Håll … för dig själv" where the e-mail says "dela
inte länken med andra", and "Skäl för förlängningen" in the e-mail under the letter's "Skäl till
förlängningen". The receipt e-mail comes from the real SMTP server and its PDF letter is read back
with pypdf.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import select

from portal import db
from portal.core import mail, notify
from portal.core.models import DataRequest
from tests import readback
from tests.portal.support.mailserver import SmtpServer
from tests.portal.support.staff import StaffActions
from tests.portal.support.web import confirm_from_mail, https_client, links_in, submit_request


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_the_swedish_receipt_e_mail_letter_and_pages_read_as_swedish(
    app: Flask, smtp_server: SmtpServer
) -> None:
    person = https_client(app)
    assert submit_request(person, "access", "sv", email="svensk@example.fi").status_code == 303
    confirm_from_mail(person, smtp_server, "svensk@example.fi")
    message = smtp_server.last_to("svensk@example.fi")
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert re.search(r"^Mottagen: \d+ \w+ \d{4} kl\. ", text, re.M), text
    assert re.search(r"^Vi svarar senast: \d+ \w+ \d{4}\r?$", text, re.M), text
    assert (
        "Det signerade kvittot bifogas som PDF-fil. Du kan också se det och ladda ner det" in text
    )
    pdf = next(p for p in message.iter_attachments() if p.get_filename().endswith(".pdf"))
    # A line of the PDF may break after a compound's hyphen ("PDF-" / "filen"): joined again.
    letter = re.sub(r"-\s+", "-", flat(readback.pdf_text(pdf.get_payload(decode=True))))
    told = "vårt signerade kvitto finns som bilaga inuti den, som filen kvitto-"
    assert told in letter, letter
    assert "Du kan också ladda ner den filen från statussidan för din begäran." in letter
    assert "pdf-filen av detta brev" not in letter
    status = next(link for link in links_in(message) if re.search(r"/status/[^/]+$", link))
    path = re.sub(r"^https?://[^/]+", "", status)
    page = flat(BeautifulSoup(person.get(path).text, "html.parser").get_text(" "))
    assert (
        "Dela inte den här sidans adress med andra: vem som helst som har länken kan se "
        "statusen för din begäran." in page
    )
    receipt = flat(BeautifulSoup(person.get(path + "/receipt").text, "html.parser").get_text(" "))
    assert "Ladda ner Kvittot som PDF" in receipt and "Ladda ned" not in receipt
    assert "med den publika nyckel som publiceras" in receipt
    # The receipt's digital signature is a signatur, not the typed name's underskrift.
    assert "Digital signatur SHA-256" in receipt and "Signaturens värde (Ed25519)" in receipt
    assert "Underskrift" not in receipt


def test_the_swedish_extension_e_mail_names_its_reasons_as_the_letter_does(
    app: Flask, smtp_server: SmtpServer, staff: StaffActions
) -> None:
    person = https_client(app)
    assert submit_request(person, "access", "sv", email="forlangd@example.fi").status_code == 303
    confirm_from_mail(person, smtp_server, "forlangd@example.fi")
    with app.app_context():
        reference = (
            db.get_session()
            .scalars(
                select(DataRequest.reference).where(DataRequest.email == "forlangd@example.fi")
            )
            .one()
        )
    staff.login(staff.create("hanna"))
    assert (
        staff.post_action(reference, "extend", months="2", reasons="Mycket data.").status_code
        == 302
    )
    notify.deliver_letters(db.session_factory(app))
    mail.send_pending(app)
    mail.wait_idle(app)
    message = smtp_server.last_to("forlangd@example.fi")
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Skäl till förlängningen:" in text and "Skäl för" not in text
    pdf = next(p for p in message.iter_attachments() if p.get_filename().endswith(".pdf"))
    assert "Skäl till förlängningen" in flat(readback.pdf_text(pdf.get_payload(decode=True)))
