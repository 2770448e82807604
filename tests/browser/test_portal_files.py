"""The data copy end to end in Chromium: staff attach it, decide, the person downloads it.

Staff attach a CSV through the real file input and decide; the person opens the decision e-mail
(real SMTP), asks for a download code, types it from the second e-mail, downloads the file and
its SHA-256 matches what was attached. Then the download period ends: the page says so and the
file's address answers "not found". axe-core checks the pages on the way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import BrowserContext, Page
from sqlalchemy import select

from portal.core import mail
from portal.core.models import Attachment, DataRequest
from portal.db import get_session
from tests.browser.test_staff_flow import (
    PASSWORD,
    Served,
    check_axe,
    make_admin,
    submit_as_person,
)

pytestmark = pytest.mark.browser

CSV = "nimi;sähköposti;tilaukset\nMaija Meikäläinen;maija@example.fi;3\nΟλυμπία;ol@example.gr;1\n"


def _sign_in(served: Served, staff: Page, secret: str) -> None:
    staff.goto(f"{served.base}/requests/staff/?lang=en")
    staff.fill("#username", "anna")
    staff.fill("#password", PASSWORD)
    staff.get_by_role("button", name="Sign in").click()
    staff.fill("#code", pyotp.TOTP(secret).now())
    staff.get_by_role("button", name="Continue").click()
    staff.wait_for_url(re.compile(r"/requests/staff/$"))


def _mail_text(served: Served, count: int) -> str:
    messages = served.smtp.wait_for(count)
    return messages[-1].get_body(("plain",)).get_content()


def test_staff_attach_decide_and_the_person_downloads_with_a_code(
    served: Served, new_context: Callable[..., BrowserContext], tmp_path: Path
) -> None:
    person = new_context(accept_downloads=True).new_page()
    submit_as_person(served, person)
    with served.app.app_context():
        reference = get_session().scalars(select(DataRequest.reference)).one()
    staff = new_context().new_page()
    _sign_in(served, staff, make_admin(served.app))
    check_axe(staff)  # the queue with its at-a-glance counts and days left
    staff.get_by_role("link", name="Enter a request").click()
    staff.wait_for_url(re.compile(r"/requests/staff/new$"))
    check_axe(staff)
    staff.goto(f"{served.base}/requests/staff/r/{reference}")

    staff.set_input_files(
        "#attach-files",
        files=[{"name": "tiedot.csv", "mimeType": "text/csv", "buffer": CSV.encode()}],
    )
    staff.get_by_role("button", name="Attach the data copy").click()
    staff.wait_for_load_state()
    assert "attached, checked and encrypted" in staff.locator(".notices").inner_text()
    files_table = staff.locator("#files table")
    assert files_table.locator("tbody th").inner_text() == "tiedot.csv"
    check_axe(staff)
    staff.check("#decide-decision-0")
    staff.get_by_role("button", name="Decide").click()
    staff.wait_for_load_state()
    assert "The decision was recorded" in staff.locator(".notices").inner_text()
    check_axe(staff)

    served.smtp.clear()
    with served.app.app_context():
        mail.send_pending(served.app)
    decision = _mail_text(served, 1)
    status_url = next(word for word in decision.split() if "/status/" in word)
    person.goto(status_url)
    section = person.locator("#files")
    assert section.locator("tbody th").inner_text() == "tiedot.csv"
    digest = hashlib.sha256(CSV.encode()).hexdigest()
    assert section.locator("code.digest").inner_text() == digest
    assert section.get_by_role("link", name="tiedot.csv").count() == 0
    check_axe(person)

    served.smtp.clear()
    person.get_by_role("button", name="Lähetä minulle latauskoodi").click()
    person.wait_for_load_state()
    code = re.search(r"^\s*(\d{8})\s*$", _mail_text(served, 1), re.M).group(1)  # type: ignore[union-attr]
    person.fill("#code-code", code)
    person.get_by_role("button", name="Avaa lataukset").click()
    person.wait_for_load_state()
    check_axe(person)
    with person.expect_download() as info:
        person.get_by_role("link", name="tiedot.csv").click()
    saved = tmp_path / "downloaded.csv"
    info.value.save_as(saved)
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == digest
    file_url = person.get_by_role("link", name="tiedot.csv").get_attribute("href")

    with served.app.app_context():
        session = get_session()
        for attachment in session.scalars(select(Attachment)):
            attachment.expires_at = attachment.delivered_at - dt.timedelta(seconds=1)
        session.commit()
    person.goto(status_url)
    assert "latausaika on päättynyt" in person.locator("#files").inner_text()
    response = person.request.get(f"{served.base}{file_url}")
    assert response.status == 404
