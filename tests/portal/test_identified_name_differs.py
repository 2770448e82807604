"""A request sent under another name than the strongly identified person's is told, not hidden.

A newcomer identified (demo provider) as one person and sent the form with another name and
signature: it was accepted, and staff saw "strongly identified: Maija Meikäläinen" beside "Name
Matti Virtanen" with no warning. The identified person is who the request is about; the name
typed may legitimately differ (a married name), or someone may act for them with a mandate. So
the form says what the difference means and asks before sending (never refusing), the confirm
page says it again, the receipt (page and PDF) and the seal keep both names, the audit trail
flags it, and staff see a warning on the request page and in the queue.
"""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Callable, Iterator

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import select

from portal.core.identity.names import same_person_name
from portal.core.models import AuditEvent, DataRequest
from portal.db import get_session
from tests.portal.support.mailserver import SmtpServer
from tests.portal.support.oidc import REGISTER, Browser, Page, Setup, portal_with_provider
from tests.portal.support.staff import StaffActions
from tests.portal.support.web import page_token, valid_fields
from tests.readback import pdf_text

OTHER = "Matti Virtanen"
IDENTIFIED = "Testi Henkilö"

FORM_WARNING = {
    "en": (
        "You gave the name Matti Virtanen, but the person who identified is Testi Henkilö. The "
        "request concerns Testi Henkilö: we will answer about their data, and we will keep both "
        "names with the request."
    ),
    "fi": (
        "Annoit nimen Matti Virtanen, mutta tunnistautunut henkilö on Testi Henkilö. Pyyntö "
        "koskee henkilöä Testi Henkilö: vastaamme hänen tietojensa osalta, ja säilytämme "
        "pyynnön yhteydessä molemmat nimet."
    ),
    "sv": (
        "Du angav namnet Matti Virtanen, men den som identifierade sig är Testi Henkilö. "
        "Begäran gäller Testi Henkilö: vi svarar i fråga om den personens uppgifter och sparar "
        "båda namnen tillsammans med begäran."
    ),
}
SEND_AS_IS = {
    "en": "Send the request with the name I gave. It concerns the identified person.",
    "fi": "Lähetä pyyntö antamallani nimellä. Se koskee tunnistettua henkilöä.",
    "sv": "Skicka begäran med det namn jag angav. Den gäller den identifierade personen.",
}
CONFIRM_WARNING = {
    "en": "If you are making the request for someone else without their written authorisation, "
    "do not confirm it.",
    "fi": "Jos teet pyynnön toisen henkilön puolesta ilman hänen kirjallista valtakirjaansa, "
    "älä vahvista sitä.",
    "sv": "Om du gör begäran för någon annans räkning utan en skriftlig fullmakt från personen "
    "ska du inte bekräfta den.",
}
RECEIPT_LINE = {
    "en": "The request gives the name Matti Virtanen, which differs from the identified "
    "person's. The request concerns Testi Henkilö.",
    "fi": "Pyynnössä annettu nimi Matti Virtanen poikkeaa tunnistetun henkilön nimestä. Pyyntö "
    "koskee henkilöä Testi Henkilö.",
    "sv": "Namnet Matti Virtanen i begäran skiljer sig från den identifierade personens namn. "
    "Begäran gäller Testi Henkilö.",
}
STAFF_WARNING = {
    "en": "The name given differs from the identified person's",
    "fi": "Annettu nimi poikkeaa tunnistetun henkilön nimestä",
    "sv": "Det angivna namnet skiljer sig från den identifierade personens namn",
}
QUEUE_BADGE = {
    "en": "name differs from the identified person's",
    "fi": "nimi poikkeaa tunnistetun henkilön nimestä",
    "sv": "namnet skiljer sig från den identifierade personens",
}


@pytest.fixture
def setup(make_app: Callable[..., Flask]) -> Iterator[Setup]:
    with portal_with_provider(make_app) as running:
        yield running


def _identified_form(setup: Setup, browser: Browser, lang: str) -> tuple[str, Page]:
    url = f"{setup.portal}/requests/{lang}/new/access?register={REGISTER}"
    required = browser.open(url)
    form = browser.open(setup.portal + required.soup.select_one("a.button")["href"])
    assert form.status == 200 and form.url == url, form.words()
    return url, form


