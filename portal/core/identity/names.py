"""Whether the name typed in a request is the strongly identified person's name.

The identified person is who the request is about. The name typed on the form may legitimately
differ (a married name, a name written without the middle names), or the form may be sent for
someone else, which needs their mandate. So a difference is never refused silently: the person
is told what it means before sending, and staff see it beside the request.

Two names are the same when, ignoring case, Unicode forms (NFKC), hyphens and order, every
word typed is one of the identified person's words, and at least two of them are given (or all,
for a one-word name): "maija meikäläinen" is "Meikäläinen Maija Liisa", "Matti Virtanen" is not.
"""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s\-‐‑‒–—,.]+")


def words(name: str | None) -> list[str]:
    """Return the words of a name, compared as people read them (case, hyphens, order aside)."""
    text = unicodedata.normalize("NFKC", name or "").casefold()
    return [word for word in _SEPARATORS.split(text) if word]


def same_person_name(identified: str, given: str | None) -> bool:
    """Return whether `given` names the identified person (see the module's rule)."""
    known = words(identified)
    typed = words(given)
    if not known or not typed:
        return True
    return set(typed) <= set(known) and len(set(typed)) >= min(2, len(set(known)))


def differing_name(identified: str | None, *given: str | None) -> str | None:
    """Return the first of the names `given` that is not the identified person's, or None."""
    if not identified:
        return None
    return next((n for n in given if n and not same_person_name(identified, n)), None)


def names_differ(identified: str | None, *given: str | None) -> bool:
    """Return whether any of the names `given` differs from the identified person's name."""
    return differing_name(identified, *given) is not None
