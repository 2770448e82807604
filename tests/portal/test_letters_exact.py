# ruff: noqa: E501 - the lines of a letter are compared whole, one per line
"""Letters as the person reads them: every line of the receipt in fi, sv and en, and the exact
lines of a decision, an extension notice and an information request.

The letters are rendered to HTML (not PDF: fast) from the project's content; the sender's address
block is left out (it is the content's, not the letter's). The receipt's fingerprint and key id
come from the sealed request itself, so a change to the seal's format does not break these tests
but a letter that drops or misplaces them does; the signed JSON itself is never among the lines.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from markupsafe import Markup
from pypdf import PdfReader

from notice.loader import Content, load_content
from portal.core.letters import (
    LetterError,
    letter_attachment,
    letter_body,
    letter_filename,
    letter_pdf,
    paragraphs,
    receipt_filename,
    received_text,
    render_html,
)
from portal.core.models import DataRequest, Letter
from portal.core.seal import SigningKey, fingerprint, key_id, seal_request
from tests import REPO_ROOT
from tests.portal.support.requests import new_request

KEY_URL = "https://www.proleader.fi/tietosuoja/.well-known/seloste/receipt-key.pem"
# 22.30 UTC on 3 February is already 4 February in Helsinki: the letter's date is Finnish.
LATE_EVENING = dt.datetime(2025, 2, 3, 22, 30, tzinfo=dt.UTC)
POSTAL = {"received_on": "2025-01-30", "postal_address": "Katu 1\n00100 Helsinki"}


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(REPO_ROOT / "content")


@pytest.fixture(scope="module")
def key() -> SigningKey:
    private = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    return SigningKey(private, key_id(private.public_key()))


def lines(html: str) -> list[str]:
    """Return the letter's text lines as a reader sees them, without the sender's address."""
    soup = BeautifulSoup(html, "html.parser")
    sender = soup.select_one("address.sender")
    assert sender is not None and soup.body is not None
    sender.decompose()
    return [
        line for line in (" ".join(x.split()) for x in soup.body.get_text("\n").split("\n")) if line
    ]


def receipt_lines(lang: str, request: DataRequest) -> list[str]:
    seal = {
        "fingerprint": fingerprint(request.seal_digest or ""),
        "key": request.seal_key_id,
        "verify": f"https://portal.example/requests/{lang}/verify",
    }
    return [line.format(**seal) for line in RECEIPT[lang]]


RECEIPT = {
    "fi": [
        "Päivämäärä",
        "4. helmikuuta 2025",
        "Viite",
        "R7KQ2M9XW4HT",
        "Äijälä Åsa",
        "Katu 1",
        "00100 Helsinki",
        "Kuittaus pyyntösi vastaanottamisesta",
        "Olemme vastaanottaneet pyyntösi. Tästä kuittauksesta näet, mitä lähetit meille ja milloin. Kuittaus on varmennettu sähköisellä allekirjoituksellamme, joten voit myöhemmin osoittaa pyyntösi sisällön ja päivämäärät.",
        "Pyyntö",
        "Tarkastusoikeus (tietosuoja-asetuksen 15 artikla)",
        "Rekisteri",
        "Asiakasrekisteri",
        "Vastaanotettu",
        "30. tammikuuta 2025 postitse",
        "Vastaamme viimeistään",
        "28. helmikuuta 2025",
        "Vastaamme kuukauden kuluessa pyyntösi vastaanottamisesta (tietosuoja-asetuksen 12 artiklan 3 kohta). Jos pyyntö on monimutkainen tai saamme paljon pyyntöjä, voimme jatkaa määräaikaa enintään kahdella kuukaudella; ilmoittaisimme siitä perusteluineen ennen yllä olevaa päivämäärää. Pyynnön käsittely on maksutonta.",
        "Näin seuraat pyyntöäsi",
        "Kirjoitamme sinulle osoitteeseen asa.aijala@example.fi, kun vastaamme, tai jos tarvitsemme sinulta lisätietoja. Sähköpostissa, jonka mukana lähetimme tämän kuittauksen, on linkki pyyntösi tilasivulle. Siellä voit seurata, miten pyyntösi etenee. Älä jaa linkkiä muille.",
        "Näin tarkistat kuittauksen",
        "Säilytä tämä PDF-tiedosto sellaisenaan: allekirjoitettu kuittauksemme on liitetty sen sisään tiedostona kuitti-R7KQ2M9XW4HT.json. Voit ladata saman tiedoston myös pyyntösi tilasivulta.",
        "Tarkista kuittaus lataamalla tämä PDF-tiedosto tai kuittaustiedosto osoitteessa {verify}. Sivu kertoo, onko kuittaus aito, ja näyttää, mitä allekirjoituksemme kattaa.",
        f"Kuka tahansa voi tarkistaa sen myös julkisella avaimellamme, joka on julkaistu osoitteessa {KEY_URL} (avaimen tunniste {{key}}).",
        "Tämän kuittauksen sormenjälki",
        "{fingerprint}",
        "Kun tarkistat kuittauksen, sivu näyttää tämän saman sormenjäljen. Jos kuittauksesta on muutettu yksikin merkki, tarkistus epäonnistuu.",
        "Tämän kirjeen lähetti Esa Kemppainen, henkilötietojesi rekisterinpitäjä.",
        "Kysymykset: esa.kemppainen@proleader.fi.",
        "Mainitse viite R7KQ2M9XW4HT.",
    ],
    "sv": [
        "Datum",
        "4 februari 2025",
        "Referens",
        "R7KQ2M9XW4HT",
        "Äijälä Åsa",
        "Katu 1",
        "00100 Helsinki",
        "Kvitto på din begäran",
        "Vi har tagit emot din begäran. Detta kvitto visar vad du skickade till oss och när. Det är förseglat med vår digitala signatur, så att du senare kan bevisa innehållet och datumen.",
        "Begäran",
        "Rätt till tillgång (artikel 15 i dataskyddsförordningen)",
        "Register",
        "Kundregister",
        "Mottagen",
        "30 januari 2025 per post",
        "Vi svarar senast",
        "28 februari 2025",
        "Vi svarar inom en månad från att vi tog emot din begäran (artikel 12.3 i dataskyddsförordningen). Om begäran är komplicerad eller vi får många begäranden kan vi förlänga tiden med högst två månader; i så fall meddelar vi dig det, med skälen, före datumet ovan. Behandlingen av din begäran är kostnadsfri.",
        "Så följer du din begäran",
        "Vi skriver till dig på asa.aijala@example.fi när vi svarar, eller om vi behöver fler uppgifter från dig. E-postmeddelandet som vi skickade dig med detta kvitto innehåller länken till statussidan för din begäran, där du kan följa hur den framskrider. Dela inte länken med andra.",
        "Så kontrollerar du kvittot",
        "Spara denna PDF-fil som du fick den: vårt signerade kvitto finns som bilaga inuti den, som filen kvitto-R7KQ2M9XW4HT.json. Du kan också ladda ner den filen från statussidan för din begäran.",
        "Kontrollera kvittot genom att ladda upp denna PDF-fil, eller kvittofilen, på {verify}. Sidan visar om kvittot är äkta och vad vår signatur omfattar.",
        f"Vem som helst kan också kontrollera det med vår publika nyckel, publicerad på {KEY_URL} (nyckel-id {{key}}).",
        "Kvittots fingeravtryck",
        "{fingerprint}",
        "När du kontrollerar kvittot visar sidan samma fingeravtryck. Om ens ett tecken i kvittot har ändrats misslyckas kontrollen.",
        "Detta brev har skickats av Esa Kemppainen, personuppgiftsansvarig för dina personuppgifter.",
        "Frågor: esa.kemppainen@proleader.fi.",
        "Ange referensen R7KQ2M9XW4HT.",
    ],
    "en": [
        "Date",
        "4 February 2025",
        "Reference",
        "R7KQ2M9XW4HT",
        "Äijälä Åsa",
        "Katu 1",
        "00100 Helsinki",
        "Receipt of your request",
        "We have received your request. This receipt shows what you sent us and when. It is sealed with our digital signature, so you can later prove its content and dates.",
        "Request",
        "Right of access (Article 15 GDPR)",
        "Register",
        "Customer register",
        "Received",
        "30 January 2025 by post",
        "We answer by",
        "28 February 2025",
        "We answer within one month of receiving your request (Article 12(3) GDPR). If the request is complex or we receive many requests, we may extend this by at most two further months; we would tell you so, with the reasons, before the date above. Handling your request is free of charge.",
        "Following your request",
        "We will write to you at asa.aijala@example.fi when we answer, or if we need more information from you. The e-mail we sent you with this receipt has the link to the status page of your request, where you can follow how it is progressing. Keep that link to yourself.",
        "How to verify this receipt",
        "Keep this PDF as you received it: our signed receipt is attached inside it, as the file receipt-R7KQ2M9XW4HT.json. You can also download that file from the status page of your request.",
        "To check the receipt, upload this PDF, or that file, at {verify}. The page tells you whether the receipt is authentic and shows what our signature covers.",
        f"Anyone can also check it with our public key, published at {KEY_URL} (key id {{key}}).",
        "Fingerprint of this receipt",
        "{fingerprint}",
        "When you check the receipt, the page shows this same fingerprint. If even one character of the receipt has been changed, the check fails.",
        "This letter was sent by Esa Kemppainen, the controller of your personal data.",
        "Questions: esa.kemppainen@proleader.fi.",
        "Please quote the reference R7KQ2M9XW4HT.",
    ],
}
TITLES = {
    "fi": "Kuittaus pyyntösi vastaanottamisesta – Esa Kemppainen",
    "sv": "Kvitto på din begäran – Esa Kemppainen",
    "en": "Receipt of your request – Esa Kemppainen",
}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_receipt_letter_line_by_line(content: Content, key: SigningKey, lang: str) -> None:
    request = new_request(language=lang, channel="post", details=POSTAL)
    seal_request(request, key)
    html = render_html(
        "receipt",
        request,
        lang,
        content=content,
        verify_url=f"https://portal.example/requests/{lang}/verify",
        now=LATE_EVENING,
    )
    assert lines(html) == receipt_lines(lang, request)
    assert f"<title>{TITLES[lang]}</title>" in html
    assert '<link rel="stylesheet" href="/static/css/letters.css">' in html
    assert f'<html lang="{lang}">' in html


def postal_receipt(
    content: Content, key: SigningKey, postal_address: str
) -> tuple[str, DataRequest]:
    """Return the Finnish receipt's HTML of a postal request to `postal_address`, and the request."""
    details = {**POSTAL, "postal_address": postal_address}
    request = new_request(language="fi", channel="post", details=details)
    seal_request(request, key)
    verify_url = "https://portal.example/requests/fi/verify"
    html = render_html(
        "receipt", request, "fi", content=content, verify_url=verify_url, now=LATE_EVENING
    )
    return html, request


