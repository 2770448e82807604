"""Intake end to end: every right, in every language, on SQLite and PostgreSQL, over real SMTP."""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.core import audit, seal, submissions
from portal.core.models import AuditEvent, DataRequest, Letter, OutboxMessage, RequestStatus
from portal.db import get_session
from tests.portal.support.mailserver import SmtpServer
from tests.portal.support.web import (
    confirm_from_mail,
    csrf_token,
    https_client,
    links_in,
    submit_request,
    valid_fields,
)

RIGHTS = ["access", "rectification", "erasure", "restriction", "portability", "objection"]
LANGS = ["fi", "en", "sv"]
MOMENT = {
    "fi": r"\d{1,2}\. \w+ 20\d\d klo \d{1,2}\.\d\d Suomen aikaa",
    "sv": r"\d{1,2} \w+ 20\d\d kl\. \d{1,2}[.:]\d\d finsk tid",
    "en": r"\d{1,2} \w+ 20\d\d at \d{1,2}:\d\d Finnish time",
}
TITLES = {
    "fi": "Tietosuojapyynnöt",
    "en": "Data protection requests",
    "sv": "Dataskyddsbegäranden",
}


def requests_in(app: Flask) -> list[DataRequest]:
    with app.app_context():
        return list(get_session().scalars(select(DataRequest).order_by(DataRequest.id)))


def page(response) -> BeautifulSoup:  # type: ignore[no-untyped-def]
    return BeautifulSoup(response.text, "html.parser")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("right", RIGHTS)
