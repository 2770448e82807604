"""Sorting the queue by a column: keyset pages stay whole, headers say how the table is sorted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from bs4 import BeautifulSoup

from portal.core import queue
from portal.core.models import DataRequest
from portal.db import get_session
from tests.portal.support.requests import new_request
from tests.portal.support.staff import STAFF, StaffActions

TODAY = dt.date(2030, 1, 10)
UTC = dt.UTC


def _filter(**args: str) -> queue.QueueFilter:
    return queue.parse_filter(args, registers={"asiakasrekisteri"}, languages={"fi", "en", "sv"})


def _all_pages(app, filt: queue.QueueFilter, *, limit: int) -> list[str]:
    seen: list[str] = []
    after = None
    with app.app_context():
        while True:
            page = queue.fetch_page(
                get_session(), filt, staff_id=None, today=TODAY, after=after, limit=limit
            )
            seen += [row.reference for row in page.rows]
            if page.next_cursor is None:
                return seen
            # What the next link carries, read back as the queue page reads it.
            after = queue.Cursor.decode(page.next_cursor.encode(), filt.sort)


@pytest.fixture
def mixed(make_request: Callable[..., DataRequest]) -> list[DataRequest]:
    """Requests with equal and distinct keys in every sortable column, and an unconfirmed one."""
    rights = ["objection", "access", "erasure", "access", "portability", "rectification"]
    statuses = ["open", "decided", "awaiting_info", "open", "closed", "open"]
    made = []
    for n in range(18):
        made.append(
            make_request(
                reference=f"RS{n:03d}",
                right=rights[n % 6],
                status=statuses[n % 6],
                received_at=dt.datetime(2029, 12, 1 + n % 4, 8 + n % 3, tzinfo=UTC),
                due_on=dt.date(2030, 1, 1 + n % 5),
            )
        )
    for n in range(6):  # more than a page of them: a cursor lands on the "not received" key
        made.append(
            make_request(
                reference=f"RSNONE{n}", status="unconfirmed", received_at=None, due_on=None
            )
        )
    return made


def _expected(made: list[DataRequest], sort: str, order: str) -> list[str]:
    def key(row: DataRequest):
        if sort == "received":
            value = row.received_at or queue.NOT_RECEIVED
        elif sort == "status":
            value = queue.STATUSES.index(row.status)
        elif sort == "right":
            value = queue.RIGHTS.index(row.right)
        else:
            value = row.extended_due_on or row.due_on or queue.NO_DUE
        return (value, row.id)

    rows = sorted(made, key=key, reverse=order == "desc")
    return [row.reference for row in rows]


@pytest.mark.parametrize("sort", ["due", "received", "status", "right"])
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_every_sort_pages_through_every_row_once_in_order(app, mixed, sort, order) -> None:
    filt = _filter(status="all", sort=sort, order=order)
    expected = _expected(mixed, sort, order)
    assert _all_pages(app, filt, limit=4) == expected
    assert _all_pages(app, filt, limit=50) == expected


def test_state_and_right_sort_in_the_workflow_and_article_order(app, mixed) -> None:
    refs = _all_pages(app, _filter(status="all", sort="status"), limit=50)
    by_ref = {r.reference: r for r in mixed}
    statuses = [by_ref[ref].status for ref in refs]
    assert list(dict.fromkeys(statuses)) == [
        "unconfirmed",
        "open",
        "awaiting_info",
        "decided",
        "closed",
    ]
    refs = _all_pages(app, _filter(status="all", sort="right", order="desc"), limit=50)
    rights = [by_ref[ref].right for ref in refs]
    assert list(dict.fromkeys(rights)) == [
        "objection",
        "portability",
        "erasure",
        "rectification",
        "access",
    ]


def test_unknown_sort_values_fall_back_to_due_ascending() -> None:
    assert _filter(sort="name; drop table", order="sideways") == queue.QueueFilter()
    assert _filter(sort="received", order="desc").to_args() == {
        "sort": "received",
        "order": "desc",
    }
    assert queue.Cursor.decode("2029-12-01T08:00:00+00:00_5", "received") == queue.Cursor(
        dt.datetime(2029, 12, 1, 8, tzinfo=UTC), 5
    )
    assert queue.Cursor.decode("2029-12-01_5", "status") is None
    assert queue.Cursor.decode("3_5", "right") == queue.Cursor(3, 5)


def _headers(soup: BeautifulSoup) -> dict[str, tuple[str | None, str]]:
    """Return each sortable header's visible name: (aria-sort, the link's whole text)."""
    found = {}
    for th in soup.find("table", class_="queue").thead.find_all("th", class_="sortable"):
        found[th.a.contents[0].strip()] = (th.get("aria-sort"), th.a.get_text(" ", strip=True))
    return found


def test_sort_links_say_their_state_and_follow_through_pages_in_finnish(
    staff: StaffActions, make_request: Callable[..., DataRequest]
) -> None:
    for n in range(55):
        make_request(
            reference=f"RF{n:03d}",
            received_at=dt.datetime(2029, 11, 1, tzinfo=UTC) + dt.timedelta(hours=7 * n),
            due_on=dt.date(2030, 1, 1 + n % 7),
        )
    staff.login(staff.create("hanna"))
    soup = BeautifulSoup(staff.client.get(f"{STAFF}/?lang=fi").text, "html.parser")
    assert _headers(soup) == {
        "Oikeus": (None, "Oikeus (lajittele nousevasti)"),
        "Vastaanotettu": (None, "Vastaanotettu (lajittele nousevasti)"),
        "Määräpäivä": ("ascending", "Määräpäivä ▲ (lajittele laskevasti)"),
        "Tila": (None, "Tila (lajittele nousevasti)"),
    }
    caption = soup.find("caption").get_text(strip=True)
    assert caption == "Avoin – määräpäivän mukaan, aikaisin ensin"
    link = soup.find("th", class_="sortable", attrs={"aria-sort": None}).find_parent("tr")
    received = [th for th in link.find_all("th") if th.a and "Vastaanotettu" in th.a.text][0]
    url = received.a["href"]
    assert "sort=received" in url
    soup = BeautifulSoup(staff.client.get(url).text, "html.parser")
    assert _headers(soup)["Vastaanotettu"] == (
        "ascending",
        "Vastaanotettu ▲ (lajittele laskevasti)",
    )
    # Turn it round, then page through: newest first, every request once.
    descending = soup.find("th", attrs={"aria-sort": "ascending"}).a["href"]
    seen: list[str] = []
    url = descending
    while url:
        soup = BeautifulSoup(staff.client.get(url).text, "html.parser")
        seen += [th.get_text(strip=True) for th in soup.find("tbody").find_all("th", scope="row")]
        following = soup.find("a", rel="next")
        url = following["href"] if following else ""
    assert seen == [f"RF{n:03d}" for n in reversed(range(55))]
    assert soup.find("th", attrs={"aria-sort": "descending"}).a.contents[0].strip() == (
        "Vastaanotettu"
    )


def test_filters_status_tabs_and_pages_keep_the_sort(
    staff: StaffActions, make_request: Callable[..., DataRequest]
) -> None:
    make_request(reference="RK001")
    staff.login(staff.create("hanna"))
    soup = BeautifulSoup(
        staff.client.get(f"{STAFF}/?lang=en&sort=right&order=desc").text, "html.parser"
    )
    form = soup.find("form", class_="queue-filters")
    hidden = {i["name"]: i["value"] for i in form.find_all("input", type="hidden")}
    assert hidden == {"status": "open", "sort": "right", "order": "desc"}
    tabs = soup.find("nav", class_="status-tabs").find_all("a")
    [tab] = [a for a in tabs if a.get_text(strip=True).startswith("Closed")]
    assert "sort=right" in tab["href"] and "order=desc" in tab["href"]
    default = BeautifulSoup(staff.client.get(f"{STAFF}/?lang=en").text, "html.parser")
    form = default.find("form", class_="queue-filters")
    assert [i["name"] for i in form.find_all("input", type="hidden")] == ["status"]


def test_capped_counts_are_grouped_the_way_each_language_writes_them(
    app, staff: StaffActions
) -> None:
    with app.app_context():
        session = get_session()
        session.add_all(
            new_request(
                reference=f"RC{n:05d}",
                status="closed" if n < 3 else "open",
                name="Maija Meikäläinen",
                email="maija@example.fi",
                signature_name="Maija Meikäläinen",
                details={},
                due_on=dt.date(2030, 1, 15),
            )
            for n in range(queue.COUNT_CAP + 4)
        )
        session.commit()
    staff.login(staff.create("hanna"))
    for lang, text in {"fi": "(1\xa0000+)", "sv": "(1\xa0000+)", "en": "(1,000+)"}.items():
        soup = BeautifulSoup(staff.client.get(f"{STAFF}/?lang={lang}").text, "html.parser")
        counts = {
            a.get_text(" ", strip=True).rsplit(" ", 1)[0]: a.find(class_="count").get_text()
            for a in soup.select(".status-tabs a")
            if a.find(class_="count")
        }
        assert sorted(counts.values()) == sorted([text, "(3)", "(0)", "(0)", "(0)", "(0)"]), lang