def address_window(html: str) -> list[str]:
    """Return the lines of a letter's address window (the person's name and address)."""
    window = BeautifulSoup(html, "html.parser").select_one("address.recipient")
    assert window is not None
    return [" ".join(x.split()) for x in window.get_text("\n").split("\n") if x.strip()]


@pytest.mark.parametrize(
    "typed",
    [
        "Äijälä Åsa\nKatu 1\n00100 Helsinki",
        "  äijälä   åsa \n\nKatu 1\n00100 Helsinki\n",
    ],
)
def test_an_address_typed_with_the_name_first_prints_the_name_once(
    content: Content, key: SigningKey, typed: str
) -> None:
    # Staff type an address block as on an envelope, name first; the letter prints the name above
    # the address itself, so the window read "Äijälä Åsa / Äijälä Åsa / Katu 1 / …".
    html, request = postal_receipt(content, key, typed)
    assert address_window(html) == ["Äijälä Åsa", "Katu 1", "00100 Helsinki"]
    text = " ".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(letter_pdf("receipt", html, "fi", request))).pages
    )
    assert text.count("Äijälä Åsa") == 1


def test_an_address_that_only_begins_like_the_name_is_printed_whole(
    content: Content, key: SigningKey
) -> None:
    html, _ = postal_receipt(content, key, "Äijälä Åsa c/o Mäkinen\nKatu 1\n00100 Helsinki")
    assert address_window(html) == [
        "Äijälä Åsa",
        "Äijälä Åsa c/o Mäkinen",
        "Katu 1",
        "00100 Helsinki",
    ]


