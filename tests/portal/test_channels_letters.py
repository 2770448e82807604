"""A request received by post: its address, its date of receipt and what its letters say.

The person has no e-mail address, so the letters go by post to the address staff typed; the date
of receipt is a date (no invented time of day) and every letter says how and when the request
arrived, in fi, sv and en.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from bs4 import BeautifulSoup
from flask_babel import force_locale
from pypdf import PdfReader
from sqlalchemy.orm import Session

from portal.core import channels, notify, workflow
from portal.core.models import DataRequest, Letter, StaffUser
from portal.core.workflow import WorkflowError
from portal.db import session_factory
from tests.portal.support.requests import add_staff

NOW = dt.datetime(2026, 12, 4, 13, 45, tzinfo=dt.UTC)  # Friday 15.45 in Helsinki
RECEIVED_ON = dt.date(2026, 11, 30)
ADDRESS = "Ζωή Παπαδοπούλου\nOdos Ermou 12\n105 63 Athens\nGreece"
RECEIVED = {
    "en": "30 November 2026 by post",
    "fi": "30. marraskuuta 2026 postitse",
    "sv": "30 november 2026 per post",
}
"""When a postal request was received, as the value of the receipt's "Received"."""
IN_TEXT = {"en": "", "fi": "", "sv": "den "}
"""What comes before it in a sentence: Swedish "Vi tog emot begäran den 30 november 2026 …"."""


@pytest.fixture
def handler(session: Session) -> StaffUser:
    return add_staff(session, "hanna")


def entered(session: Session, handler: StaffUser, lang: str, **changes: object) -> DataRequest:
    values: dict[str, object] = {
        "actor": handler,
        "reference": f"POST{lang.upper()}0001",
        "right": "access",
        "register_id": "asiakasrekisteri",
        "language": lang,
        "channel": "post",
        "received_on": RECEIVED_ON,
        "name": "Ζωή Παπαδοπούλου",
        "email": None,
        "phone": None,
        "message": "Pyydän kopion tiedoistani.",
        "postal_address": "  Odos Ermou 12\n\n105 63 Athens \nGreece\n",
        "now": NOW,
    } | changes
    request = channels.enter_request(session, **values)  # type: ignore[arg-type]
    session.commit()
    return request


def pdf_text(session: Session, letter: Letter) -> str:
    session.commit()
    from flask import current_app

    notify.deliver_letters(session_factory(current_app))  # type: ignore[arg-type]
    session.refresh(letter)
    assert letter.pdf is not None
    reader = PdfReader(io.BytesIO(letter.pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("lang", ["en", "fi", "sv"])
def test_a_postal_receipt_says_received_by_post_on_the_date_and_goes_to_the_address(
    session: Session, handler: StaffUser, lang: str
) -> None:
    request = entered(session, handler, lang)
    assert request.details["received_on"] == "2026-11-30"
    assert request.details["postal_address"] == "Odos Ermou 12\n105 63 Athens\nGreece"
    assert request.signature_name == ""  # staff's entry is not the person's signature
    (receipt,) = request.letters
    soup = BeautifulSoup(receipt.html, "html.parser")
    person = [line.strip() for line in soup.select_one('[data-field="person"]').stripped_strings]
    assert person == ADDRESS.split("\n")
    assert soup.select_one('[data-field="received_at"]').get_text() == RECEIVED[lang]
    assert soup.select_one('[data-field="created_at"]') is None  # no web "sent" moment
    text = " ".join(pdf_text(session, receipt).split())
    assert RECEIVED[lang] in text
    for invented in ("12.00", "12:00", "klo", "kl.", " at "):
        assert invented not in text.split(RECEIVED[lang])[1][:40]


@pytest.mark.parametrize("lang", ["en", "fi", "sv"])
def test_an_info_request_by_post_asks_for_a_reply_by_post(
    session: Session, handler: StaffUser, lang: str
) -> None:
    request = entered(session, handler, lang)
    workflow.ask_info(
        session,
        request,
        actor=handler,
        message="Lähetä asiakasnumerosi.",
        reason="identity",
        pause_clock=False,
        now=NOW,
    )
    session.commit()
    letter = next(row for row in request.letters if row.kind == "info_request")
    soup = BeautifulSoup(letter.html, "html.parser")
    how = " ".join(soup.select_one('[data-field="how"]').get_text().split())
    assert (
        how
        == {
            "en": f"Reply by post to Esa Kemppainen, Impivaarantie 25, and quote the reference "
            f"{request.reference}.",
            "fi": "Vastaa postitse osoitteeseen Esa Kemppainen, Impivaarantie 25 ja mainitse "
            f"viite {request.reference}.",
            "sv": f"Svara per post till Esa Kemppainen, Impivaarantie 25 och ange referensen "
            f"{request.reference}.",
        }[lang]
    )
    opening = soup.select_one("main p").get_text(" ")
    assert IN_TEXT[lang] + RECEIVED[lang] in " ".join(opening.split())


def test_an_e_mail_request_is_told_to_reply_on_its_status_page(
    session: Session, handler: StaffUser
) -> None:
    request = entered(session, handler, "en", channel="email", email="zoe@example.gr")
    workflow.ask_info(
        session,
        request,
        actor=handler,
        message="Which address?",
        reason="clarification",
        pause_clock=False,
        now=NOW,
    )
    session.commit()
    letter = next(row for row in request.letters if row.kind == "info_request")
    how = BeautifulSoup(letter.html, "html.parser").select_one('[data-field="how"]').get_text()
    assert how == (
        "Reply on the status page of your request: open the link in the e-mail that brought you "
        "this letter and write your answer in the form there. You can attach files to it."
    )
    received = BeautifulSoup(request.letters[0].html, "html.parser").select_one(
        '[data-field="received_at"]'
    )
    assert received.get_text() == "30 November 2026 by e-mail"


def test_without_e_mail_a_postal_address_is_required(session: Session, handler: StaffUser) -> None:
    with pytest.raises(WorkflowError) as caught:
        entered(session, handler, "en", postal_address=" \n ")
    assert caught.value.code == "address_required"
    with force_locale("en"):
        assert str(caught.value.message) == (
            "Give a postal address or an e-mail address: without e-mail, letters go by post."
        )
    session.rollback()
    assert session.query(DataRequest).count() == 0
    phone = entered(session, handler, "en", channel="phone", postal_address="Kotikatu 1, Oulu")
    assert BeautifulSoup(phone.letters[0].html, "html.parser").select_one(
        '[data-field="received_at"]'
    ).get_text() == ("30 November 2026 by telephone")
