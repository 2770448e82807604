"""Due dates: the explanation a person reads, word for word in fi, sv and en, and each rule's edge.

Run first by `scripts/mutate.py` (fast, exact); tests/portal/test_duedates.py holds the LEGAL.md
vectors and the properties.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator

import pytest
from flask import Flask

from portal.core.duedates import (
    HELSINKI,
    MAX_MONTHS,
    SkippedDay,
    add_months,
    due_date,
    explain,
    helsinki_today,
    holiday_name,
    is_working_day,
    local_received,
    strict_end,
)
from portal.web import i18n


@pytest.fixture
def translated() -> Iterator[None]:
    """An app context with the portal's real catalogs, so `steps(language)` translates."""
    app = Flask("duedates-steps")
    i18n.init_app(app)
    with app.app_context():
        yield


EXTENDED = dt.datetime(2025, 5, 10, 9, 15, tzinfo=HELSINKI)  # LEGAL.md §4: final due 2025-08-11
LATE_UTC = dt.datetime(2025, 1, 30, 23, 30, tzinfo=dt.UTC)  # 01:30 on 31 January in Helsinki
CHRISTMAS = dt.datetime(2025, 11, 24, 8, 0, tzinfo=HELSINKI)  # ends on Christmas Eve


@pytest.mark.usefixtures("translated")
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                "The request was received on Saturday, 10 May 2025 at 09:15 Finnish time.",
                "The day of receipt is not counted: the period starts on Sunday, 11 May 2025.",
                "One month ends on the same date number in the next month: Tuesday, 10 June 2025.",
                "The period was extended by 2 further months, counted from the strict end of the "
                "first month: Sunday, 10 August 2025.",
                "Sunday, 10 August 2025 is a weekend day, so the end moves on.",
                "The request must be answered by Monday, 11 August 2025.",
            ],
        ),
        (
            "fi",
            [
                "Pyyntö vastaanotettiin lauantaina 10. toukokuuta 2025 kello 9.15 Suomen aikaa.",
                "Vastaanottopäivää ei lasketa: määräaika alkaa sunnuntaina 11. toukokuuta 2025.",
                "Kuukauden määräaika päättyy seuraavan kuukauden samannumeroisena päivänä: "
                "tiistai 10. kesäkuuta 2025.",
                "Määräaikaa jatkettiin 2 kuukaudella, laskettuna ensimmäisen kuukauden "
                "varsinaisesta päättymispäivästä: sunnuntai 10. elokuuta 2025.",
                "Sunnuntai 10. elokuuta 2025 on viikonloppupäivä, joten määräaika siirtyy.",
                "Pyyntöön on vastattava viimeistään maanantaina 11. elokuuta 2025.",
            ],
        ),
        (
            "sv",
            [
                "Begäran togs emot lördagen den 10 maj 2025 klockan 9.15 finsk tid.",
                "Mottagningsdagen räknas inte: tidsfristen börjar söndagen den 11 maj 2025.",
                "En månad löper ut på samma datum i följande månad: tisdagen den 10 juni 2025.",
                "Tidsfristen förlängdes med 2 månader, räknat från den första månadens "
                "egentliga slutdag: söndagen den 10 augusti 2025.",
                "Söndagen den 10 augusti 2025 är en veckoslutsdag, så tidsfristen flyttas framåt.",
                "Begäran ska besvaras senast måndagen den 11 augusti 2025.",
            ],
        ),
    ],
)
def test_extended_period_explained_in_each_language(language: str, expected: list[str]) -> None:
    assert explain(EXTENDED, 3).steps(language) == expected


@pytest.mark.usefixtures("translated")
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                "The request was received on Friday, 31 January 2025 at 01:30 Finnish time.",
                "The day of receipt is not counted: the period starts on Saturday, "
                "1 February 2025.",
                "That date does not exist in the next month, so one month ends on the month's "
                "last day: Friday, 28 February 2025.",
                "The request must be answered by Friday, 28 February 2025.",
            ],
        ),
        (
            "sv",
            [
                "Begäran togs emot fredagen den 31 januari 2025 klockan 1.30 finsk tid.",
                "Mottagningsdagen räknas inte: tidsfristen börjar lördagen den 1 februari 2025.",
                "Datumet finns inte i följande månad, så en månad löper ut på månadens sista "
                "dag: fredagen den 28 februari 2025.",
                "Begäran ska besvaras senast fredagen den 28 februari 2025.",
            ],
        ),
    ],
)
def test_missing_date_number_explained(language: str, expected: list[str]) -> None:
    assert explain(LATE_UTC).steps(language) == expected


