"""What a reader sees: real cookie names, countries in the page's language, an honest history."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from notice.build import build_site
from notice.countries import localized as country_name
from tests import REPO_ROOT

FIXTURE = REPO_ROOT / "tests" / "fixtures" / "small"
NEWSLETTER = "registers/uutiskirje.yaml"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURE, tmp_path / "content"))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def _page(out: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((out / path).read_text("utf-8"), "lxml")


# The fixture lists GA4's session cookie by its real name; written with its varying part:
GA_SESSION_COOKIE = ("  - name: _ga_ABC123XYZ\n", "  - name: _ga_<container-id>\n")


def test_the_ga_session_cookie_is_named_after_the_measurement_id(
    content: Path, tmp_path: Path
) -> None:
    _edit(content / "site.yaml", *GA_SESSION_COOKIE)
    out = tmp_path / "site"
    build_site(content, out, pdf=False, jobs=1, allow_errors=True)
    for page in ("fi/evasteet/index.html", "en/cookies/index.html"):
        if not (out / page).exists():
            page = page.replace("evasteet", "cookies")
        soup = _page(out, page)
        names = [th.get_text() for th in soup.select("table.cookie-table tbody th")]
        assert names == ["session", "_ga", "_ga_ABC123XYZ"], page
        assert "<container-id>" not in soup.get_text()


def test_a_placeholder_stays_visible_while_the_measurement_id_is_unknown(
    content: Path, tmp_path: Path
) -> None:
    _edit(content / "site.yaml", *GA_SESSION_COOKIE)
    _edit(content / "site.yaml", "  measurement_id: G-ABC123XYZ\n", "")
    out = tmp_path / "site"
    build_site(content, out, pdf=False, jobs=1, allow_errors=True)
    names = [th.get_text() for th in _page(out, "en/cookies/index.html").select("tbody th")]
    # Not a made-up name: the part that varies is "…", and the note says what stands there.
    assert names[-1] == "_ga_… (… is the site's Google Analytics ID)"


@pytest.mark.parametrize(
    ("lang", "country"), [("fi", "Yhdysvallat"), ("sv", "USA"), ("en", "United States")]
)
def test_countries_are_named_in_the_page_language(lang: str, country: str) -> None:
    assert country_name("United States", lang) == country
    assert country_name("USA", lang) == country
    assert country_name(" united states ", lang) == country


def test_an_unknown_country_is_shown_as_written() -> None:
    assert country_name("Atlantis", "fi") == "Atlantis"


def test_finnish_pages_name_the_united_states_in_finnish(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(REPO_ROOT / "content", out, pdf=False, jobs=1, allow_errors=True)
    for page in sorted((out / "fi").rglob("index.html")):
        soup = BeautifulSoup(page.read_text("utf-8"), "lxml")
        transfers = [li.get_text() for li in soup.select("li") if "Google LLC," in li.get_text()]
        for text in transfers:
            assert "United States" not in text and "Yhdysvallat" in text, (page, text)
    text = (out / "fi" / "asiakasrekisteri" / "index.html").read_text("utf-8")
    assert "Google LLC, Yhdysvallat" in text


def test_the_history_lists_the_day_the_notice_was_prepared_once(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(REPO_ROOT / "content", out, pdf=False, jobs=1, allow_errors=True)
    soup = _page(out, "en/customer-register/history/index.html")
    dates = [time["datetime"] for time in soup.select("ol.history time")]
    assert dates.count("2019-10-03") == 1
    assert sum("Notice prepared" in li.get_text() for li in soup.select("ol.history li")) == 1


def test_a_history_without_that_day_still_shows_when_the_notice_was_prepared(
    content: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    build_site(content, out, pdf=False, jobs=1, allow_errors=True)
    items = _page(out, "en/newsletter/history/index.html").select("ol.history li")
    assert [li.time["datetime"] for li in items] == ["2025-08-01", "2024-02-01"]
    assert items[-1].get_text(" ", strip=True).endswith("Notice prepared.")


def _headings(soup: BeautifulSoup) -> list[str]:
    return [h2.get_text(strip=True) for h2 in soup.select("main h2")]


def test_an_optional_section_left_out_is_not_shown_as_not_specified(
    content: Path, tmp_path: Path
) -> None:
    register = content / NEWSLETTER
    _edit(
        register,
        "disclosures:\n  fi: Tietoja ei luovuteta.\n  en: The data is not disclosed.\n",
        "",
    )
    text = register.read_text("utf-8")
    register.write_text(re.sub(r"security:\n(  .*\n)+", "", text), "utf-8")
    out = tmp_path / "site"
    build_site(content, out, pdf=False, jobs=1, allow_errors=True)
    for page in ("en/newsletter/index.html", "fi/uutiskirje/index.html"):
        soup = _page(out, page)
        assert soup.select(".missing") == [], page
        headings = _headings(soup)
        assert not any("disclosures" in h.lower() or "protecting" in h.lower() for h in headings)
        assert not any("luovutukset" in h.lower() or "suojauksen" in h.lower() for h in headings)
    kept = _headings(_page(out, "en/customer-register/index.html"))
    assert "Regular disclosures of data" in kept and "Principles of protecting the register" in kept


def test_a_required_section_left_out_still_says_so(content: Path, tmp_path: Path) -> None:
    _edit(
        content / NEWSLETTER,
        "retention:\n  fi: Tilauksen ajan.\n  en: For as long as the subscription lasts.\n",
        "",
    )
    out = tmp_path / "site"
    build_site(content, out, pdf=False, jobs=1, allow_errors=True)
    soup = _page(out, "en/newsletter/index.html")
    missing = [(p.find_parent("section")["id"], p.get_text()) for p in soup.select(".missing")]
    assert missing == [("retention", "Not specified.")]


def test_a_part_of_an_optional_section_left_out_is_not_shown(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(FIXTURE, out, pdf=False, jobs=1)
    section = _page(out, "en/newsletter/index.html").find("section", id="security")
    # Unlettered: a "B" with no "A" reads as if a part were missing.
    assert [h3.get_text() for h3 in section.find_all("h3")] == ["Electronically processed data"]
    assert section.select(".missing") == []
