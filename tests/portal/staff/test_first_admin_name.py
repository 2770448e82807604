"""The first account's name, made by the portal at set-up, reads in the page's language."""

from __future__ import annotations

from bs4 import BeautifulSoup

from portal.core import accounts
from tests.portal.support.staff import STAFF, StaffActions

SIGNED_IN = {
    "fi": "Kirjautuneena: Ylläpitäjä",
    "sv": "Inloggad som Administratör",
    "en": "Signed in as Administrator",
}


def _who(staff: StaffActions, lang: str) -> str:
    html = staff.client.get(f"{STAFF}/?lang={lang}").text
    return BeautifulSoup(html, "html.parser").select_one(".staff-who").get_text(strip=True)


def test_the_generated_first_admin_name_is_translated(staff: StaffActions) -> None:
    admin = staff.create(accounts.FIRST_ADMIN, "admin")
    staff.update(admin, display_name=accounts.FIRST_ADMIN_NAME)  # as `ensure_first_admin` names it
    staff.login(admin)
    for lang, said in SIGNED_IN.items():
        assert _who(staff, lang) == said


def test_a_typed_name_is_shown_as_typed(staff: StaffActions) -> None:
    staff.login(staff.create("hanna", "admin"))
    assert _who(staff, "fi") == "Kirjautuneena: Hanna Testinen"