@pytest.mark.usefixtures("translated")
def test_christmas_holidays_named_in_finnish_and_swedish() -> None:
    fi = explain(CHRISTMAS).steps("fi")
    assert fi[2:] == [
        "Kuukauden määräaika päättyy seuraavan kuukauden samannumeroisena päivänä: "
        "keskiviikko 24. joulukuuta 2025.",
        "Keskiviikko 24. joulukuuta 2025 on pyhäpäivä (jouluaatto), joten määräaika siirtyy.",
        "Torstai 25. joulukuuta 2025 on pyhäpäivä (joulupäivä), joten määräaika siirtyy.",
        "Perjantai 26. joulukuuta 2025 on pyhäpäivä (tapaninpäivä), joten määräaika siirtyy.",
        "Lauantai 27. joulukuuta 2025 on viikonloppupäivä, joten määräaika siirtyy.",
        "Sunnuntai 28. joulukuuta 2025 on viikonloppupäivä, joten määräaika siirtyy.",
        "Pyyntöön on vastattava viimeistään maanantaina 29. joulukuuta 2025.",
    ]
    sv = explain(CHRISTMAS).steps("sv")
    assert sv[3:6] == [
        "Onsdagen den 24 december 2025 är en helgdag (julafton), så tidsfristen flyttas framåt.",
        "Torsdagen den 25 december 2025 är en helgdag (juldagen), så tidsfristen flyttas framåt.",
        "Fredagen den 26 december 2025 är en helgdag (annandag jul), så tidsfristen flyttas "
        "framåt.",
    ]


def test_english_steps_without_an_app_use_the_english_holiday_names() -> None:
    steps = explain(CHRISTMAS).steps()
    assert steps[3] == (
        "Wednesday, 24 December 2025 is a public holiday (Christmas Eve), so the end moves on."
    )
    assert steps[5] == (
        "Friday, 26 December 2025 is a public holiday (Second Day of Christmas), "
        "so the end moves on."
    )


def test_every_skipped_day_is_recorded_with_its_reason_and_finnish_name() -> None:
    explanation = explain(CHRISTMAS)
    assert explanation.skipped == (
        SkippedDay(dt.date(2025, 12, 24), "holiday", "Jouluaatto"),
        SkippedDay(dt.date(2025, 12, 25), "holiday", "Joulupäivä"),
        SkippedDay(dt.date(2025, 12, 26), "holiday", "Tapaninpäivä"),
        SkippedDay(dt.date(2025, 12, 27), "saturday"),
        SkippedDay(dt.date(2025, 12, 28), "sunday"),
    )
    assert explanation.due == dt.date(2025, 12, 29)
    assert explain(dt.datetime(2025, 5, 12, 10, 0, tzinfo=HELSINKI)).skipped == ()


def test_explanation_fields_of_a_late_utc_receipt() -> None:
    explanation = explain(LATE_UTC)
    assert explanation.received_local == dt.datetime(2025, 1, 31, 1, 30, tzinfo=HELSINKI)
    assert explanation.received_local.utcoffset() == dt.timedelta(hours=2)
    assert (explanation.received_on, explanation.counted_from) == (
        dt.date(2025, 1, 31),
        dt.date(2025, 2, 1),
    )
    assert (explanation.months, explanation.extension_months) == (1, 0)
    assert explanation.first_month_end == explanation.raw_end == dt.date(2025, 2, 28)


def test_strict_end_is_before_the_weekend_move() -> None:
    assert strict_end(EXTENDED, 3) == dt.date(2025, 8, 10)
    assert due_date(EXTENDED, 3) == dt.date(2025, 8, 11)
    assert strict_end(EXTENDED) == dt.date(2025, 6, 10)
    assert strict_end(EXTENDED, 2) == dt.date(2025, 7, 10)


def test_months_bounds() -> None:
    assert MAX_MONTHS == 3
    assert explain(EXTENDED, 1).months == 1
    assert explain(EXTENDED, 3).extension_months == 2
    with pytest.raises(ValueError, match=r"^months must be 1\.\.3, not 4$"):
        explain(EXTENDED, 4)
    with pytest.raises(ValueError, match=r"^months must be 1\.\.3, not 0$"):
        explain(EXTENDED, 0)


