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


# --- 3. a printed notice keeps the addresses its links lead to --------------------------------


def _pdf_text(site: Path, path: str) -> str:
    from pypdf import PdfReader

    pdf = next((site / path).glob("*.pdf"))
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    return " ".join(text.split())


def _unbroken(text: str) -> str:
    """Join an address that the PDF's line breaks split ("https://www.proleader.fi/ requests")."""
    return text.replace("/ ", "/").replace("? ", "?").replace("- ", "-")


REQUEST_SERVICE = {
    "fi": "Tee pyyntö pyyntöpalvelussamme (https://www.proleader.fi/requests/fi/?register=",
    "sv": "Gör en begäran i vår tjänst för dataskyddsbegäranden "
    "(https://www.proleader.fi/requests/sv/?register=",
    "en": "Make a request in our request service (https://www.proleader.fi/requests/en/?register=",
}
SETTINGS = {
    "fi": "Evästeasetukset-linkistä, joka on verkkosivustomme jokaisen sivun alareunassa. "
    "Peruminen ei vaikuta ennen sitä tapahtuneen käsittelyn lainmukaisuuteen. "
    "Evästeasetukset (https://www.proleader.fi/tietosuoja/fi/cookie-settings/)",
    "sv": "via länken Kakinställningar längst ned på varje sida på vår webbplats. Återkallelsen "
    "påverkar inte lagligheten av behandlingen före den. "
    "Kakinställningar (https://www.proleader.fi/tietosuoja/sv/cookie-settings/)",
    "en": "through the Cookie settings link at the bottom of every page of our website. "
    "Withdrawing does not affect the lawfulness of processing before it. "
    "Cookie settings (https://www.proleader.fi/tietosuoja/en/cookie-settings/)",
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_printed_notice_gives_the_address_of_each_link_that_leaves_it(
    site: Path, lang: str
) -> None:
    printed = _unbroken(_pdf_text(site, REQUESTS[lang]))
    assert REQUEST_SERVICE[lang] in printed
    # An e-mail address is written out already, and an in-page anchor leads nowhere on paper.
    assert "(esa.kemppainen@proleader.fi)" not in printed
    assert "(#" not in printed
    customers = _unbroken(_pdf_text(site, CUSTOMERS[lang]))
    assert SETTINGS[lang] in customers


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_page_on_screen_keeps_its_links_without_addresses(site: Path, lang: str) -> None:
    soup = _page(site, REQUESTS[lang])
    assert soup.select(".link-target") == []
    service = REQUEST_SERVICE[lang].split(" (")[0]
    (link,) = [a for a in soup.select("main a") if _text(a).startswith(service)]
    assert _text(link.parent).count("https://") == 0


def test_printed_links_name_their_target_once() -> None:
    from notice.render import print_link_targets

    page = (
        '<p><a href="https://example.fi/requests/">Make a request.</a> '
        '<a href="#purpose-1">1</a> <a href="https://tietosuoja.fi/">tietosuoja.fi</a> '
        '<a href="mailto:a@example.fi">a@example.fi</a> '
        '<a href="tel:+358503044671">050 304 4671</a></p>'
    )
    assert print_link_targets(page) == (
        '<p><a href="https://example.fi/requests/">Make a request'
        '<span class="link-target"> (https://example.fi/requests/)</span>.</a> '
        '<a href="#purpose-1">1</a> <a href="https://tietosuoja.fi/">'
        '<span class="link-address">tietosuoja.fi</span></a> '
        '<a href="mailto:a@example.fi"><span class="link-address">a@example.fi</span></a> '
        '<a href="tel:+358503044671">050 304 4671</a></p>'
    )


# --- 4. the cookie table's party column and a name with a part that varies ----------------------

PARTY = {"fi": "Ensimmäinen osapuoli", "sv": "Första part", "en": "First party"}
GA_NOTE = {
    "fi": "_ga_… (… on sivuston Google Analytics -tunnus)",
    "sv": "_ga_… (… är webbplatsens Google Analytics-id)",
    "en": "_ga_… (… is the site's Google Analytics ID)",
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_cookie_table_names_the_party_and_explains_the_varying_name(
    site: Path, lang: str
) -> None:
    soup = _page(site, f"{lang}/cookies")
    rows = soup.select("table.cookie-table tbody tr")
    parties = {_text(row.select("td")[1]) for row in rows}
    assert parties == {PARTY[lang]}
    names = [_text(row.th) for row in rows]
    assert GA_NOTE[lang] in names
    assert not any("<" in name for name in names)
    page = soup.get_text()
    assert "container-id" not in page
    assert "osapuolen" not in page


# --- 5. the machine-readable versions are found from the page -----------------------------------

MACHINE = {
    "fi": "Koneluettava versio (JSON)",
    "sv": "Maskinläsbar version (JSON)",
    "en": "Machine-readable version (JSON)",
}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("register", ["tietosuojapyynnot", "asiakasrekisteri"])
def test_a_register_page_links_its_json_and_json_ld(site: Path, lang: str, register: str) -> None:
    path = (REQUESTS if register == "tietosuojapyynnot" else CUSTOMERS)[lang]
    soup = _page(site, path)
    page = site / path / "index.html"
    for kind, suffix in (("application/json", ".json"), ("application/ld+json", ".jsonld")):
        (link,) = soup.select(f'head link[rel="alternate"][type="{kind}"]')
        assert link["href"] == f"https://www.proleader.fi/tietosuoja/registers/{register}{suffix}"
        assert (site / "registers" / f"{register}{suffix}").is_file()
    (visible,) = [a for a in soup.select("ul.actions a") if _text(a) == MACHINE[lang]]
    assert (page.parent / visible["href"]).resolve() == (
        site / "registers" / f"{register}.json"
    ).resolve()


# --- 6. the requests notice's security and recipients read as sentences --------------------------

ELECTRONIC = {
    "fi": "Sähköisesti käsiteltävät tiedot",
    "sv": "Elektroniskt behandlade uppgifter",
    "en": "Electronically processed data",
}
ART19 = {
    "fi": "ilmoitetaan (19 artikla) – käyttötarkoitus 1: Tietosuojapyyntöjen vastaanottaminen, "
    "käsittely ja niihin vastaaminen määräajassa",
    "sv": "begränsning (artikel 19) – ändamål 1: Att ta emot, behandla och inom utsatt tid "
    "besvara dataskyddsbegäranden",
    "en": "restriction (Article 19) – purpose 1: Receiving, handling and answering data "
    "protection requests within the time limits",
}


def _flat(node: object) -> str:
    return " ".join(node.get_text().split())  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_requests_notice_letters_no_lone_b_and_names_a_recipients_purpose(
    site: Path, lang: str
) -> None:
    soup = _page(site, REQUESTS[lang])
    assert [_flat(h) for h in soup.select("#security h3")] == [ELECTRONIC[lang]]
    (art19,) = [li for li in soup.select("ul.recipients li") if "19" in li.get_text()]
    assert _flat(art19).endswith(ART19[lang])
    assert art19.select_one('a[href="#purpose-1"]') is not None


def test_a_lettered_pair_keeps_its_letters(tmp_path: Path) -> None:
    content = _copy(
        tmp_path,
        "registers/tietosuojapyynnot.yaml",
        "security:\n  electronic:",
        "security:\n  manual: {fi: Lukitut kaapit., sv: Låsta skåp., en: Locked cabinets.}\n"
        "  electronic:",
    )
    out = tmp_path / "site"
    build_site(content, out, pdf=False, jobs=1)
    soup = _page(out, REQUESTS["fi"])
    assert [_flat(h) for h in soup.select("#security h3")] == [
        "A: Manuaalinen aineisto",
        "B: Sähköisesti käsiteltävät tiedot",
    ]


# --- 7. an English reader gets a Finnish number to dial from abroad ----------------------------

PHONES = {
    "fi": ["050 304 4671", "029 566 6700"],
    "sv": ["050 304 4671", "029 566 6700"],
    "en": ["+358 50 304 4671", "+358 29 566 6700"],
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_phone_numbers_are_written_for_the_reader(site: Path, lang: str) -> None:
    soup = _page(site, REQUESTS[lang])
    links = soup.select('address.contact a[href^="tel:"]')
    assert sorted({_flat(a) for a in links}) == sorted(PHONES[lang])
    assert {a["href"] for a in links} == {"tel:+358503044671", "tel:+358295666700"}
    if lang == "en":
        assert "+358 50 304 4671" in _pdf_text(site, REQUESTS[lang])


@pytest.mark.parametrize(
    ("written", "international"),
    [
        ("050 304 4671", "+358 50 304 4671"),
        ("(09) 123 4567", "+358 9 123 4567"),
        ("0501234567", "+358 501234567"),
        ("+358 50 304 4671", None),
        ("00358 50 304 4671", None),
        ("+46 8 123 456", None),
        ("050 304 4671 (vaihde)", None),
        ("0", None),
    ],
)
def test_only_a_domestic_finnish_number_is_made_international(
    written: str, international: str | None
) -> None:
    from notice.render import international_phone

    assert international_phone(written) == international
