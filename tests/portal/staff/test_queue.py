"""The queue: filters, keyset paging without duplicates or gaps, capped counts, CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup

from portal.core import queue
from portal.core.models import DataRequest
from portal.db import get_session
from tests.portal.support.staff import STAFF, StaffActions

TODAY = dt.date(2030, 1, 10)
REGISTERS = {"asiakasrekisteri", "henkilostorekisteri"}


def _filter(**args: str) -> queue.QueueFilter:
    return queue.parse_filter(args, registers=REGISTERS, languages={"fi", "en", "sv"})


def _all_pages(app, filt: queue.QueueFilter, *, staff_id: int | None = None, limit: int = 7):
    seen: list[int] = []
    after = None
    with app.app_context():
        while True:
            page = queue.fetch_page(
                get_session(), filt, staff_id=staff_id, today=TODAY, after=after, limit=limit
            )
            seen += [row.id for row in page.rows]
            if page.next_cursor is None:
                return seen
            after = page.next_cursor


def test_keyset_pages_have_no_duplicates_or_gaps_with_equal_due_dates(
    app, make_request: Callable[..., DataRequest]
) -> None:
    days = [dt.date(2030, 1, 5), dt.date(2030, 1, 12), dt.date(2030, 1, 20)]
    made = []
    for number in range(40):
        extended = dt.date(2030, 1, 12) if number % 9 == 0 else None
        made.append(make_request(due_on=days[number % 3], extended_due_on=extended))
    made.append(make_request(status="unconfirmed", due_on=None, received_at=None))
    expected = [
        r.id
        for r in sorted(
            (r for r in made if r.status == "open"),
            key=lambda r: (r.extended_due_on or r.due_on, r.id),
        )
    ]
    assert _all_pages(app, _filter()) == expected
    assert _all_pages(app, _filter(), limit=40) == expected
    everything = _all_pages(app, _filter(status="all"), limit=6)
    assert everything == [*expected, made[-1].id]  # no due date sorts last


def test_rows_added_before_the_cursor_do_not_shift_later_pages(
    app, make_request: Callable[..., DataRequest]
) -> None:
    for number in range(10):
        make_request(due_on=dt.date(2030, 2, 1) + dt.timedelta(days=number))
    with app.app_context():
        first = queue.fetch_page(get_session(), _filter(), staff_id=None, today=TODAY, limit=5)
    make_request(due_on=dt.date(2030, 1, 1))  # lands on page one, after it was shown
    with app.app_context():
        second = queue.fetch_page(
            get_session(), _filter(), staff_id=None, today=TODAY, after=first.next_cursor, limit=5
        )
    assert [r.due_on.day for r in second.rows] == [6, 7, 8, 9, 10]


def test_filters(app, staff: StaffActions, make_request: Callable[..., DataRequest]) -> None:
    me = staff.create("hanna")
    other = staff.create("ville")
    overdue = make_request(due_on=dt.date(2030, 1, 9), assignee_id=me.id, reference="RXYZ111")
    soon = make_request(due_on=dt.date(2030, 1, 15), right="erasure", language="en")
    later = make_request(
        due_on=dt.date(2030, 2, 20), register_id="henkilostorekisteri", assignee_id=other.id
    )
    extended = make_request(
        due_on=dt.date(2030, 1, 8), extended_due_on=dt.date(2030, 3, 8), email="Pekka@Example.fi"
    )
    waiting = make_request(status="awaiting_info", due_on=dt.date(2030, 1, 11))

    def ids(staff_id: int | None = None, **args: str) -> set[int]:
        return set(_all_pages(app, _filter(**args), staff_id=staff_id))

    assert ids() == {overdue.id, soon.id, later.id, extended.id}
    assert ids(status="awaiting_info") == {waiting.id}
    assert ids(right="erasure") == {soon.id}
    assert ids(register="henkilostorekisteri") == {later.id}
    assert ids(language="en") == {soon.id}
    assert ids(me.id, assignee="mine") == {overdue.id}
    assert ids(assignee="unassigned") == {soon.id, extended.id}
    assert ids(assignee=str(other.id)) == {later.id}
    assert ids(due="overdue") == {overdue.id}  # the extension moved the other one
    assert ids(due="7") == {overdue.id, soon.id}
    # Reference prefix, any status (X, Y, Z are no hex digits: no random reference has them).
    assert ids(q="RXYZ") == {overdue.id}
    assert ids(q="rxyz1") == {overdue.id}
    assert ids(q="Pekka@Example.fi") == {extended.id}
    assert ids(q="pekka@example.fi") == set()  # addresses match exactly (as stored or lower)
    assert ids(q="maija@example.fi", status="awaiting_info") == {waiting.id}


def test_bad_filter_values_are_dropped() -> None:
    filt = _filter(
        status="deleted", right="world", register="x", language="de", assignee="99x", due="5"
    )
    assert filt == queue.QueueFilter()
    assert _filter(q="  a   b ").q == "a b"
    assert _filter(q="x").status == "all"
    assert queue.Cursor.decode("garbage") is None
    assert queue.Cursor.decode("2030-01-05_12") == queue.Cursor(dt.date(2030, 1, 5), 12)


def test_counts_are_per_status_and_capped(app, make_request: Callable[..., DataRequest]) -> None:
    for _ in range(4):
        make_request()
    make_request(status="closed")
    with app.app_context():
        assert queue.status_counts(get_session())["open"] == 4
        counts = queue.status_counts(get_session(), cap=2)
    assert counts == {
        "unconfirmed": 0,
        "open": 3,
        "awaiting_info": 0,
        "decided": 0,
        "closed": 1,
        "expired": 0,
    }


def test_queue_page_follows_next_links(
    staff: StaffActions, make_request: Callable[..., DataRequest]
) -> None:
    made = [make_request(due_on=dt.date(2030, 1, 1 + n % 5)) for n in range(60)]
    staff.login(staff.create("hanna"))
    seen: list[str] = []
    url = f"{STAFF}/?lang=en"
    while url:
        soup = BeautifulSoup(staff.client.get(url).text, "html.parser")
        table = soup.find("table", class_="queue")
        for hidden in table.thead.select(".visually-hidden, [aria-hidden]"):
            hidden.decompose()
        assert [th.get_text(strip=True) for th in table.thead.find_all("th")] == [
            "Reference",
            "Right",
            "Register",
            "Received",
            "Due",
            "Days left or outcome",
            "Status",
            "Handler",
            "Language",
        ]
        seen += [th.get_text(strip=True) for th in table.tbody.find_all("th", scope="row")]
        link = soup.find("a", rel="next")
        url = link["href"] if link else ""
        if link:
            assert "after" in parse_qs(urlsplit(url).query)
    assert len(seen) == 60 and len(set(seen)) == 60
    assert set(seen) == {r.reference for r in made}
    assert "Open (60)" in soup.find("nav", class_="status-tabs").get_text(" ", strip=True)


def test_csv_has_codes_and_dates_but_no_free_text(
    staff: StaffActions, make_request: Callable[..., DataRequest]
) -> None:
    make_request(
        reference="RCSV0001",
        name='=HYPERLINK("http://evil")',
        email="salainen@example.fi",
        details={"message": "Erittäin henkilökohtainen kuvaus"},
        due_on=dt.date(2030, 1, 20),
    )
    # Received by post on 30 November: the clock starts at Helsinki midnight, 22:00 UTC before.
    make_request(
        reference="RCSV0002",
        due_on=dt.date(2030, 1, 21),
        register_id="=cmd|x",
        received_at=dt.datetime(2029, 11, 29, 22, 0, tzinfo=dt.UTC),
    )
    staff.login(staff.create("hanna"))
    response = staff.client.get(f"{STAFF}/export.csv?q=RCSV0002")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "no-store"
    text = response.get_data(as_text=True)
    for private in ("salainen", "henkilökohtainen", "HYPERLINK", "Maija"):
        assert private not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == queue.CSV_COLUMNS
    assert [r["reference"] for r in rows] == ["RCSV0001", "RCSV0002"]  # search not applied
    assert rows[0]["due_on"] == "2030-01-20" and rows[0]["status"] == "open"
    assert rows[1]["register"] == "'=cmd|x"  # a formula is never left for a spreadsheet
    assert rows[1]["received_on"] == "2029-11-30"  # the day in Helsinki, not in UTC
