"""Vocabulary by meaning: which words say "consent", "not", "outside the EEA"… in each language.

Rules ask whether a sentence *means* something (negation + consent), so the words live in one data
file, `data/lexicon.yaml`, per concept and language; adding Swedish words there makes every rule
work for Swedish. An entry is a regular expression, or `stem:<stem>`: a Snowball stem that every
inflected form of the word shares (see `notice.checks.language`). Patterns are compiled once per
process. Typos are in `data/typos.yaml` (wrong stem → right stem).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from notice.checks import datafiles, prefilter
from notice.checks import language as morphology
from notice.checks.memo import per_run

_STEM = "stem:"


@cache
def _raw() -> dict[str, dict[str, list[str]]]:
    data: dict[str, dict[str, list[str]]] = datafiles.read("lexicon.yaml")
    return data


@cache
def _stems() -> dict[str, dict[str, tuple[str, ...]]]:
    """Return the `stem:` entries by concept and language."""
    return {
        concept: {
            lang: tuple(e[len(_STEM) :] for e in entries if e.startswith(_STEM))
            for lang, entries in by_lang.items()
        }
        for concept, by_lang in _raw().items()
    }


def _stem_hits(concept: str, language: str | None, text: str) -> list[tuple[int, str]]:
    """Return (position, word) of the words whose stem is one of the concept's `stem:` entries."""
    chosen = _stems_asked(concept, language)
    if not chosen:
        return []  # most concepts have no stems: no sorting of nothing, a search at a time
    return sorted(hit for lang, stems in chosen for hit in morphology.stem_match(lang, stems, text))


@cache
def _stems_asked(concept: str, language: str | None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Return the (language, stems) pairs `_stem_hits` looks in, without those with no stems."""
    by_lang = _stems()[concept]
    chosen = by_lang.items() if language is None else [(language, by_lang.get(language, ()))]
    return tuple((lang, stems) for lang, stems in chosen if stems)


@cache
def _sources() -> dict[str, dict[str, str]]:
    """Return the regular expression of each concept by language ("": any language), uncompiled."""
    sources: dict[str, dict[str, str]] = {}
    for concept, raw_by_lang in _raw().items():
        by_lang = {
            lang: [e for e in entries if not e.startswith(_STEM)]
            for lang, entries in raw_by_lang.items()
        }
        common = by_lang.get("any", [])
        langs = {lang for lang in by_lang if lang != "any"} | {"en", "fi", "sv"}
        every = [p for entries in by_lang.values() for p in entries]
        sources[concept] = {
            lang: "|".join(f"(?:{p})" for p in [*common, *by_lang.get(lang, [])]) for lang in langs
        }
        # Plain strings (names, addresses) have no language: any language's words count.
        sources[concept][""] = "|".join(f"(?:{p})" for p in every)
    return sources


@cache
def _pattern(concept: str, language: str) -> re.Pattern[str]:
    """Compile a concept's pattern when first asked for: compiling all of them took a quarter
    of a second, at the start of every process that checks, mostly for languages not checked."""
    sources = _sources()[concept]
    return prefilter.compile(sources.get(language, sources[""]), re.I)


def find(concept: str, language: str | None, text: str) -> str | None:
    """Return the first word of `concept` in `text` (in `language`; None: any), or None."""
    return _find(concept, language, text)


@per_run
def _find(concept: str, language: str | None, text: str) -> str | None:
    pattern = _pattern(concept, language or "")
    match = pattern.search(text) if pattern.pattern else None
    if match:
        return match.group(0)
    stemmed = _stem_hits(concept, language, text)
    return stemmed[0][1] if stemmed else None


def find_all(concept: str, language: str | None, text: str) -> list[str]:
    """Return every distinct word of `concept` in `text`, in order of first appearance."""
    return list(_find_all(concept, language, text))


@per_run
def _find_all(concept: str, language: str | None, text: str) -> tuple[str, ...]:
    pattern = _pattern(concept, language or "")
    hits = [(m.start(), m.group(0)) for m in pattern.finditer(text)] if pattern.pattern else []
    hits += _stem_hits(concept, language, text)
    seen: dict[str, None] = {}
    covered: list[tuple[int, int]] = []
    for start, word in sorted(hits):
        if any(begin <= start < end for begin, end in covered):
            continue  # a regex and a stem found the same word
        covered.append((start, start + len(word)))
        seen.setdefault(word.strip().lower(), None)
    return tuple(seen)


def pattern(concept: str, language: str | None) -> re.Pattern[str]:
    """Return the compiled pattern of `concept` in `language` (None: any language)."""
    return _pattern(concept, language or "")


def has(concept: str, language: str | None, text: str) -> bool:
    """Return whether `text` contains a word of `concept`."""
    return _find(concept, language, text) is not None  # not via find(): called a million times


@dataclass(frozen=True)
class Typo:
    """A misspelt stem and its correction; inflected endings carry over."""

    wrong: str
    right: str
    pattern: re.Pattern[str]


@cache
def any_typo(language: str) -> re.Pattern[str]:
    """Return one pattern that matches where any of `language`'s typos does (never: none)."""
    sources = [f"(?:{typo.pattern.pattern})" for typo in typos(language)]
    return prefilter.compile("|".join(sources), re.I) if sources else re.compile(r"(?!)")


@cache
def typos(language: str) -> tuple[Typo, ...]:
    """Return the project's typo list for `language` (empty when it has none)."""
    raw = datafiles.read("typos.yaml") or {}
    result = []
    for wrong, right in (raw.get(language) or {}).items():
        words = [re.escape(word) for word in str(wrong).split()]
        stem = r"\s+".join(words)
        # A stem ending in a hyphen is a broken word ("yrityk-"); others take inflected endings.
        tail = "" if str(wrong).endswith("-") else r"\w*"
        pattern = prefilter.compile(rf"\b{stem}{tail}", re.I)
        result.append(Typo(str(wrong), str(right), pattern))
    return tuple(result)
