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


def _cells(staff: StaffActions, lang: str) -> dict[str, list[str]]:
    page = BeautifulSoup(staff.client.get(f"{STAFF}/?lang={lang}&status=all").text, "html.parser")
    return {
        tr.th.get_text(strip=True): [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in page.find("table", class_="queue").tbody.find_all("tr")
    }


def test_decided_and_closed_requests_show_their_outcome_not_days_left(
    staff: StaffActions, make_request
) -> None:
    today = duedates.helsinki_today()
    due = today + dt.timedelta(days=31)
    # 22:30 UTC is already the next day in Helsinki: the dates shown are Helsinki dates.
    decided_at = dt.datetime(2027, 1, 3, 22, 30, tzinfo=dt.UTC)
    make_request(
        reference="RDECIDED1",
        status="decided",
        decision="partly_granted",
        decided_at=decided_at,
        due_on=due,
        received_at=dt.datetime(2026, 12, 30, 9, tzinfo=dt.UTC),
    )
    make_request(
        reference="RCLOSED01",
        status="closed",
        decision="refused",
        decided_at=decided_at,
        closed_at=dt.datetime(2027, 1, 15, 8, tzinfo=dt.UTC),
        due_on=due,
    )
    make_request(reference="ROPEN0001", due_on=due)
    make_request(reference="RUNCONF01", status="unconfirmed", due_on=None, received_at=None)
    staff.login(staff.create("hanna"))
    expected = {
        "fi": ("Osittain hyväksytty 4.1.2027", "Suljettu 15.1.2027 (Hylätty)", "30.12.2026"),
        "sv": ("Delvis beviljad 4 jan. 2027", "Avslutad 15 jan. 2027 (Avslagen)", "30 dec. 2026"),
        "en": ("Partly granted on 4 Jan 2027", "Closed on 15 Jan 2027 (Refused)", "30 Dec 2026"),
    }
    for lang, (decided, closed, received) in expected.items():
        cells = _cells(staff, lang)
        # Reference | right, register, received, due, days left or outcome, status, ...
        assert cells["RDECIDED1"][4] == decided, lang
        assert cells["RCLOSED01"][4] == closed, lang
        assert cells["ROPEN0001"][4] == "31", lang
        assert cells["RUNCONF01"][4] == "–", lang
        assert cells["RDECIDED1"][2] == received, lang
        assert cells["RUNCONF01"][2] == "–", lang


def test_detail_of_a_decided_request_says_when_and_how_it_was_decided(
    staff: StaffActions, make_request
) -> None:
    make_request(
        reference="RDECIDED2",
        status="decided",
        decision="granted",
        decided_at=dt.datetime(2027, 1, 4, 10, tzinfo=dt.UTC),
        due_on=dt.date(2027, 1, 20),
    )
    staff.login(staff.create("hanna"))
    for lang, text in {
        "fi": "Hyväksytty 4.1.2027 (vastaus oli annettava viimeistään 20.1.2027)",
        "sv": "Beviljad 4 jan. 2027 (svaret skulle ges senast 20 jan. 2027)",
        "en": "Granted on 4 Jan 2027 (the answer was due by 20 Jan 2027)",
    }.items():
        page = BeautifulSoup(
            staff.client.get(f"{STAFF}/r/RDECIDED2?lang={lang}").text, "html.parser"
        )
        assert page.find("p", class_="due").get_text(" ", strip=True) == text