def test_a_receipt_needs_a_sealed_request(content: Content) -> None:
    for request in (
        new_request(),
        new_request(sealed_payload="{}"),
        new_request(seal_signature="s"),
    ):
        with pytest.raises(LetterError, match="^a receipt needs a sealed request$"):
            render_html("receipt", request, "fi", content=content, verify_url="v")


TAIL = [
    "Right to lodge a complaint",
    "If you consider that we process your personal data in breach of the General Data Protection Regulation, or that we did not handle your request correctly, you have the right to lodge a complaint with the supervisory authority (Article 77 GDPR):",
    "Office of the Data Protection Ombudsman",
    "Lintulahdenkuja 4, 00530 Helsinki",
    "Postal address: P.O. Box 800, 00531 Helsinki, Finland",
    "Telephone: 029 566 6700",
    "E-mail: tietosuoja@om.fi",
    "https://tietosuoja.fi/en/contact-information",
    "Right to a judicial remedy",
    "You also have the right to take the matter to court (Articles 78 and 79 GDPR). A claim against us can be brought before a district court (käräjäoikeus). Under Article 79(2) GDPR you may bring it before the courts of the country where you have your habitual residence (in Finland, the district court of your home municipality) or of the country where we are established. A decision of the Data Protection Ombudsman can be appealed to the administrative court (hallinto-oikeus).",
    "This letter was sent by Esa Kemppainen, the controller of your personal data.",
    "Questions: esa.kemppainen@proleader.fi.",
    "Please quote the reference R7KQ2M9XW4HT.",
]
HEAD = [
    "Date",
    "3 February 2025",
    "Reference",
    "R7KQ2M9XW4HT",
    "Äijälä Åsa",
    "asa.aijala@example.fi",
]


