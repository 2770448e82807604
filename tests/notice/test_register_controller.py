"""A register with a controller of its own speaks for that controller: its DPO and contact.

The site's `dpo: none` is the site owner's answer; a municipality's register on the same site
must not say "we have not designated a data protection officer" on the municipality's behalf.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from notice.build import build_site
from notice.checks import run_checks
from notice.loader import load_content
from notice.records.output import render_records

SITE = """\
version: 2.1
languages: [fi, sv, en]
base_url: https://example.fi/
controller: {name: Isännöinti Oy, email: info@example.fi}
contact: {name: Toimisto, email: toimisto@example.fi}
representative: none
dpo: none
"""

REGISTER = """\
version: 2.1
id: r
slug: {fi: r, sv: r, en: r}
name: {fi: Varhaiskasvatus, sv: Småbarnspedagogik, en: Early education}
prepared: 2026-01-01
controller: {name: Esimerkin kunta, email: kirjaamo@kunta.example.fi}
purposes:
  - description: {fi: Hoitopaikat, sv: Platser, en: Places}
    legal_bases: [%s]
"""

NOT_DESIGNATED = {
    "fi": "Emme ole nimittäneet tietosuojavastaavaa.",
    "sv": "Vi har inte utsett något dataskyddsombud.",
    "en": "We have not designated a data protection officer.",
}


def _content(root: Path, basis: str = "contract", dpo: str = "") -> Path:
    (root / "registers").mkdir(parents=True)
    (root / "site.yaml").write_text(SITE, encoding="utf-8")
    (root / "registers" / "r.yaml").write_text(REGISTER % basis + dpo, encoding="utf-8")
    return root


def _rules(root: Path) -> dict[str, str]:
    findings = run_checks(load_content(root), today=dt.date(2026, 6, 1))
    return {f.rule_id: f.message["en"] for f in findings if f.rule_id.startswith("E03")}


def test_the_sites_none_is_not_the_municipalitys_answer(tmp_path: Path) -> None:
    assert _rules(_content(tmp_path)) == {
        "E03-register-dpo": "this register's controller Esimerkin kunta is not the site's, but "
        "the register does not say whether Esimerkin kunta has a data protection officer"
    }


def test_a_public_task_without_an_officer_is_told_art_37(tmp_path: Path) -> None:
    rules = _rules(_content(tmp_path, "public_task", "dpo: none\n"))
    assert list(rules) == ["E03-public-authority-dpo"]
    assert rules["E03-public-authority-dpo"].endswith(
        "a public authority must designate one (Art 37(1)(a))"
    )


def test_a_public_task_with_an_officer_is_no_finding(tmp_path: Path) -> None:
    officer = "dpo: {title: {fi: TSV, sv: DSO, en: DPO}, email: tsv@kunta.example.fi}\n"
    assert _rules(_content(tmp_path, "public_task", officer)) == {}


def _built_page(content: Path, tmp_path: Path, lang: str) -> BeautifulSoup:
    """Build `content` (errors allowed) and return register r's page in `lang`."""
    out = tmp_path / "out"
    build_site(content, out, pdf=False, jobs=1, cache_dir=tmp_path / "cache", allow_errors=True)
    return BeautifulSoup((out / lang / "r" / "index.html").read_text("utf-8"), "lxml")


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_page_says_nothing_about_an_officer_on_the_municipalitys_behalf(
    tmp_path: Path, lang: str
) -> None:
    soup = _built_page(_content(tmp_path / "c"), tmp_path, lang)
    controller = " ".join(soup.find(id="controller").get_text(" ").split())
    assert "Esimerkin kunta" in controller
    assert NOT_DESIGNATED[lang] not in controller
    # The site owner's own answer still reads on a register of its own.
    (tmp_path / "c" / "registers" / "r.yaml").write_text(
        (REGISTER % "contract").replace(
            "controller: {name: Esimerkin kunta, email: kirjaamo@kunta.example.fi}\n", ""
        ),
        encoding="utf-8",
    )
    soup = _built_page(tmp_path / "c", tmp_path, lang)
    assert NOT_DESIGNATED[lang] in " ".join(soup.find(id="controller").get_text(" ").split())


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_municipalitys_register_is_not_answered_by_the_sites_contact(
    tmp_path: Path, lang: str
) -> None:
    soup = _built_page(_content(tmp_path / "c"), tmp_path, lang)
    for section in ("contact", "rights"):
        text = " ".join(soup.find(id=section).get_text(" ").split())
        assert "kirjaamo@kunta.example.fi" in text, section
        assert "Toimisto" not in text and "toimisto@example.fi" not in text, section


