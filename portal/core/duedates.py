"""Art 12(3) due dates, counted by Regulation (EEC, Euratom) No 1182/71 in Helsinki time.

Why this rule set: the GDPR is an EU act, so its "one month" is counted by Regulation 1182/71
Art 3 — the day of receipt is not counted, a period of months ends on the same date number in
the last month (or that month's last day when the date does not exist), and an end on a Saturday,
Sunday or public holiday moves to the next working day.

Which days are not working days: Saturdays, Sundays and the Finnish public holidays of the
`holidays` package, **including Midsummer Eve and Christmas Eve**. Those two eves are not statutory
holidays, but offices are closed and the Finnish Act on the Computation of Time Limits (150/1930,
§ 5) already moves a deadline falling on them, so a Finnish controller and its supervisory
authority count them the same way. They are added explicitly, so the rule does not depend on the
`holidays` release.

Extension (Art 12(3), "by two further months"): the further months are counted from the **strict**
end of the first month — the date before any weekend or holiday move — because the move only
postpones the last day on which the act can be done; it does not lengthen the period itself.
Received 2025-05-10 → first month ends 2025-06-10 → +2 months = 2025-08-10, a Sunday → 2025-08-11.

Receipt times are converted to Europe/Helsinki before the date is taken: a request confirmed at
23:30 UTC on 30 January was received on 31 January in Finland.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from babel.dates import format_date, format_time
from flask_babel import force_locale, gettext

from notice.i18n import locale_of

HELSINKI = ZoneInfo("Europe/Helsinki")
MAX_MONTHS = 3
"""One month plus at most two further months (Art 12(3))."""

_HOLIDAY_LANGUAGES = {"fi": "fi", "en": "en_US", "sv": "sv_FI"}

SWEDISH_HOLIDAY_NAMES = {
    "Nyårsdagen": "nyårsdagen",
    "Trettondag": "trettondedag jul",
    "Långfredagen": "långfredagen",
    "Påskdagen": "påskdagen",
    "Annandag påsk": "annandag påsk",
    "Första maj": "första maj",
    "Kristi himmelsfärdsdag": "Kristi himmelsfärdsdag",
    "Pingst": "pingstdagen",
    "Midsommarafton": "midsommarafton",
    "Midsommardagen": "midsommardagen",
    "Alla helgons dag": "alla helgons dag",
    "Självständighetsdagen": "självständighetsdagen",
    "Julafton": "julafton",
    "Juldagen": "juldagen",
    "Annandag jul": "annandag jul",
}
"""The `holidays` package's sv_FI names → the names the Finnish calendar uses in Swedish.

They stand inside a sentence ("… är en helgdag (trettondedag jul) …"), so in lower case as
Swedish writes holidays, except Kristi (a name); "Trettondag" and "Pingst" are not the days'
usual names in Finland.
"""


@dataclass(frozen=True)
class SkippedDay:
    """A day the end of the period moved past, and why."""

    day: dt.date
    reason: str
    """`saturday`, `sunday` or `holiday`."""
    holiday_name: str | None = None


@dataclass(frozen=True)
class DueExplanation:
    """How a due date was reached, step by step."""

    received_local: dt.datetime
    received_on: dt.date
    counted_from: dt.date
    months: int
    first_month_end: dt.date
    raw_end: dt.date
    skipped: tuple[SkippedDay, ...] = field(default_factory=tuple)
    due: dt.date = dt.date.min

    @property
    def extension_months(self) -> int:
        """Return how many further months were added to the first month."""
        return self.months - 1

    def steps(self, language: str = "en") -> list[str]:
        """Return the explanation as sentences a person can read in `language`."""
        # Outside an app context force_locale does nothing and the English msgids are used.
        with force_locale(locale_of(language)):
            # A sentence may start with a date, and fi and sv write weekdays in lower case.
            return [step[:1].upper() + step[1:] for step in self._steps(language)]

    def _steps(self, language: str) -> list[str]:
        def fmt(day: dt.date) -> str:
            return day_in_sentence(day, language)

        def fmt_on(day: dt.date) -> str:
            return day_in_sentence(day, language, when=True)

        steps = [
            gettext(
                "The request was received on %(date)s at %(time)s Finnish time.",
                date=fmt_on(self.received_on),
                # The language's own clock ("20.51" in Finnish), as letters and pages write it.
                time=format_time(self.received_local, "short", locale=locale_of(language)),
            ),
            gettext(
                "The day of receipt is not counted: the period starts on %(date)s.",
                date=fmt_on(self.counted_from),
            ),
            gettext(
                "One month ends on the same date number in the next month: %(date)s.",
                date=fmt(self.first_month_end),
            )
            if self.first_month_end.day == self.received_on.day
            else gettext(
                "That date does not exist in the next month, so one month ends on the month's "
                "last day: %(date)s.",
                date=fmt(self.first_month_end),
            ),
        ]
        if self.extension_months:
            steps.append(
                gettext(
                    "The period was extended by %(months)s further months, counted from the "
                    "strict end of the first month: %(date)s.",
                    months=self.extension_months,
                    date=fmt(self.raw_end),
                )
            )
        for skipped in self.skipped:
            if skipped.reason == "holiday":
                steps.append(
                    gettext(
                        "%(date)s is a public holiday (%(name)s), so the end moves on.",
                        date=fmt(skipped.day),
                        name=_in_sentence(
                            holiday_name(skipped.day, language) or skipped.holiday_name, language
                        ),
                    )
                )
            else:
                steps.append(
                    gettext(
                        "%(date)s is a weekend day, so the end moves on.", date=fmt(skipped.day)
                    )
                )
        steps.append(gettext("The request must be answered by %(date)s.", date=fmt_on(self.due)))
        return steps


def day_in_sentence(day: dt.date, language: str, *, when: bool = False) -> str:
    """Return a date with its weekday as it stands in a sentence in `language`.

    Swedish writes "måndagen den 7 december 2026" in a sentence, whether the date is when
    something happens or what a sentence is about ("Lördagen den 9 januari 2027 är en
    veckoslutsdag"); "måndag 7 december" is a heading's or a table's form. Finnish writes the
    weekday in the essive when the date says *when* (`when`): "määräaika alkaa maanantaina
    7. joulukuuta 2026", and in the nominative otherwise ("Lauantai 9. tammikuuta 2027 on
    viikonloppupäivä"). English: "Monday, 7 December 2026" (en_GB, "on" is in the sentence).
    """
    locale = locale_of(language)
    language = language.split("_")[0]
    if language == "sv":
        weekday = format_date(day, "EEEE", locale=locale)
        return f"{weekday}en den {format_date(day, 'long', locale=locale)}"
    if language == "fi" and when:
        # CLDR's Finnish weekday in a date ("EEEE", format context) is the essive already.
        return (
            f"{format_date(day, 'EEEE', locale=locale)} {format_date(day, 'long', locale=locale)}"
        )
    return format_date(day, format="full", locale=locale)


def _in_sentence(name: str | None, language: str) -> str | None:
    """A holiday's name as it stands inside a Finnish sentence: in lower case (`loppiainen`,
    `jouluaatto`), as Finnish writes holidays; the calendar gives them capitalised, as titles.
    Swedish names come in lower case already, English ones stay capitalised (Epiphany)."""
    if name and language.startswith("fi"):
        return name[0].lower() + name[1:]
    return name


def local_received(received_at: dt.datetime) -> dt.datetime:
    """Return `received_at` in Helsinki time (a naive value is taken as UTC, as SQLite gives it)."""
    if received_at.tzinfo is None:
        received_at = received_at.replace(tzinfo=dt.UTC)
    return received_at.astimezone(HELSINKI)


def helsinki_today(now: dt.datetime | None = None) -> dt.date:
    """Return today's date in Helsinki (the date every deadline is counted in), or `now`'s."""
    return local_received(now or dt.datetime.now(dt.UTC)).date()


def add_months(day: dt.date, months: int) -> dt.date:
    """Return the same date number `months` later, or that month's last day if it is missing."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@lru_cache(maxsize=64)