def test_local_received_summer_and_winter_offsets() -> None:
    summer = local_received(dt.datetime(2025, 7, 1, 21, 30))  # naive = UTC (SQLite)
    assert summer == dt.datetime(2025, 7, 2, 0, 30, tzinfo=HELSINKI)
    assert summer.utcoffset() == dt.timedelta(hours=3)
    winter = local_received(dt.datetime(2025, 1, 1, 21, 30, tzinfo=dt.UTC))
    assert (winter.date(), winter.hour, winter.minute) == (dt.date(2025, 1, 1), 23, 30)
    stockholm = dt.datetime(2025, 1, 1, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert local_received(stockholm).date() == dt.date(2025, 1, 2)


def test_helsinki_today() -> None:
    assert helsinki_today(dt.datetime(2025, 1, 30, 22, 30, tzinfo=dt.UTC)) == dt.date(2025, 1, 31)
    assert helsinki_today(dt.datetime(2025, 1, 30, 21, 59, tzinfo=dt.UTC)) == dt.date(2025, 1, 30)
    before = dt.datetime.now(HELSINKI).date()
    today = helsinki_today()
    assert today in {before, dt.datetime.now(HELSINKI).date()}


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        ("2025-01-31", 1, "2025-02-28"),
        ("2025-01-31", 0, "2025-01-31"),
        ("2025-11-30", 1, "2025-12-30"),
        ("2025-12-15", 1, "2026-01-15"),
        ("2025-11-15", 2, "2026-01-15"),
        ("2025-12-31", 2, "2026-02-28"),
        ("2023-12-31", 2, "2024-02-29"),
        ("2025-01-15", 11, "2025-12-15"),
        ("2025-01-15", 12, "2026-01-15"),
        ("2025-03-31", 25, "2027-04-30"),
    ],
)
def test_add_months(day: str, months: int, expected: str) -> None:
    assert add_months(dt.date.fromisoformat(day), months) == dt.date.fromisoformat(expected)


@pytest.mark.usefixtures("translated")
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "sv",
            "Onsdagen den 6 januari 2027 är en helgdag (trettondedag jul), så tidsfristen flyttas "
            "framåt.",
        ),
        (
            "fi",
            "Keskiviikko 6. tammikuuta 2027 on pyhäpäivä (loppiainen), joten määräaika siirtyy.",
        ),
        ("en", "Wednesday, 6 January 2027 is a public holiday (Epiphany), so the end moves on."),
    ],
)
def test_a_holiday_sentence_starts_with_a_capital_and_the_usual_name(
    language: str, expected: str
) -> None:
    # Received on 6 December 2026: one month ends on Epiphany, Wednesday 6 January 2027.
    steps = explain(dt.datetime(2026, 12, 6, 12, 0, tzinfo=HELSINKI)).steps(language)
    assert expected in steps, steps


@pytest.mark.parametrize(
    ("day", "fi", "sv", "en"),
    [
        ("2026-01-06", "Loppiainen", "trettondedag jul", "Epiphany"),
        ("2025-06-20", "Juhannusaatto", "midsommarafton", "Midsummer Eve"),
        ("2027-06-25", "Juhannusaatto", "midsommarafton", "Midsummer Eve"),
        ("2025-12-24", "Jouluaatto", "julafton", "Christmas Eve"),
        ("2025-12-06", "Itsenäisyyspäivä", "självständighetsdagen", "Independence Day"),
        ("2027-05-16", "Helluntaipäivä", "pingstdagen", "Pentecost"),
        ("2027-03-29", "Toinen pääsiäispäivä", "annandag påsk", "Easter Monday"),
        ("2027-05-06", "Helatorstai", "Kristi himmelsfärdsdag", "Ascension Day"),
    ],
)
def test_holiday_names_in_each_language(day: str, fi: str, sv: str, en: str) -> None:
    date = dt.date.fromisoformat(day)
    assert (holiday_name(date), holiday_name(date, "fi")) == (fi, fi)
    assert holiday_name(date, "sv") == sv
    assert holiday_name(date, "en") == en


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2025-06-19", True),  # Thursday before Midsummer Eve
        ("2027-06-18", True),  # a Friday, but a week before Midsummer Eve 2027
        ("2026-06-26", True),  # the Friday after Midsummer Eve 2026 (19 June)
        ("2025-07-25", True),  # a Friday in July's 19th-25th
        ("2025-05-23", True),  # a Friday in May's 19th-25th
        ("2025-12-23", True),
        ("2025-11-24", True),  # a Monday a month before Christmas Eve
        ("2025-12-29", True),
        ("2025-05-09", True),  # Friday
        ("2025-05-10", False),  # Saturday
        ("2025-05-11", False),  # Sunday
        ("2025-05-29", False),  # Ascension Day, a Thursday
    ],
)
def test_working_days(day: str, working: bool) -> None:
    date = dt.date.fromisoformat(day)
    assert is_working_day(date) is working
    if working:
        assert holiday_name(date) is None


