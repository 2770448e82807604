"""Letters to post in Finnish, Swedish and English: the list, the request's timeline with its
button and the empty list, with no axe violation; the buttons mark the letters as a person
presses them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext

from portal.core import channels, duedates, notify
from portal.core.models import StaffUser
from portal.db import get_session, session_factory
from tests.browser.test_staff_flow import Served, make_admin
from tests.browser.test_staff_languages import check, sign_in

pytestmark = pytest.mark.browser

TITLES = {"fi": "Postitettavat kirjeet", "sv": "Brev att posta", "en": "Letters to post"}
MARK = {"fi": "Merkitse postitetuksi", "sv": "Markera som postat", "en": "Mark as posted"}


def enter_by_post(served: Served, reference: str, name: str) -> None:
    """Record a request received by post without an e-mail address, its receipt's PDF made."""
    with served.app.app_context():
        session = get_session()
        staff = session.query(StaffUser).filter_by(username="anna").one()
        channels.enter_request(
            session,
            actor=staff,
            reference=reference,
            right="access",
            register_id="asiakasrekisteri",
            language="fi",
            channel="post",
            received_on=duedates.helsinki_today() - dt.timedelta(days=3),
            name=name,
            email=None,
            phone=None,
            message="Pyydän kopion tiedoistani.",
            postal_address="Postikatu 1\n00100 Helsinki",
        )
        session.commit()
        notify.deliver_letters(session_factory(served.app))


def test_letters_to_post_in_each_language(
    served: Served,  # noqa: F811 - the fixture imported above
    new_context: Callable[..., BrowserContext],
) -> None:
    secret = make_admin(served.app)
    enter_by_post(served, "POST-0000-0000-0001", "Ζωή Παπαδοπούλου")
    enter_by_post(served, "POST-0000-0000-0002", "Pekka Postinen")
    staff = new_context().new_page()
    sign_in(served, staff, secret)
    for lang in ("fi", "sv", "en"):
        staff.goto(f"{served.base}/requests/staff/?lang={lang}")
        link = staff.locator("#nav-letters-to-post")
        assert " ".join(link.inner_text().split()) == f"{TITLES[lang]} (2)"
        link.click()
        staff.wait_for_url(re.compile(r"/requests/staff/letters$"))
        assert staff.locator("h1").inner_text() == TITLES[lang]
        assert staff.locator("table.to-post tbody tr").count() == 2
        check(staff, lang)

    staff.locator("table.to-post tbody tr").first.get_by_role("button").click()
    staff.wait_for_url(re.compile(r"/requests/staff/letters$"))
    assert staff.locator("table.to-post tbody th").all_inner_texts() == ["POST-0000-0000-0002"]
    check(staff, "en")

    staff.goto(f"{served.base}/requests/staff/r/POST-0000-0000-0001?lang=en")
    timeline = staff.locator("ol.timeline").inner_text()
    assert re.search(r"posted on \d{1,2} \w{3} \d{4} by Anna Admin", timeline), timeline
    staff.goto(f"{served.base}/requests/staff/r/POST-0000-0000-0002?lang=sv")
    assert staff.locator("ol.timeline").get_by_text("inte postat än").count() == 1
    check(staff, "sv")
    staff.locator("ol.timeline").get_by_role("button", name=MARK["sv"]).click()
    staff.wait_for_url(re.compile(r"/requests/staff/r/POST-0000-0000-0002$"))

    staff.goto(f"{served.base}/requests/staff/letters?lang=fi")
    assert staff.locator("#to-post-count").inner_text() == "Yksikään kirje ei odota postitusta."
    assert staff.locator("#nav-letters-to-post").inner_text().endswith("(0)")
    check(staff, "fi")
