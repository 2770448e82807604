"""Strong identification against a real OpenID Provider on a local port (issue 20).

The provider is `portal.dev_identity` served over HTTP; the portal talks to it as to an FTN broker:
discovery, a signed request object with PKCE, `private_key_jwt` at the token endpoint, an ID token
signed by the provider and encrypted to the portal's key. Each way the provider can misbehave is
refused with a page that says why, and nothing of the failed attempt is kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import select, text

from portal.core import labels
from portal.core.identity import keys as client_keys
from portal.core.identity.subject import hmac_key
from portal.core.models import DataRequest
from portal.db import get_session
from tests.portal.support.cli import cli
from tests.portal.support.mailserver import SmtpServer
from tests.portal.support.oidc import (
    PROVIDER_NAME,
    REGISTER,
    Browser,
    Page,
    Setup,
    free_port,
    portal_with_provider,
)
from tests.portal.support.staff import StaffActions
from tests.portal.support.web import page_token, valid_fields
from tests.readback import pdf_text

IDENTITY_CODE = "010170-999R"
"""The development provider's first test person's identity code."""


@pytest.fixture
def setup(make_app: Callable[..., Flask]) -> Iterator[Setup]:
    with portal_with_provider(make_app) as running:
        yield running


def form_url(setup: Setup, lang: str = "en") -> str:
    return f"{setup.portal}/requests/{lang}/new/access?register={REGISTER}"


def identify(setup: Setup, browser: Browser, lang: str = "en") -> Page:
    """Open the access form of the register, follow its identification link; return the end."""
    required = browser.open(form_url(setup, lang))
    link = required.soup.select_one("a.button")
    assert link is not None, required.words()
    return browser.open(setup.portal + link["href"])


def test_access_needs_identification_first(setup: Setup) -> None:
    required = Browser().open(form_url(setup))
    assert required.status == 200
    assert (
        "The register “Handling data protection requests” holds data that we give only to the "
        "person it concerns. Before we accept this request, please identify yourself strongly"
    ) in required.words()
    assert "Identify with Test broker" in required.words()
    assert "Your personal identity code is not stored" in required.words()
    assert required.soup.find("form") is None  # no form before identification


def test_identified_request_keeps_name_and_hash_never_the_code(
    setup: Setup, smtp_server: SmtpServer
) -> None:
    browser = Browser()
    form = identify(setup, browser)
    assert form.status == 200, form.words()
    assert form.url == form_url(setup)
    assert "You are strongly identified as Testi Henkilö (Test broker)." in form.words()
    # The verified name is already in the name field, so the person need not type it again.
    assert form.soup.find("input", attrs={"name": "name"})["value"] == "Testi Henkilö"
    data = valid_fields("access", "en", register=REGISTER, csrf_token=page_token(form.text))
    data |= {"name": "Testi Henkilö", "signature_name": "Testi Henkilö"}  # as identified
    sent = browser.open(form_url(setup), data)
    assert sent.status == 200 and "/requests/en/sent" in sent.url, sent.words()
    with setup.app.app_context():
        db = get_session()
        recorded = db.scalars(select(DataRequest)).one()
        reference = recorded.reference
        identity = recorded.identity
        assert identity is not None
        assert (identity.name, identity.provider, identity.method) == (
            "Testi Henkilö",
            PROVIDER_NAME,
            "oidc",
        )
        assert identity.level == "http://ftn.ficora.fi/2017/loa2"
        key = hmac_key(setup.app.instance_path)
        expected = hmac.new(key, b"fi-hetu:" + IDENTITY_CODE.encode(), hashlib.sha256)
        assert identity.subject_hash == expected.hexdigest()
        dumped = _dump(db)
    assert "Testi Henkilö" in dumped  # the dump does hold the identification …
    assert IDENTITY_CODE not in dumped and IDENTITY_CODE.replace("-", "") not in dumped

    # The person confirms the address; the receipt says the request was strongly identified.
    smtp_server.wait_for(1)
    body = smtp_server.last_to("maija@example.fi").get_body(preferencelist=("plain",))
    link = next(u for u in re.findall(r"https?://\S+", body.get_content()) if "/confirm/" in u)
    confirm = browser.open(link)
    receipt = browser.open(link, {"csrf_token": page_token(confirm.text)})
    assert re.search(
        r"Identification strongly identified as Testi Henkilö \(Test broker\), "
        r"\d+ \w+ 20\d\d at \d\d:\d\d Finnish time ",
        receipt.words(),
    ), receipt.words()
    pdf_link = receipt.soup.find("a", string="Receipt as PDF")["href"]
    with urllib.request.urlopen(setup.portal + pdf_link) as response:
        letter = " ".join(pdf_text(response.read()).split())
    assert "Identification: strongly identified as Testi Henkilö (Test broker)" in letter
    receipt_json = json.loads(browser.open(setup.portal + pdf_link.replace(".pdf", ".json")).text)
    sealed = json.loads(receipt_json["payload"])["identification"]
    assert (sealed["method"], sealed["provider"], sealed["name"]) == (
        "oidc",
        PROVIDER_NAME,
        "Testi Henkilö",
    )
    assert IDENTITY_CODE not in receipt_json["payload"]

    # Staff see who identified, with which provider and when (the back office speaks Finnish).
    staff = StaffActions(setup.app, setup.app.test_client())
    staff.login(staff.create("hanna", "handler"))
    detail = BeautifulSoup(staff.client.get(f"/requests/staff/r/{reference}").text, "html.parser")
    shown = " ".join(detail.find(id="identification").get_text().split())
    assert re.fullmatch(
        r"tunnistettu vahvasti: Testi Henkilö, Test broker, \d+\.\d+\.20\d\d \d+\.\d\d "
        r"\(varmuustaso korotettu \(eIDAS\)\)",
        shown,
    ), shown


DEMO_PROVIDER = {
    "en": "Development identity provider – demo only",
    "fi": "Kehityskäytön tunnistuspalvelu – vain esittelyyn",
    "sv": "Identifieringstjänst för utveckling – endast demo",
}
IDENTIFY_WITH = {"en": "Identify with {}", "fi": "Tunnistaudu: {}", "sv": "Identifiera dig: {}"}
IDENTIFIED = {
    "en": "You are strongly identified as Testi Henkilö ({}).",
    "fi": "Olet tunnistautunut vahvasti: Testi Henkilö ({}).",
    "sv": "Du har identifierat dig starkt: Testi Henkilö ({}).",
}
STRONGLY = {
    "en": "strongly identified as Testi Henkilö ({})",
    "fi": "tunnistettu vahvasti: Testi Henkilö ({})",
    "sv": "starkt identifierad som Testi Henkilö ({})",
}
STAFF_SHOWN = {
    "en": "strongly identified: Testi Henkilö, {}, ",
    "fi": "tunnistettu vahvasti: Testi Henkilö, {}, ",
    "sv": "starkt identifierad: Testi Henkilö, {}, ",
}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_demo_providers_name_is_read_in_the_persons_language(
    make_app: Callable[..., Flask], smtp_server: SmtpServer, lang: str
) -> None:
    name = DEMO_PROVIDER[lang]
    with portal_with_provider(make_app, OIDC_PROVIDER_NAME=labels.DEMO_PROVIDER_NAME) as setup:
        browser = Browser()
        required = browser.open(form_url(setup, lang))
        assert required.soup.select_one("a.button").get_text() == IDENTIFY_WITH[lang].format(name)
        form = identify(setup, browser, lang)
        assert IDENTIFIED[lang].format(name) in form.words()
        data = valid_fields("access", lang, register=REGISTER, csrf_token=page_token(form.text))
        data |= {"name": "Testi Henkilö", "signature_name": "Testi Henkilö"}
        sent = browser.open(form_url(setup, lang), data)
        assert f"/requests/{lang}/sent" in sent.url, sent.words()
        body = smtp_server.wait_for(1)[-1].get_body(preferencelist=("plain",))
        link = next(u for u in re.findall(r"https?://\S+", body.get_content()) if "/confirm/" in u)
        confirm = browser.open(link)
        receipt = browser.open(link, {"csrf_token": page_token(confirm.text)})
        assert STRONGLY[lang].format(name) in receipt.words(), receipt.words()
        pdf_link = receipt.soup.select_one('a[href$=".pdf"]')["href"]
        with urllib.request.urlopen(setup.portal + pdf_link) as response:
            letter = " ".join(pdf_text(response.read()).split())
        assert STRONGLY[lang].format(name) in letter
        with setup.app.app_context():
            recorded = get_session().scalars(select(DataRequest)).one()
            # Recorded (and sealed) as configured; only its reading is translated.
            assert recorded.identity.provider == "Development identity provider – demo only"
        staff = StaffActions(setup.app, setup.app.test_client())
        staff.login(staff.create("hanna", "handler"))
        page = staff.client.get(f"/requests/staff/r/{recorded.reference}?lang={lang}").text
        shown = " ".join(
            BeautifulSoup(page, "html.parser").find(id="identification").get_text().split()
        )
        assert shown.startswith(STAFF_SHOWN[lang].format(name)), shown


def _dump(db) -> str:  # type: ignore[no-untyped-def]
    """Return every row of every table of the portal's database as text."""
    rows = []
    for table in db.get_bind().dialect.get_table_names(db.connection()):
        for row in db.execute(text(f'SELECT * FROM "{table}"')):  # noqa: S608 - table names
            rows.append(repr(tuple(row)))
    return "\n".join(rows)


