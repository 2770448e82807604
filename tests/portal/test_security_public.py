"""LEGAL.md §5, public side: CSRF, GET safety, cookies, headers, validation, limits, errors."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from portal.core.models import DataRequest, OutboxMessage
from portal.db import get_session
from portal.web import intake
from portal.web.security import CSP
from tests.portal.support.mailserver import SmtpServer
from tests.portal.support.properties import PORTAL_HYPOTHESIS
from tests.portal.support.web import (
    confirm_from_mail,
    csrf_token,
    https_client,
    submit_request,
    valid_fields,
)

PUBLIC_PAGES = [
    "/requests/",
    "/requests/fi/",
    "/requests/en/new/access",
    "/requests/sv/new/objection",
    "/requests/fi/sent",
    "/requests/fi/status/nonsense",
    "/requests/fi/confirm/nonsense",
    "/requests/no-such-page",
    "/static/portal.css",
    "/requests/static/portal.css",
]


def soup(response) -> BeautifulSoup:  # type: ignore[no-untyped-def]
    return BeautifulSoup(response.text, "html.parser")


def count_requests(app: Flask) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(DataRequest)) or 0


# ---- CSRF and GET safety (ASVS 3.5.1, 3.5.3) ----------------------------------------------------


@pytest.mark.parametrize(
    ("token", "lang", "heading"),
    [
        (None, "fi", "Lomaketta ei voitu hyväksyä"),
        ("forged-token", "en", "The form could not be accepted"),
        ("", "sv", "Formuläret kunde inte tas emot"),
    ],
)
def test_post_without_valid_csrf_token_is_400_in_users_language(
    app: Flask, client: FlaskClient, token: str | None, lang: str, heading: str
) -> None:
    client.get(f"/requests/{lang}/new/access")  # a session exists, the token is missing or wrong
    data = valid_fields("access", lang)
    if token is not None:
        data["csrf_token"] = token
    response = client.post(f"/requests/{lang}/new/access", data=data)
    assert response.status_code == 400
    page = soup(response)
    assert page.find("html")["lang"] == lang
    assert page.find("h1").get_text() == heading
    assert count_requests(app) == 0


def test_confirm_post_needs_csrf_token(
    app: Flask, client: FlaskClient, smtp_server: SmtpServer
) -> None:
    submit_request(client, "access", "fi")
    link = next(
        line
        for line in smtp_server.wait_for(1)[0].get_body(("plain",)).get_content().split()
        if "/confirm/" in line
    )
    path = urlsplit(link).path
    assert client.post(path, data={}).status_code == 400
    with app.app_context():
        assert get_session().scalars(select(DataRequest.status)).one() == "unconfirmed"


def test_get_with_form_fields_changes_nothing(app: Flask, client: FlaskClient) -> None:
    fields = valid_fields("access", "fi")
    response = client.get("/requests/fi/new/access", query_string=fields)
    assert response.status_code == 200
    assert count_requests(app) == 0


# ---- cookies (ASVS 3.3.x) -----------------------------------------------------------------------


def test_session_cookie_is_host_prefixed_secure_httponly_lax(client: FlaskClient) -> None:
    response = client.get("/requests/fi/new/access")
    cookies = response.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("__Host-session="))
    attributes = {part.strip().split("=")[0].lower() for part in session_cookie.split(";")}
    assert {"secure", "httponly", "path"} <= attributes
    assert "SameSite=Lax" in session_cookie and "Path=/" in session_cookie
    assert "domain" not in attributes
    language_cookie = next(c for c in cookies if c.startswith("lang="))
    assert "Secure" in language_cookie and "HttpOnly" in language_cookie


def test_plain_http_demo_cookie_has_no_host_prefix(make_app: Callable[..., Flask]) -> None:
    client = make_app(SECURE_COOKIES=False).test_client()
    cookies = client.get("/requests/fi/new/access").headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("session="))
    assert "Secure" not in session_cookie and "HttpOnly" in session_cookie


# ---- headers, caching, third parties (ASVS 3.4.x, 14.3.2, 14.2.3) -------------------------------


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_security_headers_on_every_response(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    response.close()  # static files are streamed from an open file
    headers = response.headers
    assert headers["Content-Security-Policy"] == CSP
    assert headers["Strict-Transport-Security"].startswith("max-age=")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "camera=()" in headers["Permissions-Policy"]
    if "/static/" in path:
        assert "no-store" not in headers.get("Cache-Control", "")
    else:
        assert headers["Cache-Control"] == "no-store"


NOTICE_HOST = "www.proleader.fi"
"""content/site.yaml's base_url host: the notice site the forms link to."""