def english(content: Content, kind: str, request: DataRequest, **context: Any) -> list[str]:
    html = render_html(
        kind,
        request,
        "en",
        content=content,
        verify_url="v",
        now=dt.datetime(2025, 2, 3, 9, tzinfo=dt.UTC),
        **context,
    )
    return lines(html)


def test_a_granted_decision_line_by_line(content: Content) -> None:
    request = new_request(language="en", decision="granted")
    assert english(content, "decision", request) == [
        *HEAD,
        "Decision on your request",
        "This is our decision on your request concerning the right of access (Article 15 GDPR) in the register “Customer register”, received on 31 January 2025 at 10:30 Finnish time.",
        "Your request is granted.",
        *TAIL,
    ]


def test_a_partial_erasure_decision_says_what_was_done_from_the_request(
    content: Content,
) -> None:
    request = new_request(
        language="en",
        right="erasure",
        decision="partly_granted",
        decision_reasons="Accounting Act.",
        decision_actions="We erased the marketing data.",
    )
    assert english(content, "decision", request) == [
        *HEAD,
        "Decision on your request",
        "This is our decision on your request concerning the right to erasure (Article 17 GDPR) in the register “Customer register”, received on 31 January 2025 at 10:30 Finnish time.",
        "Your request is partly granted.",
        "Reasons",
        "Accounting Act.",
        "What we have done",
        "We erased the marketing data.",
        "Recipients of your data",
        "We will communicate the rectification, erasure or restriction to each recipient to whom your data has been disclosed, unless this proves impossible or involves disproportionate effort (Article 19 GDPR). When we have done so, we will send you a notice that names these recipients.",
        *TAIL,
    ]


