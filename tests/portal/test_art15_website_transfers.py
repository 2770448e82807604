# ruff: noqa: E501 - expected lines are compared whole, one per line of the letter
"""The access letter (Art 15(1)(c) and 15(2)) tells a website register's analytics transfer.

The content is the default content's, with the customer register's own Google LLC entry taken
out (`tests.website_content`): site.yaml's `analytics.transfers` is then the only statement of
the transfer to Google LLC in the United States, and the register's notice lists it. Before, the
access letter told the register's own transfers only, so it said less than the notice. The
letter is read as a person reads it: the text of its PDF (pypdf) and of its HTML, through the
golden letters tooling, and the lines staff choose from, through the workflow.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from notice.loader import Content, load_content
from portal import catalogs
from portal.core import art15, workflow
from tests.golden_letters import CASES, render_case
from tests.portal.support.requests import new_request
from tests.website_content import DECISION, REGISTER, website_content

LANGUAGES = ("fi", "sv", "en")

SAID = {
    "fi": "Google LLC, Yhdysvallat (Google Analytics): Euroopan komission tietosuojan riittävyyttä koskeva päätös (45 artikla).",
    "sv": "Google LLC, USA (Google Analytics): Europeiska kommissionens beslut om adekvat skyddsnivå (artikel 45).",
    "en": "Google LLC, United States (Google Analytics): Adequacy decision of the European Commission (Article 45).",
}
"""How the letter begins the analytics transfer: recipient, country, service, ground."""

DETAILS = {
    "fi": "Päätös on (EU) 2023/1795 (10.7.2023) EU:n ja Yhdysvaltojen välisestä tietosuojakehyksestä",
    "sv": "Beslutet är (EU) 2023/1795 av den 10 juli 2023 om ramen för dataskydd mellan EU och USA",
    "en": "The decision is (EU) 2023/1795 of 10 July 2023 on the",
}
"""The start of site.yaml's details of the transfer, which name the decision."""

ACCESS = next(case for case in CASES if case.name == "decision-access")


@pytest.fixture(scope="module")
def website(tmp_path_factory: pytest.TempPathFactory) -> Content:
    return load_content(website_content(tmp_path_factory.mktemp("website") / "content"))


def _letter(content: Content, lang: str) -> tuple[str, list[str]]:
    """Return the access letter's PDF text (lines joined, hyphenation undone) and HTML lines."""
    text = render_case(ACCESS, lang, content)
    pdf, html = text.split(f"# {ACCESS.name} ({ACCESS.kind}), {lang}: text of the HTML\n")
    return " ".join(pdf.replace("\u2010\n", "").split()), html.splitlines()


def _google(lines: list[str]) -> list[str]:
    return [line for line in lines if line.startswith("Google LLC, ")]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_access_letter_tells_the_analytics_transfer_and_its_decision(
    website: Content, lang: str
) -> None:
    pdf, html = _letter(website, lang)
    [line] = _google(html)
    assert line.startswith(f"{SAID[lang]} {DETAILS[lang]}"), line
    assert f"{SAID[lang]} {DETAILS[lang]}" in pdf


@pytest.mark.parametrize("lang", LANGUAGES)
def test_without_details_the_letter_names_the_decision(tmp_path: Path, lang: str) -> None:
    content_dir = website_content(tmp_path / "content")
    site = content_dir / "site.yaml"
    text = site.read_text(encoding="utf-8")
    start = text.index("      details:\n", text.index("transfers:"))
    end = text.index("  description:\n", start)
    site.write_text(text[:start] + text[end:], encoding="utf-8")
    content = load_content(content_dir)
    register = content.register(REGISTER)
    decision = catalogs.translations(lang).gettext("Decision: %(decision)s.")
    copy = catalogs.translations(lang).gettext(
        "Ask us for a copy of the safeguard and we will send it to you."
    )
    found = [
        line
        for section in art15.sections(register, lang, content.site.languages, site=content.site)
        for _id, line in section.lines
        if line.startswith("Google LLC, ")
    ]
    assert found == [f"{SAID[lang]} {decision % {'decision': DECISION}} {copy}"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_staff_choose_the_analytics_transfer_among_the_letters_lines(
    make_app: Callable[..., Flask], tmp_path: Path, website: Content, lang: str
) -> None:
    """The workflow (what staff strike lines from, and what the letter carries) reads the
    portal's content with its site.yaml."""
    content = Path(shutil.copytree(website.root, tmp_path / "content"))
    app = make_app(CONTENT_DIR=str(content))
    with app.app_context():
        request = new_request(language=lang, decision="granted", register_id=REGISTER)
        sections = workflow.access_information(request)
    [transfers] = [section for section in sections if section.key == "transfers"]
    [(line_id, line)] = transfers.lines
    assert line_id == "transfers-0"
    assert line.startswith(f"{SAID[lang]} {DETAILS[lang]}"), line


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_default_access_letter_tells_google_once(repo_root: Path, lang: str) -> None:
    """The default register gives the transfer itself: the site's is not told a second time."""
    pdf, html = _letter(load_content(repo_root / "content"), lang)
    [line] = _google(html)
    assert "(Google Analytics)" not in line  # the register's own entry, as it words it
    assert line.startswith(SAID[lang].replace(" (Google Analytics)", ""))
    assert pdf.count("Google LLC, ") == 1
