"""Letters: every kind renders in fi, en and sv with what the law asks, as HTML and tagged PDF."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from flask import Flask
from pypdf import PdfReader
from sqlalchemy.orm import Session

from notice import i18n as notice_i18n
from notice.loader import Content, load_content
from notice.pdf import embedded_fonts
from portal import catalogs, db
from portal.core import notify
from portal.core.letters import (
    KINDS,
    LANGUAGES,
    LetterError,
    RenderedLetter,
    issue_letter,
    letter_attachment,
    letter_context,
    letter_title,
    render_html,
    render_letter,
    translations,
)
from portal.core.models import DataRequest
from portal.core.seal import load_or_create_key, receipt, seal_request
from tests.portal.support.requests import new_request
from tests.portal.support.web import content_with_portal_url

VERIFY_URL = "https://portal.example/requests/{lang}/verify"

TITLES = {
    ("receipt", "fi"): "Kuittaus pyyntösi vastaanottamisesta",
    ("receipt", "en"): "Receipt of your request",
    ("receipt", "sv"): "Kvitto på din begäran",
    ("info_request", "fi"): "Lisätietopyyntö",
    ("info_request", "en"): "Request for more information",
    ("info_request", "sv"): "Begäran om ytterligare uppgifter",
    ("pause_ended", "fi"): "Pyyntösi määräaika kulkee taas",
    ("pause_ended", "en"): "The time limit of your request runs again",
    ("pause_ended", "sv"): "Tidsfristen för din begäran löper igen",
    ("extension", "fi"): "Määräajan jatkaminen",
    ("extension", "en"): "Extension of the time limit",
    ("extension", "sv"): "Förlängning av tidsfristen",
    ("decision", "fi"): "Päätös pyyntöösi",
    ("decision", "en"): "Decision on your request",
    ("decision", "sv"): "Beslut om din begäran",
    ("art19", "fi"): "Ilmoitus tietojesi vastaanottajille",
    ("art19", "en"): "Informing the recipients of your data",
    ("art19", "sv"): "Meddelande till mottagarna av dina uppgifter",
}


@pytest.fixture(scope="module")
def content(repo_root: Path) -> Content:
    return load_content(repo_root / "content")


def letter_request(kind: str, lang: str, tmp: Path) -> tuple[DataRequest, dict[str, Any]]:
    """Return a request in the state where a letter of `kind` is sent, and the letter's context."""
    request = new_request(language=lang)
    seal_request(request, load_or_create_key(tmp))
    context: dict[str, Any] = {}
    if kind == "info_request":
        context = {
            "message": "Kerro asiakasnumerosi ja osoite, jota käytit tilatessasi.",
            "reason": "identity",
            "pause_clock": True,
        }
    elif kind == "pause_ended":
        context = {"paused_days": 5, "new_due_on": dt.date(2025, 3, 5)}
    elif kind == "extension":
        request.extended_due_on = dt.date(2025, 4, 28)
        request.extension_reason = "Pyyntö koskee kuuden vuoden tilaushistoriaa ja arkistoa."
    elif kind == "decision":
        request.right = "erasure"
        request.decision = "partly_granted"
        request.decision_reasons = "Kirjanpitolaki velvoittaa säilyttämään laskut (2:10 §)."
        context = {"actions": "Poistimme markkinointitiedot ja tilaushistorian."}
    elif kind == "art19":
        request.right = "erasure"
        request.decision = "partly_granted"
        request.decided_at = dt.datetime(2025, 2, 3, 8, 0, tzinfo=dt.UTC)
        context = {
            "outcomes": [
                ("Posti Oy", "done", None),
                ("Öljy-Åström Ab", "impossible", "yritys lopettanut"),
            ]
        }
    return request, context


@pytest.fixture(scope="module")
def letters(
    content: Content, tmp_path_factory: pytest.TempPathFactory
) -> dict[tuple[str, str], tuple[DataRequest, RenderedLetter]]:
    tmp = tmp_path_factory.mktemp("key")
    rendered = {}
    for kind in KINDS:
        for lang in LANGUAGES:
            request, context = letter_request(kind, lang, tmp)
            letter = render_letter(
                kind,
                request,
                lang,
                content=content,
                verify_url=VERIFY_URL.format(lang=lang),
                now=dt.datetime(2025, 2, 3, 9, 0, tzinfo=dt.UTC),
                **context,
            )
            rendered[kind, lang] = (request, letter)
    return rendered


