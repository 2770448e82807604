"""A theme in Chromium: on the portal the logo loads under the real CSP, the colours apply, and axe
finds no WCAG 2.2 AA violation on public and staff pages; the notice's cookie banner takes the
theme's colours and stays accessible. (Every notice page of the themed fixture is checked by
test_site_a11y.py.)"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import BrowserContext, Page

from notice.build import build_site
from portal import create_app
from portal.config import change_settings
from portal.db import upgrade
from tests import REPO_ROOT
from tests.browser.axe import assert_no_violations, run_axe
from tests.browser.fixtures import StaticServer

pytestmark = pytest.mark.browser

THEMED = REPO_ROOT / "tests" / "fixtures" / "themed"


@pytest.fixture
def themed_portal(tmp_path: Path, wsgi_server) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Serve the portal (plain HTTP) with the themed fixture's content; yield its base URL."""
    url = f"sqlite:///{tmp_path / 'portal.sqlite3'}"
    upgrade(url)
    app: Flask = create_app(
        {
            "SECRET_KEY": secrets.token_hex(16),
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "DATABASE_URL": url,
            "SITE_DIR": "",
            "SECURE_COOKIES": False,
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": 9,  # nothing is submitted here
            "MAIL_SENDER": "tietosuoja@example.fi",
            "CONTENT_DIR": str(THEMED),
        }
    )
    base = wsgi_server(app).rstrip("/")
    change_settings(app, public_url=base)
    try:
        yield base
    finally:
        app.extensions["db_engine"].dispose()


PATHS = ["/requests/fi/", "/requests/en/new/access", "/requests/staff/login"]


def test_the_logo_and_the_theme_stylesheet_load_under_the_real_csp(
    themed_portal: str,
    new_context,  # type: ignore[no-untyped-def]
) -> None:
    context: BrowserContext = new_context(bypass_csp=False)
    page = context.new_page()
    blocked: list[str] = []
    page.on(
        "console",
        lambda msg: blocked.append(msg.text) if "Content Security" in msg.text else None,
    )
    for path in PATHS:
        page.goto(themed_portal + path)
        logo = page.locator("header img.site-logo")
        assert logo.evaluate("img => img.complete && img.naturalWidth") == 120, path
        border = page.evaluate(
            "() => getComputedStyle(document.querySelector('.site-header')).borderBottomColor"
        )
        assert border == "rgb(23, 96, 58)", path  # the theme's accent #17603a
    assert blocked == []


def test_themed_portal_pages_have_no_axe_violations(themed_portal: str, page: Page) -> None:
    for path in PATHS:
        page.goto(themed_portal + path)
        assert_no_violations(run_axe(page), page.url)
    # The form with every error shown, in the theme's error colour.
    page.goto(themed_portal + "/requests/en/new/objection")
    with page.expect_navigation(wait_until="load"):  # the answer's stylesheets, theme.css too
        page.locator("button[type=submit]").click()
    summary = page.locator(".error-summary")
    assert summary.evaluate("e => getComputedStyle(e).borderTopColor") == "rgb(164, 22, 26)"
    assert_no_violations(run_axe(page), page.url)
    # The focus indicator in the theme's focus colour.
    page.goto(themed_portal + "/requests/en/")
    page.keyboard.press("Tab")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineColor")
    assert outline == "rgb(154, 52, 18)"  # #9a3412


def test_the_cookie_banner_takes_the_theme_s_colours_and_passes_axe(
    page: Page, static_server: StaticServer, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    build_site(THEMED, out, pdf=False, cache_dir=tmp_path / "cache")
    page.goto(static_server(out) + "/en/cookie-settings/")
    page.wait_for_selector("#cc-main .cm", state="visible")  # the banner asks first
    accept = page.locator("#cc-main .cm button[data-role=all]")
    colors = accept.evaluate(
        "b => [getComputedStyle(b).backgroundColor, getComputedStyle(b).color]"
    )
    assert colors == ["rgb(23, 96, 58)", "rgb(255, 255, 255)"]  # accent, on_accent
    assert_no_violations(run_axe(page), page.url)
    page.locator("#cc-main .cm button[data-role=show]").click()
    page.wait_for_selector("#cc-main .pm", state="visible")
    assert_no_violations(run_axe(page), page.url)
