"""Language tools the lexicon builds on: Snowball stems, proper names, and the scope of "not".

- Stems: a lexicon entry `stem:kumppan` matches every word whose Snowball stem ends with
  `kumppan` (Finnish and Swedish compounds put the head last: "yhteistyökumppanimme",
  "samarbetspartnerna"); in English the stem must be equal.
- Proper names: words inside the name of an agency or a company ("Digi- ja
  väestötietovirasto", "Health Data Ltd") are not claims, so rules read texts with names masked.
- Negation scope: "We make no automated decisions, but a person reviews …" denies in its first
  clause only; `clauses` splits a sentence where the scope of a negation ends.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import snowballstemmer

from notice.checks import prefilter
from notice.checks.memo import per_run

_ALGORITHMS = {"fi": "finnish", "sv": "swedish", "en": "english"}
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


@cache
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(_ALGORITHMS[language])


@lru_cache(maxsize=65536)
def stem(language: str, word: str) -> str:
    """Return the Snowball stem of one word in `language` (fi, sv or en), lower-cased."""
    return _stemmer(language if language in _ALGORITHMS else "en").stemWord(word.lower())


def stem_match(language: str, stems: tuple[str, ...], text: str) -> list[tuple[int, str]]:
    """Return (position, word) of the words of `text` whose stem is one of `stems`.

    In Finnish and Swedish the stem may end with one of `stems` (a compound's head word).
    """
    found = []
    compound = language in {"fi", "sv"}
    for match in _WORD.finditer(text):
        stemmed = stem(language, match.group(0).split("-")[-1])
        if any(stemmed.endswith(s) if compound else stemmed == s for s in stems):
            found.append((match.start(), match.group(0)))
    return found


# --- proper names --------------------------------------------------------------------------------

_HEAD_WORDS = (
    r"(?:virasto|laitos|keskus|ministeriö|lautakunta|neuvosto|yhtymä|seurakunta|"
    r"säätiö|yhdistys|järjestelmä)"
)
# Finnish compounds naming an organisation or a named system: the head word ends them.
_HEADS = rf"\w*{_HEAD_WORDS}\w{{0,6}}\b"
_FI_SV_NAME = re.compile(rf"\b{_HEADS}", re.IGNORECASE)
_FI_SV_HEAD = prefilter.compile(_HEAD_WORDS, re.IGNORECASE)
"""A name `_FI_SV_NAME` finds has a head word: a text without one has none (one quick search,
where `_FI_SV_NAME` tries `\\w*` from every word's start)."""
_SV_NAME = re.compile(
    r"\b(?:Myndigheten|Institutet|Verket|Centralen)\b(?:\s+(?:för|och)\s+\w+)*"
    r"|\b\w+(?:myndigheten|verket|institutet|centralen)\b",
)
_CAPITAL = r"[A-ZÅÄÖ][\w&.'-]*"
_EN_NAME = re.compile(
    rf"\b{_CAPITAL}(?:\s+(?:and|of|for|&|{_CAPITAL}))*\s+"
    r"(?:Agency|Authority|Office|Institute|Centre|Center|Board|Council|Ministry|Service|"
    r"Services|System|Foundation|Association|Trust|Group)\b"
)
_COMPANY = re.compile(
    rf"\b{_CAPITAL}(?:\s+{_CAPITAL})*\s+"
    r"(?:Oy|Oyj|Ab|Abp|AB|Ltd|Limited|LLC|Inc\.?|GmbH|plc|ry|rf|Corp\.?|Corporation)\b"
)


@per_run
def mask_proper_names(text: str) -> str:
    """Return `text` with the names of agencies, companies and named systems blanked out.

    Lengths are kept (names become spaces), so positions in the masked text are positions in
    the original.
    """
    for pattern in (_COMPANY, _EN_NAME, _SV_NAME):
        text = pattern.sub(lambda match: " " * len(match.group(0)), text)
    if _FI_SV_HEAD.search(text):
        text = _FI_SV_NAME.sub(lambda match: " " * len(match.group(0)), text)
    return text


# --- negation scope ------------------------------------------------------------------------------

_CONTRAST = re.compile(
    r"[,;:]?\s+\b(?:but|however|instead|mutta|vaan|kuitenkin|sen sijaan|men|däremot)\b",
    re.IGNORECASE,
)


def clauses(sentence: str) -> list[str]:
    """Split a sentence where a contrast ("but", "mutta", "men") ends the scope of a negation."""
    return [part for part in _CONTRAST.split(sentence) if part.strip()]