ALL = [(kind, lang) for kind in KINDS for lang in LANGUAGES]


def soup_of(letter: RenderedLetter) -> BeautifulSoup:
    return BeautifulSoup(letter.html, "html.parser")


def field(soup: BeautifulSoup, name: str) -> str:
    element = soup.select_one(f'[data-field="{name}"]')
    assert isinstance(element, Tag), f"no data-field={name!r}"
    return " ".join(element.get_text(" ").split())


def section(soup: BeautifulSoup, name: str) -> str:
    element = soup.select_one(f'[data-section="{name}"]')
    assert isinstance(element, Tag), f"no data-section={name!r}"
    return " ".join(element.get_text(" ").split())


# ---- every letter ---------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "lang"), ALL)
def test_letter_has_language_title_parties_and_reference(
    letters: dict[Any, Any], content: Content, kind: str, lang: str
) -> None:
    request, letter = letters[kind, lang]
    soup = soup_of(letter)
    assert soup.html is not None and soup.html["lang"] == lang
    assert soup.h1 is not None and soup.h1.get_text(strip=True) == TITLES[kind, lang]
    assert soup.title is not None
    assert soup.title.get_text() == f"{TITLES[kind, lang]} – Esa Kemppainen"
    controller = content.site.controller
    assert field(soup, "controller").startswith(controller.name)
    assert controller.email in field(soup, "controller")
    assert field(soup, "person") == "Äijälä Åsa asa.aijala@example.fi"
    assert field(soup, "reference") == request.reference
    issued = soup.select_one('[data-field="issued_on"] time')
    assert issued is not None and issued["datetime"] == "2025-02-03"
    assert not soup.find("style") and not soup.find(attrs={"style": True})
    link = soup.find("link", rel="stylesheet")
    assert link is not None and link["href"] == "/static/css/letters.css"


@pytest.mark.parametrize(("kind", "lang"), ALL)
def test_no_letter_carries_the_persons_private_status_link(
    letters: dict[Any, Any], content: Content, tmp_path: Path, kind: str, lang: str
) -> None:
    # The status link opens the request without a login: the e-mails give it to the person; a
    # letter is kept, shown to staff and may go by post, so its context has no such link.
    request, letter = letters[kind, lang]
    assert "/status/" not in letter.html
    _same, context = letter_request(kind, lang, tmp_path)
    values = letter_context(kind, request, lang, {"content": content, "verify_url": "v"} | context)
    assert "status_url" not in values


@pytest.mark.parametrize(("kind", "lang"), ALL)
def test_letter_pdf_is_tagged_titled_in_its_language_with_letters_intact(
    letters: dict[Any, Any], kind: str, lang: str
) -> None:
    request, letter = letters[kind, lang]
    assert letter.sha256 == hashlib.sha256(letter.pdf).hexdigest()
    reader = PdfReader(io.BytesIO(letter.pdf))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == lang
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog
    assert reader.metadata is not None
    assert reader.metadata.title == f"{TITLES[kind, lang]} – Esa Kemppainen"
    assert reader.metadata.title == letter_title(kind, lang, "Esa Kemppainen")
    text = " ".join("".join(page.extract_text() for page in reader.pages).split())
    assert "Äijälä Åsa" in text
    assert TITLES[kind, lang] in text
    assert request.reference in text
    fonts = embedded_fonts(letter.pdf)
    assert fonts and all(name.replace("-", "").startswith("SelosteNotoSans") for name in fonts)


def test_titles_are_translated_not_repeated(letters: dict[Any, Any]) -> None:
    for kind in KINDS:
        assert len({TITLES[kind, lang] for lang in LANGUAGES}) == 3


