"""The data protection officer's consent page: exact counts, one visitor's records, the JSON-LD
download, who may open it, and the audit events of every lookup and export.

Records are made by posting to the real endpoint, as the banner does (SQLite and PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
import rdflib
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from portal.core import consent
from portal.core.models import AuditEvent, DataRequest
from tests.notice.records_content import parse_jsonld
from tests.portal.support.staff import STAFF, StaffActions
from tests.portal.support.web import csrf_token
from tests.portal.test_consent import choice, notice_of, post

PAGE = f"{STAFF}/consent/"


def table(html: str, table_id: str) -> list[list[str]]:
    """Return the body rows of a table as lists of cell texts."""
    soup = BeautifulSoup(html, "html.parser")
    found = soup.find("table", id=table_id)
    assert found is not None, f"no table #{table_id}"
    return [
        [" ".join(cell.get_text(" ", strip=True).split()) for cell in row.find_all(["th", "td"])]
        for row in found.find("tbody").find_all("tr")
    ]


def make_records(app: Flask, client: FlaskClient) -> dict[str, str]:
    """Three records (two ids: a consent later withdrawn, one from the settings) and two
    anonymous refusals (one by GPC); return the consent ids."""
    given = choice(app, accepted=["analytics"])
    settings = choice(app, accepted=["analytics"], source="settings")
    withdrawn = choice(app, accepted=[], consent_id=given["consent_id"], kind="change",
                       source="settings")  # fmt: skip
    for body in (given, settings, withdrawn):
        assert post(client, body).status_code == 201
    assert post(client, choice(app, accepted=["analytics"]), **{"Sec-GPC": "1"}).status_code == 202
    assert post(client, choice(app, accepted=[])).status_code == 202
    return {"withdrawn": given["consent_id"], "settings": settings["consent_id"]}


@pytest.fixture
def dpo(staff: StaffActions) -> StaffActions:
    staff.login(staff.create("tuula", role="dpo", totp=True))
    return staff


def test_the_counts_are_exact(app: Flask, client: FlaskClient, dpo: StaffActions) -> None:
    make_records(app, client)
    notice = notice_of(app)
    page = client.get(PAGE + "?lang=en")
    assert page.status_code == 200
    html = page.text
    assert table(html, "consent-by-revision") == [[str(notice.revision), notice.hash, "3"]]
    assert table(html, "consent-by-source") == [["Cookie banner", "1"], ["Cookie settings", "2"]]
    assert table(html, "consent-by-category") == [["Analytics", "2", "1"], ["Necessary", "3", "0"]]
    assert table(html, "consent-refusals") == [
        [str(notice.revision), "Cookie banner", "1"],
        [str(notice.revision), "Global Privacy Control (the browser's signal)", "1"],
    ]


def test_the_page_speaks_finnish_and_swedish(app: Flask, client: FlaskClient,
                                             dpo: StaffActions) -> None:  # fmt: skip
    make_records(app, client)
    finnish = client.get(PAGE + "?lang=fi").text
    assert "<h1>Suostumustallenteet</h1>" in finnish
    assert table(finnish, "consent-by-source") == [["Evästebanneri", "1"],
                                                   ["Evästeasetukset", "2"]]  # fmt: skip
    swedish = client.get(PAGE + "?lang=sv").text
    assert "<h1>Samtyckesposter</h1>" in swedish
    assert table(swedish, "consent-by-source") == [["Kakbannern", "1"],
                                                   ["Kakinställningarna", "2"]]  # fmt: skip


def test_a_lookup_shows_every_event_and_is_audited(
    app: Flask, client: FlaskClient, dpo: StaffActions, session: Session
) -> None:
    ids = make_records(app, client)
    notice = notice_of(app)
    token = csrf_token(client, PAGE + "?lang=en")  # the language is remembered from here on
    typed = ids["withdrawn"].upper()  # as a visitor may read it out: case does not matter
    response = client.post(
        f"{STAFF}/consent/lookup", data={"csrf_token": token, "consent_id": typed}
    )
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    section = soup.find("section", class_="consent-records")
    assert [h.get_text() for h in section.find_all("h3")] == ["Record 1", "Record 3"]
    facts = [
        {dt.get_text(): " ".join(dt.find_next("dd").get_text(" ", strip=True).split())
         for dt in dl.find_all("dt")}
        for dl in section.find_all("dl")
    ]  # fmt: skip
    assert [
        (f["Event"], f["Source"], f["Categories accepted"], f["Categories refused"]) for f in facts
    ] == [
        ("First choice", "Cookie banner", "Analytics, Necessary", "–"),
        ("Change", "Cookie settings", "Necessary", "Analytics"),
    ]
    assert {f["SHA-256 of the texts shown"] for f in facts} == {notice.hash}
    assert {f["Notice revision"] for f in facts} == {str(notice.revision)}
    assert {f["Language"] for f in facts} == {"Finnish"}  # not the code "fi"
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "consent.looked_up")
    ).one()
    assert (event.actor, event.detail) == ("staff", "records 1,3")
    assert ids["withdrawn"] not in event.detail


@pytest.mark.parametrize(
    ("lang", "categories", "facts"),
    [
        ("fi", [["Analytiikka", "2", "1"], ["Välttämätön", "3", "0"]],
         {"Hyväksytyt luokat": "Analytiikka, Välttämätön", "Kieli": "suomi"}),
        ("sv", [["Analys", "2", "1"], ["Nödvändig", "3", "0"]],
         {"Godkända kategorier": "Analys, Nödvändig", "Språk": "finska"}),
    ],
)  # fmt: skip
def test_categories_and_languages_are_named_as_the_banner_names_them(
    app: Flask, client: FlaskClient, dpo: StaffActions, lang: str,
    categories: list[list[str]], facts: dict[str, str],
) -> None:  # fmt: skip
    ids = make_records(app, client)
    token = csrf_token(client, PAGE + f"?lang={lang}")
    assert table(client.get(PAGE).text, "consent-by-category") == categories
    response = client.post(f"{STAFF}/consent/lookup",
                           data={"csrf_token": token, "consent_id": ids["withdrawn"]})  # fmt: skip
    first = BeautifulSoup(response.text, "html.parser").find("section", class_="consent-records").dl
    shown = {dt.get_text(): dt.find_next("dd").get_text() for dt in first.find_all("dt")}
    assert {name: shown[name] for name in facts} == facts


def test_the_export_is_dpv_jsonld_of_that_visitor_only(
    app: Flask, client: FlaskClient, dpo: StaffActions, session: Session
) -> None:
    ids = make_records(app, client)
    token = csrf_token(client, PAGE)
    response = client.post(f"{STAFF}/consent/export",
                           data={"csrf_token": token, "consent_id": ids["settings"]})  # fmt: skip
    assert response.status_code == 200
    assert response.mimetype == "application/ld+json"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="consent-records.jsonld"'
    )
    document = json.loads(response.data)
    assert [node["@id"] for node in document["@graph"]] == [
        f"urn:seloste:consent:{ids['settings']}:2"
    ]
    node = document["@graph"][0]
    assert node["seloste:source"] == "settings"
    assert node["dpv:hasConsentStatus"] == {"@id": "dpv:ConsentGiven"}
    graph = parse_jsonld(response.data)
    dpv = rdflib.Namespace("https://w3id.org/dpv#")
    subjects = list(graph.subjects(rdflib.RDF.type, dpv.ConsentRecord))
    assert subjects == [rdflib.URIRef(f"urn:seloste:consent:{ids['settings']}:2")]
    assert graph.value(subjects[0], dpv.hasDataSubject) == rdflib.URIRef(
        f"urn:uuid:{ids['settings']}"
    )
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "consent.exported")).one()
    assert event.detail == "records 2"


def test_an_unknown_or_malformed_id_is_explained(app: Flask, client: FlaskClient,
                                                 dpo: StaffActions) -> None:  # fmt: skip
    token = csrf_token(client, PAGE + "?lang=en")
    unknown = client.post(f"{STAFF}/consent/lookup",
                          data={"csrf_token": token,
                                "consent_id": "0b7a3d7e-6a55-4d0e-9b1f-3c1f0e2a9d10"})  # fmt: skip
    assert unknown.status_code == 200
    assert "No consent record has this id." in unknown.text
    malformed = client.post(f"{STAFF}/consent/lookup",
                            data={"csrf_token": token, "consent_id": "not-an-id"})  # fmt: skip
    assert malformed.status_code == 400
    assert "A consent id is 36 characters" in malformed.text
    assert 'value="not-an-id"' in malformed.text  # what was typed is kept
    missing = client.post(f"{STAFF}/consent/export",
                          data={"csrf_token": token,
                                "consent_id": "0b7a3d7e-6a55-4d0e-9b1f-3c1f0e2a9d10"})  # fmt: skip
    assert missing.status_code == 404
    assert "No consent record has this id." in missing.text


def test_only_a_dpo_or_an_admin_may_open_it(app: Flask, client: FlaskClient,
                                            staff: StaffActions) -> None:  # fmt: skip
    assert client.get(PAGE).status_code == 302  # signed out: to the sign-in page
    staff.login(staff.create("hanna", role="handler"))
    assert client.get(PAGE).status_code == 403
    assert "Consent records" not in client.get(f"{STAFF}/?lang=en").text
    staff.logout()
    staff.login(staff.create("anna", role="admin"))
    assert client.get(PAGE).status_code == 200
    queue = client.get(f"{STAFF}/?lang=en").text
    assert f'href="{PAGE}">Consent records</a>' in queue


def test_a_dpo_reads_a_request_but_acts_on_none(
    make_request: Callable[..., DataRequest], client: FlaskClient, dpo: StaffActions
) -> None:
    row = make_request()
    detail = client.get(f"{STAFF}/r/{row.reference}?lang=en")
    assert detail.status_code == 200
    assert 'class="action action-' not in detail.text  # no action form is offered
    assert dpo.post_action(row.reference, "take").status_code == 403
    assert dpo.post_action(row.reference, "note", text="Katsottu.").status_code == 403


@pytest.mark.parametrize(
    ("lang", "heading", "explanation"),
    [
        (
            "fi",
            "Ei sallittu tilillesi",
            "Käyttäjätilisi rooli ei salli tätä sivua tai toimintoa. "
            "Pyydä sitä tarvittaessa ylläpitäjältä.",
        ),
        (
            "sv",
            "Inte tillåtet för ditt konto",
            "Ditt kontos roll tillåter inte den här sidan eller åtgärden. "
            "Be en administratör om du behöver den.",
        ),
        (
            "en",
            "Not allowed for your account",
            "Your account's role does not allow this page or action. "
            "Ask an administrator if you need it.",
        ),
    ],
)
def test_a_dpo_records_no_request_and_is_not_offered_to(
    client: FlaskClient, dpo: StaffActions, lang: str, heading: str, explanation: str
) -> None:
    page = client.get(f"{STAFF}/new?lang={lang}")
    assert page.status_code == 403
    soup = BeautifulSoup(page.text, "html.parser")
    assert soup.find("h1").get_text() == heading
    assert soup.find("h1").find_next("p").get_text() == explanation
    token = csrf_token(client, f"{STAFF}/?lang={lang}")
    posted = client.post(f"{STAFF}/new", data={"csrf_token": token, "entry-name": "Aino"})
    assert posted.status_code == 403
    queue = BeautifulSoup(client.get(f"{STAFF}/?lang={lang}").text, "html.parser")
    nav = [a["href"] for a in queue.find("nav", class_="staff-nav").find_all("a")]
    assert nav == [f"{STAFF}/", PAGE]  # the queue and the consent records: no "Enter a request"


def test_a_handler_is_offered_to_record_a_request(client: FlaskClient, staff: StaffActions) -> None:
    staff.login(staff.create("hanna", role="handler"))
    assert client.get(f"{STAFF}/new?lang=en").status_code == 200
    queue = BeautifulSoup(client.get(f"{STAFF}/?lang=en").text, "html.parser")
    nav = [a["href"] for a in queue.find("nav", class_="staff-nav").find_all("a")]
    assert nav == [f"{STAFF}/", f"{STAFF}/letters", f"{STAFF}/new"]  # no consent records


def test_the_counts_say_they_are_of_the_records_held_and_purging_takes_them_off(
    app: Flask, client: FlaskClient, dpo: StaffActions, session_factory: sessionmaker[Session]
) -> None:
    """The page says what its counts count; after a purge no record is counted, the anonymous
    refusals still are. (No `session` fixture: its app context would keep the first request's
    language for every later request.)"""
    make_records(app, client)
    english = client.get(PAGE + "?lang=en").text
    scope = BeautifulSoup(english, "html.parser").find(id="consent-counts-scope")
    assert scope is not None
    assert " ".join(scope.get_text().split()) == (
        "Each record is kept for 1,460 days from the choice it records (the consent cookie's "
        "lifetime and then the time the consent may still have to be proven) and then deleted, "
        "and it leaves these counts with it: they count the records held now. Refusals of "
        "everything have no record; their counts are kept."
    )
    assert "<h2>Counts of the records held</h2>" in english
    finnish = client.get(PAGE + "?lang=fi").text
    assert "Jokainen tallenne säilytetään 1\xa0460 päivää" in finnish
    assert "<h2>Säilytettävien tallenteiden määrät</h2>" in finnish
    with session_factory() as session:
        session.execute(text("UPDATE consent_record SET expires_at = :t"),
                        {"t": dt.datetime(2020, 1, 1, tzinfo=dt.UTC)})  # fmt: skip
        session.commit()
        assert consent.purge(session) == 3
    page = client.get(PAGE + "?lang=en").text
    assert "No consent record is held." in page
    assert 'id="consent-by-source"' not in page
    assert table(page, "consent-refusals") == [
        [str(notice_of(app).revision), "Cookie banner", "1"],
        [str(notice_of(app).revision), "Global Privacy Control (the browser's signal)", "1"],
    ]
    swedish = client.get(PAGE + "?lang=sv").text
    assert "Inga samtyckesposter bevaras." in swedish
