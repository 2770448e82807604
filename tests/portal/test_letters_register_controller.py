"""A register with its own controller (format 2.1) is answered in that controller's name.

The housing-company fixture's notices are published by the property manager (the site's
controller), but the housing company controls its own camera surveillance: a letter about that
register names the housing company, in the letter's language, and gives its address.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from pypdf import PdfReader

from notice.loader import Content, load_content
from portal.core.letters import LANGUAGES, render_html, render_letter
from portal.core.seal import load_or_create_key, seal_request
from tests import REPO_ROOT
from tests.portal.support.requests import new_request

HOUSING = REPO_ROOT / "tests" / "fixtures" / "registers-real" / "housing-company"

NAME = {
    "fi": "Asunto Oy Rantapääsky",
    "sv": "Bostads Ab Rantapääsky",
    "en": "Asunto Oy Rantapääsky",
}
TITLE = {
    "fi": "Kuittaus pyyntösi vastaanottamisesta",
    "sv": "Kvitto på din begäran",
    "en": "Receipt of your request",
}
FOOTER = {
    "fi": "Tämän kirjeen lähetti Asunto Oy Rantapääsky, henkilötietojesi rekisterinpitäjä.",
    "sv": "Detta brev har skickats av Bostads Ab Rantapääsky, personuppgiftsansvarig för dina "
    "personuppgifter.",
    "en": "This letter was sent by Asunto Oy Rantapääsky, the controller of your personal data.",
}
SENDER = {
    "fi": "Asunto Oy Rantapääsky Y-tunnus 3141592-6 Rantakatu 12 65100 Vaasa "
    "hallitus@rantapaasky.example.fi",
    "sv": "Bostads Ab Rantapääsky FO-nummer 3141592-6 Rantakatu 12 65100 Vaasa "
    "hallitus@rantapaasky.example.fi",
    "en": "Asunto Oy Rantapääsky Business ID 3141592-6 Rantakatu 12 65100 Vaasa "
    "hallitus@rantapaasky.example.fi",
}


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(HOUSING)


def _text(soup: BeautifulSoup, selector: str) -> str:
    element = soup.select_one(selector)
    assert isinstance(element, Tag), selector
    return " ".join(element.get_text(" ").split())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_receipt_speaks_in_the_registers_own_controllers_name(
    content: Content, lang: str, tmp_path: Path
) -> None:
    assert content.site.controller.name == "Isännöinti Rannikko Oy"
    request = new_request(language=lang, register_id="kameravalvonta")
    seal_request(request, load_or_create_key(tmp_path))
    letter = render_letter(
        "receipt",
        request,
        lang,
        content=content,
        verify_url="https://portal.example/verify",
        now=dt.datetime(2025, 2, 3, 9, 0, tzinfo=dt.UTC),
    )
    soup = BeautifulSoup(letter.html, "html.parser")
    assert _text(soup, '[data-field="controller"]') == SENDER[lang]
    footer = _text(soup, "footer.letter-footer")
    assert footer.startswith(FOOTER[lang] + " ")
    assert "Isännöinti Rannikko" not in letter.html
    assert "Disponentbyrå" not in letter.html
    metadata = PdfReader(io.BytesIO(letter.pdf)).metadata
    assert metadata is not None
    assert metadata.title == f"{TITLE[lang]} – {NAME[lang]}"


def test_a_register_without_its_own_controller_keeps_the_sites(tmp_path: Path) -> None:
    request = new_request(language="fi")
    seal_request(request, load_or_create_key(tmp_path))
    letter = render_letter(
        "receipt",
        request,
        "fi",
        content=load_content(REPO_ROOT / "content"),
        verify_url="https://portal.example/verify",
        now=dt.datetime(2025, 2, 3, 9, 0, tzinfo=dt.UTC),
    )
    soup = BeautifulSoup(letter.html, "html.parser")
    assert _text(soup, "footer.letter-footer").startswith(
        "Tämän kirjeen lähetti Esa Kemppainen, henkilötietojesi rekisterinpitäjä. "
    )


CONTACT = """contact:
  name: Isännöitsijä Liisa Korhonen, Isännöinti Rannikko Oy
  street_address: Hovioikeudenpuistikko 13
  postal_code: "65100"
  city: Vaasa
  email: tietosuoja@rannikko.example.fi
  phone: 06 555 0100
"""


def footer_lines(content: Content) -> list[str]:
    request = new_request(language="en", register_id="kameravalvonta", decision="granted")
    html = render_html(
        "decision",
        request,
        "en",
        content=content,
        verify_url="v",
        now=dt.datetime(2025, 2, 3, 9, 0, tzinfo=dt.UTC),
    )
    footer = BeautifulSoup(html, "html.parser").select_one("footer.letter-footer")
    assert isinstance(footer, Tag)
    return [" ".join(line.split()) for line in footer.get_text("\n").split("\n") if line.strip()]


def test_questions_go_to_the_registers_own_contact(content: Content) -> None:
    assert footer_lines(content) == [
        FOOTER["en"],
        "Questions: tietosuoja@rannikko.example.fi.",
        "Please quote the reference R7KQ2M9XW4HT.",
    ]


def test_a_registers_controller_without_a_contact_takes_the_questions(tmp_path: Path) -> None:
    copy = tmp_path / "housing"
    shutil.copytree(HOUSING, copy)
    register = copy / "registers" / "kameravalvonta.yaml"
    text = register.read_text(encoding="utf-8")
    assert CONTACT in text
    register.write_text(text.replace(CONTACT, "", 1), encoding="utf-8")
    # Not the site's controller (the property manager, tietosuoja@rannikko.example.fi).
    assert footer_lines(load_content(copy)) == [
        FOOTER["en"],
        "Questions: hallitus@rantapaasky.example.fi.",
        "Please quote the reference R7KQ2M9XW4HT.",
    ]
