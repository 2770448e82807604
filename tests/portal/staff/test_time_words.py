"""Staff pages name the time as the e-mails and letters do, and list languages in one order."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from tests.portal.staff.test_detail import _submitted
from tests.portal.support.staff import STAFF, StaffActions

FINNISH_TIME = {
    "fi": r"kello \d{1,2}\.\d\d Suomen aikaa\.$",
    "sv": r"klockan \d{1,2}\.\d\d finsk tid\.$",
    "en": r"at \d\d:\d\d Finnish time\.$",
}


def test_the_due_date_explanation_says_finnish_time_in_the_language_s_clock(
    app, smtp_server, staff: StaffActions
) -> None:
    row = _submitted(app, smtp_server)
    staff.login(staff.create("hanna"))
    for lang, said in FINNISH_TIME.items():
        html = staff.client.get(f"{STAFF}/r/{row.reference}?lang={lang}").text
        due = BeautifulSoup(html, "html.parser").find(id="due-title").find_parent("section")
        first_step = due.find("details").find("li").get_text(" ", strip=True)
        assert re.search(said, first_step), first_step
        assert "Helsinki" not in first_step


def test_the_queue_lists_languages_in_the_content_s_order(staff: StaffActions) -> None:
    staff.login(staff.create("hanna"))
    html = staff.client.get(f"{STAFF}/?lang=en").text
    select = BeautifulSoup(html, "html.parser").find("select", id="filter-language")
    names = [option.get_text(strip=True) for option in select.find_all("option") if option["value"]]
    assert names == ["suomi", "svenska", "English"]