def test_a_decision_of_a_register_no_longer_in_the_content_names_its_id(content: Content) -> None:
    request = new_request(language="en", decision="granted", register_id="vanha_rekisteri")
    assert english(content, "decision", request)[7] == (
        "This is our decision on your request concerning the right of access (Article 15 GDPR) in the register “vanha_rekisteri”, received on 31 January 2025 at 10:30 Finnish time."
    )


EXTENSION = [
    *HEAD,
    "Extension of the time limit",
    "We received your request concerning the right of access (Article 15 GDPR) in the register “Customer register” on 31 January 2025 at 10:30 Finnish time.",
    "We need more time to answer it. Under Article 12(3) GDPR, the time limit of one month can be extended by at most two further months where necessary, taking into account the complexity and number of requests. We give you this notice within one month of receiving your request, as Article 12(3) requires.",
    "Original time limit",
    "28 February 2025",
    "New time limit",
    "28 April 2025",
    "Reasons for the extension",
]


def test_an_extension_notice_line_by_line_with_the_reasons_given(content: Content) -> None:
    request = new_request(
        language="en",
        extended_due_on=dt.date(2025, 4, 28),
        extension_reason="Many requests.\n\nOld archive.",
    )
    assert english(content, "extension", request) == [
        *EXTENSION,
        "Many requests.",
        "Old archive.",
        *TAIL,
    ]
    # Reasons given with the action take the place of the stored ones.
    assert english(content, "extension", request, reasons="Given now.") == [
        *EXTENSION,
        "Given now.",
        *TAIL,
    ]


@pytest.mark.parametrize(
    ("changes", "context"),
    [
        ({"extension_reason": "r"}, {}),
        ({"extended_due_on": dt.date(2025, 4, 28)}, {}),
        ({"extended_due_on": dt.date(2025, 4, 28), "extension_reason": ""}, {"reasons": ""}),
    ],
)
def test_an_extension_needs_a_new_date_and_reasons(
    content: Content, changes: dict[str, Any], context: dict[str, Any]
) -> None:
    with pytest.raises(
        LetterError, match="^an extension notice needs `extended_due_on` and reasons$"
    ):
        english(content, "extension", new_request(**changes), **context)


def test_an_information_request_line_by_line(content: Content) -> None:
    request = new_request(language="en")
    assert english(
        content, "info_request", request, message="Tell us\nyour number.", reason="identity"
    ) == [
        *HEAD,
        "Request for more information",
        "We are handling your request concerning the right of access (Article 15 GDPR) in the register “Customer register”.",
        "We received it on 31 January 2025 at 10:30 Finnish time.",
        "What we ask of you",
        "Tell us",
        "your number.",
        "Why we ask",
        "We have reasonable doubts about whether the request comes from you, and we must not give your data to anyone else (Article 12(6) GDPR). We ask only for what we need to confirm your identity.",
        "Please do not send a copy of an identity document unless we ask for one above. If we check a document, we do not keep it after the check. A notarised or certified copy is never needed.",
        "How to reply",
        "Reply on the status page of your request: open the link in the e-mail that brought you this letter and write your answer in the form there. You can attach files to it.",
        "Your request stays registered, and we will answer it by 28 February 2025 at the latest.",
        "This letter was sent by Esa Kemppainen, the controller of your personal data.",
        "Questions: esa.kemppainen@proleader.fi.",
        "Please quote the reference R7KQ2M9XW4HT.",
    ]


