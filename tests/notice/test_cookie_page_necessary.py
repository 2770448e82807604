"""The cookie page says truthfully which cookies are stored without consent: the table's own.

A newcomer read "without your consent our site stores only the cookie that remembers your cookie
choices" above a table listing three more necessary cookies (the portal's `__Host-session`,
`lang`, the staff device cookie). Every sentence of the page about storing cookies without
consent now either names exactly the table's necessary cookies or speaks of necessary cookies
as a class, in every language.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from notice.build import build_site
from notice.i18n import translations
from notice.model import CookieCategory
from notice.render import COOKIE_CATEGORIES
from tests import REPO_ROOT

CONTENTS = {"default": REPO_ROOT / "content", "small": REPO_ROOT / "tests" / "fixtures" / "small"}
WITHOUT_CONSENT = {
    "en": "without (your )?consent",
    "fi": "ilman suostumusta",
    "sv": "utan (ditt )?samtycke",
}
EXEMPTION = {"en": "Art 5(3)", "fi": "5 artiklan 3 kohta", "sv": "artikel 5.3"}
NECESSARY_COOKIES = {
    "en": "necessary cookies",
    "fi": "välttämättömi(ä|a) evästeitä|välttämättömät evästeet",
    "sv": "nödvändiga kakor",
}


@pytest.fixture(scope="module", params=sorted(CONTENTS))
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp(request.param) / "site"
    build_site(CONTENTS[request.param], out, pdf=False, jobs=1, allow_errors=True)
    return out


def _cookie_page(site: Path, lang: str) -> BeautifulSoup | None:
    for page in sorted((site / lang).glob("*/index.html")):
        soup = BeautifulSoup(page.read_text("utf-8"), "lxml")
        if soup.select("h1") and soup.select_one("h1").get_text() == translations(lang).gettext(
            "Cookies"
        ):
            return soup
    return None


def _necessary_in_table(soup: BeautifulSoup, lang: str) -> list[str]:
    label = translations(lang).gettext(COOKIE_CATEGORIES[CookieCategory.necessary])
    names = []
    for row in soup.select("table.cookie-table tbody tr"):
        cells = {cell["data-label"]: cell for cell in row.find_all(["th", "td"])}
        if cells[translations(lang).gettext("Category")].get_text() == label:
            names.append(cells[translations(lang).gettext("Name")].code.get_text())
    return names


def _sentences(paragraph: Tag) -> list[str]:
    return re.split(r"(?<=[.!?])\s+", " ".join(paragraph.get_text().split()))


def test_what_is_stored_without_consent_is_what_the_table_lists_as_necessary(
    site: Path,
) -> None:
    languages = [lang for lang in ("fi", "sv", "en") if (site / lang).is_dir()]
    assert len(languages) >= 2
    for lang in languages:
        soup = _cookie_page(site, lang)
        assert soup is not None, lang
        necessary = _necessary_in_table(soup, lang)
        assert necessary, "the table lists necessary cookies"
        naming = []
        for paragraph in soup.select("main p"):
            for sentence in _sentences(paragraph):
                if not re.search(WITHOUT_CONSENT[lang], sentence, re.IGNORECASE):
                    continue
                named = [code.get_text() for code in paragraph.find_all("code")]
                if named:  # the sentence that names them: exactly the table's necessary cookies
                    assert named == necessary, sentence
                    naming.append(sentence)
                else:  # any other sentence may speak of necessary cookies only as a class
                    assert re.search(NECESSARY_COOKIES[lang], sentence, re.IGNORECASE), sentence
        assert len(naming) == 1, f"{lang}: one sentence names the cookies stored without consent"
        assert EXEMPTION[lang] in naming[0], f"{lang}: it gives the exemption (ePrivacy Art 5(3))"
