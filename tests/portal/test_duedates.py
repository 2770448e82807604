"""Due dates: LEGAL.md §4 vectors, month ends, leap years, Finnish holidays and properties."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.core.duedates import (
    HELSINKI,
    add_months,
    due_date,
    explain,
    holiday_name,
    is_working_day,
    strict_end,
)


def helsinki(day: str, time: str = "12:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=HELSINKI)


@pytest.mark.parametrize(
    ("received", "months", "due"),
    [
        # LEGAL.md §4, exactly.
        ("2025-01-31", 1, "2025-02-28"),
        ("2024-01-31", 1, "2024-02-29"),
        ("2025-03-31", 1, "2025-04-30"),
        ("2025-12-06", 1, "2026-01-07"),
        ("2025-05-10", 3, "2025-08-11"),
    ],
)
def test_legal_vectors(received: str, months: int, due: str) -> None:
    assert due_date(helsinki(received), months) == dt.date.fromisoformat(due)


@pytest.mark.parametrize(
    ("received", "due", "why"),
    [
        ("2025-03-10", "2025-04-10", "plain Thursday"),
        ("2023-01-30", "2023-02-28", "no 30 February"),
        ("2028-01-29", "2028-02-29", "leap day exists"),
        ("2027-01-29", "2027-03-01", "28 February 2027 is a Sunday, 29th missing"),
        ("2100-01-31", "2100-03-01", "2100 is no leap year; 28 Feb 2100 is a Sunday"),
        ("2025-08-31", "2025-09-30", "30-day month"),
        ("2025-10-31", "2025-12-01", "30 November 2025 is a Sunday"),
        ("2025-11-24", "2025-12-29", "24 Dec eve, 25 and 26 Christmas, 27-28 weekend"),
        ("2026-11-24", "2026-12-28", "Christmas Eve on a Thursday, then Christmas and a weekend"),
        ("2025-11-30", "2025-12-30", "Tuesday, just after Christmas"),
        ("2025-11-06", "2025-12-08", "Independence Day on a Saturday, then Sunday"),
        ("2024-11-06", "2024-12-09", "6 December 2024 is a Friday"),
        ("2025-05-20", "2025-06-23", "Midsummer Eve, Midsummer Day, Sunday"),
        ("2026-05-19", "2026-06-22", "Midsummer Eve 19 June 2026"),
        ("2025-03-18", "2025-04-22", "Good Friday, weekend, Easter Monday"),
        ("2026-03-06", "2026-04-07", "Easter Monday 6 April 2026"),
        ("2025-04-01", "2025-05-02", "May Day"),
        ("2025-04-29", "2025-05-30", "Ascension Day 29 May 2025"),
        ("2025-12-01", "2026-01-02", "New Year's Day"),
        ("2029-11-22", "2029-12-27", "Sat 22 to Wed 26 closed: Christmas Eve on a Monday"),
        ("2025-12-31", "2026-02-02", "31 January 2026 is a Saturday"),
    ],
)
def test_month_ends_and_holidays(received: str, due: str, why: str) -> None:
    assert due_date(helsinki(received)) == dt.date.fromisoformat(due), why


def test_receipt_date_is_taken_in_helsinki_time() -> None:
    late_utc = dt.datetime(2025, 1, 30, 23, 30, tzinfo=dt.UTC)  # 01:30 on 31 Jan in Helsinki
    assert explain(late_utc).received_on == dt.date(2025, 1, 31)
    assert due_date(late_utc) == dt.date(2025, 2, 28)
    naive_utc = dt.datetime(2025, 1, 30, 23, 30)
    assert due_date(naive_utc) == due_date(late_utc)


def test_extension_counts_from_the_strict_end_not_the_moved_date() -> None:
    # First month ends Saturday 2025-05-10 and moves to Monday the 12th; the extension counts
    # from the 10th (→ Thu 10 July), not from the 12th (→ Sat 12 July → Mon 14 July).
    moved = explain(helsinki("2025-04-10"), 1)
    assert (moved.raw_end, moved.due) == (dt.date(2025, 5, 10), dt.date(2025, 5, 12))
    assert due_date(helsinki("2025-04-10"), 3) == dt.date(2025, 7, 10)
    # A clipped first month (31 Jan → 28 Feb) extends from the 28th: not three months from receipt.
    extended = explain(helsinki("2025-01-31"), 3)
    assert extended.first_month_end == dt.date(2025, 2, 28)
    assert (extended.raw_end, extended.due) == (dt.date(2025, 4, 28), dt.date(2025, 4, 28))
    assert extended.extension_months == 2


def test_one_further_month_is_allowed_and_more_than_three_is_not() -> None:
    assert due_date(helsinki("2025-05-10"), 2) == dt.date(2025, 7, 10)
    with pytest.raises(ValueError, match="months must be 1..3"):
        due_date(helsinki("2025-05-10"), 4)
    with pytest.raises(ValueError):
        due_date(helsinki("2025-05-10"), 0)


def test_the_two_eves_are_not_working_days() -> None:
    for year in range(2024, 2031):
        assert not is_working_day(dt.date(year, 12, 24))
        assert holiday_name(dt.date(year, 12, 24)) is not None
        midsummer_eve = next(
            dt.date(year, 6, day) for day in range(19, 26) if dt.date(year, 6, day).weekday() == 4
        )
        assert holiday_name(midsummer_eve) is not None
        assert not is_working_day(midsummer_eve)


def test_explanation_reads_step_by_step() -> None:
    # English dates are day-first (en_GB, the portal's one language → locale map), never US.
    steps = explain(helsinki("2025-05-10", "09:15"), 3).steps("en")
    assert steps[0] == "The request was received on Saturday, 10 May 2025 at 09:15 Finnish time."
    assert (
        steps[1] == "The day of receipt is not counted: the period starts on Sunday, 11 May 2025."
    )
    assert "Tuesday, 10 June 2025" in steps[2]
    assert "extended by 2 further months" in steps[3] and "Sunday, 10 August 2025" in steps[3]
    assert steps[4] == "Sunday, 10 August 2025 is a weekend day, so the end moves on."
    assert steps[-1] == "The request must be answered by Monday, 11 August 2025."


def test_explanation_names_holidays_in_the_language() -> None:
    explanation = explain(helsinki("2025-12-06"))
    assert [(s.day, s.reason) for s in explanation.skipped] == [(dt.date(2026, 1, 6), "holiday")]
    assert "(Epiphany)" in explanation.steps("en")[3]
    assert "(loppiainen)" in explanation.steps("fi")[3]
    assert explanation.steps("fi")[3].startswith("Tiistai 6. tammikuuta 2026 ")
    assert "(trettondedag jul)" in explanation.steps("sv")[3]
    short = explain(helsinki("2025-01-31")).steps("en")
    assert "last day" in short[2]


# No example database (tests write only to tmp_path) and no deadline (a shared 2-core machine).
@settings(database=None, deadline=None, max_examples=300)
@given(
    st.datetimes(
        min_value=dt.datetime(2000, 1, 1),
        max_value=dt.datetime(2090, 12, 31),
        timezones=st.just(dt.UTC),
    ),
    st.integers(min_value=1, max_value=3),
)
def test_due_date_properties(received_at: dt.datetime, months: int) -> None:
    due = due_date(received_at, months)
    received_on = received_at.astimezone(HELSINKI).date()
    assert due >= add_months(received_on, 1)
    assert due > received_on + dt.timedelta(days=27)
    assert due.weekday() < 5
    assert holiday_name(due) is None
    # Never more than the strict end plus the longest run of closed days: Christmas Eve on a
    # Monday closes Saturday 22 to Wednesday 26 December (5 days; Easter closes only 4).
    assert (due - strict_end(received_at, months)).days <= 5
    assert months == 1 or due >= due_date(received_at, months - 1)
