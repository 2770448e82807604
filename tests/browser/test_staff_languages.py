"""The staff pages in Finnish, Swedish and English: translated, dated the local way, sortable,
one <main> even around a previewed letter, and no axe violation in any of the three languages.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pyotp
import pytest
from playwright.sync_api import BrowserContext, Page

from tests.browser.axe import assert_no_violations, run_axe
from tests.browser.test_staff_flow import (
    PASSWORD,
    Served,
    make_admin,
    submit_as_person,
)

pytestmark = pytest.mark.browser

WORDS = {
    "fi": {
        "days": "Päiviä jäljellä tai ratkaisu",
        "received": "Vastaanotettu",
        "caption": "Avoin – määräpäivän mukaan, aikaisin ensin",
        "preview": "Esikatsele kirjettä",
    },
    "sv": {
        "days": "Dagar kvar eller utfall",
        "received": "Mottagen",
        "caption": "Öppen – efter sista dag, tidigaste först",
        "preview": "Förhandsgranska brevet",
    },
    "en": {
        "days": "Days left or outcome",
        "received": "Received",
        "caption": "Open – sorted by due date, earliest first",
        "preview": "Preview the letter",
    },
}
MONTH_FIRST = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}, \d{4}")
"""The US order Babel's plain `en` writes ("Jan 4, 2027"), which no staff page may show."""


def sign_in(served: Served, page: Page, secret: str) -> None:  # noqa: F811
    page.goto(f"{served.base}/requests/staff/?lang=en")
    page.fill("#username", "anna")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/requests/staff/totp$"))
    page.fill("#code", pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/requests/staff/$"))


def check(page: Page, lang: str) -> None:
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("main").count() == 1
    text = page.locator("body").inner_text()
    assert MONTH_FIRST.search(text) is None, MONTH_FIRST.search(text)
    assert_no_violations(run_axe(page), f"{lang} {page.url}")


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_queue_detail_and_preview_in_each_language(
    served: Served,  # noqa: F811 - the fixture imported above
    new_context: Callable[..., BrowserContext],
    lang: str,
) -> None:
    submit_as_person(served, new_context().new_page())
    secret = make_admin(served.app)
    staff = new_context().new_page()
    sign_in(served, staff, secret)
    words = WORDS[lang]

    staff.goto(f"{served.base}/requests/staff/?lang={lang}")
    check(staff, lang)
    headers = staff.locator("table.queue thead th").all_inner_texts()
    assert words["days"] in headers
    assert staff.locator("table.queue caption").inner_text() == words["caption"]
    sorted_now = staff.locator("table.queue th[aria-sort]")
    assert sorted_now.count() == 1 and sorted_now.get_attribute("aria-sort") == "ascending"

    staff.locator("table.queue thead th.sortable a", has_text=words["received"]).click()
    staff.wait_for_url(re.compile(r"sort=received"))
    received = staff.locator("table.queue th[aria-sort]")
    assert received.get_attribute("aria-sort") == "ascending"
    assert words["received"] in received.inner_text()
    check(staff, lang)

    staff.locator("table.queue tbody th a").first.click()
    staff.wait_for_url(re.compile(r"/requests/staff/r/[^/?]+$"))
    check(staff, lang)

    staff.check("#decide-decision-0")
    staff.locator("form.action-decide button[name=decide-preview]").click()
    staff.wait_for_load_state()
    assert staff.locator("#letter-preview").count() == 1
    assert staff.locator("#letter-preview h1").count() == 0
    assert staff.locator("h1").count() == 1
    check(staff, lang)
    assert (
        staff.locator("form.action-decide button[name=decide-preview]").inner_text()
        == (words["preview"])
    )