@pytest.mark.parametrize(("kind", "lang"), ALL)
def test_the_stylesheet_link_is_the_only_address_in_a_stored_letter(
    letters: dict[Any, Any], kind: str, lang: str
) -> None:
    # letter_pdf replaces this one link and renders the rest as it is: with no other address
    # (a themed logo is a data: address, see test_theme) the PDF fetches nothing else.
    addresses = [
        (tag.name, name, value)
        for tag in soup_of(letters[kind, lang][1]).find_all(True)
        for name, value in tag.attrs.items()
        if name in {"href", "src", "srcset", "data", "poster", "action", "background"}
    ]
    assert addresses == [("link", "href", "/static/css/letters.css")]


# ---- what each kind must say ----------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_receipt_shows_dates_fingerprint_and_how_to_verify(
    letters: dict[Any, Any], lang: str
) -> None:
    request, letter = letters["receipt", lang]
    soup = soup_of(letter)
    right = {"fi": "Tarkastusoikeus", "en": "Right of access", "sv": "Rätt till"}
    assert field(soup, "right").startswith(right[lang])
    names = {"fi": "Asiakasrekisteri", "sv": "Kundregister", "en": "Customer register"}
    assert field(soup, "register") == names[lang]
    received = {"fi": "31. tammikuuta 2025 klo 10.30", "en": "31 January 2025 at 10:30"}
    assert field(soup, "received_at").startswith(
        received.get(lang, "31 januari 2025 kl. 10.30")  # a term's value: no "den"
    )
    due = soup.select_one('[data-field="due_on"] time')
    assert due is not None and due["datetime"] == "2025-02-28"
    # The letter shows the receipt's fingerprint, the start of its digest, and none of the seal's
    # codes: the signed JSON is the PDF's attached file (test_receipt_pdf_carries_the_json_receipt).
    digest = request.seal_digest
    assert field(soup, "fingerprint") == " ".join(digest[i : i + 4] for i in range(0, 16, 4))
    text = soup.get_text(" ")
    assert digest not in text and request.seal_signature not in text
    assert "{" not in text and '"reference"' not in text
    how = section(soup, "verify")
    assert VERIFY_URL.format(lang=lang) in how
    assert "https://www.proleader.fi/tietosuoja/.well-known/seloste/receipt-key.pem" in how
    assert f"{RECEIPT_STEM[lang]}-{request.reference}.json" in how
    assert "portal verify-receipt" not in how  # an operator's command, not a person's


@pytest.mark.parametrize("lang", LANGUAGES)
def test_receipt_pdf_carries_the_json_receipt(letters: dict[Any, Any], lang: str) -> None:
    request, letter = letters["receipt", lang]
    reader = PdfReader(io.BytesIO(letter.pdf))
    [embedded] = reader.attachments[f"{RECEIPT_STEM[lang]}-{request.reference}.json"]
    assert json.loads(embedded) == receipt(request)
    [other] = [PdfReader(io.BytesIO(letters["decision", lang][1].pdf)).attachments]
    assert dict(other) == {}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_info_request_says_what_why_and_how_to_reply(letters: dict[Any, Any], lang: str) -> None:
    request, letter = letters["info_request", lang]
    soup = soup_of(letter)
    assert field(soup, "message") == "Kerro asiakasnumerosi ja osoite, jota käytit tilatessasi."
    article = {"fi": "12 artiklan 6 kohta", "en": "Article 12(6)", "sv": "artikel 12.6"}
    assert article[lang] in field(soup, "reason")
    reply = field(soup, "how")
    status_page = {"fi": "tilasivulla", "en": "status page", "sv": "statussidan"}[lang]
    assert status_page in reply and "e-mail" not in reply.replace("e-mail that", "")
    paused = {"fi": "keskeytetty,", "en": "paused", "sv": "vilande"}
    assert paused[lang] in field(soup, "clock")