def test_submit_confirm_receipt_status(
    app: Flask, client: FlaskClient, smtp_server: SmtpServer, right: str, lang: str
) -> None:
    response = submit_request(client, right, lang)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/requests/{lang}/sent"
    sent = client.get(response.headers["Location"])
    assert page(sent).find("html")["lang"] == lang

    [recorded] = requests_in(app)
    assert recorded.status == RequestStatus.unconfirmed
    assert recorded.right == right and recorded.language == lang
    assert recorded.received_at is None

    [mail] = smtp_server.wait_for(1)
    assert mail["To"] == "maija@example.fi"
    assert mail["Content-Language"] == lang
    assert recorded.reference in mail["Subject"]

    confirmed = confirm_from_mail(client, smtp_server)
    [opened] = requests_in(app)
    assert opened.status == RequestStatus.open
    assert opened.received_at is not None and opened.due_on is not None
    assert opened.seal_signature and opened.seal_digest

    receipt_page = client.get(confirmed.receipt_path)
    assert receipt_page.status_code == 200
    assert opened.reference in receipt_page.text
    assert opened.seal_digest in receipt_page.text

    receipt_mail = smtp_server.wait_for(2)[1]
    assert receipt_mail["Content-Language"] == lang
    [attachment] = list(receipt_mail.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content().startswith(b"%PDF-")
    # The e-mail's own links (signed when it was written) open this request's pages.
    links = {link.rsplit("/", 1)[-1]: link for link in links_in(receipt_mail)}
    assert links["receipt.json"].startswith(f"/requests/{lang}/status/")
    assert json.loads(client.get(links["receipt.json"]).data)["reference"] == opened.reference
    status_link = links["receipt.json"].removesuffix("/receipt.json")
    assert opened.reference in client.get(status_link).text

    status_page = client.get(confirmed.status_path)
    assert status_page.status_code == 200
    assert page(status_page).find("html")["lang"] == lang
    assert opened.reference in status_page.text
    # Times read as in the letters: Finnish time in the person's words, to the minute.
    received = " ".join(page(status_page).get_text().split())
    assert re.search(MOMENT[lang], received), received

    pdf = client.get(confirmed.receipt_path + ".pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")
    assert pdf.headers["Content-Type"] == "application/pdf"


def test_receipt_json_verifies_and_tampering_fails(
    app: Flask, client: FlaskClient, smtp_server: SmtpServer
) -> None:
    submit_request(client, "objection", "en", other="y", grounds="I moved abroad.")
    confirmed = confirm_from_mail(client, smtp_server)
    download = client.get(confirmed.receipt_path + ".json")
    assert download.status_code == 200
    assert download.headers["Content-Type"].startswith("application/json")
    assert "attachment" in download.headers["Content-Disposition"]
    receipt = json.loads(download.data)
    public_pem = seal.app_key(app).public_pem()
    assert seal.verify_receipt(receipt, public_pem)

    tampered = dict(receipt, due_on="2099-12-31")
    assert not seal.verify_receipt(tampered, public_pem)
    forged_payload = dict(receipt, payload=receipt["payload"].replace("I moved", "I stayed"))
    assert not seal.verify_receipt(forged_payload, public_pem)


def test_details_are_stored_per_right(app: Flask, client: FlaskClient) -> None:
    submit_request(client, "rectification", "fi", wrong="Vanha osoite", correct="Uusi osoite")
    submit_request(
        client,
        "objection",
        "fi",
        email="toinen@example.fi",
        direct_marketing="y",
        publishing="y",
    )
    rectification, objection = requests_in(app)
    assert rectification.details == {
        "wrong": "Vanha osoite",
        "correct": "Uusi osoite",
        "message": "",
    }
    assert objection.details["objection_direct_marketing"] is True
    assert objection.details["objection_publishing"] is True
    assert objection.details["objection_profiling"] is False


def test_direct_marketing_objection_stops_at_confirmation(
    app: Flask, client: FlaskClient, smtp_server: SmtpServer
) -> None:
    submit_request(client, "objection", "fi")
    confirm_from_mail(client, smtp_server)
    with app.app_context():
        actions = get_session().scalars(select(AuditEvent.action)).all()
    assert "request.submitted" in actions and "request.confirmed" in actions
    assert "request.direct_marketing_stopped" in actions


def test_duplicate_within_a_day_is_not_recorded_twice(
    app: Flask, client: FlaskClient, smtp_server: SmtpServer
) -> None:
    submit_request(client, "access", "fi", message="Kaikki tiedot")
    again = submit_request(
        client, "access", "fi", message="Kaikki tiedot", email="MAIJA@example.fi"
    )
    assert again.status_code == 303
    notice = client.get(again.headers["Location"])
    assert page(notice).find("h1").get_text() == "Pyyntösi on jo vastaanotettu"
    assert len(requests_in(app)) == 1
    assert len(smtp_server.wait_for(1)) == 1
    different = submit_request(client, "access", "fi", message="Vain osoitetiedot")
    assert different.status_code == 303
    assert len(requests_in(app)) == 2


def test_the_same_form_posted_twice_at_once_is_recorded_once(
    app: Flask, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Both posts check for a duplicate at the same moment; a barrier holds each check until the
    # other post has reached its own (or a second has passed, when the other cannot: it waits).
    # The check compares what the database found (`_same_details`) on both databases and on
    # both of PostgreSQL's paths (through the session, and pipelined on the fast engine).
    barrier = threading.Barrier(2, timeout=1.0)
    real = submissions._same_details

    def together(*args: Any, **kwargs: Any) -> Any:
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            pass
        return real(*args, **kwargs)

    clients = [https_client(app), https_client(app)]
    tokens = [csrf_token(c, "/requests/fi/new/access") for c in clients]
    monkeypatch.setattr(submissions, "_same_details", together)
    statuses: list[int] = []

    def post(index: int) -> None:
        data = valid_fields("access", "fi", csrf_token=tokens[index])
        statuses.append(clients[index].post("/requests/fi/new/access", data=data).status_code)

    threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert statuses == [303, 303]
    assert len(requests_in(app)) == 1
    assert len(smtp_server.wait_for(1)) == 1


def test_a_burst_of_submissions_keeps_the_audit_chain_whole(
    app: Flask, smtp_server: SmtpServer
) -> None:
    # Six people post at once (real threads, one database): every post is recorded with its
    # own event, in one unbroken chain, and each request's event names that request.
    clients = [https_client(app) for _ in range(6)]
    tokens = [csrf_token(c, "/requests/fi/new/access") for c in clients]
    statuses: list[int] = []

    def post(index: int) -> None:
        data = valid_fields(
            "access", "fi", csrf_token=tokens[index], email=f"henkilo{index}@example.fi"
        )
        statuses.append(clients[index].post("/requests/fi/new/access", data=data).status_code)

    threads = [threading.Thread(target=post, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [303] * 6
    with app.app_context():
        session = get_session()
        report = audit.verify(session)
        assert (report.ok, report.checked) == (True, 6)
        submitted = session.execute(
            select(AuditEvent.request_id, DataRequest.email)
            .join(DataRequest, DataRequest.id == AuditEvent.request_id)
            .where(AuditEvent.action == "request.submitted")
        ).all()
        assert sorted(email for _, email in submitted) == [
            f"henkilo{i}@example.fi" for i in range(6)
        ]
        messages = session.execute(select(OutboxMessage.request_id, OutboxMessage.recipient)).all()
        assert sorted(messages) == sorted(submitted)


def test_preset_register_and_start_page_links(client: FlaskClient) -> None:
    start = page(client.get("/requests/en/?register=asiakasrekisteri"))
    links = [a["href"] for a in start.select("ul.rights a")]
    assert links == [f"/requests/en/new/{r}?register=asiakasrekisteri" for r in RIGHTS]
    unknown = page(client.get("/requests/en/?register=nonexistent"))
    assert all("register=" not in a["href"] for a in unknown.select("ul.rights a"))
    form = page(client.get("/requests/en/new/access?register=asiakasrekisteri"))
    assert form.find("option", selected=True)["value"] == "asiakasrekisteri"


def test_root_redirects_by_accept_language(client: FlaskClient) -> None:
    response = client.get("/requests/", headers={"Accept-Language": "sv-FI,sv;q=0.9"})
    assert response.headers["Location"] == "/requests/sv/"
    assert client.get("/requests/").headers["Location"] == "/requests/fi/"  # nothing chosen yet
    client.get("/requests/en/")
    assert client.get("/requests/").headers["Location"] == "/requests/en/"  # the cookie wins


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_has_language_switch_and_title(client: FlaskClient, lang: str) -> None:
    for path in [f"/requests/{lang}/", f"/requests/{lang}/new/objection", f"/requests/{lang}/sent"]:
        soup = page(client.get(path))
        assert soup.find("html")["lang"] == lang
        assert soup.title.get_text().endswith(TITLES[lang])
        switch = soup.select("nav.language-switch a")
        # In the notice site's order (content/site.yaml `languages: [fi, sv, en]`), not the
        # catalogs' order, so the two switches a visitor sees agree.
        assert [a["hreflang"] for a in switch] == ["fi", "sv", "en"]
        current = soup.select("nav.language-switch a[aria-current]")
        assert [a["hreflang"] for a in current] == [lang]


def test_confirm_link_get_changes_nothing(
    app: Flask, client: FlaskClient, smtp_server: SmtpServer
) -> None:
    submit_request(client, "erasure", "fi")
    link = next(p for p in links_in(smtp_server.wait_for(1)[0]) if "/confirm/" in p)
    for _ in range(3):
        assert client.get(link).status_code == 200
    [unchanged] = requests_in(app)
    assert unchanged.status == RequestStatus.unconfirmed
    with app.app_context():
        letters = get_session().scalar(select(func.count()).select_from(Letter))
    assert letters == 0


def test_confirming_twice_keeps_one_receipt(
    app: Flask, client: FlaskClient, smtp_server: SmtpServer
) -> None:
    submit_request(client, "access", "en")
    first = confirm_from_mail(client, smtp_server)
    link = next(p for p in links_in(smtp_server.messages[0]) if "/confirm/" in p)
    again = client.get(link)
    assert again.status_code == 303
    assert again.headers["Location"].startswith("/requests/en/status/")
    assert client.get(first.receipt_path).status_code == 200
    with app.app_context():
        kinds = get_session().scalars(select(Letter.kind)).all()
        mails = get_session().scalar(select(func.count()).select_from(OutboxMessage))
    assert kinds == ["receipt"] and mails == 2


@pytest.mark.parametrize(
    "bad",
    [
        "not-a-token",
        "InRlc3Qi.aaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbb",
        "",
    ],
)
def test_bad_links_get_one_answer(client: FlaskClient, bad: str) -> None:
    for path in [f"/requests/fi/status/{bad}", f"/requests/fi/confirm/{bad}"]:
        if not bad:
            assert client.get(path).status_code == 404
            continue
        response = client.get(path)
        assert response.status_code == 404
        assert page(response).find("h1").get_text() == "Linkki ei toimi"


def test_status_token_of_one_request_never_shows_another(
    app: Flask, client: FlaskClient, smtp_server: SmtpServer
) -> None:
    submit_request(client, "access", "fi", email="a@example.fi")
    first = confirm_from_mail(client, smtp_server, "a@example.fi")
    submit_request(client, "erasure", "fi", email="b@example.fi")
    second = confirm_from_mail(client, smtp_server, "b@example.fi")
    one, two = requests_in(app)
    first_page = client.get(first.status_path).text
    assert one.reference in first_page and two.reference not in first_page
    second_page = client.get(second.status_path).text
    assert two.reference in second_page and one.reference not in second_page
    # Letters are numbered within their request: the second request's receipt is its letter 1
    # (not the database's letter 2), and the first request has no letter 2 to show.
    with app.app_context():
        second_receipt = (
            get_session().scalars(select(Letter.pdf).where(Letter.request_id == two.id)).first()
        )
    assert re.findall(r'href="[^"]*/letters/([^"/]+)\.pdf"', second_page) == ["1"]
    assert client.get(f"{first.status_path}/letters/2.pdf").status_code == 404
    assert client.get(f"{first.status_path}/letters/0.pdf").status_code == 404
    own = client.get(f"{second.status_path}/letters/1.pdf")
    assert own.status_code == 200 and own.data == second_receipt
    # A confirmation token is not a status token, even for the same request.
    confirm_link = next(p for p in links_in(smtp_server.messages[0]) if "/confirm/" in p)
    confirm_token = confirm_link.rsplit("/", 1)[1]
    assert client.get(f"/requests/fi/status/{confirm_token}").status_code == 404


def test_expired_links_read_as_invalid(
    make_app: Callable[..., Flask], smtp_server: SmtpServer
) -> None:
    client = https_client(make_app(CONFIRM_MAX_AGE_HOURS=1))
    submit_request(client, "access", "fi")
    link = next(p for p in links_in(smtp_server.wait_for(1)[0]) if "/confirm/" in p)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(hours=2), tick=False):
        response = client.get(link)
    assert response.status_code == 404
    assert page(response).find("h1").get_text() == "Linkki ei toimi"


def test_status_view_is_audited_without_personal_data(
    app: Flask, client: FlaskClient, smtp_server: SmtpServer
) -> None:
    submit_request(client, "access", "fi")
    confirmed = confirm_from_mail(client, smtp_server)
    client.get(confirmed.status_path)
    client.get(confirmed.receipt_path + ".json")
    client.get("/requests/fi/status/not-a-token")  # a bad link names no request to audit
    with app.app_context():
        events = get_session().scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    views = [e.detail for e in events if e.action == "request.viewed"]
    assert views == ["status", "receipt.json"]
    for event in events:
        assert "maija" not in event.detail.lower() and "Meikäläinen" not in event.detail


def test_confirm_link_of_an_expired_request_is_invalid(
    app: Flask, client: FlaskClient, smtp_server: SmtpServer
) -> None:
    submit_request(client, "access", "en")
    link = next(p for p in links_in(smtp_server.wait_for(1)[0]) if "/confirm/" in p)
    with app.app_context():
        session = get_session()
        session.scalars(select(DataRequest)).one().status = RequestStatus.expired
        session.commit()
    response = client.get(link)
    assert response.status_code == 404
    assert page(response).find("h1").get_text() == "This link does not work"


@pytest.mark.parametrize(
    ("lang", "summary"),
    [
        ("en", "What do you object to? – Choose at least one thing you object to."),
        ("fi", "Mitä vastustat? – Valitse vähintään yksi asia, jota vastustat."),
    ],
)
def test_an_objection_with_nothing_ticked_names_the_question(
    client: FlaskClient, lang: str, summary: str
) -> None:
    """The error summary names the group's question, not the label of its last box."""
    response = submit_request(client, "objection", lang, direct_marketing="", publishing="")
    assert response.status_code == 422
    items = page(response).find(class_="error-summary").find_all("li")
    assert [item.get_text(" ", strip=True) for item in items] == [summary]


def test_the_answer_language_is_offered_in_the_notice_sites_order(client: FlaskClient) -> None:
    soup = page(client.get("/requests/sv/new/access"))
    options = soup.select("select[name=language] option")
    assert [(o["value"], o.get_text()) for o in options] == [
        ("fi", "suomi"),
        ("sv", "svenska"),
        ("en", "English"),
    ]
    assert soup.select_one("select[name=language] option[selected]")["value"] == "sv"