def test_identity_is_for_one_register_and_right(setup: Setup) -> None:
    browser = Browser()
    identify(setup, browser)
    other = browser.open(f"{setup.portal}/requests/en/new/rectification?register={REGISTER}")
    assert "You are strongly identified" not in other.words()


def test_posting_the_form_without_identification_shows_the_way(setup: Setup) -> None:
    browser = Browser()
    blank = browser.open(f"{setup.portal}/requests/en/new/access")
    data = valid_fields("access", "en", register=REGISTER, csrf_token=page_token(blank.text))
    refused = browser.open(f"{setup.portal}/requests/en/new/access", data)
    assert refused.status == 403
    assert "Before we accept this request, please identify yourself strongly" in refused.words()
    with setup.app.app_context():
        assert get_session().scalars(select(DataRequest)).all() == []


FAULT_SENTENCES = {
    "wrong_nonce": "it belonged to another identification attempt.",
    "expired": "it was outside its validity time.",
    "not_yet_valid": "it was outside its validity time.",
    "wrong_audience": "it came from another service or was meant for another service.",
    "wrong_issuer": "it came from another service or was meant for another service.",
    "unsigned": "its signature could not be verified.",
    "wrong_key": "its signature could not be verified.",
    "unencrypted": "it was not encrypted for this portal.",
}


