"""The notice site has an icon of its own: hosted alone, it answers `/favicon.ico` itself.

Every page of the built site links the icon (ICO and SVG) with a link that resolves to a file in
the site, and every page's CSP admits it from 'self' only (a site without a theme logo had no
`img-src`, so the browser refused the icon).
"""

from __future__ import annotations

import posixpath
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from notice.build import build_site
from tests import REPO_ROOT

CONTENTS = {"default": REPO_ROOT / "content", "small": REPO_ROOT / "tests" / "fixtures" / "small"}


@pytest.fixture(scope="module", params=sorted(CONTENTS))
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp(request.param) / "site"
    build_site(CONTENTS[request.param], out, pdf=False, jobs=1, allow_errors=True)
    return out


def _pages(site: Path) -> list[Path]:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    return pages


def _csp(soup: BeautifulSoup) -> dict[str, list[str]]:
    meta = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert meta is not None
    directives = [part.split() for part in meta["content"].split(";") if part.strip()]
    return {name: values for name, *values in directives}


def test_the_site_root_holds_the_icon_the_browsers_ask_for(site: Path) -> None:
    assert (site / "favicon.ico").read_bytes() == (REPO_ROOT / "static/favicon.ico").read_bytes()
    assert (site / "favicon.ico").read_bytes()[:4] == b"\0\0\1\0"  # an ICO file
    assert (site / "favicon.svg").read_text("utf-8").startswith("<svg")


def test_every_page_links_the_icon_in_the_site(site: Path) -> None:
    for page in _pages(site):
        soup = BeautifulSoup(page.read_text("utf-8"), "lxml")
        icons = {link.get("type", "ico"): link["href"] for link in soup.select("link[rel=icon]")}
        assert set(icons) == {"ico", "image/svg+xml"}, page
        for href in icons.values():
            if href.startswith("/"):  # the not-found page links from the site's root path
                target = site / href.split("/", 2)[2]
            else:
                target = site / posixpath.normpath(
                    posixpath.join(page.parent.relative_to(site).as_posix(), href)
                )
            assert target.is_file(), (page, href)
            assert target.name in {"favicon.ico", "favicon.svg"}


def test_every_page_admits_the_icon_from_self_and_nothing_else(site: Path) -> None:
    for page in _pages(site):
        csp = _csp(BeautifulSoup(page.read_text("utf-8"), "lxml"))
        assert csp["default-src"] == ["'none'"], page
        assert csp["img-src"] == ["'self'"], page