def test_csp_forbids_inline_code_and_other_hosts() -> None:
    directives = dict(d.strip().split(" ", 1) for d in CSP.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["base-uri"] == "'none'"
    assert "unsafe" not in CSP and "http" not in CSP


def test_personal_pages_are_no_store_and_have_no_inline_code_or_foreign_hosts(
    client: FlaskClient, smtp_server: SmtpServer
) -> None:
    submit_request(client, "rectification", "fi")
    confirmed = confirm_from_mail(client, smtp_server)
    pages = [
        confirmed.receipt_path,
        confirmed.status_path,
        confirmed.receipt_path + ".json",
        confirmed.receipt_path + ".pdf",
        *PUBLIC_PAGES,
    ]
    for path in pages:
        response = client.get(path)
        response.close()
        assert response.headers["Content-Security-Policy"] == CSP
        if "/static/" not in path:
            assert response.headers["Cache-Control"] == "no-store", path
        if response.mimetype != "text/html":
            continue
        page = soup(response)
        assert not page.find_all("style") and not page.find_all(style=True), path
        for script in page.find_all("script"):
            raise AssertionError(f"{path} has a script: {script}")
        for element in page.find_all(["a", "link", "img", "form", "iframe"]):
            for attribute in ("href", "src", "action"):
                url = element.get(attribute)
                # The one way out: a plain link (no request, no Referer with a token: the
                # form pages have none) to the controller's own privacy notices.
                if url and element.name == "a" and urlsplit(url).netloc == NOTICE_HOST:
                    assert "/status/" not in path, f"{path} links out: {url}"
                    continue
                if url:
                    assert not urlsplit(url).netloc, f"{path} links to another host: {url}"
        for element in page.find_all(True):
            assert not any(name.startswith("on") for name in element.attrs), path


# ---- input (ASVS 2.2.x, 15.3.3) ----------------------------------------------------------------


def test_extra_posted_fields_are_ignored(app: Flask, client: FlaskClient) -> None:
    response = submit_request(
        client,
        "access",
        "fi",
        status="closed",
        assignee_id="1",
        reference="AAAA-BBBB-CCCC-DDDD",
        id="999",
        received_at="2020-01-01T00:00:00",
        due_on="2020-02-01",
        decision="granted",
        seal_signature="forged",
    )
    assert response.status_code == 303
    with app.app_context():
        recorded = get_session().scalars(select(DataRequest)).one()
    assert recorded.status == "unconfirmed"
    assert recorded.assignee_id is None and recorded.decision is None
    assert recorded.reference != "AAAA-BBBB-CCCC-DDDD" and recorded.id == 1
    assert recorded.received_at is None and recorded.due_on is None
    assert recorded.seal_signature is None


@pytest.mark.parametrize(
    ("right", "fields", "field_id", "message"),
    [
        ("access", {"name": ""}, "name", "Kirjoita koko nimesi."),
        ("access", {"name": "x" * 201}, "name", "Käytä enintään 200 merkkiä."),
        ("access", {"email": ""}, "email", "Kirjoita sähköpostiosoitteesi."),
        (
            "access",
            {"email": "ei-osoite"},
            "email",
            "Kirjoita sähköpostiosoite muodossa nimi@esimerkki.fi.",
        ),
        ("access", {"email": "a@" + "b" * 250 + ".fi"}, "email", "Käytä enintään 254 merkkiä."),
        (
            "access",
            {"phone": "soita minulle"},
            "phone",
            "Käytä numeroita, välilyöntejä ja tarvittaessa +-merkkiä (esim. +358 40 123 4567).",
        ),
        (
            "access",
            {"customer_number": "<script>"},
            "customer_number",
            "Käytä kirjaimia, numeroita, välilyöntejä, pisteitä, viivoja ja vinoviivoja.",
        ),
        ("access", {"message": "x" * 4001}, "message", "Käytä enintään 4000 merkkiä."),
        ("access", {"register": "toinen"}, "register", "Valitse rekisteri, jota pyyntösi koskee."),
        ("access", {"register": None}, "register", "Valitse rekisteri, jota pyyntösi koskee."),
        (
            "access",
            {"signature_name": "  "},
            "signature_name",
            "Kirjoita koko nimesi allekirjoitukseksi.",
        ),
        ("access", {"attest": None}, "attest", "Vahvista vakuutus lähettääksesi pyynnön."),
        ("rectification", {"wrong": ""}, "wrong", "Kerro, mikä tieto on virheellinen."),
        ("rectification", {"correct": "x" * 2001}, "correct", "Käytä enintään 2000 merkkiä."),
        (
            "objection",
            {"direct_marketing": None},
            "other",
            "Valitse vähintään yksi asia, jota vastustat.",
        ),
        ("objection", {"other": "y"}, "grounds", "Kuvaa tilanteeseesi liittyvät perusteet."),
    ],
)
def test_validation_messages(
    app: Flask,
    client: FlaskClient,
    right: str,
    fields: dict[str, str | None],
    field_id: str,
    message: str,
) -> None:
    response = submit_request(client, right, "fi", **fields)
    assert response.status_code == 422
    page = soup(response)
    error = page.find(id=f"{field_id}-error")
    assert error is not None, page.select(".error-message")
    assert error.get_text(" ", strip=True) == f"Virhe: {message}"
    summary_link = page.select_one(f'.error-summary a[href="#{field_id}"]')
    assert summary_link is not None and summary_link.get_text().endswith(message)
    assert page.find(id=field_id).get("aria-invalid") == "true" or field_id == "other"
    assert count_requests(app) == 0


def test_messages_follow_the_page_language(client: FlaskClient) -> None:
    response = submit_request(client, "access", "sv", name="")
    assert soup(response).find(id="name-error").get_text(strip=True) == (
        "Fel:Skriv ditt fullständiga namn."
    )


def test_oversized_body_is_refused_with_a_page(client: FlaskClient) -> None:
    token = csrf_token(client, "/requests/en/new/access")
    data = valid_fields("access", "en", message="x" * 70_000, csrf_token=token)
    response = client.post("/requests/en/new/access", data=data)
    assert response.status_code == 413
    assert soup(response).find("html")["lang"] == "en"
    assert "Incident number" in response.text


def test_input_is_trimmed_and_control_characters_dropped(app: Flask, client: FlaskClient) -> None:
    submit_request(client, "access", "fi", name="  Maija\x00 Meikäläinen \x1b ", message="a\r\nb")
    with app.app_context():
        recorded = get_session().scalars(select(DataRequest)).one()
    assert recorded.name == "Maija Meikäläinen"
    assert recorded.details["message"] == "a\r\nb"


def test_honeypot_post_looks_sent_but_records_nothing(
    app: Flask, client: FlaskClient, smtp_server: SmtpServer
) -> None:
    response = submit_request(client, "access", "fi", website="http://spam.example")
    assert response.status_code == 303
    assert count_requests(app) == 0
    with app.app_context():
        assert get_session().scalar(select(func.count()).select_from(OutboxMessage)) == 0


@PORTAL_HYPOTHESIS
@given(
    right=st.sampled_from(["access", "rectification", "objection"]),
    form=st.dictionaries(
        st.sampled_from(
            [
                "register",
                "name",
                "email",
                "phone",
                "customer_number",
                "message",
                "language",
                "signature_name",
                "attest",
                "wrong",
                "correct",
                "direct_marketing",
                "other",
                "grounds",
                "website",
                "status",
            ]
        ),
        st.one_of(
            st.text(max_size=300), st.sampled_from(["y", "fi", "asiakasrekisteri", "a@b.fi"])
        ),
    ),
)
def test_random_form_posts_never_fail_on_the_server(
    app: Flask, right: str, form: dict[str, str]
) -> None:
    client = https_client(app)
    form["csrf_token"] = csrf_token(client, f"/requests/en/new/{right}")
    response = client.post(f"/requests/en/new/{right}", data=form)
    assert response.status_code in {303, 422, 429}, response.status_code


# ---- rate limits (ASVS 2.4.1) ------------------------------------------------------------------


def test_rate_limit_per_address_gives_429_page_in_users_language(
    make_app: Callable[..., Flask],
) -> None:
    client = https_client(make_app(RATELIMIT_SUBMIT="2 per hour"))
    for n in range(2):
        assert submit_request(client, "access", "sv", email=f"p{n}@example.fi").status_code == 303
    response = submit_request(client, "access", "sv", email="p3@example.fi")
    assert response.status_code == 429
    page = soup(response)
    assert page.find("html")["lang"] == "sv"
    assert page.find("h1").get_text() == "För många förfrågningar"
    other = make_app(RATELIMIT_SUBMIT="2 per hour").test_client()
    other.environ_base.update({"wsgi.url_scheme": "https", "REMOTE_ADDR": "127.0.0.2"})
    assert submit_request(other, "access", "sv", email="p4@example.fi").status_code == 303


def test_rate_limit_per_email_counts_across_addresses(make_app: Callable[..., Flask]) -> None:
    app = make_app(RATELIMIT_SUBMIT_EMAIL="2 per day")
    statuses = []
    for n in range(3):
        client = https_client(app)
        client.environ_base["REMOTE_ADDR"] = f"10.0.0.{n + 1}"
        statuses.append(
            submit_request(
                client, "access", "fi", email="Same@Example.fi", message=str(n)
            ).status_code
        )
    assert statuses == [303, 303, 429]
    assert count_requests(app) == 2


# ---- errors (ASVS 16.5.1, 13.4.x) --------------------------------------------------------------


def test_crash_is_a_generic_page_with_incident_id_and_no_personal_data_in_the_log(
    app: Flask,
    client: FlaskClient,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def explode(*_args: object, **_kwargs: object) -> str:
        raise RuntimeError("maija@example.fi Maija Meikäläinen")

    monkeypatch.setattr(intake, "record_request", explode)
    assert app.debug is False
    with caplog.at_level(logging.INFO):
        response = submit_request(client, "access", "en")
    assert response.status_code == 500
    page = soup(response)
    assert page.find("h1").get_text() == "Something went wrong"
    incident = page.select_one(".incident").get_text()
    assert "Traceback" not in response.text and "RuntimeError" not in response.text
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert incident.split(":")[1].split(".")[0].strip() in logged
    assert "maija" not in logged.lower() and "Meikäläinen" not in logged


def test_database_outage_shows_try_again_page(make_app: Callable[..., Flask]) -> None:
    app = make_app(DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:1/none")
    client = https_client(app)
    response = submit_request(client, "access", "fi")
    assert response.status_code == 503
    page = soup(response)
    assert page.find("h1").get_text() == "Palvelu on tilapäisesti poissa käytöstä"
    assert "Traceback" not in response.text


def test_not_found_page_in_language_of_the_path(client: FlaskClient) -> None:
    response = client.get("/requests/sv/ingenting")
    assert response.status_code == 404
    assert soup(response).find("h1").get_text() == "Sidan hittades inte"


def test_rate_limit_counters_are_shared_through_redis(make_app: Callable[..., Flask]) -> None:
    settings = {
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
        "RATELIMIT_KEY_PREFIX": f"seloste-test-{secrets.token_hex(6)}",
        "RATELIMIT_SUBMIT": "2 per hour",
    }
    first, second = make_app(**settings), make_app(**settings)  # two instances, one Redis
    assert (
        submit_request(https_client(first), "access", "en", email="r1@example.fi").status_code
        == 303
    )
    assert (
        submit_request(https_client(second), "access", "en", email="r2@example.fi").status_code
        == 303
    )
    response = submit_request(https_client(first), "access", "en", email="r3@example.fi")
    assert response.status_code == 429
    assert soup(response).find("h1").get_text() == "Too many requests"
