"""Dates, times and counts on the portal's pages, in the page's language.

One map from language to Babel locale serves every page, letter and document:
`notice.i18n.locale_of` (fi_FI, sv_FI, en_GB), so English reads "4 Jan 2027" as in the EU rather
than Babel's US default "Jan 4, 2027". A date is Babel's medium form (fi "4.1.2027",
sv "4 jan. 2027", en "4 Jan 2027"); a moment adds the Helsinki time to the minute.
"""

from __future__ import annotations

import datetime as dt

from babel import dates as babel_dates
from babel import numbers as babel_numbers

from notice import i18n as notice_i18n
from portal.core import duedates

NO_VALUE = "–"
"""What a missing date reads as."""


locale_of = notice_i18n.locale_of
"""The Babel locale of a language code (`notice.i18n.locale_of`, the one map)."""


def format_day(value: dt.date | None, lang: str) -> str:
    """Return `value` as a date in `lang` ("4.1.2027", "4 jan. 2027", "4 Jan 2027")."""
    if value is None:
        return NO_VALUE
    return babel_dates.format_date(value, "medium", locale=locale_of(lang))


def format_moment(value: dt.datetime | None, lang: str) -> str:
    """Return `value` in Helsinki time to the minute in `lang` ("4.1.2027 11.05")."""
    if value is None:
        return NO_VALUE
    local = _helsinki(value)
    locale = locale_of(lang)
    pattern = babel_dates.get_datetime_format("medium", locale=locale)
    return pattern.replace("{1}", format_day(local.date(), lang)).replace(
        "{0}", babel_dates.format_time(local.time(), "short", locale=locale)
    )


def _helsinki(value: dt.datetime) -> dt.datetime:
    """Return a moment in Helsinki time; a naive value is UTC, as the database keeps it."""
    return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).astimezone(duedates.HELSINKI)


def local_day(value: dt.datetime) -> dt.date:
    """Return the Helsinki date of a moment."""
    return _helsinki(value).date()


def format_day_of(value: dt.datetime | None, lang: str) -> str:
    """Return the Helsinki date of a moment in `lang` ("4.1.2027"), without the time."""
    return NO_VALUE if value is None else format_day(local_day(value), lang)


def format_count(value: int, lang: str) -> str:
    """Return a whole number grouped the way `lang` writes it ("1 000" in fi and sv)."""
    return babel_numbers.format_decimal(value, locale=locale_of(lang))
