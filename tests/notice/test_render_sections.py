"""Which sections a register's page has is decided by the law and what the register gives.

"Regular sources of data" (Art 14(1)-(2)(f)) shows sources given only per data category, with
whether each is publicly accessible, in every language, on the page and in the PDF. And a long
per-category list in a print `dl.facts` lays out on as many pages as it needs (WeasyPrint used to
fail with `assert not page_is_empty` when one was kept together on a single page).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from pypdf import PdfReader

from notice.build import build_site
from notice.loader import load_content
from notice.presence import sources_present
from notice.render import sections
from tests.notice.strategies import write_content
from tests.notice.test_coverage import SOURCED, SOURCED_REGISTER, missing_texts

PAGES = {"fi": "fi/tutkimus", "sv": "sv/forskning", "en": "en/research"}
TRADE_REGISTER = {
    "name": {"fi": "Kaupparekisteri", "sv": "Handelsregistret", "en": "Trade Register"},
    "publicly_accessible": True,
}


def _register(**changes: Any) -> dict[str, Any]:
    register = copy.deepcopy(SOURCED_REGISTER)
    register.update(changes)
    return register


def _build(tmp_path: Path, register: dict[str, Any], *, pdf: bool) -> Path:
    content = write_content(tmp_path / "content", SOURCED, [register])
    out = tmp_path / "site"
    build_site(content, out, pdf=pdf, jobs=1, allow_errors=True, cache_dir=tmp_path / "cache")
    return out


def _section(out: Path, lang: str, section_id: str) -> Tag | None:
    soup = BeautifulSoup((out / PAGES[lang] / "index.html").read_text("utf-8"), "lxml")
    found = soup.find("section", id=section_id)
    return found if isinstance(found, Tag) else None


def test_sources_given_only_per_category_are_published_in_every_language(tmp_path: Path) -> None:
    contact = {
        "name": {"fi": "Yhteystiedot", "sv": "Kontaktuppgifter", "en": "Contact details"},
        "sources": ["data_subject", TRADE_REGISTER],
    }
    register = _register(data_categories=[*SOURCED_REGISTER["data_categories"], contact])
    assert "sources" not in register  # no register-level prose
    out = _build(tmp_path, register, pdf=True)
    expected = {
        "fi": [
            ("Diagnoosit", "Kanta-arkisto (ei julkisesti saatavilla)"),
            ("Yhteystiedot", "Sinulta itseltäsi; Kaupparekisteri (julkisesti saatavilla)"),
        ],
        "sv": [
            ("Diagnoser", "Kantaarkivet (inte allmänt tillgänglig)"),
            ("Kontaktuppgifter", "Från dig; Handelsregistret (allmänt tillgänglig)"),
        ],
        "en": [
            ("Diagnoses", "Kanta archive (not publicly accessible)"),
            ("Contact details", "From you; Trade Register (publicly accessible)"),
        ],
    }
    headings = {
        "fi": "Säännönmukaiset tietolähteet",
        "sv": "Regelbundna uppgiftskällor",
        "en": "Regular sources of data",
    }
    for lang, rows in expected.items():
        section = _section(out, lang, "sources")
        assert section is not None, lang
        assert section.h2.get_text(strip=True) == headings[lang]
        terms = [dt.get_text(" ", strip=True) for dt in section.find_all("dt")]
        values = [dd.get_text(" ", strip=True) for dd in section.find_all("dd")]
        assert list(zip(terms, values, strict=True)) == rows
        pdf = PdfReader(out / PAGES[lang] / f"{PAGES[lang].split('/')[1]}.pdf")
        lines = {line.strip() for page in pdf.pages for line in page.extract_text().splitlines()}
        assert headings[lang] in lines
        for term, value in rows:
            assert f"{term} {value}" in lines, (lang, term)


def test_no_source_at_all_leaves_the_section_out_and_the_checker_agrees(tmp_path: Path) -> None:
    categories = [
        {k: v for k, v in c.items() if k != "sources"} for c in SOURCED_REGISTER["data_categories"]
    ]
    out = _build(tmp_path, _register(data_categories=categories, security={}), pdf=False)
    content = load_content(tmp_path / "content")
    register = content.registers[0]
    assert not sources_present(register)
    shown = [section.id for section in sections(content.site, register)]
    assert "sources" not in shown and "security" not in shown  # `security: {}` says nothing
    for lang in PAGES:
        assert _section(out, lang, "sources") is None
        assert _section(out, lang, "security") is None
        assert _section(out, lang, "retention") is not None  # required: always there


@pytest.mark.parametrize(
    "changes",
    [
        {"sources": {"fi": "Sinulta.", "sv": "Från dig.", "en": "From you."}},
        {
            "data_categories": [
                {"name": {"fi": "Nimi", "sv": "Namn", "en": "Name"}, "sources": ["data_subject"]}
            ]
        },
    ],
    ids=["prose", "from the person"],
)
def test_any_source_given_shows_the_section(changes: dict[str, Any], tmp_path: Path) -> None:
    out = _build(tmp_path, _register(**changes), pdf=False)
    for lang in PAGES:
        assert _section(out, lang, "sources") is not None, lang


@pytest.mark.slow
def test_long_per_category_lists_and_texts_print_on_every_page_they_need(tmp_path: Path) -> None:
    words = {
        "fi": "Säilytetään kirjanpitolain mukaisesti kuusi vuotta tilikauden päättymisestä",
        "sv": "Bevaras enligt bokföringslagen i sex år från räkenskapsperiodens utgång",
        "en": "Kept under the Accounting Act for six years after the end of the financial year",
    }
    categories = [
        {
            "name": {lang: f"{lang} {number}" for lang in PAGES},
            "retention": {
                lang: " ".join([text] * (3 if number % 5 else 40)) for lang, text in words.items()
            },
            "sources": ["data_subject", TRADE_REGISTER],
        }
        for number in range(1, 41)
    ]
    register = _register(data_categories=categories)
    out = _build(tmp_path, register, pdf=True)
    content = load_content(tmp_path / "content")
    assert missing_texts(out, content.registers[0], list(PAGES), pdf=True) == []
    for lang, path in PAGES.items():
        pages = PdfReader(out / path / f"{path.split('/')[1]}.pdf").pages
        assert len(pages) > 5
        assert all(page.extract_text().strip() for page in pages), lang


def test_a_list_inside_a_purpose_prints_with_the_shipped_font(tmp_path: Path) -> None:
    """A nested list's default marker (◦) is not in the font subset: the PDF build failed."""
    listed = {
        lang: f"{word}\n\n- {word} 1\n- {word} 2"
        for lang, word in {"fi": "Tutkimus", "sv": "Forskning", "en": "Research"}.items()
    }
    out = _build(tmp_path, _register(purposes=[{"description": listed}]), pdf=True)
    for lang, path in PAGES.items():
        pdf = PdfReader(out / path / f"{path.split('/')[1]}.pdf")
        lines = [line.strip() for page in pdf.pages for line in page.extract_text().splitlines()]
        word = listed[lang].split("\n")[0]
        # The build raised PdfError (a system font embedded) before; the markers are en dashes,
        # read with their items.
        assert f"– {word} 1" in lines and f"– {word} 2" in lines, lines