def _words(html: str, element_id: str) -> str:
    found = BeautifulSoup(html, "html.parser").find(id=element_id)
    assert found is not None, element_id
    return " ".join(found.get_text(" ").split())


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_another_name_is_told_kept_and_shown_to_staff(
    setup: Setup, smtp_server: SmtpServer, lang: str
) -> None:
    browser = Browser()
    url, form = _identified_form(setup, browser, lang)
    data = valid_fields("access", lang, register=REGISTER, csrf_token=page_token(form.text))
    data |= {"name": OTHER, "signature_name": OTHER}

    # First sending: not recorded; the form says what the other name means and asks.
    asked = browser.open(url, data)
    assert asked.status == 422, asked.words()
    assert FORM_WARNING[lang] in _words(asked.text, "name-differs")
    assert SEND_AS_IS[lang] in asked.words()
    assert asked.soup.find("input", attrs={"name": "name"})["value"] == OTHER  # kept as typed
    with setup.app.app_context():
        assert get_session().scalars(select(DataRequest)).all() == []

    # Sent knowingly: recorded under the identified person, both names kept.
    data |= {"csrf_token": page_token(asked.text), "name_differs_ok": "y"}
    sent = browser.open(url, data)
    assert f"/requests/{lang}/sent" in sent.url, sent.words()
    body = smtp_server.wait_for(1)[-1].get_body(preferencelist=("plain",))
    link = next(u for u in re.findall(r"https?://\S+", body.get_content()) if "/confirm/" in u)
    confirm = browser.open(link)
    assert CONFIRM_WARNING[lang] in _words(confirm.text, "name-differs")
    receipt = browser.open(link, {"csrf_token": page_token(confirm.text)})
    assert RECEIPT_LINE[lang] in _words(receipt.text, "name-differs")
    pdf_link = receipt.soup.select_one('a[href$=".pdf"]')["href"]
    with urllib.request.urlopen(setup.portal + pdf_link) as response:
        letter = " ".join(pdf_text(response.read()).split())
    assert RECEIPT_LINE[lang] in letter
    receipt_json = json.loads(browser.open(setup.portal + pdf_link.replace(".pdf", ".json")).text)
    sealed = json.loads(receipt_json["payload"])
    assert (sealed["name"], sealed["signature_name"]) == (OTHER, OTHER)
    assert sealed["identification"]["name"] == IDENTIFIED

    with setup.app.app_context():
        db = get_session()
        recorded = db.scalars(select(DataRequest)).one()
        submitted = db.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "request.submitted")
        ).one()
    assert submitted.endswith(" name_differs_from_identity=yes")
    assert OTHER not in submitted  # a flag in the audit trail, not the names

    staff = StaffActions(setup.app, setup.app.test_client())
    staff.login(staff.create("hanna", "handler"))
    detail = staff.client.get(f"/requests/staff/r/{recorded.reference}?lang={lang}").text
    warning = _words(detail, "name-differs")
    assert warning.startswith(STAFF_WARNING[lang]) and OTHER in warning and IDENTIFIED in warning
    queue = BeautifulSoup(staff.client.get(f"/requests/staff/?lang={lang}").text, "html.parser")
    row = next(
        th for th in queue.select("table.queue th[scope=row]") if recorded.reference in th.text
    )
    assert QUEUE_BADGE[lang] in " ".join(row.get_text(" ").split())


def test_the_identified_name_in_another_order_is_sent_at_once(
    setup: Setup, smtp_server: SmtpServer
) -> None:
    browser = Browser()
    url, form = _identified_form(setup, browser, "fi")
    data = valid_fields("access", "fi", register=REGISTER, csrf_token=page_token(form.text))
    data |= {"name": "HENKILÖ Testi", "signature_name": "Testi Henkilö"}
    sent = browser.open(url, data)
    assert "/requests/fi/sent" in sent.url, sent.words()
    assert "name-differs" not in sent.text


@pytest.mark.parametrize(
    ("identified", "given", "same"),
    [
        ("Maija Meikäläinen", "Maija Meikäläinen", True),
        ("Maija Meikäläinen", "meikäläinen maija", True),
        ("Maija Liisa Meikäläinen", "Maija Meikäläinen", True),  # middle name left out
        ("Anna-Maija Korhonen", "Anna Maija Korhonen", True),
        ("Maija Meikäläinen", "Matti Virtanen", False),
        ("Maija Meikäläinen", "Maija Virtanen", False),  # a married name: told, then sent
        ("Maija Meikäläinen", "Maija", False),  # one word of two does not name her
    ],
)
def test_names_are_compared_as_people_write_them(identified: str, given: str, same: bool) -> None:
    assert same_person_name(identified, given) is same
