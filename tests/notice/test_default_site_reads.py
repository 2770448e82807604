"""What a newcomer reads on the default site: the same cookie names in the table and the analytics
section, an adequacy decision named once, the authority's addresses written alike, one Swedish name
for the request portal and address lines without a dangling postal code."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from notice.build import build_site
from notice.cli import main
from tests import REPO_ROOT

LANGUAGES = ("fi", "sv", "en")
CUSTOMER_REGISTER = {
    "fi": "fi/asiakasrekisteri",
    "sv": "sv/kundregister",
    "en": "en/customer-register",
}
COOKIES_LABEL = {"fi": "Evästeet", "sv": "Kakor", "en": "Cookies"}
DECISION = "(EU) 2023/1795"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("default") / "site"
    build_site(REPO_ROOT / "content", out, pdf=False, jobs=1)
    return out


def _page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text("utf-8"), "lxml")


def _built(tmp_path: Path, *edits: tuple[str, str, str]) -> Path:
    """Build a copy of the default content with (file, old, new) replacements."""
    content = Path(shutil.copytree(REPO_ROOT / "content", tmp_path / "content"))
    for name, old, new in edits:
        path = content / name
        text = path.read_text("utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new), "utf-8")
    out = tmp_path / "site"
    build_site(content, out, pdf=False, jobs=1, allow_errors=True)
    return out


def _analytics_cookies(soup: BeautifulSoup, lang: str) -> list[str]:
    (term,) = [dt for dt in soup.select("dl.facts dt") if dt.get_text() == COOKIES_LABEL[lang]]
    return [code.get_text() for code in term.find_next_sibling("dd").select("code")]


def _table_ga_cookies(soup: BeautifulSoup) -> list[str]:
    names = [th.code.get_text() for th in soup.select("table.cookie-table tbody th")]
    return [name for name in names if name.startswith("_ga")]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_analytics_section_names_the_cookies_the_table_lists(site: Path, lang: str) -> None:
    for path in (f"{lang}/cookies", CUSTOMER_REGISTER[lang]):
        soup = _page(site, path)
        # The part that varies is shown as "…", explained beside it (test_newcomer_reads).
        assert _table_ga_cookies(soup) == ["_ga", "_ga_…"], path
        assert _analytics_cookies(soup, lang) == _table_ga_cookies(soup), path


def test_the_analytics_section_follows_the_measurement_id_like_the_table(tmp_path: Path) -> None:
    out = _built(
        tmp_path,
        (
            "site.yaml",
            "  google_signals: false\n",
            "  measurement_id: G-ABC123\n  google_signals: false\n",
        ),
    )
    soup = _page(out, "en/cookies")
    assert _table_ga_cookies(soup) == ["_ga", "_ga_ABC123"]
    assert _analytics_cookies(soup, "en") == ["_ga", "_ga_ABC123"]


def _transfer_texts(soup: BeautifulSoup) -> list[str]:
    return [" ".join(li.get_text(" ").split()) for li in soup.select("ul.transfers li")]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_adequacy_decision_is_named_once(site: Path, lang: str) -> None:
    (text,) = _transfer_texts(_page(site, CUSTOMER_REGISTER[lang]))
    assert text.count(DECISION) == 1, text
    assert not re.search(r"\b(Päätös|Beslut|Decision):", text), text


def test_the_decision_is_still_named_when_the_details_do_not_name_it(tmp_path: Path) -> None:
    register = "registers/asiakasrekisteri.yaml"
    old = "Päätös on (EU) 2023/1795 (10.7.2023)"
    out = _built(tmp_path, (register, old, "Päätös on annettu 10.7.2023"))
    (fi,) = _transfer_texts(_page(out, CUSTOMER_REGISTER["fi"]))
    assert fi.count(DECISION) == 1 and f"Päätös: {DECISION}." in fi, fi
    (en,) = _transfer_texts(_page(out, CUSTOMER_REGISTER["en"]))
    assert f"Decision: {DECISION}." not in en, en  # the English details still name it


def _address_lines(address: BeautifulSoup) -> list[str]:
    text = address.get_text("\n")
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def test_the_authoritys_english_addresses_are_written_alike(site: Path) -> None:
    soup = _page(site, CUSTOMER_REGISTER["en"])
    (authority,) = [a for a in soup.select("address") if "Ombudsman" in a.get_text()]
    lines = _address_lines(authority)
    assert "Visiting address: Lintulahdenkuja 4, 00530 Helsinki" in lines
    assert "Postal address: P.O. Box 800, 00531 Helsinki, Finland" in lines
    assert not any("FI-" in line for line in lines), lines


OLD_SWEDISH_NAMES = re.compile(r"begärande(tjänst|portal)|begärans(tjänst|portal)", re.IGNORECASE)


def test_the_swedish_pages_call_the_request_portal_by_one_name(site: Path) -> None:
    texts = {
        page: BeautifulSoup(page.read_text("utf-8"), "lxml").get_text(" ")
        for page in sorted((site / "sv").glob("**/index.html"))
    }
    assert texts
    for page, text in texts.items():
        assert not OLD_SWEDISH_NAMES.search(text), (page, OLD_SWEDISH_NAMES.search(text))
    said = [
        page.parent.name
        for page, text in texts.items()
        if "tjänst för dataskyddsbegäranden" in text or "tjänsten för dataskyddsbegäranden" in text
    ]
    assert {"cookies", "cookie-settings", "kundregister"} <= set(said), said


def test_the_swedish_checker_hint_uses_the_same_name() -> None:
    seed = REPO_ROOT / "tests" / "fixtures" / "seed-original"
    args = ["check", "--content", str(seed), "--no-cache", "--lang", "sv"]
    output = CliRunner().invoke(main, args).output
    hints = [line for line in output.splitlines() if "legacy-signed-request" in line]
    assert hints, output
    assert all("(e-post, tjänsten för dataskyddsbegäranden)" in line for line in hints), hints
    assert not OLD_SWEDISH_NAMES.search(output)


def _controller_lines(soup: BeautifulSoup) -> list[str]:
    address = next(a for a in soup.select("address") if "Esa Kemppainen" in a.get_text())
    return _address_lines(address)


@pytest.mark.parametrize(
    ("fields", "line"),
    [
        ("", "Impivaarantie 25"),
        ("  postal_code: '00100'\n", "Impivaarantie 25, 00100"),
        ("  city: Tampere\n", "Impivaarantie 25, Tampere"),
        ("  postal_code: '00100'\n  city: Helsinki\n", "Impivaarantie 25, 00100 Helsinki"),
    ],
)
def test_the_controllers_address_reads_as_one_line_from_the_parts_given(
    tmp_path: Path, fields: str, line: str
) -> None:
    street = "  street_address: Impivaarantie 25\n"
    out = _built(tmp_path, ("site.yaml", street, street + fields))
    lines = _controller_lines(_page(out, CUSTOMER_REGISTER["fi"]))
    assert lines[1] == line, lines
    assert not any(re.fullmatch(r"\d{5}", part) for part in lines), lines