@pytest.mark.parametrize("fault", sorted(FAULT_SENTENCES))
def test_each_bad_id_token_is_refused_with_a_clear_page(setup: Setup, fault: str) -> None:
    setup.provider.fault = fault
    browser = Browser()
    failed = identify(setup, browser)
    assert failed.status == 400
    assert failed.words().startswith(
        "Identification did not succeed The answer of the identification service did not pass "
        "our checks, so we could not rely on it: " + FAULT_SENTENCES[fault]
    )
    assert "Nothing was recorded." in failed.words()
    assert "Other ways to make your request" in failed.words()
    again = browser.open(form_url(setup))
    assert "Before we accept this request" in again.words()  # no identity was kept


def test_unencrypted_token_is_accepted_only_when_encryption_is_not_required(
    make_app: Callable[..., Flask],
) -> None:
    with portal_with_provider(make_app, OIDC_REQUIRE_ENCRYPTION=False) as running:
        running.provider.fault = "unencrypted"
        form = identify(running, Browser())
        assert "You are strongly identified as Testi Henkilö" in form.words()


def _to_callback(setup: Setup, browser: Browser) -> str:
    """Start identification and return the provider's redirect back (not yet followed)."""
    required = browser.open(form_url(setup))
    start = browser.open(setup.portal + required.soup.select_one("a.button")["href"], follow=False)
    assert start.status == 303
    answer = browser.open(start.url, follow=False)
    assert answer.status == 302 and "/requests/identify/callback?" in answer.url
    return answer.url


def test_wrong_state_is_refused(setup: Setup) -> None:
    browser = Browser()
    callback = _to_callback(setup, browser)
    tampered = re.sub(r"state=[^&]+", "state=forged", callback)
    failed = browser.open(tampered)
    assert failed.status == 400
    assert "This identification attempt is not valid here" in failed.words()


def test_a_callback_is_used_once(setup: Setup) -> None:
    browser = Browser()
    callback = _to_callback(setup, browser)
    assert "You are strongly identified" in browser.open(callback).words()
    again = browser.open(callback)
    assert "This identification attempt is not valid here" in again.words()


def test_a_replayed_code_is_refused_by_the_provider(setup: Setup) -> None:
    browser = Browser()
    first = _to_callback(setup, browser)
    assert "You are strongly identified" in browser.open(first).words()
    # Someone else's attempt, answered with the first attempt's (used) code.
    other = Browser()
    second = _to_callback(setup, other)
    state = re.search(r"state=([^&]+)", second)[1]  # type: ignore[index]
    replay = re.sub(r"state=[^&]+", f"state={state}", first)
    failed = other.open(replay)
    assert failed.status == 400
    assert "the service did not accept the identification code; it may have been used already." in (
        failed.words()
    )


def test_cancel_at_the_provider(setup: Setup) -> None:
    setup.provider.auto_approve = None
    browser = Browser()
    required = browser.open(form_url(setup))
    chooser = browser.open(setup.portal + required.soup.select_one("a.button")["href"])
    assert "DEVELOPMENT IDENTITY PROVIDER" in chooser.words()
    cancel = next(a["href"] for a in chooser.soup.find_all("a") if a.get_text() == "Cancel")
    failed = browser.open(cancel)
    assert "The identification was cancelled or the identification service refused it." in (
        failed.words()
    )


