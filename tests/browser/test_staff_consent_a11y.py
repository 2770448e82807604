"""The consent records page in Finnish, Swedish and English: counts and a looked-up visitor's
records with no axe violation, the download button giving the JSON-LD file."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext

from tests.browser.test_staff_flow import (
    Served,
    make_admin,
)
from tests.browser.test_staff_languages import check, sign_in
from tests.portal.test_consent import choice, post

pytestmark = pytest.mark.browser

BUTTONS = {"fi": "Näytä tallenteet", "sv": "Visa posterna", "en": "Show the records"}


def test_consent_page_in_each_language(
    served: Served,  # noqa: F811 - the fixture imported above
    new_context: Callable[..., BrowserContext],
) -> None:
    given = choice(served.app, accepted=["analytics"])
    client = served.app.test_client()
    assert post(client, given, origin=served.base).status_code == 201
    assert post(client, choice(served.app, accepted=[]), origin=served.base).status_code == 202
    staff = new_context().new_page()
    sign_in(served, staff, make_admin(served.app))
    for lang in ("fi", "sv", "en"):
        staff.goto(f"{served.base}/requests/staff/consent/?lang={lang}")
        check(staff, lang)
        assert staff.locator("#consent-by-source tbody td").inner_text() == "1"
        staff.fill("#consent_id", given["consent_id"])
        staff.get_by_role("button", name=BUTTONS[lang]).click()
        staff.wait_for_url(re.compile(r"/consent/lookup$"))
        assert staff.locator("section.consent-records h3").count() == 1
        check(staff, lang)
    with staff.expect_download() as download:
        staff.get_by_role("button", name="Download as JSON-LD (DPV)").click()
    document = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert [node["@id"] for node in document["@graph"]] == [
        f"urn:seloste:consent:{given['consent_id']}:1"
    ]