@pytest.mark.parametrize(
    ("kind", "changes", "context", "message"),
    [
        (
            "memo",
            {},
            {},
            "unknown letter kind 'memo'; known: receipt, info_request, pause_ended, extension, "
            "decision, art19",
        ),
        (
            "info_request",
            {},
            {"message": "m", "reason": ""},
            "an information request needs `message` and `reason`",
        ),
        (
            "info_request",
            {},
            {"message": "", "reason": "identity"},
            "an information request needs `message` and `reason`",
        ),
        ("pause_ended", {}, {}, "the letter ending a pause needs `new_due_on`"),
        ("decision", {"decision": ""}, {}, "a decision letter needs the request's decision"),
        (
            "decision",
            {"decision": "refused", "decision_reasons": ""},
            {},
            "a refusal or partial decision needs reasons (Art 12(4))",
        ),
        (
            "art19",
            {"right": "access", "decision": "granted"},
            {"outcomes": []},
            "an Art 19 notice needs a rectification, erasure or restriction",
        ),
        (
            "art19",
            {"right": "erasure", "decision": None},
            {"outcomes": []},
            "an Art 19 notice needs a rectification, erasure or restriction",
        ),
        (
            "art19",
            {"right": "restriction", "decision": "granted"},
            {},
            "an Art 19 notice needs `outcomes` (recipient, outcome, reason)",
        ),
    ],
)
def test_a_letter_that_cannot_say_what_it_must_is_refused_with_the_reason(
    content: Content, kind: str, changes: dict[str, Any], context: dict[str, Any], message: str
) -> None:
    with pytest.raises(LetterError) as caught:
        render_html(kind, new_request(**changes), "fi", content=content, verify_url="v", **context)
    assert str(caught.value) == message


def test_a_letter_in_a_language_without_letters_is_refused(content: Content) -> None:
    with pytest.raises(LetterError) as caught:
        render_html(
            "decision", new_request(decision="granted"), "de", content=content, verify_url="v"
        )
    assert str(caught.value) == "no letters in language 'de'"


@pytest.mark.parametrize(
    ("lang", "web", "by_channel"),
    [
        (
            "fi",
            "31. tammikuuta 2025 klo 10.30 Suomen aikaa",
            {
                "post": "30. tammikuuta 2025 postitse",
                "phone": "30. tammikuuta 2025 puhelimitse",
                "email": "30. tammikuuta 2025 sähköpostitse",
                "in_person": "30. tammikuuta 2025 henkilökohtaisesti",
            },
        ),
        (
            "sv",
            "31 januari 2025 kl. 10.30 finsk tid",
            {
                "post": "30 januari 2025 per post",
                "phone": "30 januari 2025 per telefon",
                "email": "30 januari 2025 per e-post",
                "in_person": "30 januari 2025 personligen",
            },
        ),
        (
            "en",
            "31 January 2025 at 10:30 Finnish time",
            {
                "post": "30 January 2025 by post",
                "phone": "30 January 2025 by telephone",
                "email": "30 January 2025 by e-mail",
                "in_person": "30 January 2025 in person",
            },
        ),
    ],
)
def test_when_and_how_a_request_was_received(
    lang: str, web: str, by_channel: dict[str, str]
) -> None:
    assert received_text(new_request(), lang) == web
    on_day = {"received_on": "2025-01-30"}
    for channel, said in by_channel.items():
        assert received_text(new_request(channel=channel, details=on_day), lang) == said
    # A day without a channel phrase, or a channel without a day: the moment it was received.
    assert received_text(new_request(channel="web", details=on_day), lang) == web
    assert received_text(new_request(channel="post", details={}), lang) == web
    assert received_text(new_request(channel="post", details=None), lang) == web
    assert received_text(new_request(channel="post", details={"received_on": 5}), lang) == web
    assert received_text(new_request(channel=None, received_at=None), lang) == ""
    # Inside a sentence ("We received it on …") Swedish puts "den" before the date; a term's
    # value ("Received: …") takes none. Finnish and English write both alike.
    article = {"sv": "den "}.get(lang, "")
    assert received_text(new_request(), lang, in_text=True) == article + web
    for channel, said in by_channel.items():
        request = new_request(channel=channel, details=on_day)
        assert received_text(request, lang, in_text=True) == article + said