TRANSFERS_ANSWERED = {
    "fi": "Kaikki edellä luetellut vastaanottajat ovat Euroopan talousalueella (ETA), emmekä "
    "siirrä henkilötietoja sen ulkopuolelle.",
    "sv": "Alla mottagare som anges ovan finns inom Europeiska ekonomiska samarbetsområdet (EES), "
    "och vi överför inte personuppgifter utanför det.",
    "en": "The recipients listed above are all in the European Economic Area (EEA): we do not "
    "transfer personal data outside it.",
}


def _recipient(name: str, country: str | None) -> dict[str, Any]:
    found: dict[str, Any] = {"name": {"fi": name, "sv": name, "en": name}, "role": "processor"}
    return {**found, "country": country} if country else found


def test_recipients_all_placed_in_the_eea_answer_the_transfers_question_in_words(
    tmp_path: Path,
) -> None:
    # No `transfers`: every recipient's country in the EEA is the answer the checker accepts
    # (E09-transfers stays silent), so the page says it too instead of "Not specified."
    recipients = [_recipient("Palvelin Oy", "FI"), _recipient("Moln AB", "SE")]
    out = _build(tmp_path, _register(recipients=recipients), pdf=True)
    from notice.checks import run_checks

    found = run_checks(load_content(tmp_path / "content"))
    assert not [f for f in found if f.rule_id == "E09-transfers"]
    for lang, said in TRANSFERS_ANSWERED.items():
        section = _section(out, lang, "transfers")
        assert section is not None, lang
        assert section.find(class_="missing") is None, lang
        assert said in section.get_text(" ", strip=True), lang
        pdf = PdfReader(out / PAGES[lang] / f"{PAGES[lang].split('/')[1]}.pdf")
        text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
        assert said.replace(" ", "").replace("-", "") in text.replace(" ", "").replace("-", "")


def test_a_recipient_without_a_country_leaves_the_transfers_question_open(tmp_path: Path) -> None:
    recipients = [_recipient("Palvelin Oy", "FI"), _recipient("Tuntematon Oy", None)]
    out = _build(tmp_path, _register(recipients=recipients), pdf=False)
    from notice.checks import run_checks

    found = run_checks(load_content(tmp_path / "content"))
    assert [f for f in found if f.rule_id == "E09-transfers"]
    for lang, said in TRANSFERS_ANSWERED.items():
        section = _section(out, lang, "transfers")
        assert section is not None and section.find(class_="missing") is not None, lang
        assert said not in section.get_text(" ", strip=True), lang
