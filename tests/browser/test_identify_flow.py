"""Strong identification in Chromium: the whole redirect flow to a provider and back.

The portal and the development OpenID Provider run on two local ports and talk real HTTP; the
browser follows the redirects, picks a made-up person at the provider and comes back to the form,
sends it, and the pages on the way (the requirement, the form, a refusal) pass axe-core.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page

from portal import create_app
from portal.db import upgrade
from tests.browser.axe import assert_no_violations, run_axe
from tests.portal.support.mailserver import Collector, SmtpServer, free_port
from tests.portal.support.oidc import REGISTER, Setup, portal_with_provider

pytestmark = pytest.mark.browser


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[Setup]:
    smtp = SmtpServer("127.0.0.1", free_port(), Collector())
    smtp.start()
    url = f"sqlite:///{tmp_path / 'portal.sqlite3'}"
    upgrade(url)
    apps: list[Flask] = []

    def make_app(**settings: Any) -> Flask:
        app = create_app(
            {
                "SECRET_KEY": secrets.token_hex(16),
                "INSTANCE_PATH": str(tmp_path / "instance"),
                "DATABASE_URL": url,
                "SITE_DIR": "",
                "MAIL_SERVER": smtp.host,
                "MAIL_PORT": smtp.port,
            }
            | settings
        )
        apps.append(app)
        return app

    factory: Callable[..., Flask] = make_app
    try:
        with portal_with_provider(factory) as running:
            running.provider.auto_approve = None  # the person chooses at the provider
            yield running
    finally:
        smtp.stop()
        for app in apps:
            app.extensions["db_engine"].dispose()


def check_axe(page: Page) -> None:
    assert_no_violations(run_axe(page), page.url)


def test_identify_at_the_provider_and_send_the_request(setup: Setup, page: Page) -> None:
    page.goto(f"{setup.portal}/requests/fi/new/access?register={REGISTER}")
    assert page.locator("h1").inner_text() == "Tietojesi tarkastaminen"
    check_axe(page)
    page.get_by_role("link", name="Tunnistaudu: Test broker").click()
    page.wait_for_url(re.compile(r"/op/authorize\?"))
    # The demo provider speaks the language the portal asked for (ui_locales=fi).
    assert "KEHITYSKÄYTÖN TUNNISTUSPALVELU" in page.locator("main").inner_text()
    page.get_by_role("link", name="Testi Henkilö").click()
    page.wait_for_url(re.compile(rf"/requests/fi/new/access\?register={REGISTER}$"))
    assert (
        page.locator("p.notice").inner_text()
        == "Olet tunnistautunut vahvasti: Testi Henkilö (Test broker)."
    )
    check_axe(page)
    assert page.input_value("#name") == "Testi Henkilö"  # the verified name, filled in
    page.fill("#email", "testi@example.fi")
    page.fill("#signature_name", "Testi Henkilö")
    page.check("#attest")
    page.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/requests/fi/sent$"))
    assert page.locator("h1").inner_text() == "Tarkista sähköpostisi"


def test_a_refused_token_shows_a_page_in_the_persons_language(setup: Setup, page: Page) -> None:
    setup.provider.fault = "wrong_key"
    page.goto(f"{setup.portal}/requests/sv/new/access?register={REGISTER}")
    page.get_by_role("link", name="Identifiera dig: Test broker").click()
    page.get_by_role("link", name="Maija Meikäläinen").click()
    page.wait_for_url(re.compile(r"/requests/identify/callback\?"))
    assert page.locator("h1").inner_text() == "Identifieringen lyckades inte"
    assert "dess underskrift kunde inte verifieras." in page.locator("main").inner_text()
    check_axe(page)
