"""The supervisory authority's web address in each page's language.

`supervisory_authority.url` is one address or one per language (like other localized texts); the
default content links tietosuoja.fi's Finnish, Swedish and English pages, each from the notice
page of its language. One string still loads and is linked from every language.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from bs4 import BeautifulSoup
from click.testing import CliRunner

from notice.build import build_site
from notice.cli import main
from notice.loader import load_content
from tests import REPO_ROOT

DEFAULT_URLS = {
    "fi": "https://tietosuoja.fi/yhteystiedot",
    "sv": "https://tietosuoja.fi/sv/kontaktuppgifter",
    "en": "https://tietosuoja.fi/en/contact-information",
}


def _authority_links(page: Path) -> list[str]:
    soup = BeautifulSoup(page.read_text("utf-8"), "lxml")
    return [
        a["href"]
        for address in soup.select("address")
        for a in address.select("a[href^='http']")
        if "tietosuoja.fi" in a["href"]
    ]


def _register_pages(site: Path, lang: str) -> list[Path]:
    pages = [
        page
        for page in sorted((site / lang).glob("*/index.html"))
        if BeautifulSoup(page.read_text("utf-8"), "lxml").select("address")
        and _authority_links(page)
    ]
    assert pages, f"no {lang} notice links the authority"
    return pages


def test_each_language_links_the_authoritys_page_in_that_language(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(REPO_ROOT / "content", out, pdf=False, jobs=1)
    for lang, url in DEFAULT_URLS.items():
        for page in _register_pages(out, lang):
            soup = BeautifulSoup(page.read_text("utf-8"), "lxml")
            (link,) = [a for a in soup.select("address a") if a["href"] == url]
            assert link.get_text() == url  # the address a person reads is the one linked
            assert _authority_links(page) == [url], page


def test_one_address_still_loads_and_is_linked_in_every_language(tmp_path: Path) -> None:
    content = Path(shutil.copytree(REPO_ROOT / "content", tmp_path / "content"))
    site_yaml = content / "site.yaml"
    text = site_yaml.read_text("utf-8")
    block = "  url:\n" + "".join(f"    {lang}: {url}\n" for lang, url in DEFAULT_URLS.items())
    assert block in text
    site_yaml.write_text(text.replace(block, "  url: https://tietosuoja.fi\n"), "utf-8")
    assert load_content(content).site.supervisory_authority.url == "https://tietosuoja.fi"
    out = tmp_path / "site"
    build_site(content, out, pdf=False, jobs=1)
    for lang in DEFAULT_URLS:
        for page in _register_pages(out, lang):
            assert _authority_links(page) == ["https://tietosuoja.fi"], page


def test_the_checker_points_at_the_one_language_whose_address_is_not_the_authoritys(
    tmp_path: Path,
) -> None:
    content = Path(shutil.copytree(REPO_ROOT / "content", tmp_path / "content"))
    site_yaml = content / "site.yaml"
    text = site_yaml.read_text("utf-8")
    wrong = "    en: https://example.com/en\n"
    site_yaml.write_text(text.replace(f"    en: {DEFAULT_URLS['en']}\n", wrong), "utf-8")
    line = site_yaml.read_text("utf-8").splitlines().index(wrong.rstrip("\n")) + 1
    result = CliRunner().invoke(main, ["check", "--content", str(content), "--no-cache"])
    found = [row for row in result.output.splitlines() if "E13-authority-outdated" in row]
    assert found == [
        f"{site_yaml}:{line}: WARNING E13-authority-outdated: [en] supervisory authority's "
        "contact details are outdated: https://example.com/en (hint: use Lintulahdenkuja 4, "
        "00530 Helsinki; PL 800, 00531 Helsinki; 029 566 6700; tietosuoja@om.fi)"
    ]