@pytest.mark.parametrize(
    ("lang", "warning", "cancel"),
    [
        ("fi", "KEHITYSKÄYTÖN TUNNISTUSPALVELU — vain esittelyyn ja testeihin", "Peruuta"),
        ("sv", "IDENTIFIERINGSTJÄNST FÖR UTVECKLING — endast för demo och tester", "Avbryt"),
    ],
)
def test_the_development_provider_speaks_the_language_the_portal_asked_for(
    setup: Setup, lang: str, warning: str, cancel: str
) -> None:
    setup.provider.auto_approve = None
    chooser = identify(setup, Browser(), lang)
    assert chooser.soup.html["lang"] == lang
    assert chooser.words().startswith(warning)
    assert cancel in [a.get_text() for a in chooser.soup.find_all("a")]


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("fi", "Tunnistautuminen ei onnistunut"),
        ("sv", "Identifieringen lyckades inte"),
    ],
)
def test_failure_page_speaks_the_persons_language(setup: Setup, lang: str, sentence: str) -> None:
    setup.provider.fault = "wrong_nonce"
    failed = identify(setup, Browser(), lang)
    assert failed.words().startswith(sentence)


def test_jwks_publishes_signing_and_encryption_keys_and_keeps_old_ones_in_the_overlap(
    setup: Setup,
) -> None:
    browser = Browser()
    published = json.loads(browser.open(setup.portal + "/.well-known/jwks.json").text)["keys"]
    assert sorted((k["use"], k["alg"], k["kty"]) for k in published) == [
        ("enc", "RSA-OAEP", "RSA"),
        ("sig", "PS256", "RSA"),
    ]
    assert all("d" not in k for k in published)  # public halves only
    prefixed = browser.open(setup.portal + "/requests/.well-known/jwks.json").text
    assert json.loads(prefixed)["keys"] == published
    instance = Path(setup.app.instance_path)
    now = dt.datetime.now(dt.UTC)
    rotation = cli(setup.app, "keys", "rotate-oidc")
    assert rotation.exit_code == 0, rotation.output
    assert rotation.output.endswith(
        "2 older keys stay in /.well-known/jwks.json until 7 days after their rotation.\n"
    )
    rotated = json.loads(browser.open(setup.portal + "/.well-known/jwks.json").text)["keys"]
    assert len(rotated) == 4
    assert {k["kid"] for k in published} < {k["kid"] for k in rotated}
    # A login during the overlap still works: the provider may encrypt to either key.
    assert "You are strongly identified" in identify(setup, browser).words()
    client_keys.rotate(instance, dt.timedelta(days=7), now + dt.timedelta(days=8))
    later = json.loads(browser.open(setup.portal + "/.well-known/jwks.json").text)["keys"]
    assert len(later) == 4 and not {k["kid"] for k in published} & {k["kid"] for k in later}


def test_without_a_provider_the_page_points_to_the_other_channels(app: Flask) -> None:
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    required = client.get(f"/requests/en/new/access?register={REGISTER}")
    words = " ".join(BeautifulSoup(required.text, "html.parser").find("main").get_text().split())
    assert "Strong identification is not available in this portal at the moment." in words
    assert "Other ways to make your request" in words
    assert "Identify with" not in words
    started = client.get(f"/requests/en/identify/access?register={REGISTER}")
    assert started.status_code == 503
    assert "The identification service cannot be reached at the moment." in started.text
    assert client.get("/requests/en/identify/access?register=nonexistent").status_code == 404


def test_an_unreachable_provider_gets_a_clear_page(make_app: Callable[..., Flask]) -> None:
    app = make_app(OIDC_ISSUER=f"http://127.0.0.1:{free_port()}/op", OIDC_CLIENT_ID="x")
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    started = client.get(f"/requests/sv/identify/access?register={REGISTER}")
    assert started.status_code == 502
    words = " ".join(BeautifulSoup(started.text, "html.parser").find("main").get_text().split())
    assert words.startswith(
        "Identifieringen lyckades inte Identifieringstjänsten kan inte nås just nu."
    )


@pytest.mark.parametrize(
    ("acr", "shown"),
    [
        ("http://ftn.ficora.fi/2017/loa3", "level of assurance high (eIDAS)"),
        ("http://eidas.europa.eu/LoA/substantial", "level of assurance substantial (eIDAS)"),
        ("urn:example:own-level", "urn:example:own-level"),  # unknown: shown as it came
    ],
)
def test_a_level_of_assurance_is_named_in_words_when_known(acr: str, shown: str) -> None:
    assert labels.assurance_level(acr) == shown
