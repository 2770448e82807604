"""Dates on staff pages: one language → locale map, day-first English, Helsinki time."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.web import dates

WINTER = dt.datetime(2027, 1, 4, 9, 5, tzinfo=dt.UTC)  # 11.05 in Helsinki (UTC+2)
SUMMER = dt.datetime(2027, 7, 4, 21, 30)  # naive = UTC; 00.30 on 5 July in Helsinki (UTC+3)


@pytest.mark.parametrize(
    ("lang", "day", "winter", "summer_day"),
    [
        ("fi", "4.1.2027", "4.1.2027 11.05", "5.7.2027"),
        ("sv", "4 jan. 2027", "4 jan. 2027 11.05", "5 juli 2027"),
        ("en", "4 Jan 2027", "4 Jan 2027, 11:05", "5 Jul 2027"),
    ],
)
def test_each_language_reads_its_own_way(lang: str, day: str, winter: str, summer_day: str) -> None:
    assert dates.format_day(dt.date(2027, 1, 4), lang) == day
    assert dates.format_moment(WINTER, lang) == winter
    assert dates.format_day_of(SUMMER, lang) == summer_day
    assert dates.local_day(SUMMER) == dt.date(2027, 7, 5)


def test_missing_values_and_unknown_languages() -> None:
    assert dates.format_day(None, "en") == "–"
    assert dates.format_moment(None, "sv") == "–"
    assert dates.format_day_of(None, "fi") == "–"
    assert dates.format_day(dt.date(2027, 1, 4), "de") == "4.1.2027"  # Finnish, the default
    assert dates.format_count(12345, "fi") == "12\xa0345"
    assert dates.format_count(12345, "en") == "12,345"
