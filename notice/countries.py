"""Countries as ISO 3166-1 alpha-2 codes: which are in the EEA, which have an adequacy decision.

Names come from Babel's CLDR data, so a code renders as "Yhdysvallat", "USA" or "United States".
Those of the notice's languages (fi, sv, en) are read from `data/countries.json`, which
`python -m notice.countries` writes from Babel and a test holds equal to it: Babel's locale data
took 30 ms to load (it imports its date module, which looks up the machine's time zone among 600
files), before any register could be read. Other languages ask Babel.

    python -m notice.countries     # write data/countries.json from the installed Babel
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

TABLE = Path(__file__).with_name("data") / "countries.json"
"""Every country's name in `TABLE_LANGUAGES`, by code, as Babel gives them (`table_from_babel`)."""

TABLE_LANGUAGES = ("en", "fi", "sv")

EEA: frozenset[str] = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()
    + ["IS", "LI", "NO"]
)
"""EU member states plus Iceland, Liechtenstein and Norway (GDPR Chapter V applies outside)."""

ADEQUATE: frozenset[str] = frozenset("AD AR CA FO GG IL IM JP JE NZ KR CH GB UY US".split())
"""Countries with a Commission adequacy decision (Art 45); in the US for DPF-certified only."""

# Codes CLDR lists as territories that are not countries (regions, pseudo-locales, unions).
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})

# Spellings people write that CLDR does not give as the name.
_ALIASES = {
    "usa": "US",
    "u.s.": "US",
    "u.s.a.": "US",
    "united states of america": "US",
    "yhdysvallat": "US",
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "iso-britannia": "GB",
    "britannia": "GB",
    "storbritannien": "GB",
}


def table_from_babel() -> dict[str, dict[str, str]]:
    """Return what `TABLE` holds, from the installed Babel: code -> language -> name."""
    from babel import Locale

    territories = {lang: Locale(lang).territories for lang in TABLE_LANGUAGES}
    return {
        code: {lang: territories[lang][code] for lang in TABLE_LANGUAGES}
        for code in sorted(territories["en"])
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    }


@cache
def _table() -> dict[str, dict[str, str]]:
    table: dict[str, dict[str, str]] = json.loads(TABLE.read_text(encoding="utf-8"))
    return table


@cache
def codes() -> frozenset[str]:
    """Return every ISO 3166-1 alpha-2 country code."""
    return frozenset(_table())


@cache
def _by_name() -> dict[str, str]:
    names: dict[str, str] = {}
    for lang in TABLE_LANGUAGES:
        for code, by_lang in _table().items():
            names.setdefault(by_lang[lang].casefold(), code)
    return {**names, **_ALIASES}


def code_of(value: str) -> str | None:
    """Return the ISO code of a country given by code or by its name in fi, sv or en, or None."""
    text = " ".join(value.split())
    if text.upper() in codes():
        return text.upper()
    return _by_name().get(text.casefold())


def name(code: str, language: str) -> str:
    """Return a country's name in `language` (the code itself when Babel does not know it)."""
    known = _table().get(code)
    if known is not None and language in known:
        return known[language]
    from babel import Locale

    return Locale(language).territories.get(code, code)


def localized(value: str, language: str) -> str:
    """Return a country given by code or name, named in `language`; unknown text as written."""
    code = code_of(value)
    return value if code is None else name(code, language)


def is_third_country(code: str | None) -> bool:
    """Return whether a country is outside the EEA (a transfer there falls under Chapter V)."""
    return code is not None and code not in EEA


# Third countries that outsourcing and cloud services commonly name; a recipient described only
# in prose ("support centre in India") is placed by these names.
_OFTEN_NAMED = (
    "US IN CN PH UA RU JP CA AU BR ZA IL SG KR GB CH TR VN MY BY RS MX AR EG PK BD NZ TW HK AE SA"
).split()
_ABBREVIATIONS = {"US": ("USA", "U.S.", "U.S.A."), "GB": ("UK", "U.K.")}


@cache
def _mention_pattern(language: str) -> re.Pattern[str]:
    """Return one pattern naming every often-named country, a named group per country code."""
    groups = []
    for code in _OFTEN_NAMED:
        names = {name(code, lang) for lang in ("en", "fi", "sv")} | {name(code, language)}
        stems = []
        for value in names:
            # Finnish inflects the end of a name (Intiassa, Yhdysvalloissa): match its stem.
            stem = value[:-2] if language == "fi" and len(value) > 6 else value
            stems.append(re.escape(stem) + (r"\w*" if language == "fi" else r"\b"))
        exact = [re.escape(a) + r"(?!\w)" for a in _ABBREVIATIONS.get(code, ())]
        groups.append(f"(?P<{code}>" + "|".join([*stems, *exact]) + ")")
    return re.compile(r"(?<!\w)(?:" + "|".join(groups) + ")")


def mentioned(text: str, language: str) -> list[str]:
    """Return the codes of commonly named third countries that `text` names, in code order."""
    found = {match.lastgroup for match in _mention_pattern(language).finditer(text)}
    return [code for code in _OFTEN_NAMED if code in found]


def main() -> None:
    """Write `TABLE` from the installed Babel (after a deliberate upgrade of Babel)."""
    TABLE.parent.mkdir(exist_ok=True)
    text = json.dumps(table_from_babel(), ensure_ascii=False, indent=1, sort_keys=True)
    TABLE.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {TABLE}")


if __name__ == "__main__":
    main()
