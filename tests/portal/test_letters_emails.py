"""The e-mails that go with the Art 19 notice, the reply confirmation, the end of a pause and a
postal receipt."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from portal.core import mail
from tests.portal.support.web import confirm_from_mail, https_client, submit_request

COMMON = {
    "reference": "R7KQ2M9XW4HT",
    "right": "erasure",
    "right_title": "Poista tietoni",
    "register_name": "Asiakasrekisteri",
    "controller": "Esa Kemppainen",
    "status_url": "https://portal.example/requests/fi/status/t",
}
SUBJECTS = {
    ("art19", "fi"): "Tietojesi vastaanottajille on ilmoitettu (pyyntö R7KQ2M9XW4HT)",
    ("art19", "sv"): "Mottagarna av dina uppgifter har underrättats (begäran R7KQ2M9XW4HT)",
    ("art19", "en"): "The recipients of your data have been informed (request R7KQ2M9XW4HT)",
    ("reply_confirmed", "fi"): "Saimme vastauksesi (pyyntö R7KQ2M9XW4HT)",
    ("reply_confirmed", "sv"): "Vi har tagit emot ditt svar (begäran R7KQ2M9XW4HT)",
    ("reply_confirmed", "en"): "We received your answer (request R7KQ2M9XW4HT)",
    ("pause_ended", "fi"): "Pyyntösi R7KQ2M9XW4HT määräaika kulkee taas",
    ("pause_ended", "sv"): "Tidsfristen för din begäran R7KQ2M9XW4HT löper igen",
    ("pause_ended", "en"): "The time limit of your request R7KQ2M9XW4HT runs again",
}
SENTENCES = {
    ("art19", "fi"): "Pyyntösi käsittely on näin päättynyt.",
    ("art19", "sv"): "Därmed är handläggningen av din begäran avslutad.",
    ("art19", "en"): "This completes the handling of your request.",
    ("reply_confirmed", "fi"): "Vastauksesi mukana tuli 2 tiedostoa.",
    ("reply_confirmed", "sv"): "Ditt svar innehöll 2 filer.",
    ("reply_confirmed", "en"): "Your answer came with 2 files.",
    # The date the letter asking for information promised to tell, one day added.
    ("pause_ended", "fi"): "Odotimme vastaustasi 1 päivän, ja se lisätään vastauksemme "
    "määräaikaan: vastaamme viimeistään 7. joulukuuta 2026.",
    ("pause_ended", "sv"): "Vi väntade 1 dag på ditt svar, och den läggs till tidsfristen för "
    "vårt svar: vi svarar senast den 7 december 2026.",
    ("pause_ended", "en"): "The 1 day we waited for your answer is added to the time limit of "
    "our answer: we will answer by 7 December 2026 at the latest.",
}
PAUSE_ENDED = {"new_due_on": dt.date(2026, 12, 7), "paused_days": 1}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("template", ["art19", "reply_confirmed", "pause_ended"])
def test_the_person_s_e_mails_read_in_their_language(app: Any, template: str, lang: str) -> None:
    context = COMMON | {"files": 2} | (PAUSE_ENDED if template == "pause_ended" else {})
    with app.app_context():
        subject, text, html = mail.render_email(template, lang, context)
    assert subject == SUBJECTS[template, lang]
    assert SENTENCES[template, lang] in text and SENTENCES[template, lang] in html
    assert "%(" not in text and "None" not in text


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("fi", "Vastaanotettu: 30. marraskuuta 2026 postitse"),
        # A term's value takes no "den" in Swedish: only a date inside a sentence does.
        ("sv", "Mottagen: 30 november 2026 per post"),
        ("en", "Received: 30 November 2026 by post"),
    ],
)
def test_a_postal_receipt_e_mail_gives_the_day_and_the_channel(
    app: Any, lang: str, line: str
) -> None:
    context = COMMON | {
        "received": {
            "fi": "30. marraskuuta 2026 postitse",
            "sv": "30 november 2026 per post",
            "en": "30 November 2026 by post",
        }[lang],
        "received_at": None,
        "due_on": dt.date(2026, 12, 30),
        "fingerprint": "abab abab abab abab",
    }
    with app.app_context():
        _subject, text, _html = mail.render_email("receipt", lang, context)
    assert line in text


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("fi", r"Vastaanotettu: \d{1,2}\. [a-zä]+kuuta 20\d\d klo \d{1,2}\.\d\d Suomen aikaa"),
        ("sv", r"Mottagen: \d{1,2} [a-z]+ 20\d\d kl\. \d{1,2}\.\d\d finsk tid"),
        ("en", r"Received: \d{1,2} [A-Z][a-z]+ 20\d\d at \d\d:\d\d Finnish time"),
    ],
)
def test_a_web_receipt_e_mail_gives_the_moment_as_the_receipt_letter_does(
    app: Any, smtp_server: Any, lang: str, line: str
) -> None:
    client = https_client(app)
    submit_request(client, "access", lang)
    confirm_from_mail(client, smtp_server)
    receipt = smtp_server.receipt_to("maija@example.fi")
    text = receipt.get_body(preferencelist=("plain",)).get_content()
    html = receipt.get_body(preferencelist=("html",)).get_content()
    found = re.search(line, text)
    assert found is not None, text
    assert found[0] in html  # the same words in both parts, never "3.57.52 +0200" or "EET"


DIRECT_MARKETING = {
    "fi": "Suoramarkkinoinnin vastustamisesi tuli voimaan heti {received}. Emme enää käsittele "
    "henkilötietojasi suoramarkkinointia varten. Tätä vastustamista ei voi hylätä (tietosuoja-"
    "asetuksen 21 artiklan 3 kohta).",
    "sv": "Din invändning mot direktmarknadsföring trädde i kraft omedelbart {received}. Vi "
    "behandlar inte längre dina personuppgifter för direktmarknadsföring. En sådan invändning "
    "kan inte avslås (artikel 21.3 i dataskyddsförordningen).",
    "en": "Your objection to direct marketing took effect immediately on {received}. We no longer "
    "process your personal data for direct marketing. This objection cannot be refused (Article "
    "21(3) GDPR).",
}
RECEIVED_LINE = {"fi": "Vastaanotettu: ", "sv": "Mottagen: ", "en": "Received: "}
IN_TEXT = {"sv": "den "}
"""Swedish writes "den" before a date in a sentence ("trädde i kraft omedelbart den 7 december"),
not after a term ("Mottagen: 7 december …")."""


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_direct_marketing_objection_s_receipt_e_mail_says_it_took_effect(
    app: Any, smtp_server: Any, lang: str
) -> None:
    # Art 21(3): not only "we will answer by …", as the receipt PDF says it too, in its words.
    client = https_client(app)
    submit_request(client, "objection", lang)
    confirm_from_mail(client, smtp_server)
    receipt = smtp_server.receipt_to("maija@example.fi")
    text = receipt.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    html = receipt.get_body(preferencelist=("html",)).get_content()
    received = next(
        line.removeprefix(RECEIVED_LINE[lang])
        for line in text.splitlines()
        if line.startswith(RECEIVED_LINE[lang])
    )
    assert not received.startswith("den ")
    said = DIRECT_MARKETING[lang].format(received=IN_TEXT.get(lang, "") + received)
    assert f"\n\n{said}\n\n" in text, text
    assert "\n\n\n" not in text
    assert said in " ".join(html.split()), html


def test_other_receipt_e_mails_say_nothing_of_direct_marketing(app: Any, smtp_server: Any) -> None:
    client = https_client(app)
    submit_request(client, "objection", "en", direct_marketing=None, publishing="y")
    confirm_from_mail(client, smtp_server)
    receipt = smtp_server.receipt_to("maija@example.fi")
    assert "direct marketing" not in receipt.get_body(preferencelist=("plain",)).get_content()


@pytest.mark.parametrize(
    ("lang", "in_sentence", "after_term"),
    [
        (
            "fi",
            "Pyyntösi pysyy kirjattuna, ja vastaamme siihen viimeistään 30. joulukuuta 2026.",
            "Uusi määräaika: 30. joulukuuta 2026",
        ),
        (
            "sv",
            "Din begäran förblir registrerad, och vi svarar senast den 30 december 2026.",
            "Ny tidsfrist: 30 december 2026",
        ),
        (
            "en",
            "Your request stays registered, and we will answer it by 30 December 2026 at the "
            "latest.",
            "New time limit: 30 December 2026",
        ),
    ],
)
def test_a_date_in_an_e_mail_s_sentence_and_after_a_term(
    app: Any, lang: str, in_sentence: str, after_term: str
) -> None:
    # Swedish: "den" before a date inside a sentence, none after a term (as in the letters).
    due = dt.date(2026, 12, 30)
    info = COMMON | {"message": "Kerro asiakasnumerosi.", "reason": "identity", "due_on": due}
    extension = COMMON | {"due_on": dt.date(2026, 11, 30), "extended_due_on": due, "reasons": "x"}
    with app.app_context():
        _subject, asked, asked_html = mail.render_email("info_request", lang, info)
        _subject, extended, extended_html = mail.render_email("extension", lang, extension)
    assert in_sentence in " ".join(asked.split()) and in_sentence in " ".join(asked_html.split())
    assert after_term in extended and after_term in extended_html
