"""Staff preview a letter before it is sent; a preview changes nothing."""

from __future__ import annotations

from bs4 import BeautifulSoup
from sqlalchemy import select

from portal.core.models import AuditEvent, DataRequest, Letter, OutboxMessage
from portal.db import get_session
from tests.portal.support.staff import STAFF, StaffActions
from tests.portal.support.web import confirm_from_mail, https_client, submit_request


def _state(app, request_id: int) -> tuple:
    with app.app_context():
        session = get_session()
        row = session.get(DataRequest, request_id)
        return (
            row.status,
            row.decision,
            len(session.scalars(select(Letter)).all()),
            len(session.scalars(select(OutboxMessage)).all()),
            [e.action for e in session.scalars(select(AuditEvent))].count("request.decided"),
        )


def test_a_decision_is_previewed_exactly_and_nothing_is_sent(
    app, smtp_server, staff: StaffActions
) -> None:
    person = https_client(app)
    submit_request(person, "access")
    confirm_from_mail(person, smtp_server)
    with app.app_context():
        row = get_session().scalars(select(DataRequest)).one()
        request_id, reference = row.id, row.reference
    staff.login(staff.create("hanna"))
    staff.client.get(f"{STAFF}/?lang=en")
    before = _state(app, request_id)
    page = BeautifulSoup(staff.client.get(f"{STAFF}/r/{reference}").text, "html.parser")
    decide = page.find("form", class_="action-decide")
    assert decide.find("button", attrs={"name": "decide-preview"}) is not None
    response = staff.post_action(
        reference,
        "decide",
        decision="partly_granted",
        reasons="Osa tiedoista on salaisia.",
        actions="Kopio muista tiedoista lähetettiin postitse.",
        preview="1",
    )
    assert response.status_code == 200
    page = BeautifulSoup(response.text, "html.parser")
    preview = page.find(id="letter-preview")
    # The letter is a part of the page: one <main>, one <h1>, the letter's title under the h2.
    assert len(page.find_all("main")) == 1
    assert page.find(class_="letter-body")["lang"] == "fi"  # the letter's language, not the page's
    # Switching language on the preview stays on the request (it was the public start page).
    switch = {
        a["lang"]: a["href"] for a in page.find("nav", class_="language-switch").find_all("a")
    }
    assert switch == {lang: f"{STAFF}/r/{reference}?lang={lang}" for lang in ("fi", "en", "sv")}
    assert [h.get_text(strip=True) for h in page.find_all("h1")] == [f"Request {reference}"]
    assert preview.find("h3").get_text(strip=True) == "Päätös pyyntöösi"  # the letter is in fi
    assert preview.find(attrs={"data-decision": "partly_granted"}) is not None
    assert "Osa tiedoista on salaisia." in preview.find(attrs={"data-field": "reasons"}).get_text()
    form = BeautifulSoup(response.text, "html.parser").find("form", class_="action-decide")
    assert (
        form.find("textarea", id="decide-reasons").get_text().strip()
        == "Osa tiedoista on salaisia."
    )
    assert _state(app, request_id) == before
    sent = staff.post_action(
        reference,
        "decide",
        decision="partly_granted",
        reasons="Osa tiedoista on salaisia.",
        actions="Kopio muista tiedoista lähetettiin postitse.",
    )
    assert sent.status_code == 302
    with app.app_context():
        letter = get_session().scalars(select(Letter).where(Letter.kind == "decision")).one()
        body = BeautifulSoup(letter.html, "html.parser").body
    assert (
        body.find(attrs={"data-field": "reasons"}).get_text()
        == preview.find(attrs={"data-field": "reasons"}).get_text()
    )