def test_staff_text_becomes_escaped_paragraphs() -> None:
    assert paragraphs("a\r\nb <i>\n\n\n\n c \n\n") == Markup("<p>a<br>\nb &lt;i&gt;</p>\n<p>c</p>")
    assert paragraphs("one") == Markup("<p>one</p>")
    assert paragraphs("") == Markup("") and paragraphs(None) == Markup("")


def test_a_stored_letter_shown_on_a_page_is_its_body() -> None:
    html = '<html><head><title>t</title></head><body class="letter">\n<p>Hei</p>\n</body></html>'
    assert letter_body(html) == Markup("\n<p>Hei</p>\n")
    assert letter_body("<p>no body</p>") == Markup("")
    assert letter_body("<body></body>") == Markup("")
    assert letter_body("x</body>y") == Markup("")  # an end without a start is no body


FILE_NAMES = {
    "fi": {
        "receipt": "kuitti-R7KQ.pdf",
        "info_request": "lisatietopyynto-R7KQ.pdf",
        "extension": "maaraajan-jatkaminen-R7KQ.pdf",
        "decision": "paatos-R7KQ.pdf",
        "art19": "ilmoitus-vastaanottajille-R7KQ.pdf",
    },
    "sv": {
        "receipt": "kvitto-R7KQ.pdf",
        "info_request": "begaran-om-uppgifter-R7KQ.pdf",
        "extension": "forlangd-tidsfrist-R7KQ.pdf",
        "decision": "beslut-R7KQ.pdf",
        "art19": "meddelande-till-mottagare-R7KQ.pdf",
    },
    "en": {
        "receipt": "receipt-R7KQ.pdf",
        "info_request": "info-request-R7KQ.pdf",
        "extension": "extension-R7KQ.pdf",
        "decision": "decision-R7KQ.pdf",
        "art19": "art19-R7KQ.pdf",
    },
}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_file_names_of_a_letter_and_its_receipt_are_in_its_language(lang: str) -> None:
    for kind, name in FILE_NAMES[lang].items():
        letter = Letter(kind=kind, language=lang, html="", pdf=b"%PDF-1.7", sha256=None)
        assert letter_filename(letter, "R7KQ") == name
        assert name.isascii()  # every mail program and file system keeps it as it is
    assert letter_attachment(letter, "R7KQ") == (
        FILE_NAMES[lang]["art19"],
        "application/pdf",
        b"%PDF-1.7",
    )
    receipt = {"fi": "kuitti-RABC.json", "sv": "kvitto-RABC.json", "en": "receipt-RABC.json"}
    assert receipt_filename(new_request(reference="RABC", language=lang)) == receipt[lang]
    letter.pdf = None
    with pytest.raises(LetterError, match="^the letter has no PDF$"):
        letter_attachment(letter, "R7KQ")


@pytest.mark.parametrize(
    "html",
    [
        "<html><head><title>t</title></head><body></body></html>",
        '<html><head><link rel="stylesheet" href="/x.css"></head><body></body></html>',
    ],
)
def test_a_stored_letter_without_its_stylesheet_or_title_makes_no_pdf(html: str) -> None:
    with pytest.raises(LetterError, match="^the stored letter has no stylesheet link or no title$"):
        letter_pdf("decision", html, "fi", new_request())


def test_what_the_person_typed_is_shown_as_text_never_as_markup(content: Content) -> None:
    request = new_request(language="en", decision="granted", name='Åsa <b>Ä</b> & "Co"')
    assert english(content, "decision", request)[4] == 'Åsa <b>Ä</b> & "Co"'