def _finnish_holidays(year: int, language: str = "fi") -> dict[dt.date, str]:
    calendar_ = holidays.Finland(years=year, language=language)
    days = dict(calendar_.items())
    # The two eves: closed offices and Act 150/1930 § 5 (see the module docstring).
    midsummer_eve = next(
        day
        for day in (dt.date(year, 6, 19) + dt.timedelta(n) for n in range(7))
        if day.weekday() == calendar.FRIDAY
    )
    days.setdefault(midsummer_eve, "Juhannusaatto")
    days.setdefault(dt.date(year, 12, 24), "Jouluaatto")
    return days


def holiday_name(day: dt.date, language: str = "fi") -> str | None:
    """Return the name of the Finnish public holiday on `day`, or None."""
    code = _HOLIDAY_LANGUAGES.get(language, language)
    name = _finnish_holidays(day.year, code).get(day)
    if name is not None and code == "sv_FI":
        return SWEDISH_HOLIDAY_NAMES.get(name, name)
    return name


def is_working_day(day: dt.date) -> bool:
    """Return whether `day` is a Finnish working day (not a weekend, holiday or the two eves)."""
    return day.weekday() < calendar.SATURDAY and holiday_name(day) is None


def _skip_to_working_day(day: dt.date) -> tuple[dt.date, tuple[SkippedDay, ...]]:
    skipped: list[SkippedDay] = []
    while not is_working_day(day):
        name = holiday_name(day)
        if name is not None:
            skipped.append(SkippedDay(day, "holiday", name))
        else:
            reason = "saturday" if day.weekday() == calendar.SATURDAY else "sunday"
            skipped.append(SkippedDay(day, reason))
        day += dt.timedelta(days=1)
    return day, tuple(skipped)


def explain(received_at: dt.datetime, months: int = 1) -> DueExplanation:
    """Return the due date of a request received at `received_at` with every step of the count.

    `months` is the whole period: 1, or 2–3 when extended; further months count from the strict
    end of the first month.
    """
    if not 1 <= months <= MAX_MONTHS:
        raise ValueError(f"months must be 1..{MAX_MONTHS}, not {months}")
    local = local_received(received_at)
    received_on = local.date()
    first_month_end = add_months(received_on, 1)
    raw_end = add_months(first_month_end, months - 1)
    due, skipped = _skip_to_working_day(raw_end)
    return DueExplanation(
        received_local=local,
        received_on=received_on,
        counted_from=received_on + dt.timedelta(days=1),
        months=months,
        first_month_end=first_month_end,
        raw_end=raw_end,
        skipped=skipped,
        due=due,
    )


def due_date(received_at: dt.datetime, months: int = 1) -> dt.date:
    """Return the last day to answer a request received at `received_at` (see `explain`)."""
    return explain(received_at, months).due


def strict_end(received_at: dt.datetime, months: int = 1) -> dt.date:
    """Return the end of the period before any weekend or holiday move (alert on this one)."""
    return explain(received_at, months).raw_end


__all__ = [
    "HELSINKI",
    "MAX_MONTHS",
    "DueExplanation",
    "SkippedDay",
    "add_months",
    "due_date",
    "explain",
    "helsinki_today",
    "holiday_name",
    "is_working_day",
    "local_received",
    "strict_end",
]
