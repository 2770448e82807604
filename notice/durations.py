"""Read a cookie's declared duration (`2 years`, `12 kuukautta`, `1 år`, `for the session`).

The banner stores its own cookie for as long as the notice says, and `notice scan` compares what
a browser really keeps with what the notice declares; both need the declared text as a number.
Texts are free-form in every site language, so only a number with a unit word (or a session
word) is read; anything else is `None`, "not known", and never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

SESSION = 0
"""Seconds of a cookie that ends with the browser session."""

DAY = 86_400
MONTH = 2_629_800
"""An average month (a twelfth of 365.25 days): `12 months` is a year, not 372 days."""

# Stems of unit words in English, Finnish and Swedish. The longest stem that fits wins, so that
# `vuorokausi` (a day) is not read as `vuo…` (a year).
_UNITS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (365 * DAY, ("year", "yr", "yrs", "vuo", "vuosi", "år")),
    (MONTH, ("month", "kuukau", "kk", "månad", "mån")),
    (7 * DAY, ("week", "viik", "veck")),
    (DAY, ("day", "päiv", "vrk", "vuorokau", "dag", "dygn")),
    (3600, ("hour", "tunti", "tunn", "timm", "timme", "h")),
    (60, ("minute", "min", "minuut", "minut")),
    (1, ("second", "sec", "sekun", "sekund", "s")),
)
_SESSION_WORDS = ("session", "istun", "sessionen")
_AMOUNT = re.compile(r"(\d+(?:[.,]\d+)?)\s*([^\W\d_]+)", re.UNICODE)


def parse_duration(text: str) -> int | None:
    """Return the longest duration `text` states, in seconds; 0 for a session; None if unknown."""
    lowered = text.casefold()
    longest: int | None = None
    for number, word in _AMOUNT.findall(lowered):
        seconds = _unit_seconds(word)
        if seconds is None:
            continue
        value = round(float(number.replace(",", ".")) * seconds)
        longest = value if longest is None else max(longest, value)
    if longest is not None:
        return longest
    if any(word in lowered for word in _SESSION_WORDS):
        return SESSION
    return None


def declared_seconds(duration: Mapping[str, str]) -> int | None:
    """Return the duration of a localized text: the first language whose wording can be read."""
    for text in duration.values():
        seconds = parse_duration(text)
        if seconds is not None:
            return seconds
    return None


def _unit_seconds(word: str) -> int | None:
    best: tuple[int, int] | None = None  # (stem length, seconds)
    for seconds, stems in _UNITS:
        for stem in stems:
            fits = word == stem or (len(stem) > 2 and word.startswith(stem))
            if fits and (best is None or len(stem) > best[0]):
                best = (len(stem), seconds)
    return best[1] if best else None
