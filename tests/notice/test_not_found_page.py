"""The built site's `404.html`: what a web server answers an unknown address with.

It is served at any depth, so every link starts from base_url's path (the pages' CSP has
`base-uri 'none'`: no `<base>`); it is in the site's default language and links every
language's home; `notice serve` answers unknown addresses with it.
"""

from __future__ import annotations

import shutil
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from notice.build import build_site
from notice.serve import built_site_path, make_server, serve_in_thread
from tests import REPO_ROOT

SMALL = REPO_ROOT / "tests" / "fixtures" / "small"


def _build(tmp_path: Path, base_url: str | None = None) -> Path:
    content = Path(shutil.copytree(SMALL, tmp_path / "content"))
    if base_url is not None:
        site = content / "site.yaml"
        text = site.read_text("utf-8")
        site.write_text(text.replace("https://example.fi/tietosuoja/", base_url), "utf-8")
    build_site(content, tmp_path / "site", pdf=False, cache_dir=tmp_path / "cache")
    return tmp_path / "site"


def _links(soup: BeautifulSoup) -> list[str]:
    return [a["href"] for a in soup.find_all("a")] + [
        link["href"] for link in soup.find_all("link")
    ]


def test_the_404_page_is_in_the_default_language_and_links_every_home_from_the_root_path(
    tmp_path: Path,
) -> None:
    soup = BeautifulSoup((_build(tmp_path) / "404.html").read_text("utf-8"), "html.parser")
    assert soup.html["lang"] == "fi"
    assert soup.title.get_text() == "Sivua ei löydy – Esimerkki Oy"
    assert soup.h1.get_text() == "Sivua ei löydy"
    assert soup.main.p.get_text() == (
        "Tässä osoitteessa ei ole sivua. Se on ehkä siirretty, tai osoitteessa voi olla "
        "kirjoitusvirhe. Tietosuojaselosteet ovat täällä:"
    )
    homes = [
        (li["lang"], li.a["href"], li.a.get_text(" ", strip=True))
        for li in soup.select("main ul.chooser li")
    ]
    assert homes == [
        ("fi", "/tietosuoja/fi/", "suomi Tietosuojaselosteet"),
        ("en", "/tietosuoja/en/", "English Privacy notices"),
    ]
    assert soup.find("base") is None
    assert soup.find("link", rel="canonical") is None
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    local = [h for h in _links(soup) if not h.startswith(("https:", "mailto:", "#main"))]
    assert local and all(href.startswith("/tietosuoja/") for href in local), local
    stylesheets = [link["href"] for link in soup.find_all("link", rel="stylesheet")]
    assert stylesheets == [
        "/tietosuoja/static/css/notice.css",
        "/tietosuoja/consent/cookieconsent.css",  # the banner, which this site asks consent with
        "/tietosuoja/static/css/consent.css",
        "/tietosuoja/static/css/print.css",
    ]
    scripts = [script["src"] for script in soup.find_all("script")]
    assert scripts == [
        "/tietosuoja/static/js/consent-mode.js",
        "/tietosuoja/consent/cookieconsent.umd.js",
        "/tietosuoja/consent/cookieconsent-config.js",
    ]


def test_a_site_at_the_hosts_root_links_from_slash(tmp_path: Path) -> None:
    site = _build(tmp_path, "https://tietosuoja.example.fi/")
    soup = BeautifulSoup((site / "404.html").read_text("utf-8"), "html.parser")
    assert [a["href"] for a in soup.select("main ul.chooser a")] == ["/fi/", "/en/"]
    assert built_site_path(site) == "/"
    assert "404.html" not in (site / "sitemap.xml").read_text("utf-8")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    server = make_server(_build(tmp_path), 0)
    serve_in_thread(server)
    host, port = server.server_address[:2]
    try:
        yield f"http://{host}:{port}"
    finally:
        server.shutdown()
        server.server_close()


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def test_each_language_has_its_own_404_page_linked_from_the_root_path(tmp_path: Path) -> None:
    site = _build(tmp_path)
    soup = BeautifulSoup((site / "en" / "404.html").read_text("utf-8"), "html.parser")
    assert soup.html["lang"] == "en"
    assert soup.title.get_text() == "Page not found – Esimerkki Oy"
    assert soup.h1.get_text() == "Page not found"
    assert soup.main.p.get_text() == (
        "There is no page at this address. It may have moved, or the address may be "
        "mistyped. The privacy notices are here:"
    )
    assert [a["href"] for a in soup.select("main ul.chooser a")] == [
        "/tietosuoja/fi/",
        "/tietosuoja/en/",
    ]
    local = [h for h in _links(soup) if not h.startswith(("https:", "mailto:", "#main"))]
    assert local and all(href.startswith("/tietosuoja/") for href in local), local
    fi = BeautifulSoup((site / "fi" / "404.html").read_text("utf-8"), "html.parser")
    assert (fi.html["lang"], fi.h1.get_text()) == ("fi", "Sivua ei löydy")
    assert "404.html" not in (site / "sitemap.xml").read_text("utf-8")


def test_notice_serve_answers_an_unknown_address_with_the_404_page(served: str) -> None:
    for path in ("/no/such/page/", "/tietosuoja/fi/missing.html", "/fi/x.pdf", "/sv/x/"):
        status, body = _get(served + path)
        assert status == 404
        assert BeautifulSoup(body, "html.parser").h1.get_text() == "Sivua ei löydy", path


def test_notice_serve_answers_under_a_language_in_that_language(served: str) -> None:
    # The small fixture has fi and en: /sv/ (no such language) gets the default's, above.
    for path in ("/en/no-such-page/", "/tietosuoja/en/missing.html", "/en/x.pdf"):
        status, body = _get(served + path)
        assert status == 404
        soup = BeautifulSoup(body, "html.parser")
        assert (soup.html["lang"], soup.h1.get_text()) == ("en", "Page not found"), path


def test_notice_serve_serves_the_site_at_its_own_path_too(served: str) -> None:
    # The 404 page's links are root-relative from base_url's path: they work in the preview.
    for path in ("/tietosuoja/fi/", "/tietosuoja/static/css/notice.css", "/fi/"):
        assert _get(served + path)[0] == 200, path
