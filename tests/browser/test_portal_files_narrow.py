"""The status page's data files table on a phone: it fits 390 px in every language.

The 64-character SHA-256 checksum did not wrap, so the table made the page 745 px wide and the
"available until" column was off-screen. Staff attach a file and decide through the real back
office; the person's status page is then opened at 390 px in fi, sv and en.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext
from sqlalchemy import select

from portal.core import mail
from portal.core.models import DataRequest
from portal.db import get_session
from tests.browser.test_portal_files import CSV, _mail_text, _sign_in
from tests.browser.test_staff_flow import Served, check_axe, make_admin, submit_as_person

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
HEADINGS = {"fi": "Tietosi", "sv": "Dina uppgifter", "en": "Your data"}
UNTIL = {"fi": "Saatavilla", "sv": "Tillgänglig", "en": "Available until"}


def test_the_files_table_fits_a_phone_in_every_language(
    served: Served, new_context: Callable[..., BrowserContext]
) -> None:
    person = new_context().new_page()
    submit_as_person(served, person)
    staff = new_context().new_page()
    _sign_in(served, staff, make_admin(served.app))
    with served.app.app_context():
        reference = get_session().scalars(select(DataRequest.reference)).one()
    staff.goto(f"{served.base}/requests/staff/r/{reference}")
    staff.set_input_files(
        "#attach-files",
        files=[{"name": "tiedot.csv", "mimeType": "text/csv", "buffer": CSV.encode()}],
    )
    staff.get_by_role("button", name="Attach the data copy").click()
    staff.wait_for_load_state()
    staff.check("#decide-decision-0")
    staff.get_by_role("button", name="Decide").click()
    staff.wait_for_load_state()
    served.smtp.clear()
    with served.app.app_context():
        mail.send_pending(served.app)
    decision = _mail_text(served, 1)
    status_url = next(word for word in decision.split() if "/status/" in word)
    token = status_url.rstrip("/").rsplit("/", 1)[1]
    digest = hashlib.sha256(CSV.encode()).hexdigest()

    phone = new_context(viewport=PHONE).new_page()
    for lang in ("fi", "sv", "en"):
        phone.goto(f"{served.base}/requests/{lang}/status/{token}")
        files = phone.locator("#files")
        assert files.locator("h2").inner_text() == HEADINGS[lang]
        assert re.sub(r"\s", "", files.locator("code.digest").inner_text()) == digest
        width = phone.evaluate("document.scrollingElement.scrollWidth")
        assert width <= PHONE["width"], f"{lang}: the page is {width} px wide at 390 px"
        # Every column, the last ("available until") too, is on the screen.
        for cell in files.locator("tbody th, tbody td").all():
            box = cell.bounding_box()
            assert box is not None and box["x"] + box["width"] <= PHONE["width"], (
                f"{lang}: {cell.inner_text()!r} is off-screen"
            )
        assert UNTIL[lang] in files.locator("thead").inner_text()
        check_axe(phone)
