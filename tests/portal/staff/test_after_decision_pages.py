"""What the person reads after an extended request was decided: the status page, its footer, the
verify page given the answer's receipt, and Swedish dates written as the letters write them:
"den" before a date inside a sentence, none after a term ("Mottagen: 7 december 2026 …").

A newcomer walking the demo read "Status: Decided" above "Why we need more time" (as if still
waiting), a footer promising an answer "within one month" under an extended time limit, and a
verify page that read the signed answer as a pending request ("We will answer by …") without
the decision it signs. In Swedish, "Mottagen: den 7 december 2026" stood beside "7 januari 2027".
"""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask_babel import force_locale, format_date
from sqlalchemy import select

from notice.i18n import locale_of
from portal.core import mail
from portal.core.models import DataRequest
from portal.db import get_session
from tests.portal.support.mailserver import SmtpServer
from tests.portal.support.staff import StaffActions
from tests.portal.support.web import confirm_from_mail, https_client, submit_request
from tests.portal.test_verify import post

REASONS = "Tietoja on kolmessa eri järjestelmässä."

SAYS = {
    "fi": {
        "waiting": "Miksi tarvitsemme lisäaikaa",
        "history": "Määräajan jatkaminen",
        "extended": "Ennen päätöstämme jatkoimme vastauksemme määräaikaa {date} asti.",
        "footer": (
            "Pyynnön tekeminen on maksutonta. Vastaamme kuukauden kuluessa pyynnön "
            "vastaanottamisesta tai kerromme sen kuluessa, miksi tarvitsemme lisäaikaa."
        ),
        "answer": "Tämä on kuittaus vastauksestamme pyyntöön.",
        "labels": ["Viite", "Pyyntö", "Rekisteri", "Vastaanotettu (vahvistettu)", "Päätös"],
        "decided": "Ratkaistu",
        "due": "Vastaamme viimeistään",
        "granted": "Hyväksytty",
    },
    "sv": {
        "waiting": "Varför vi behöver mer tid",
        "history": "Förlängning av tidsfristen",
        "extended": "Före vårt beslut förlängde vi tidsfristen för vårt svar till {date}.",
        "footer": (
            "Det är avgiftsfritt att göra en begäran. Vi svarar inom en månad från att vi har "
            "tagit emot den, eller meddelar inom den månaden varför vi behöver mer tid."
        ),
        "answer": "Detta är kvittot på vårt svar på begäran.",
        "labels": ["Referens", "Begäran", "Register", "Mottagen (bekräftad)", "Beslut"],
        "decided": "Avgjord",
        "due": "Vi svarar senast",
        "granted": "Beviljad",
    },
    "en": {
        "waiting": "Why we need more time",
        "history": "Extension of the time limit",
        "extended": "Before our decision, we extended the time limit of our answer to {date}.",
        "footer": (
            "Making a request is free of charge. We answer within one month of receiving it, "
            "or tell you within that month why we need more time."
        ),
        "answer": "This is the receipt of our answer to the request.",
        "labels": ["Reference", "Request", "Register", "Received (confirmed)", "Decision"],
        "decided": "Decided",
        "due": "We will answer by",
        "granted": "Granted",
    },
}


def _text(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


def _long_date(app: Flask, value: object, lang: str, *, in_text: bool = False) -> str:
    """The date as the letters write it: a term's value "8 mars 2027", and inside a sentence
    (`in_text`) Swedish "den 8 mars 2027"."""
    with app.test_request_context(), force_locale(locale_of(lang)):
        text = format_date(value, "long")
    return f"den {text}" if in_text and lang == "sv" else text


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_an_extended_request_reads_right_after_its_decision(
    app: Flask, smtp_server: SmtpServer, staff: StaffActions, lang: str
) -> None:
    says = SAYS[lang]
    person = https_client(app)
    submit_request(person, "access", lang=lang, email="maija@example.fi")
    confirmed = confirm_from_mail(person, smtp_server, "maija@example.fi")
    with app.app_context():
        row = get_session().scalars(select(DataRequest)).one()
        reference, request_id = row.reference, row.id
    staff.login(staff.create("hanna"))
    assert staff.post_action(reference, "extend", months="2", reasons=REASONS).status_code == 302

    waiting = _text(person.get(confirmed.status_path).text)
    assert says["waiting"] in waiting and REASONS in waiting  # still waiting: the reasons
    assert says["footer"] in waiting

    decided = staff.post_action(
        reference, "decide", decision="granted", actions="Lähetimme tietosi kirjeessä."
    )
    assert decided.status_code == 302, decided.status_code
    mail.send_pending(app)
    with app.app_context():
        stored = get_session().get(DataRequest, request_id)
        extended_due, decided_at = stored.extended_due_on, stored.decided_at

    page = person.get(confirmed.status_path)
    soup = BeautifulSoup(page.text, "html.parser")
    text = _text(page.text)
    headings = [h.get_text(strip=True) for h in soup.find_all("h2")]
    assert says["waiting"] not in headings  # no longer told as a wait ...
    assert says["history"] in headings  # ... but as what happened before the decision
    assert says["extended"].format(date=_long_date(app, extended_due, lang, in_text=True)) in text
    assert REASONS in text
    assert says["footer"] in text  # true under an extended time limit too
    facts = {
        dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
        for dt in soup.find("dl", class_="facts").find_all("dt")
    }
    assert facts[says["labels"][4]].endswith(", " + _long_date(app, decided_at, lang))
    letters = [li.get_text(" ", strip=True) for li in soup.select("ul.letters li")]
    assert letters and all(li.endswith(_long_date(app, decided_at, lang)) for li in letters)

    answer = person.get(f"{confirmed.status_path}/answer.json")
    assert answer.status_code == 200
    verified = post(person, lang, receipt_text=json.dumps(answer.json, ensure_ascii=False))
    result = BeautifulSoup(verified.text, "html.parser").select_one("[data-outcome]")
    assert result is not None and result["data-outcome"] == "authentic"
    assert says["answer"] in result.get_text(" ", strip=True)
    dl = result.select_one("dl.facts")
    labels = [dt.get_text(strip=True) for dt in dl.find_all("dt")]
    values = {
        dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
        for dt in dl.find_all("dt")
    }
    assert labels[:5] == says["labels"] and labels[5] == says["decided"]
    assert says["due"] not in labels  # an answer is not a promise to answer
    assert values[says["labels"][4]] == says["granted"]
    assert _long_date(app, decided_at, lang) in values[says["decided"]]
    if lang == "sv":  # a term's value reads as in the receipt e-mail: "7 januari 2027"
        assert not values["Mottagen (bekräftad)"].startswith("den ")
        assert not values["Avgjord"].startswith("den ")


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_swedish_dates_on_the_open_status_page_read_as_the_receipt_mail(
    app: Flask, smtp_server: SmtpServer, lang: str
) -> None:
    person = https_client(app)
    submit_request(person, "access", lang=lang, email="maija@example.fi")
    confirmed = confirm_from_mail(person, smtp_server, "maija@example.fi")
    with app.app_context():
        due_on = get_session().scalars(select(DataRequest)).one().effective_due
    soup = BeautifulSoup(person.get(confirmed.status_path).text, "html.parser")
    facts = {
        dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
        for dt in soup.find("dl", class_="facts").find_all("dt")
    }
    assert facts[SAYS[lang]["due"]] == _long_date(app, due_on, lang)
    receipt_mail = smtp_server.last_to("maija@example.fi").get_body(("plain",)).get_content()
    if lang == "sv":
        assert f"Vi svarar senast: {_long_date(app, due_on, lang)}" in receipt_mail