def test_a_register_of_another_controller_without_a_contact_is_warned(tmp_path: Path) -> None:
    findings = run_checks(load_content(_content(tmp_path)), today=dt.date(2026, 6, 1))
    messages = {f.rule_id: f.message for f in findings}
    assert messages["E01-register-contact"] == {
        "en": "this register's controller Esimerkin kunta is not the site's, and the register "
        "names no contact person: questions and requests go to the controller's own details",
        "fi": "tämän rekisterin rekisterinpitäjä Esimerkin kunta ei ole sivuston, eikä rekisteri "
        "nimeä yhteyshenkilöä: kysymykset ja pyynnöt ohjataan rekisterinpitäjän omiin "
        "yhteystietoihin",
        "sv": "registrets personuppgiftsansvarige Esimerkin kunta är inte webbplatsens, och "
        "registret anger ingen kontaktperson: frågor och begäranden hänvisas till den "
        "ansvariges egna kontaktuppgifter",
    }


INDEX = {
    "fi": "Näissä selosteissa kerrotaan, miten alla olevissa rekistereissä käsitellään "
    "henkilötietoja ja miten voit käyttää oikeuksiasi. Kukin seloste kertoo, kuka on rekisterin "
    "rekisterinpitäjä.",
    "sv": "I dessa beskrivningar berättas hur personuppgifter behandlas i registren nedan och hur "
    "du kan utöva dina rättigheter. Varje beskrivning anger registrets personuppgiftsansvarige.",
    "en": "These notices describe how personal data is processed in each register below, and how "
    "you can use your rights. Each notice names the register's controller.",
}
NAME = {"fi": "Varhaiskasvatus", "sv": "Småbarnspedagogik", "en": "Early education"}
CONTROLLER = {"fi": "Rekisterinpitäjä", "sv": "Personuppgiftsansvarig", "en": "Controller"}


def test_the_municipalitys_notice_is_titled_with_its_name_in_page_pdf_and_index(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    build_site(
        _content(tmp_path / "c"), out, jobs=1, cache_dir=tmp_path / "cache", allow_errors=True
    )
    for lang in ("fi", "sv", "en"):
        page = BeautifulSoup((out / lang / "r" / "index.html").read_text("utf-8"), "lxml")
        assert page.title.get_text() == f"{NAME[lang]} – Esimerkin kunta"
        pdf = PdfReader(next((out / lang / "r").glob("*.pdf")))
        assert pdf.metadata.title == f"{NAME[lang]} – Esimerkin kunta"
        index = BeautifulSoup((out / lang / "index.html").read_text("utf-8"), "lxml")
        main = " ".join(index.find("main").get_text(" ").split())
        assert INDEX[lang] in main
        assert "Isännöinti Oy käsittelee" not in main and "Isännöinti Oy processes" not in main
        assert f"{NAME[lang]} {CONTROLLER[lang]}: Esimerkin kunta" in main


GENERATED = {"fi": "Muodostettu", "sv": "Skapad", "en": "Generated"}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_records_say_whose_each_activity_is(tmp_path: Path, lang: str) -> None:
    root = _content(tmp_path)
    own = REGISTER.replace("id: r\n", "id: own\n").replace(
        "slug: {fi: r, sv: r, en: r}", "slug: {fi: o, sv: o, en: o}"
    )
    own = own.replace("controller: {name: Esimerkin kunta, email: kirjaamo@kunta.example.fi}\n", "")
    (root / "registers" / "own.yaml").write_text(own % "contract", encoding="utf-8")
    data, count = render_records(load_content(root), "html", lang, today=dt.date(2026, 6, 1))
    soup = BeautifulSoup(data, "lxml")
    assert count == 2
    assert (
        soup.select_one("p.meta")
        .get_text()
        .startswith(f"{CONTROLLER[lang]}: Isännöinti Oy, Esimerkin kunta · {GENERATED[lang]}: ")
    )
    assert soup.title.get_text().endswith(" – Isännöinti Oy, Esimerkin kunta")
    controllers = {
        section.select_one("caption small.id").get_text(): " ".join(
            section.select_one("tr.controller td").get_text(" ").split()
        )
        for section in soup.select("section.activity")
    }
    assert controllers == {
        "own/1": "Isännöinti Oy info@example.fi",
        "r/1": "Esimerkin kunta kirjaamo@kunta.example.fi",
    }
