"""Vocabulary by meaning: which words say "consent", "not", "outside the EEA"… in each language.

Rules ask whether a sentence *means* something (negation + consent), so the words live in one data
file, `data/lexicon.yaml`, per concept and language; adding Swedish words there makes every rule
work for Swedish. Typos are in `data/typos.yaml` (wrong stem → right stem).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from notice.checks.memo import per_run

_DATA = resources.files("notice.checks") / "data"


@cache
def _lexicon() -> dict[str, dict[str, re.Pattern[str]]]:
    raw = yaml.safe_load((_DATA / "lexicon.yaml").read_text(encoding="utf-8"))
    compiled: dict[str, dict[str, re.Pattern[str]]] = {}
    for concept, by_lang in raw.items():
        common = by_lang.get("any", [])
        langs = {lang for lang in by_lang if lang != "any"} | {"en", "fi", "sv"}
        every = [p for entries in by_lang.values() for p in entries]
        compiled[concept] = {
            lang: re.compile("|".join(f"(?:{p})" for p in [*common, *by_lang.get(lang, [])]), re.I)
            for lang in langs
        }
        # Plain strings (names, addresses) have no language: any language's words count.
        compiled[concept][""] = re.compile("|".join(f"(?:{p})" for p in every), re.I)
    return compiled


def find(concept: str, language: str | None, text: str) -> str | None:
    """Return the first word of `concept` in `text` (in `language`; None: any), or None."""
    return _find(concept, language, text)


@per_run
def _find(concept: str, language: str | None, text: str) -> str | None:
    patterns = _lexicon()[concept]
    pattern = patterns.get(language or "", patterns[""])
    if not pattern.pattern:
        return None
    match = pattern.search(text)
    return match.group(0) if match else None


def find_all(concept: str, language: str | None, text: str) -> list[str]:
    """Return every distinct word of `concept` in `text`, in order of first appearance."""
    return list(_find_all(concept, language, text))


@per_run
def _find_all(concept: str, language: str | None, text: str) -> tuple[str, ...]:
    patterns = _lexicon()[concept]
    pattern = patterns.get(language or "", patterns[""])
    if not pattern.pattern:
        return ()
    seen: dict[str, None] = {}
    for match in pattern.finditer(text):
        seen.setdefault(match.group(0).strip().lower(), None)
    return tuple(seen)


def pattern(concept: str, language: str | None) -> re.Pattern[str]:
    """Return the compiled pattern of `concept` in `language` (None: any language)."""
    patterns = _lexicon()[concept]
    return patterns.get(language or "", patterns[""])


def has(concept: str, language: str | None, text: str) -> bool:
    """Return whether `text` contains a word of `concept`."""
    return find(concept, language, text) is not None


@dataclass(frozen=True)
class Typo:
    """A misspelt stem and its correction; inflected endings carry over."""

    wrong: str
    right: str
    pattern: re.Pattern[str]


@cache
def typos(language: str) -> tuple[Typo, ...]:
    """Return the project's typo list for `language` (empty when it has none)."""
    raw = yaml.safe_load((_DATA / "typos.yaml").read_text(encoding="utf-8")) or {}
    result = []
    for wrong, right in (raw.get(language) or {}).items():
        words = [re.escape(word) for word in str(wrong).split()]
        stem = r"\s+".join(words)
        # A stem ending in a hyphen is a broken word ("yrityk-"); others take inflected endings.
        tail = "" if str(wrong).endswith("-") else r"\w*"
        result.append(Typo(str(wrong), str(right), re.compile(rf"\b{stem}{tail}", re.I)))
    return tuple(result)
