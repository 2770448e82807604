"""A site whose every cookie is strictly necessary asks no consent (ePrivacy Art 5(3)), so it ships
no cookie banner and no cookie settings page, and no page links one; one analytics cookie brings
both back, linked from every page. Either way no page links a file the site does not have.

The content is the default content's, its cookie list cut down; the built site is read back with
BeautifulSoup, as a browser follows its links.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from notice import banner
from notice.build import build_site
from tests import REPO_ROOT

LANGUAGES = ("fi", "sv", "en")
SETTINGS_LABEL = {"fi": "Evästeasetukset", "sv": "Kakinställningar", "en": "Cookie settings"}


def _build(tmp_path: Path, *, analytics_cookie: bool) -> Path:
    content = Path(shutil.copytree(REPO_ROOT / "content", tmp_path / "content"))
    data = yaml.safe_load((content / "site.yaml").read_text(encoding="utf-8"))
    cookies = [cookie for cookie in data["cookies"] if cookie["category"] == "necessary"]
    if analytics_cookie:
        cookies += [cookie for cookie in data["cookies"] if cookie["name"] == "_ga"]
    data["cookies"] = cookies
    del data["analytics"]  # no analytics service: only the cookie list decides
    (content / "site.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "site"
    build_site(content, out, pdf=False, jobs=1, allow_errors=True)
    return out


def _links(out: Path) -> list[tuple[Path, str, str]]:
    """(page, text, address) of every link, stylesheet, script and image of every page, resolved
    against the page (and `base_url`) to a path in the site; other hosts are left out."""
    base = json.loads((out / "registers.json").read_text(encoding="utf-8"))["registers"][0]
    base_url = base["pages"]["fi"].rsplit("/fi/", 1)[0] + "/"
    found = []
    for page in sorted(out.rglob("*.html")):
        here = base_url + page.relative_to(out).as_posix()
        soup = BeautifulSoup(page.read_bytes(), "lxml")
        for tag in soup.find_all(["a", "link", "script", "img"]):
            for attribute in ("href", "src", "data-src"):
                if tag.get(attribute):
                    address = urljoin(here, tag[attribute])
                    if address.startswith(base_url):
                        path = urlsplit(address).path.removeprefix(urlsplit(base_url).path)
                        found.append((page, tag.get_text(" ", strip=True), path))
    return found


def _missing(out: Path, path: str) -> bool:
    target = out / path
    return not (target / "index.html" if path.endswith("/") or not path else target).is_file()


def test_a_site_of_necessary_cookies_ships_no_banner_and_no_settings_page(tmp_path: Path) -> None:
    out = _build(tmp_path, analytics_cookie=False)
    assert sorted(p.parent.name for p in out.rglob("cookie-settings/index.html")) == []
    shipped = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    banner_files = {*banner.LIBRARY_FILES, banner.CONFIG_PATH, banner.GTAG_CONFIG_PATH}
    banner_files |= banner.STATIC_FILES | {banner.GPC_PATH}
    assert sorted(shipped & banner_files) == []
    assert not [p for p in shipped if p.startswith(banner.NOTICES_DIR)]
    # The snippet stays, to tell the site's owner that there is nothing to paste.
    assert "needs no cookie banner" in (out / banner.SNIPPET_PATH).read_text(encoding="utf-8")
    assert json.loads((out / "consent.json").read_text(encoding="utf-8"))["banner"] is None
    links = _links(out)
    assert not [(str(page), path) for page, _, path in links if "cookie-settings" in path]
    assert not [text for _, text, _ in links if text in SETTINGS_LABEL.values()]
    dangling = sorted({(page.relative_to(out).as_posix(), path) for page, _, path in links
                       if _missing(out, path)})  # fmt: skip
    assert dangling == []


def test_one_analytics_cookie_brings_the_banner_and_its_settings_page(tmp_path: Path) -> None:
    out = _build(tmp_path, analytics_cookie=True)
    for path in [*banner.LIBRARY_FILES, banner.CONFIG_PATH, *banner.STATIC_FILES, banner.GPC_PATH]:
        assert (out / path).is_file(), path
    assert json.loads((out / "consent.json").read_text(encoding="utf-8"))["banner"]["config"] == (
        banner.CONFIG_PATH
    )
    links = _links(out)
    for lang in LANGUAGES:
        settings = out / lang / "cookie-settings" / "index.html"
        page = BeautifulSoup(settings.read_bytes(), "lxml")
        assert page.h1.get_text() == SETTINGS_LABEL[lang]
        linking = {p for p, text, path in links if path == f"{lang}/cookie-settings/"}
        # Every page of the language with a footer links it, the cookie page too.
        footed = {p for p in (out / lang).rglob("*.html")
                  if BeautifulSoup(p.read_bytes(), "lxml").find("footer")}  # fmt: skip
        assert footed and footed <= linking, lang
        assert out / lang / "cookies" / "index.html" in linking
    dangling = sorted({(page.relative_to(out).as_posix(), path) for page, _, path in links
                       if _missing(out, path)})  # fmt: skip
    assert dangling == []


@pytest.fixture(autouse=True)
def _library_installed() -> None:
    if not banner.LIBRARY_DIR.is_dir():
        pytest.fail("the banner library is not installed: run `npm ci --omit=dev`")
