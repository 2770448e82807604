"""Staff send the confirmation link again when the person's e-mail was lost: a button on the
request's page while the address is unconfirmed, the person's e-mail in the request's language
(whatever the staff page's), audited, and refused with its reason once there is nothing to
confirm. Through the real app and a real SMTP server, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import select

from portal.core import mail
from portal.core.models import AuditEvent, DataRequest, OutboxMessage
from portal.db import get_session
from tests.portal.support.mailserver import SmtpServer
from tests.portal.support.staff import STAFF, StaffActions
from tests.portal.support.web import (
    confirm_from_mail,
    https_client,
    links_in,
    submit_request,
)

EMAIL = "lost.mail@example.fi"
STAFF_LANGUAGE = {"fi": "sv", "sv": "en", "en": "fi"}
"""The staff page's language for each request language: the e-mail follows the request."""
SUBJECT = {
    "fi": "Vahvista tietosuojapyyntösi {}",
    "sv": "Bekräfta din dataskyddsbegäran {}",
    "en": "Confirm your data protection request {}",
}
FORM = {
    "fi": (
        "Lähetä vahvistuslinkki uudelleen",
        "Henkilö ei ole vahvistanut sähköpostiosoitettaan, joten pyyntöä ei vielä käsitellä. Jos "
        "viesti katosi tai sen linkki vanheni, lähetä hänelle uusi linkki: se lähtee hänen "
        "antamaansa osoitteeseen pyynnön kielellä. Käsittely alkaa, kun hän vahvistaa osoitteensa.",
    ),
    "sv": (
        "Skicka bekräftelselänken igen",
        "Personen har inte bekräftat sin e-postadress, så begäran handläggs inte ännu. Om "
        "meddelandet kom bort eller länken har gått ut, skicka en ny länk: den går till den adress "
        "personen angav, på begärans språk. Handläggningen börjar när personen bekräftar.",
    ),
    "en": (
        "Send the confirmation link again",
        "The person has not confirmed their e-mail address, so the request is not being handled "
        "yet. If their e-mail was lost or its link expired, send them a new link: it goes to the "
        "address they gave, in the language of the request. Handling starts when they confirm.",
    ),
}
DONE = {
    "fi": "Vahvistuslinkki lähetettiin henkilölle uudelleen.",
    "sv": "Bekräftelselänken skickades till personen igen.",
    "en": "The confirmation link was sent to the person again.",
}
EVENT = {
    "fi": "Vahvistuslinkki lähetetty uudelleen (Hanna Testinen)",
    "sv": "Bekräftelselänken skickad igen (Hanna Testinen)",
    "en": "Confirmation link sent again (Hanna Testinen)",
}
ALREADY_CONFIRMED = {
    "fi": "Tämä pyyntö on jo vastaanotettu ja vahvistettu: uutta vahvistuslinkkiä ei tarvita.",
    "sv": "Denna begäran har redan tagits emot och bekräftats: det behövs ingen ny "
    "bekräftelselänk.",
    "en": "This request has already been received and confirmed: a new confirmation link is not "
    "needed.",
}
CLOSED = {
    "fi": "Tämä pyyntö on suljettu: vahvistuslinkkiä ei voi enää lähettää.",
    "sv": "Denna begäran är avslutad: en bekräftelselänk kan inte längre skickas.",
    "en": "This request is closed: a confirmation link can no longer be sent.",
}


def _page(staff: StaffActions, reference: str, lang: str | None = None) -> BeautifulSoup:
    query = f"?lang={lang}" if lang else ""
    response = staff.client.get(f"{STAFF}/r/{reference}{query}")
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.text, "html.parser")


def _reference(app: Flask) -> str:
    with app.app_context():
        reference = get_session().scalars(select(DataRequest.reference)).one()
        return str(reference)


def _resent_events(app: Flask) -> list[tuple[str, int | None]]:
    with app.app_context():
        rows = get_session().execute(
            select(AuditEvent.actor, AuditEvent.staff_id).where(
                AuditEvent.action == "request.confirmation_resent"
            )
        )
        return [(actor, staff_id) for actor, staff_id in rows]