@pytest.mark.usefixtures("translated")
def test_steps_default_to_english_inside_a_finnish_app() -> None:
    steps = explain(EXTENDED, 3).steps()
    assert steps[0] == "The request was received on Saturday, 10 May 2025 at 09:15 Finnish time."
    assert steps[-1] == "The request must be answered by Monday, 11 August 2025."


def test_naive_times_are_utc_whatever_the_servers_time_zone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A server run with TZ=Europe/Helsinki (or anything else) must not shift SQLite's UTC values.
    for zone in ("Europe/Helsinki", "America/New_York"):
        monkeypatch.setenv("TZ", zone)
        time.tzset()
        try:
            assert local_received(dt.datetime(2025, 1, 30, 22, 30)) == dt.datetime(
                2025, 1, 31, 0, 30, tzinfo=HELSINKI
            )
            assert due_date(dt.datetime(2025, 1, 30, 22, 30)) == dt.date(2025, 2, 28)
        finally:
            monkeypatch.undo()
            time.tzset()


# Finland's public holidays of 2027 with the names the Finnish calendar gives them in Swedish,
# written from the calendar (Easter fell on 28 March 2027), in lower case as
# they stand inside a sentence, Kristi a name.
SWEDISH_2027 = [
    ("2027-01-01", "nyårsdagen"),
    ("2027-01-06", "trettondedag jul"),
    ("2027-03-26", "långfredagen"),
    ("2027-03-28", "påskdagen"),
    ("2027-03-29", "annandag påsk"),
    ("2027-05-01", "första maj"),
    ("2027-05-06", "Kristi himmelsfärdsdag"),
    ("2027-05-16", "pingstdagen"),
    ("2027-06-25", "midsommarafton"),
    ("2027-06-26", "midsommardagen"),
    ("2027-11-06", "alla helgons dag"),
    ("2027-12-06", "självständighetsdagen"),
    ("2027-12-24", "julafton"),
    ("2027-12-25", "juldagen"),
    ("2027-12-26", "annandag jul"),
]


def test_every_holiday_of_a_year_has_its_swedish_calendar_name() -> None:
    first = dt.date(2027, 1, 1)
    days = (first + dt.timedelta(days=n) for n in range(365))
    named = [(day.isoformat(), holiday_name(day, "sv")) for day in days]
    assert [(day, name) for day, name in named if name is not None] == SWEDISH_2027


@pytest.mark.usefixtures("translated")
def test_a_weekday_in_a_sentence_reads_as_swedish_and_finnish_write_it() -> None:
    # sv "måndagen den 7 december" in a sentence, never "måndag 7 december" (a table's form);
    # fi the essive when the date says when ("maanantaina"), the nominative as a subject.
    received = dt.datetime(2026, 12, 7, 10, 0, tzinfo=HELSINKI)  # Monday 7 December 2026
    sv = explain(received).steps("sv")
    assert sv[0] == "Begäran togs emot måndagen den 7 december 2026 klockan 10.00 finsk tid."
    assert sv[1] == "Mottagningsdagen räknas inte: tidsfristen börjar tisdagen den 8 december 2026."
    assert sv[-1] == "Begäran ska besvaras senast torsdagen den 7 januari 2027."
    fi = explain(received).steps("fi")
    assert (
        fi[0] == "Pyyntö vastaanotettiin maanantaina 7. joulukuuta 2026 kello 10.00 Suomen aikaa."
    )
    assert fi[1] == "Vastaanottopäivää ei lasketa: määräaika alkaa tiistaina 8. joulukuuta 2026."
    assert fi[-1] == "Pyyntöön on vastattava viimeistään torstaina 7. tammikuuta 2027."
    assert not any(re.search(r"\b(måndag|tisdag|torsdag) \d", step) for step in sv)