STREET = {
    "fi": "Lintulahdenkuja 4, 00530 Helsinki",
    "sv": "Fågelviksgränden 4, 00530 Helsingfors",
    "en": "Lintulahdenkuja 4, 00530 Helsinki",
}
POST = {
    "fi": "PL 800, 00531 Helsinki",
    "sv": "PB 800, 00531 Helsingfors",
    "en": "P.O. Box 800, 00531 Helsinki, Finland",
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_extension_gives_new_date_reasons_and_article(letters: dict[Any, Any], lang: str) -> None:
    _, letter = letters["extension", lang]
    soup = soup_of(letter)
    dates = [time["datetime"] for time in soup.select("dl.facts time")]
    assert dates == ["2025-02-28", "2025-04-28"]
    assert field(soup, "reasons") == "Pyyntö koskee kuuden vuoden tilaushistoriaa ja arkistoa."
    assert re.search(r"12(\(3\)| artiklan 3|\.3)", soup.get_text())
    assert STREET[lang] in section(soup, "complaint")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_decision_has_reasons_remedies_and_recipients(letters: dict[Any, Any], lang: str) -> None:
    _, letter = letters["decision", lang]
    soup = soup_of(letter)
    decision = soup.select_one('[data-field="decision"]')
    assert decision is not None and decision["data-decision"] == "partly_granted"
    assert field(soup, "reasons").startswith("Kirjanpitolaki")
    assert field(soup, "actions").startswith("Poistimme")
    complaint = section(soup, "complaint")
    # The authority's address in the letter's language (Fågelviksgränden in Swedish).
    for part in (STREET[lang], POST[lang], "029 566 6700", "tietosuoja@om.fi"):
        assert part in complaint
    authority = {
        "fi": "Tietosuojavaltuutetun toimisto",
        "sv": "Dataombudsmannens byrå",
        "en": "Office of the Data Protection Ombudsman",
    }[lang]
    assert authority in complaint
    remedy = section(soup, "judicial-remedy")
    assert "hallinto-oike" in remedy and "käräjäoike" in remedy
    assert "79" in remedy
    assert "19" in section(soup, "recipients")
    assert soup.select_one('[data-section="direct-marketing"]') is None


# ---- conditions -----------------------------------------------------------------------------


def render(content: Content, request: DataRequest, kind: str, **context: Any) -> BeautifulSoup:
    html = render_html(kind, request, request.language, content=content, verify_url="v", **context)
    return BeautifulSoup(html, "html.parser")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_direct_marketing_objection_is_effective_at_once(content: Content, lang: str) -> None:
    request = new_request(
        language=lang,
        right="objection",
        details={"objection_direct_marketing": True},
        decision="granted",
    )
    soup = render(content, request, "decision")
    text = field(soup, "direct_marketing")
    assert "21(3)" in text or "21 artiklan 3" in text or "21.3" in text
    assert {"fi": "heti", "en": "immediately", "sv": "omedelbart"}[lang] in text


def test_receipt_of_a_direct_marketing_objection_confirms_it_took_effect(
    content: Content, tmp_path: Path
) -> None:
    request = new_request(right="objection", details={"objection_direct_marketing": True})
    seal_request(request, load_or_create_key(tmp_path))
    soup = render(content, request, "receipt")
    assert "heti 31. tammikuuta 2025 klo 10.30" in field(soup, "direct_marketing")
    other = new_request(right="objection", details={"objection_direct_marketing": False})
    seal_request(other, load_or_create_key(tmp_path))
    assert render(content, other, "receipt").select_one('[data-section="direct-marketing"]') is None


def test_access_decision_has_no_recipients_section(content: Content) -> None:
    soup = render(content, new_request(decision="granted"), "decision")
    assert soup.select_one('[data-section="recipients"]') is None
    assert soup.select_one('[data-section="reasons"]') is None
    assert soup.select_one('[data-section="complaint"]') is not None


def test_granted_erasure_promises_the_art19_notice(content: Content) -> None:
    soup = render(
        content, new_request(right="erasure", decision="granted", language="en"), "decision"
    )
    assert section(soup, "recipients") == (
        "Recipients of your data We will communicate the rectification, erasure or restriction "
        "to each recipient to whom your data has been disclosed, unless this proves impossible "
        "or involves disproportionate effort (Article 19 GDPR). When we have done so, we will "
        "send you a notice that names these recipients."
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_art19_notice_names_informed_and_impossible_recipients(
    letters: dict[Any, Any], lang: str
) -> None:
    _, letter = letters["art19", lang]
    soup = soup_of(letter)
    assert [li.get_text(strip=True) for li in soup.select('[data-field="informed"] li')] == [
        "Posti Oy"
    ]
    assert [li.get_text(strip=True) for li in soup.select('[data-field="impossible"] li')] == [
        "Öljy-Åström Ab: yritys lopettanut"
    ]
    assert soup.select_one('[data-field="none"]') is None


def test_art19_notice_without_recipients_says_nobody_had_the_data(content: Content) -> None:
    request = new_request(right="rectification", decision="granted", language="en")
    request.decided_at = dt.datetime(2025, 2, 3, 8, 0, tzinfo=dt.UTC)
    soup = render(content, request, "art19", outcomes=[])
    assert field(soup, "none") == (
        "None of the recipients of this register had received your data, so there was no one "
        "to inform."
    )
    with pytest.raises(LetterError, match="outcomes"):
        render(content, request, "art19")
    refused = new_request(right="erasure", decision="refused", decision_reasons="Laki.")
    with pytest.raises(LetterError, match="Art 19"):
        render(content, refused, "art19", outcomes=[])


def test_refused_erasure_does_not_talk_about_recipients(content: Content) -> None:
    request = new_request(right="erasure", decision="refused", decision_reasons="Laki.")
    soup = render(content, request, "decision")
    assert soup.select_one('[data-section="recipients"]') is None


def test_information_request_for_clarification_and_own_reason(content: Content) -> None:
    clarify = render(
        content, new_request(language="en"), "info_request", message="m", reason="clarification"
    )
    assert "find the personal data" in field(clarify, "reason")
    assert "12(6)" not in clarify.get_text()
    own = render(content, new_request(), "info_request", message="m", reason="Oma syy.\n\nToinen.")
    assert [p.get_text() for p in own.select('[data-field="reason"] p')] == ["Oma syy.", "Toinen."]
    clock = field(own, "clock")
    assert "28. helmikuuta 2025" in clock and "keskeytetty" not in clock


def test_staff_text_is_escaped_and_kept_in_paragraphs(content: Content) -> None:
    request = new_request(
        decision="refused", decision_reasons="<script>x()</script>\nrivi 2\n\n§ 3"
    )
    soup = render(content, request, "decision")
    assert soup.find("script") is None
    paragraphs = soup.select('[data-field="reasons"] p')
    assert [p.get_text() for p in paragraphs] == ["<script>x()</script>\nrivi 2", "§ 3"]


@pytest.mark.parametrize(
    ("kind", "request_changes", "context", "message"),
    [
        ("letter", {}, {}, "unknown letter kind"),
        ("receipt", {}, {}, "sealed request"),
        ("info_request", {}, {"reason": "identity"}, "`message` and `reason`"),
        ("info_request", {}, {"message": "m"}, "`message` and `reason`"),
        ("extension", {"extension_reason": "r"}, {}, "extended_due_on"),
        ("extension", {"extended_due_on": dt.date(2025, 4, 28)}, {}, "reasons"),
        ("decision", {}, {}, "decision"),
        ("decision", {"decision": "refused"}, {}, "needs reasons"),
        ("decision", {"decision": "partly_granted"}, {}, "needs reasons"),
    ],
)
def test_letters_refuse_to_render_without_what_they_must_say(
    content: Content,
    kind: str,
    request_changes: dict[str, Any],
    context: dict[str, Any],
    message: str,
) -> None:
    with pytest.raises(LetterError, match=re.escape(message)):
        render_html(
            kind, new_request(**request_changes), "fi", content=content, verify_url="v", **context
        )


def test_unknown_language_is_refused(content: Content) -> None:
    with pytest.raises(LetterError, match="language"):
        render_html(
            "decision", new_request(decision="granted"), "de", content=content, verify_url="v"
        )


def test_extension_reasons_can_come_from_the_context(content: Content) -> None:
    request = new_request(extended_due_on=dt.date(2025, 4, 28))
    soup = render(content, request, "extension", reasons="Monimutkainen.")
    assert field(soup, "reasons") == "Monimutkainen."


# ---- storing and sending --------------------------------------------------------------------


def test_issue_letter_stores_the_letter_with_its_request(tmp_path: Path, content: Content) -> None:
    url = f"sqlite:///{tmp_path / 'portal.sqlite3'}"
    db.upgrade(url)
    engine = db.make_engine(url)
    try:
        with Session(engine) as session:
            request = new_request(language="sv")
            seal_request(request, load_or_create_key(tmp_path))
            session.add(request)
            session.flush()
            letter = issue_letter(session, request, "receipt", content=content, verify_url="v")
            session.commit()
            notify.deliver_letters(lambda: Session(engine))
            assert letter.id is not None
            request_id = request.id
        with Session(engine) as session:
            stored = session.get(DataRequest, request_id)
            assert stored is not None
            [kept] = stored.letters
            assert (kept.kind, kept.language) == ("receipt", "sv")
            assert kept.pdf is not None and kept.sha256 == hashlib.sha256(kept.pdf).hexdigest()
            assert BeautifulSoup(kept.html, "html.parser").html["lang"] == "sv"  # type: ignore[index]
            name, mimetype, data = letter_attachment(kept, stored.reference)
            assert (name, mimetype) == ("kvitto-R7KQ2M9XW4HT.pdf", "application/pdf")
            assert data == kept.pdf
    finally:
        engine.dispose()


def test_letters_inside_the_app_use_its_content_and_public_url(
    repo_root: Path, make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    # One public URL: the content's portal_url is the app's PUBLIC_URL + /requests/.
    content = content_with_portal_url(tmp_path / "content", "https://pyynnot.example/requests/")
    app = make_app(CONTENT_DIR=str(content), PUBLIC_URL="https://pyynnot.example")
    request = new_request(language="en")
    seal_request(request, load_or_create_key(tmp_path))
    with app.app_context():
        soup = BeautifulSoup(render_html("receipt", request, "en"), "html.parser")
    assert "https://pyynnot.example/requests/en/verify" in section(soup, "verify")
    link = soup.find("link", rel="stylesheet")
    assert link is not None and link["href"] == "/requests/static/css/letters.css"
    response = app.test_client().get(str(link["href"]))
    response.close()  # a file response holds the file open until closed
    assert response.status_code == 200
    assert field(soup, "register") == "Customer register"


# ---- catalogs -------------------------------------------------------------------------------


def test_catalogs_load_from_a_read_only_installation(monkeypatch: pytest.MonkeyPatch) -> None:
    # Catalogs are compiled at set-up: rendering a letter never writes, so a read-only
    # installation renders letters alike.
    def read_only(directory: Path) -> list[Path]:
        raise PermissionError(f"read-only: {directory}")

    monkeypatch.setattr(notice_i18n, "compile_catalogs", read_only)
    catalogs.translations.cache_clear()
    try:
        assert translations("fi").gettext("Reference") == "Viite"
        assert translations("sv").gettext("Reference") == "Referens"
    finally:
        catalogs.translations.cache_clear()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_letter_pdf_starts_with_the_letters_own_first_words(
    letters: dict[Any, Any], lang: str
) -> None:
    # The stylesheet link is taken out of the stored HTML for the PDF, leaving nothing in its
    # place: the PDF's text begins exactly where the letter's visible text begins.
    _request, letter = letters["decision", lang]
    body = soup_of(letter).find("body")
    assert body is not None
    first_words = " ".join(body.get_text(" ").split()[:3])
    text = " ".join(PdfReader(io.BytesIO(letter.pdf)).pages[0].extract_text().split())
    assert text.startswith(first_words), (first_words, text[:80])


RECEIPT_STEM = {"fi": "kuitti", "sv": "kvitto", "en": "receipt"}
"""How the receipt's JSON file is named in each language."""

RECEIPT_DESCRIPTION = {
    "fi": "Allekirjoitettu kuittaus (JSON)",
    "sv": "Signerat kvitto (JSON)",
    "en": "Signed receipt (JSON)",
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_receipt_attachment_is_described_in_the_letters_language(
    letters: dict[Any, Any], lang: str
) -> None:
    request, letter = letters["receipt", lang]
    reader = PdfReader(io.BytesIO(letter.pdf))
    names = reader.trailer["/Root"]["/Names"]["/EmbeddedFiles"]["/Names"]
    specs = {str(names[i]): names[i + 1].get_object() for i in range(0, len(names), 2)}
    spec = specs[f"{RECEIPT_STEM[lang]}-{request.reference}.json"]
    assert str(spec["/Desc"]) == RECEIPT_DESCRIPTION[lang]
