"""The theme of site.yaml on the portal: logo and name on public and staff pages, colours, the
display name in e-mails and letters; without a theme, the portal looks as it did."""

from __future__ import annotations

import base64
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader

from notice.loader import load_content
from portal.core.letters import render_letter
from portal.core.seal import load_or_create_key, seal_request
from portal.web.theme import LOGO_POLICY
from tests import REPO_ROOT
from tests.portal.support.mailserver import SmtpServer
from tests.portal.support.requests import new_request
from tests.portal.support.web import https_client, submit_request

THEMED = REPO_ROOT / "tests" / "fixtures" / "themed"
LOGO = (THEMED / "images" / "kuntala-logo.svg").read_bytes()
NAMES = {"fi": "Kuntalan kaupunki", "en": "City of Kuntala"}
PORTAL_COLORS = [
    "  --paper: #ffffff;",
    "  --ink: #15241b;",
    "  --muted: #3f5247;",
    "  --accent: #17603a;",
    "  --accent-hover: #17603a;",
    "  --on-accent: #ffffff;",
    "  --soft: #eaf3ee;",
    "  --line: #6f8a7a;",
    "  --focus: #9a3412;",
    "  --error: #a4161a;",
]


@pytest.fixture
def themed(make_app: Callable[..., Flask]) -> FlaskClient:
    return https_client(make_app(CONTENT_DIR=str(THEMED)))


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def header_logo(html: BeautifulSoup) -> Tag:
    logo = html.select_one("header a.site-name img.site-logo")
    assert isinstance(logo, Tag)
    return logo


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_the_start_page_shows_the_logo_named_by_the_display_name(
    themed: FlaskClient, lang: str
) -> None:
    page = soup(themed.get(f"/requests/{lang}/").text)
    logo = header_logo(page)
    assert logo["alt"] == NAMES[lang]
    owner = page.select_one("footer .site-owner")
    assert owner is not None and owner.get_text() == NAMES[lang]
    served = themed.get(str(logo["src"]))
    assert served.status_code == 200
    assert served.data == LOGO
    assert served.mimetype == "image/svg+xml"
    assert served.headers["Content-Security-Policy"] == LOGO_POLICY


def test_the_theme_stylesheet_follows_the_portal_s_and_carries_the_colours(
    themed: FlaskClient,
) -> None:
    page = soup(themed.get("/requests/fi/").text)
    links = [str(link["href"]) for link in page.select('head link[rel="stylesheet"]')]
    assert links == ["/requests/static/portal.css", "/requests/theme/theme.css"]
    css = themed.get("/requests/theme/theme.css")
    assert css.status_code == 200 and css.mimetype == "text/css"
    body = css.get_data(as_text=True)
    assert body.splitlines()[2:-1] == PORTAL_COLORS


def test_staff_pages_show_the_logo_and_the_colours_too(themed: FlaskClient) -> None:
    page = soup(themed.get("/requests/staff/login").text)
    assert header_logo(page)["alt"] == NAMES["fi"]
    assert page.select_one('link[href="/requests/theme/theme.css"]') is not None


def test_only_the_theme_s_own_logo_is_served(themed: FlaskClient) -> None:
    assert themed.get("/requests/theme/logo.png").status_code == 404
    assert themed.get("/requests/theme/kuntala-logo.svg").status_code == 404
    assert themed.get("/requests/theme/site.yaml").status_code == 404


def test_without_a_theme_the_portal_keeps_its_look(client: FlaskClient) -> None:
    page = soup(client.get("/requests/fi/").text)
    assert page.select("img") == []
    name = page.select_one("header a.site-name")
    assert name is not None and name.get_text() == "Tietosuojapyynnöt"
    assert page.select_one(".site-owner") is None
    links = [str(link["href"]) for link in page.select('head link[rel="stylesheet"]')]
    assert links == ["/requests/static/portal.css"]
    assert client.get("/requests/theme/theme.css").status_code == 404
    assert client.get("/requests/theme/logo.svg").status_code == 404


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_e_mails_come_from_the_display_name_and_open_with_it(
    themed: FlaskClient, smtp_server: SmtpServer, lang: str
) -> None:
    response = submit_request(themed, "access", lang)
    assert response.status_code == 303, response.status_code
    message = smtp_server.wait_for(1)[-1]
    assert message["From"] == f"{NAMES[lang]} <tietosuoja@example.fi>"
    html_part = message.get_body(preferencelist=("html",))
    assert html_part is not None
    first = soup(html_part.get_content()).body
    assert first is not None
    brand = first.find("p")
    assert isinstance(brand, Tag)
    assert brand.get_text() == NAMES[lang]
    assert "border-bottom:3px solid #17603a" in str(brand["style"])


def test_e_mails_without_a_theme_come_from_the_controllers_name(
    client: FlaskClient, smtp_server: SmtpServer
) -> None:
    submit_request(client, "access", "fi")
    message = smtp_server.wait_for(1)[-1]
    assert message["From"] == "Esa Kemppainen <esa.kemppainen@proleader.fi>"
    html_part = message.get_body(preferencelist=("html",))
    assert html_part is not None
    body = soup(html_part.get_content()).body
    assert body is not None
    first = body.find("p")
    assert first is not None and first.get_text() == "Hei,"


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_a_letter_carries_the_logo_and_the_display_name_into_its_pdf(
    tmp_path: Path, lang: str
) -> None:
    content = load_content(THEMED)
    request = new_request(language=lang)
    seal_request(request, load_or_create_key(tmp_path))
    letter = render_letter(
        "receipt",
        request,
        lang,
        content=content,
        verify_url=f"https://portal.example/requests/{lang}/verify",
        now=dt.datetime(2025, 2, 3, 9, 0, tzinfo=dt.UTC),
    )
    html = soup(letter.html)
    name = html.select_one("header.letterhead .brand .brand-name")
    assert name is not None and name.get_text() == NAMES[lang]
    logo = html.select_one("header.letterhead .brand img.brand-logo")
    assert isinstance(logo, Tag)
    prefix = "data:image/svg+xml;base64,"
    assert str(logo["src"]).startswith(prefix)
    assert base64.b64decode(str(logo["src"])[len(prefix) :]) == LOGO
    text = PdfReader(io.BytesIO(letter.pdf)).pages[0].extract_text()
    assert text.splitlines()[0] == NAMES[lang]
