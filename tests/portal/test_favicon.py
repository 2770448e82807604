"""The portal's icon: every portal page links our own SVG icon, and `/favicon.ico` (which
browsers ask for on every page of the origin, the notice site's too) answers with our ICO file,
cached, instead of a 404 in the log on every page."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from tests import REPO_ROOT
from tests.portal.support.web import https_client

ICO = (REPO_ROOT / "static" / "favicon.ico").read_bytes()
SVG = (REPO_ROOT / "static" / "favicon.svg").read_bytes()
ICON_LINK = {"rel": ["icon"], "href": "/requests/static/favicon.svg", "type": "image/svg+xml"}
PAGES = {
    "/requests/{lang}/": {
        "fi": "Tee pyyntö tiedoistasi",
        "sv": "Gör en begäran om dina uppgifter",
        "en": "Make a request about your data",
    },
    "/requests/staff/login?lang={lang}": {
        "fi": "Kirjaudu pyyntöjen käsittelyyn",
        "sv": "Logga in till handläggningen av ärenden",
        "en": "Sign in to request handling",
    },
    "/requests/{lang}/no-such-page": {
        "fi": "Sivua ei löydy",  # as the notice site says it
        "sv": "Sidan hittades inte",
        "en": "Page not found",
    },
}


def test_favicon_ico_answers_with_our_icon_cached_for_a_day(client: FlaskClient) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/vnd.microsoft.icon"
    assert response.data == ICO
    cache = response.headers["Cache-Control"]
    assert "public" in cache and "max-age=86400" in cache and "no-store" not in cache
    assert "Pragma" not in response.headers
    image = Image.open(io.BytesIO(response.data))
    assert image.format == "ICO"
    assert image.info["sizes"] == {(16, 16), (32, 32), (48, 48)}
    response.close()


def test_favicon_ico_answers_beside_the_notice_site(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    """With the notice site served under `/`, its pages' browsers get the icon, not its 404."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>root</p>", encoding="utf-8")
    (site / "404.html").write_text("<h1>Sivua ei löydy</h1>", encoding="utf-8")
    client = https_client(make_app(SITE_DIR=str(site)))
    response = client.get("/favicon.ico")
    assert (response.status_code, response.data) == (200, ICO)
    response.close()
    other = client.get("/favicon.png")  # the rest of the site is as it was
    assert (other.status_code, other.text) == (404, "<h1>Sivua ei löydy</h1>")
    other.close()


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("path", list(PAGES))
def test_portal_pages_link_our_svg_icon(client: FlaskClient, path: str, lang: str) -> None:
    response = client.get(path.format(lang=lang))
    page = BeautifulSoup(response.text, "html.parser")
    assert page.html is not None and page.html["lang"] == lang
    assert page.h1 is not None and page.h1.get_text(strip=True) == PAGES[path][lang]
    icons = page.select('head link[rel="icon"]')
    assert [dict(link.attrs) for link in icons] == [ICON_LINK]


def test_the_svg_icon_is_served_and_fetches_nothing(client: FlaskClient) -> None:
    response = client.get("/requests/static/favicon.svg")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("image/svg+xml")
    assert response.data == SVG
    response.close()
    drawn = BeautifulSoup(SVG.decode(), "html.parser")
    # Shapes only: no script, no image, no link, no other host.
    assert {tag.name for tag in drawn.find_all(True)} == {"svg", "rect", "path"}
    assert SVG.count(b"http") == 1 and b'xmlns="http://www.w3.org/2000/svg"' in SVG
