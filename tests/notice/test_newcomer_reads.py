"""What a newcomer read on the default site (`make run`, content/), in fi, sv and en: the pages
as HTML parsed, the printed notices through pypdf."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from notice.build import build_site
from notice.checks import run_checks
from notice.loader import load_content
from tests import REPO_ROOT

LANGUAGES = ("fi", "sv", "en")
REQUESTS = {
    "fi": "fi/tietosuojapyynnot",
    "sv": "sv/dataskyddsbegaranden",
    "en": "en/data-protection-requests",
}
CUSTOMERS = {"fi": "fi/asiakasrekisteri", "sv": "sv/kundregister", "en": "en/customer-register"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("newcomer") / "site"
    build_site(REPO_ROOT / "content", out, pdf=True, jobs=1)
    return out


def _page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text("utf-8"), "lxml")


def _text(node: object) -> str:
    return " ".join(node.get_text(" ").split())  # type: ignore[attr-defined]


# --- 1. the requests register does not say a contract is made --------------------------------

PROVIDING = {
    "fi": "Vapaaehtoinen. Ilman niitä emme voi käsitellä pyyntöäsi.",
    "sv": "Frivilligt. Utan dem kan vi inte behandla din begäran.",
    "en": "Voluntary. Without them we cannot handle your request.",
}
CONTRACT = {"fi": "sopimu", "sv": "avtal", "en": "contract"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_requests_notice_asks_for_name_and_email_voluntarily(site: Path, lang: str) -> None:
    first = _page(site, REQUESTS[lang]).select("ul.categories > li")[0]
    providing = _text(first.select_one("dl.facts dd"))
    assert providing == PROVIDING[lang]
    assert CONTRACT[lang] not in providing.lower()


def _copy(tmp_path: Path, name: str, old: str, new: str) -> Path:
    content = Path(shutil.copytree(REPO_ROOT / "content", tmp_path / "content"))
    path = content / name
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    return content


def test_the_checker_flags_a_contract_provision_where_nothing_rests_on_a_contract(
    tmp_path: Path,
) -> None:
    rule = "E14-provision-contract-without-basis"
    today = dt.date(2026, 12, 7)
    assert rule not in {
        f.rule_id for f in run_checks(load_content(REPO_ROOT / "content"), today=today)
    }
    content = _copy(
        tmp_path,
        "registers/tietosuojapyynnot.yaml",
        "provision: voluntary",
        "provision: contract_prerequisite",
    )
    (finding,) = [f for f in run_checks(load_content(content), today=today) if f.rule_id == rule]
    assert finding.message["fi"] == (
        'tietoryhmästä "Nimi ja sähköpostiosoite" sanotaan, että se on sopimuksen tekemisen '
        "edellytys, mutta mikään rekisterin käyttötarkoitus ei perustu sopimukseen"
    )
    assert finding.message["sv"] == (
        'om kategorin "Namn och e-postadress" sägs att den är en förutsättning för att ingå ett '
        "avtal, men inget av registrets ändamål grundar sig på ett avtal"
    )
    assert finding.message["en"] == (
        '"Name and e-mail address" is said to be needed to make a contract, but no purpose of '
        "the register rests on a contract"
    )


# --- 2. the provision behind a restriction is cited in the reader's language ---------------------

CITATION = {
    "fi": "(tietosuoja-asetuksen 17 artiklan 3 kohdan b ja e alakohta)",
    "sv": "(artikel 17.3 b och e i dataskyddsförordningen)",
    "en": "(GDPR Article 17(3)(b) and (e))",
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_erasure_restriction_cites_the_gdpr_in_the_readers_language(
    site: Path, lang: str
) -> None:
    (restriction,) = _page(site, REQUESTS[lang]).select("p.restriction")
    text = _text(restriction)
    assert text.endswith(CITATION[lang])
    if lang != "en":
        assert "GDPR" not in text


def test_the_checker_hints_at_a_law_written_once(tmp_path: Path) -> None:
    content = _copy(
        tmp_path,
        "registers/tietosuojapyynnot.yaml",
        "law:\n      fi: tietosuoja-asetuksen 17 artiklan 3 kohdan b ja e alakohta\n"
        "      sv: artikel 17.3 b och e i dataskyddsförordningen\n"
        "      en: GDPR Article 17(3)(b) and (e)\n",
        "law: GDPR 17(3)(b), (e)\n",
    )
    findings = run_checks(load_content(content), today=dt.date(2026, 12, 7))
    (finding,) = [f for f in findings if f.rule_id == "E11-law-one-string"]
    assert finding.message["fi"].startswith('säännös "GDPR 17(3)(b), (e)" on kirjoitettu vain')
