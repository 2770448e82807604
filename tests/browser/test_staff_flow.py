"""The staff back office in Chromium: sign in with TOTP, find a request, extend it, decide it.

The request is made through the public form by a person in another browser context; after the
decision the person's status page shows it. axe-core checks every staff page on the way.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pyotp
import pytest
from flask import Flask
from playwright.sync_api import BrowserContext, Page

from portal.core import passwords
from portal.core.models import StaffUser
from portal.db import get_session
from tests.browser.axe import assert_no_violations, run_axe
from tests.browser.fixtures import Served

pytestmark = pytest.mark.browser

PASSWORD = "purple elephant runs quietly"


def check_axe(page: Page) -> None:
    """Fail on any WCAG 2.2 AA violation of the current page."""
    assert_no_violations(run_axe(page), page.url)


def submit_as_person(served: Served, page: Page) -> str:
    """Make an access request through the public form; return the status page's URL."""
    page.goto(f"{served.base}/requests/fi/new/access?register=asiakasrekisteri")
    page.fill("#message", "Kaikki tietoni, kiitos.")
    page.fill("#name", "Maija Meikäläinen")
    page.fill("#email", "maija@example.fi")
    page.fill("#signature_name", "Maija Meikäläinen")
    page.check("#attest")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/requests/fi/sent$"))
    [message] = served.smtp.wait_for(1)
    body = message.get_body(("plain",)).get_content()
    page.goto(next(word for word in body.split() if "/confirm/" in word))
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/status/[^/]+/receipt$"))
    return page.url.removesuffix("/receipt")


def make_admin(app: Flask) -> str:
    """Create an admin who has chosen a password and enrolled TOTP; return the TOTP secret."""
    secret = pyotp.random_base32()
    with app.app_context():
        session = get_session()
        session.add(
            StaffUser(
                username="anna",
                display_name="Anna Admin",
                role="admin",
                password_hash=passwords.hash_password(PASSWORD),
                must_change_password=False,
                totp_secret=secret,
                is_active=True,
                session_version=1,
                failed_logins=0,
            )
        )
        session.commit()
    return secret


def test_staff_signs_in_filters_extends_and_decides(
    served: Served, new_context: Callable[..., BrowserContext]
) -> None:
    person = new_context().new_page()
    status_url = submit_as_person(served, person)
    secret = make_admin(served.app)

    staff = new_context().new_page()
    staff.goto(f"{served.base}/requests/staff/?lang=en")
    staff.wait_for_url(re.compile(r"/requests/staff/login$"))
    check_axe(staff)
    staff.fill("#username", "anna")
    staff.fill("#password", PASSWORD)
    staff.get_by_role("button", name="Sign in").click()
    staff.wait_for_url(re.compile(r"/requests/staff/totp$"))
    check_axe(staff)
    staff.fill("#code", pyotp.TOTP(secret).now())
    staff.get_by_role("button", name="Continue").click()
    staff.wait_for_url(re.compile(r"/requests/staff/$"))
    check_axe(staff)

    staff.select_option("#filter-right", "access")
    staff.select_option("#filter-language", "fi")
    staff.get_by_role("button", name="Show").click()
    staff.wait_for_url(re.compile(r"right=access"))
    rows = staff.locator("table.queue tbody tr")
    assert rows.count() == 1
    check_axe(staff)
    rows.first.locator("a").click()
    staff.wait_for_url(re.compile(r"/requests/staff/r/[^/?]+$"))
    assert "Verified" in staff.locator("#seal-title + p").inner_text()
    check_axe(staff)

    staff.check("#extend-months-1")
    staff.fill("#extend-reasons", "Tietoja on kolmessa järjestelmässä.")
    staff.get_by_role("button", name="Extend the period").click()
    staff.wait_for_load_state()
    assert "The period was extended" in staff.locator(".notices").inner_text()
    check_axe(staff)

    staff.check("#decide-decision-0")
    staff.get_by_role("button", name="Decide").click()
    staff.wait_for_load_state()
    # No copy attached and no word on how the person gets it: refused, the form says why.
    assert "Article 15(3) GDPR" in staff.locator("form.action-decide").inner_text()
    check_axe(staff)
    staff.check("#decide-decision-0")
    staff.fill("#decide-actions", "Kopio tiedoistasi lähetettiin kirjattuna kirjeenä.")
    staff.get_by_role("button", name="Decide").click()
    staff.wait_for_load_state()
    assert "The decision was recorded" in staff.locator(".notices").inner_text()
    check_axe(staff)

    staff.get_by_role("link", name="Accounts").click()
    staff.wait_for_url(re.compile(r"/requests/staff/accounts$"))
    check_axe(staff)

    person.goto(status_url)
    assert "Hyväksytty" in person.locator("main").inner_text()
    assert "Tietoja on kolmessa järjestelmässä." in person.locator("main").inner_text()
