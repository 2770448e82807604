"""The public intake in Chromium: from the notice to a receipt by keyboard, accessible, at home.

One origin serves the built notice site and the portal, as `make run` does; mail goes to a real
SMTP server on 127.0.0.1, and the test reads the confirmation link from it like a person would.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page

from notice.build import build_site
from portal.config import change_settings
from portal.demo import demo_content
from tests.browser.axe import assert_no_violations, run_axe
from tests.browser.fixtures import Served

pytestmark = pytest.mark.browser

RIGHTS = ("access", "rectification", "erasure", "restriction", "portability", "objection")


@pytest.fixture
def served_settings(tmp_path: Path) -> dict[str, Any]:
    """The portal serves the notice site too, from this folder (built below)."""
    site_dir = tmp_path / "site"
    site_dir.mkdir()
    return {"SITE_DIR": str(site_dir)}


@pytest.fixture
def served(repo_root: Path, served: Served, tmp_path: Path) -> Served:
    """The shared portal, with a notice site built to link to it on the same origin."""
    content = demo_content(repo_root / "content", tmp_path, base_url=served.base)
    change_settings(served.app, content_dir=str(content))
    build_site(content, Path(served.app.config["SITE_DIR"]), pdf=False)
    return served


def tab_to(page: Page, element_id: str, limit: int = 40) -> None:
    """Press Tab until the element with `element_id` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} never received the focus by Tab")


def check_axe(page: Page) -> None:
    """Fail on any WCAG 2.2 AA violation of the current page."""
    assert_no_violations(run_axe(page), page.url)


def test_notice_to_receipt_by_keyboard(served: Served, page: Page) -> None:
    page.goto(f"{served.base}/fi/")
    # From the notice: the register page's rights section links into the portal's form.
    page.locator("main a[href='asiakasrekisteri/']").first.click()
    page.locator("a[href*='/requests/fi/new/access?register=']").first.click()
    assert re.search(r"/requests/fi/new/access\?register=asiakasrekisteri$", page.url)
    check_axe(page)

    tab_to(page, "message")
    page.keyboard.type("Kaikki tietoni, kiitos.")
    for field, value in [
        ("name", "Maija Meikäläinen"),
        ("email", "maija@example.fi"),
        ("signature_name", "Maija Meikäläinen"),
    ]:
        tab_to(page, field)
        page.keyboard.type(value)
    tab_to(page, "attest")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.type") == "submit"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/requests/fi/sent$"))
    assert page.locator("h1").inner_text() == "Tarkista sähköpostisi"
    check_axe(page)

    [message] = served.smtp.wait_for(1)
    body = message.get_body(("plain",)).get_content()
    link = next(word for word in body.split() if "/confirm/" in word)
    page.goto(link)
    check_axe(page)
    page.locator("button[type=submit]").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/status/[^/]+/receipt$"))
    assert page.locator("h1").inner_text() == "Kuittaus pyyntösi vastaanottamisesta"
    check_axe(page)

    receipt = served.smtp.wait_for(2)[1]
    assert [a.get_filename() for a in receipt.iter_attachments()][0].endswith(".pdf")
    page.get_by_role("link", name="Seuraa pyyntöäsi").click()
    page.wait_for_url(re.compile(r"/status/[^/]+$"))
    assert "Vastaanotettu ja käsittelyssä" in page.locator("p.status").inner_text()
    check_axe(page)


@pytest.mark.parametrize("lang", ["fi", "en", "sv"])
def test_every_portal_page_has_no_axe_violations(served: Served, page: Page, lang: str) -> None:
    paths = [f"/requests/{lang}/", *(f"/requests/{lang}/new/{right}" for right in RIGHTS)]
    paths += [f"/requests/{lang}/sent", f"/requests/{lang}/status/nonsense", "/requests/zz"]
    for path in paths:
        page.goto(served.base + path)
        check_axe(page)
    # The form with every error shown.
    page.goto(f"{served.base}/requests/{lang}/new/objection")
    page.locator("button[type=submit]").click()
    assert page.locator(".error-summary").is_visible()
    check_axe(page)


def test_pages_work_under_the_real_csp(served: Served, new_context) -> None:  # type: ignore[no-untyped-def]
    context: BrowserContext = new_context(bypass_csp=False)
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security" in msg.text else None,
    )
    page.goto(f"{served.base}/requests/en/new/rectification")
    font = page.evaluate("() => getComputedStyle(document.body).fontFamily")
    assert "Noto Sans" in font  # the stylesheet applied
    assert page.locator(".hp").is_hidden()  # the honeypot is hidden by CSS, not inline style
    assert violations == []
