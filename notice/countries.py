"""Countries as ISO 3166-1 alpha-2 codes: which are in the EEA, which have an adequacy decision.

Names in every language come from Babel's CLDR data, so a code renders as "Yhdysvallat",
"USA" or "United States" without a table of our own.
"""

from __future__ import annotations

import re
from functools import cache

from babel import Locale

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


@cache
def codes() -> frozenset[str]:
    """Return every ISO 3166-1 alpha-2 country code."""
    return frozenset(
        code
        for code in Locale("en").territories
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    )


@cache
def _by_name() -> dict[str, str]:
    names: dict[str, str] = {}
    for lang in ("en", "fi", "sv"):
        for code, name in Locale(lang).territories.items():
            if code in codes():
                names.setdefault(name.casefold(), code)
    return {**names, **_ALIASES}


def code_of(value: str) -> str | None:
    """Return the ISO code of a country given by code or by its name in fi, sv or en, or None."""
    text = " ".join(value.split())
    if text.upper() in codes():
        return text.upper()
    return _by_name().get(text.casefold())


def name(code: str, language: str) -> str:
    """Return a country's name in `language` (the code itself when Babel does not know it)."""
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
