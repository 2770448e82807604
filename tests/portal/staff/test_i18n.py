"""The staff pages speak the chosen language (catalogs are checked in test_catalogs.py)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from tests.portal.support.staff import STAFF, StaffActions


@pytest.mark.parametrize(
    "lang,heading",
    [
        ("fi", "Kirjaudu pyyntöjen käsittelyyn"),
        ("sv", "Logga in till handläggningen av ärenden"),
        ("en", "Sign in to request handling"),
    ],
)
def test_login_page_speaks_the_language(staff: StaffActions, lang: str, heading: str) -> None:
    page = BeautifulSoup(staff.client.get(f"{STAFF}/login?lang={lang}").text, "html.parser")
    assert page.html["lang"] == lang
    assert page.h1.get_text(strip=True) == heading


def test_queue_in_finnish(staff: StaffActions) -> None:
    staff.login(staff.create("hanna"))
    page = BeautifulSoup(staff.client.get(f"{STAFF}/?lang=fi").text, "html.parser")
    assert page.h1.get_text(strip=True) == "Pyynnöt"
    assert page.find("label", attrs={"for": "filter-right"}).get_text(strip=True) == "Oikeus"
