"""The queue as a work surface: at-a-glance counts, days left, full width, no public footer."""

from __future__ import annotations

import datetime as dt

from bs4 import BeautifulSoup

from portal.core import duedates
from tests.portal.support.staff import STAFF, StaffActions


def test_queue_shows_the_day_at_a_glance_and_days_left(staff: StaffActions, make_request) -> None:
    today = duedates.helsinki_today()
    late = make_request(due_on=today - dt.timedelta(days=2))
    soon = make_request(due_on=today + dt.timedelta(days=3))
    make_request(due_on=today + dt.timedelta(days=20))
    make_request(status="awaiting_info", due_on=today + dt.timedelta(days=10))
    staff.login(staff.create("hanna"))
    page = BeautifulSoup(staff.client.get(f"{STAFF}/?lang=en").text, "html.parser")
    glance = [li.get_text(" ", strip=True) for li in page.find(class_="at-a-glance").find_all("li")]
    assert glance == ["1 overdue", "1 due this week", "1 waiting for the person"]
    rows = {
        tr.th.get_text(strip=True): tr.find("td", class_="days-left").get_text(strip=True)
        for tr in page.find("table", class_="queue").tbody.find_all("tr")
    }
    assert rows[late.reference] == "2 days late"
    assert rows[soon.reference] == "3"
    assert "wrap-wide" in page.find("main")["class"]
    assert page.find("footer", class_="site-footer") is None


def test_public_pages_keep_their_footer(client) -> None:
    page = BeautifulSoup(client.get("/requests/en/").text, "html.parser")
    assert page.find("footer", class_="site-footer") is not None
    assert page.find("main")["class"] == ["wrap"]