def _confirm_link(message: object) -> str:
    return next(path for path in links_in(message) if "/confirm/" in path)  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_staff_send_the_link_again_and_the_person_confirms_with_it(
    app: Flask, staff: StaffActions, smtp_server: SmtpServer, lang: str
) -> None:
    person = https_client(app)
    assert submit_request(person, "access", lang, email=EMAIL).status_code == 303
    first = smtp_server.wait_for(1)[-1]  # the e-mail the person says never came
    reference = _reference(app)
    hanna = staff.create("hanna")
    staff.login(hanna)
    ui = STAFF_LANGUAGE[lang]

    page = _page(staff, reference, ui)
    forms = page.select("form.action")
    assert [form["class"] for form in forms] == [["action", "action-resend_confirmation"]]
    form = forms[0]
    assert form["method"] == "post"
    assert form["action"] == f"{STAFF}/r/{reference}/resend_confirmation"
    assert form.find("input", attrs={"name": "resend_confirmation-csrf_token"}) is not None
    heading, hint = FORM[ui]
    assert form.h3.get_text() == heading
    assert form.find("p", class_="hint").get_text() == hint
    assert [button.get_text() for button in form("button")] == [heading]

    response = staff.post_action(reference, "resend_confirmation")
    assert response.status_code == 302
    assert response.headers["Location"] == f"{STAFF}/r/{reference}"
    page = _page(staff, reference)
    assert page.html["lang"] == ui
    assert page.select_one(".notices .notice-success").get_text() == DONE[ui]
    timeline = [li.get_text(" ", strip=True) for li in page.select("ol.timeline li")]
    assert any(item.endswith(EVENT[ui]) for item in timeline), timeline
    assert page.select("form.action-resend_confirmation")  # still unconfirmed: offered again
    subjects = [td.get_text() for td in page.select("table.emails tbody tr td:nth-of-type(3)")]
    assert subjects == [SUBJECT[lang].format(reference)] * 2
    assert _resent_events(app) == [("staff", hanna.id)]

    mail.send_pending(app)
    again = smtp_server.wait_for(2)[-1]
    assert len(smtp_server.messages) == 2
    assert again["To"] == EMAIL
    assert again["Subject"] == SUBJECT[lang].format(reference)
    assert again["Content-Language"] == lang
    assert re.fullmatch(rf"/requests/{lang}/confirm/[\w.-]+", _confirm_link(again))
    assert first["Subject"] == again["Subject"]

    confirmed = confirm_from_mail(person, smtp_server, EMAIL)  # with the link sent again
    assert confirmed.lang == lang
    page = _page(staff, reference)
    assert not page.select("form.action-resend_confirmation")
    with app.app_context():
        row = get_session().scalars(select(DataRequest)).one()
        assert row.status == "open" and row.received_at is not None


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_confirmed_or_closed_request_is_refused_with_its_reason(
    app: Flask,
    staff: StaffActions,
    make_request: Callable[..., DataRequest],
    smtp_server: SmtpServer,
    lang: str,
) -> None:
    """The page offers no button; a post from a page loaded before the person confirmed (or
    made by hand) is refused with the reason, and nothing is sent or recorded."""
    confirmed = make_request()
    closed = make_request(status="closed", decision="granted")
    staff.login(staff.create("anna", role="admin"))
    for row, reason in [(confirmed, ALREADY_CONFIRMED), (closed, CLOSED)]:
        page = _page(staff, row.reference, lang)
        assert not page.select("form.action-resend_confirmation")
        token = staff.token(f"{STAFF}/r/{row.reference}")
        response = staff.client.post(
            f"{STAFF}/r/{row.reference}/resend_confirmation?lang={lang}",
            data={"resend_confirmation-csrf_token": token},
        )
        assert response.status_code == 403
        refused = BeautifulSoup(response.text, "html.parser").find(id="refused")
        assert refused is not None and refused["role"] == "alert"
        assert refused.p.get_text() == reason[lang]
    assert _resent_events(app) == []
    with app.app_context():
        assert get_session().scalars(select(OutboxMessage)).all() == []


def test_a_post_without_the_csrf_token_sends_nothing(
    app: Flask, staff: StaffActions, smtp_server: SmtpServer
) -> None:
    person = https_client(app)
    assert submit_request(person, "access", "fi", email=EMAIL).status_code == 303
    reference = _reference(app)
    staff.login(staff.create("hanna"))
    response = staff.client.post(f"{STAFF}/r/{reference}/resend_confirmation", data={})
    assert response.status_code == 400
    assert _resent_events(app) == []
    with app.app_context():
        assert len(get_session().scalars(select(OutboxMessage)).all()) == 1  # the first only