def _content_with_site(tmp_path: Path, old: str, new: str) -> Content:
    copy = tmp_path / "content"
    shutil.copytree(REPO_ROOT / "content", copy)
    site = copy / "site.yaml"
    text = site.read_text(encoding="utf-8")
    assert old in text
    site.write_text(text.replace(old, new, 1), encoding="utf-8")
    return load_content(copy)


def test_questions_go_to_the_sites_contact_else_to_the_controller(tmp_path: Path) -> None:
    contact = _content_with_site(
        tmp_path / "a",
        "contact:\n  name: Esa Kemppainen\n  street_address: Impivaarantie 25\n"
        "  phone: 050 304 4671\n  email: esa.kemppainen@proleader.fi\n",
        "contact:\n  name: Tietosuoja\n  email: tietosuoja@proleader.example\n",
    )
    request = new_request(language="en", decision="granted")
    assert english(contact, "decision", request)[-2:] == [
        "Questions: tietosuoja@proleader.example.",
        "Please quote the reference R7KQ2M9XW4HT.",
    ]
    controller_only = _content_with_site(
        tmp_path / "b",
        "contact:\n  name: Esa Kemppainen\n  street_address: Impivaarantie 25\n"
        "  phone: 050 304 4671\n  email: esa.kemppainen@proleader.fi\n",
        "",
    )
    assert english(controller_only, "decision", request)[-2:] == [
        "Questions: esa.kemppainen@proleader.fi.",
        "Please quote the reference R7KQ2M9XW4HT.",
    ]


def test_a_themed_letter_has_the_display_name_and_the_embedded_logo_in_its_letterhead() -> None:
    themed = REPO_ROOT / "tests" / "fixtures" / "themed"
    request = new_request(language="en", decision="granted")
    html = render_html(
        "decision",
        request,
        "en",
        content=load_content(themed),
        verify_url="v",
        now=dt.datetime(2025, 2, 3, 9, tzinfo=dt.UTC),
    )
    brand = BeautifulSoup(html, "html.parser").select_one("header.letterhead .brand")
    assert brand is not None
    assert brand.get_text() == "City of Kuntala"
    logo = (themed / "images" / "kuntala-logo.svg").read_bytes()
    assert [img.attrs for img in brand.find_all("img")] == [
        {
            "class": ["brand-logo"],
            "src": "data:image/svg+xml;base64," + base64.b64encode(logo).decode("ascii"),
            "alt": "",
        }
    ]


IDENTIFIED_AS = {
    "fi": "tunnistettu vahvasti: Åsa Äijälä (Kehityskäytön tunnistuspalvelu – vain esittelyyn), "
    "31. tammikuuta 2025 klo 12.28 Suomen aikaa",
    "sv": "starkt identifierad som Åsa Äijälä (Identifieringstjänst för utveckling – endast demo), "
    "31 januari 2025 kl. 12.28 finsk tid",
    "en": "strongly identified as Åsa Äijälä (Development identity provider – demo only), "
    "31 January 2025 at 12:28 Finnish time",
}


@pytest.mark.parametrize(
    "recorded",
    ["Development identity provider – demo only", "Development identity provider (demo only)"],
    ids=["now", "earlier"],
)
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_receipt_names_the_demo_identity_provider_in_the_letters_language(
    content: Content, key: SigningKey, lang: str, recorded: str
) -> None:
    from portal.core.models import RequestIdentity

    request = new_request(language=lang)
    request.identity = RequestIdentity(
        method="oidc",
        provider=recorded,  # as a demo records it now, and as an older one did
        name="Åsa Äijälä",
        subject_hash="ab" * 32,
        level="",
        identified_at=dt.datetime(2025, 1, 31, 10, 28, tzinfo=dt.UTC),
    )
    seal_request(request, key)
    html = render_html("receipt", request, lang, content=content, verify_url="v", now=LATE_EVENING)
    # The identification line reads the provider's name in the letter's language; the sealed
    # JSON below it keeps the name as recorded.
    assert IDENTIFIED_AS[lang] in lines(html)  # one pair of brackets, never "(… (…))"
