"""Faster searches with the same matches: a lookahead on the characters a match can start with.

The lexicon's and the trackers' patterns are long alternations compiled case-insensitively, for
which Python's regular expression engine has no fast scan: it tries every branch at every
position of a text. `compile` (and `prefiltered`, for a pattern compiled already) puts in front
of such a pattern a lookahead for the characters its matches can start with (worked out from the
parsed pattern), so that most positions are rejected by one character-class test. A match starts
at the same position, spans the same text and has the same groups as before; where the first
characters cannot be told for sure, the pattern is compiled as it is.
"""

from __future__ import annotations

import re
from typing import Any

try:  # Python 3.11+
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

_AT = sre_constants.AT
_AT_BOUNDARY = sre_constants.AT_BOUNDARY
_ASSERTS = {sre_constants.ASSERT, sre_constants.ASSERT_NOT}
_LITERAL = sre_constants.LITERAL
_IN = sre_constants.IN
_RANGE = sre_constants.RANGE
_BRANCH = sre_constants.BRANCH
_SUBPATTERN = sre_constants.SUBPATTERN
_REPEATS = {
    sre_constants.MAX_REPEAT,
    sre_constants.MIN_REPEAT,
    *([sre_constants.POSSESSIVE_REPEAT] if hasattr(sre_constants, "POSSESSIVE_REPEAT") else []),
}
_ATOMIC = getattr(sre_constants, "ATOMIC_GROUP", None)

_MAX_RANGE = 256
"""A class range wider than this (`[^…]`-like) makes the prefilter worthless: give up."""


def compile(source: str, flags: int = 0) -> re.Pattern[str]:  # noqa: A001 - as `re.compile`
    """Compile `source` as `re.compile` does, with a lookahead for its first characters if known.

    The result finds exactly the matches `re.compile(source, flags)` finds (same positions, text
    and groups); only its `.pattern` text differs when the lookahead was added.
    """
    lookahead = _lookahead(source, flags)
    if lookahead is not None:
        try:
            return re.compile(f"{lookahead}(?:{source})", flags)
        except re.error:
            pass  # global inline flags, say: they must stay at the start
    return re.compile(source, flags)


def prefiltered(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """Return a compiled `pattern` with a lookahead for its first characters, or `pattern`."""
    if not isinstance(pattern.pattern, str):
        return pattern
    lookahead = _lookahead(pattern.pattern, pattern.flags)
    if lookahead is not None:
        try:
            return re.compile(f"{lookahead}(?:{pattern.pattern})", pattern.flags)
        except re.error:
            pass  # global inline flags, say: they must stay at the start
    return pattern


def _lookahead(source: str, flags: int) -> str | None:
    """Return `(?=[…])` naming the characters a match of `source` can start with, or None."""
    if not source or flags & (re.VERBOSE | re.MULTILINE | re.DOTALL | re.LOCALE):
        return None  # keep the analysis to what the checker uses
    try:
        parsed = sre_parse.parse(source, flags)
    except re.error:
        return None  # `re.compile` will say what is wrong with it
    # Global inline flags (`(?i)` at the start) would not apply to a lookahead put before them.
    if parsed.state.flags & ~re.UNICODE != flags & ~re.UNICODE:
        return None
    first = _first(list(parsed), flags, bounded=False)
    if first is None or not first[0]:
        return None
    chars, bounded = first
    # When every match starts at a word boundary, saying so first rejects mid-word positions.
    boundary = r"\b" if bounded else ""
    return boundary + "(?=[" + "".join(f"\\U{code:08x}" for code in sorted(chars)) + "])"


def _first(
    items: list[tuple[Any, Any]], flags: int, *, bounded: bool
) -> tuple[set[int], bool] | None:
    """Return the characters a match of `items` can start with and whether every match starts
    at a word boundary (`\\b` before its first character); None when that is not known."""
    for op, av in items:
        if op is _AT:
            bounded = bounded or av is _AT_BOUNDARY
            continue  # zero width: the next item starts the match
        if op in _ASSERTS:
            continue  # a lookaround is zero width too
        if op is _LITERAL:
            return {av}, bounded
        if op is _IN:
            chars = _class(av)
            return None if chars is None else (chars, bounded)
        if op is _BRANCH:
            found: set[int] = set()
            every = True
            for alternative in av[1]:
                first = _first(list(alternative), flags, bounded=bounded)
                if first is None:
                    return None
                found |= first[0]
                every = every and first[1]
            return found, every
        if op is _SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if (add_flags | del_flags) & ~re.IGNORECASE:
                return None
            if add_flags & re.IGNORECASE and not flags & re.IGNORECASE:
                return None  # the lookahead would be stricter than the group
            return _first(list(sub), flags, bounded=bounded)
        if op in _REPEATS:
            low, _high, sub = av
            return _first(list(sub), flags, bounded=bounded) if low >= 1 else None
        if _ATOMIC is not None and op is _ATOMIC:
            return _first(list(av), flags, bounded=bounded)
        return None
    return None  # the pattern can match the empty string here


def _class(members: list[tuple[Any, Any]]) -> set[int] | None:
    found: set[int] = set()
    for op, av in members:
        if op is _LITERAL:
            found.add(av)
        elif op is _RANGE and av[1] - av[0] <= _MAX_RANGE:
            found.update(range(av[0], av[1] + 1))
        else:
            return None  # a negated class, a category (`\w`) or a wide range
    return found
