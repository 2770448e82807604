"""The staff timeline's details in the page's language, never the audit log's machine text.

Audit events keep their details as `key=value` pairs (stable, language-free, hash-chained); the
timeline shows the ones a person can use, translated, and leaves out internal ids (letter, note,
account), which the timeline shows in their own rows. Recipients are stored by their name in the
content's first language and shown in the page's (`recipient_name`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from portal.core import content, labels
from portal.web import dates
from portal.web.i18n import LANGUAGE_NAMES

FREE_TEXTS: dict[str, Any] = {
    "effective on receipt (Art 21(3))": _l("effective on receipt (Art 21(3))"),
}
"""Details written as English sentences by the workflow, and their translations."""


def _months(value: str, _lang: str) -> str:
    if not value.isdigit():
        return ""
    return ngettext("extended by %(num)d month", "extended by %(num)d months", int(value))


def _paused_days(value: str, _lang: str) -> str:
    if not value.isdigit():
        return ""
    return ngettext("%(num)d day paused", "%(num)d days paused", int(value))


def _date(value: str, lang: str) -> str:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return ""
    return _("due %(date)s", date=dates.format_day(day, lang))


def _channel(value: str, _lang: str) -> str:
    from portal.web.channels import CHANNEL_NAMES  # the staff entry page's names

    return str(CHANNEL_NAMES.get(value, ""))


def language_name(code: str, lang: str) -> str:
    """Return the language `code` named in the page's language `lang` ("englanti", "engelska")."""
    from babel import Locale

    try:
        return str(Locale.parse(lang).languages.get(code) or LANGUAGE_NAMES.get(code, code))
    except (ValueError, TypeError):
        return LANGUAGE_NAMES.get(code, code)


DESCRIBE: dict[str, Callable[[str, str], str]] = {
    "channel": _channel,
    "right": lambda value, _lang: labels.label(labels.RIGHTS, value),
    "register": lambda value, lang: content.register_name(value, lang),
    "ui": lambda value, lang: _("form language: %(language)s", language=language_name(value, lang)),
    "due_on": _date,
    "decision": lambda value, _lang: labels.label(labels.DECISIONS, value),
    "outcome": lambda value, _lang: {
        "done": _("notified"),
        "not_received": _("did not receive this person's data"),
        "impossible": _("impossible or disproportionate effort"),
    }.get(value, ""),
    "months": _months,
    "paused_days": _paused_days,
    "paused": lambda value, _lang: _("the clock is paused") if value == "yes" else "",
}
"""How each detail key reads; keys not listed (ids, attempts, error classes) are left out."""


def describe(detail: str | None, lang: str) -> str:
    """Return an audit event's detail as the staff timeline shows it in `lang`."""
    if not detail:
        return ""
    if detail in FREE_TEXTS:
        return str(FREE_TEXTS[detail])
    parts = []
    for word in detail.split():
        key, separator, value = word.partition("=")
        if separator and key in DESCRIBE:
            text = DESCRIBE[key](value, lang)
            if text:
                parts.append(text)
    return ", ".join(parts)


def recipient_name(register_id: str, stored: str, lang: str) -> str:
    """Return a recipient recorded as `stored` (any language's name) named in `lang`."""
    for register in content.content().registers:
        if register.id != register_id:
            continue
        for recipient in register.recipients:
            names = {name.casefold() for name in (recipient.name or {}).values()}
            if stored.casefold() in names:
                return content.text(recipient.name, lang)
    return stored
