"""The names people read for the portal's codes: one table per code, a short and a long name.

Staff pages show the short names (a queue column, a filter); pages, e-mails and letters to the
person show the long ones. Values are lazy: each is translated when it is shown, in the language
of that page or e-mail (`flask_babel.force_locale` for e-mails), never when this module loads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Label:
    """A code's name: `short` for lists and staff pages, `long` for the person."""

    short: Any
    long: Any

    def __str__(self) -> str:
        return str(self.short)


def _same(name: Any) -> Label:
    return Label(name, name)


RIGHTS: dict[str, Label] = {
    "access": Label(_l("Access"), _l("Access to your data")),
    "rectification": Label(_l("Rectification"), _l("Correct your data")),
    "erasure": Label(_l("Erasure"), _l("Erase your data")),
    "restriction": Label(_l("Restriction"), _l("Restrict processing")),
    "portability": Label(_l("Portability"), _l("Receive your data to transfer it")),
    "objection": Label(_l("Objection"), _l("Object to processing")),
}
RIGHT_SUMMARIES: dict[str, Any] = {
    "access": _l(
        "Ask whether we process your data, and receive a copy of it with information about "
        "its processing."
    ),
    "rectification": _l("Ask us to correct wrong data or complete incomplete data."),
    "erasure": _l("Ask us to erase your data when there is no longer a reason to keep it."),
    "restriction": _l(
        "Ask us to only store your data, not use it, while a question about it is resolved."
    ),
    "portability": _l(
        "Receive the data you have given us in a machine-readable format, to give it to another "
        "service."
    ),
    "objection": _l(
        "Object to direct marketing, profiling, publishing your details in lists, or other "
        "processing based on our interests."
    ),
}
"""What each right lets a person ask for, on the intake's start page."""

STATUSES: dict[str, Label] = {
    "unconfirmed": Label(_l("Unconfirmed"), _l("Waiting for you to confirm your e-mail address")),
    "open": Label(_l("Open"), _l("Received and being handled")),
    "awaiting_info": Label(_l("Awaiting information"), _l("Waiting for more information from you")),
    "decided": Label(_l("Decided"), _l("Decided: our answer has been sent")),
    "closed": _same(_l("Closed")),
    "expired": Label(_l("Expired"), _l("Expired: the e-mail address was never confirmed")),
    "all": _same(_l("All")),
}
DECISIONS: dict[str, Label] = {
    "granted": _same(_l("Granted")),
    "partly_granted": _same(_l("Partly granted")),
    "refused": _same(_l("Refused")),
}
LETTERS: dict[str, Label] = {
    "receipt": Label(_l("Receipt"), _l("Receipt of your request")),
    "info_request": _same(_l("Request for more information")),
    "pause_ended": Label(_l("New time limit"), _l("The time limit of your request runs again")),
    "extension": Label(_l("Notice of extension"), _l("Extension of the time limit")),
    "decision": Label(_l("Decision"), _l("Decision on your request")),
    "art19": Label(_l("Recipients informed"), _l("Informing the recipients of your data")),
}
"""Letter names; the long one is the letter's own title (`templates/letters/_titles.html`)."""

ROLES: dict[str, Label] = {
    "handler": _same(_l("Handler")),
    "admin": _same(_l("Admin")),
    "dpo": _same(_l("Data protection officer")),
}
ACTIONS: dict[str, Label] = {
    "resend_confirmation": _same(_l("Send the confirmation link again")),
    "take": _same(_l("Take")),
    "assign": _same(_l("Assign")),
    "note": _same(_l("Add a note")),
    "ask_info": _same(_l("Ask for information")),
    "resume": _same(_l("Resume")),
    "extend": _same(_l("Extend the period")),
    "attach": _same(_l("Attach the data copy")),
    "detach": _same(_l("Remove")),
    "decide": _same(_l("Decide")),
    "verify_identity": _same(_l("Record the identity check")),
    "notify": _same(_l("Record what happened with a recipient (Art 19)")),
    "close": _same(_l("Close")),
}
EVENTS: dict[str, Label] = {
    "request.submitted": _same(_l("Submitted")),
    "request.entered": _same(_l("Entered by staff; the clock started")),
    "request.confirmation_resent": _same(_l("Confirmation link sent again")),
    "request.confirmed": _same(_l("E-mail address confirmed; the clock started")),
    "request.sealed": _same(_l("Sealed")),
    "request.assigned": _same(_l("Assigned")),
    "request.note_added": _same(_l("Note added")),
    "request.info_requested": _same(_l("Information requested")),
    "request.resumed": _same(_l("Resumed")),
    "request.extended": _same(_l("Period extended")),
    "request.decided": _same(_l("Decided")),
    "request.recipient_notified": _same(_l("Recipient notification recorded")),
    "request.closed": _same(_l("Closed")),
    "request.replied": _same(_l("The person answered; the clock runs again")),
    "identity.verified": _same(_l("Identity checked; what the person sent for it was deleted")),
    "attachment.added": _same(_l("Files attached")),
    "attachment.removed": _same(_l("File removed")),
    "attachment.viewed": _same(_l("File opened by staff")),
    "attachment.downloaded": _same(_l("File downloaded by the person")),
    "attachment.purged": _same(_l("File deleted after its download period")),
    "download.code_sent": _same(_l("Download code sent")),
    "download.code_confirmed": _same(_l("Download code confirmed")),
    "download.code_refused": _same(_l("Wrong download code")),
    "letter.pdf_failed": _same(_l("The letter's PDF could not be made; it will be tried again")),
    "letter.viewed": _same(_l("Letter opened by staff")),
    "letter.posted": _same(_l("Letter marked as posted")),
    "request.unassigned": _same(_l("Unassigned")),
    "request.direct_marketing_stopped": _same(_l("Direct marketing stopped")),
}
"""Audit actions as the staff timeline names them (an action without a name shows its code)."""


def label(table: dict[str, Label], code: str | None, *, long: bool = False) -> str:
    """Return the name of `code` in `table` (the code itself when it has none)."""
    if code is None:
        return ""
    found = table.get(code)
    if found is None:
        return code
    return str(found.long if long else found.short)


TABLES: dict[str, dict[str, Label]] = {
    "RIGHTS": RIGHTS,
    "STATUSES": STATUSES,
    "DECISIONS": DECISIONS,
    "LETTERS": LETTERS,
    "ROLES": ROLES,
    "ACTIONS": ACTIONS,
    "EVENTS": EVENTS,
}
"""Every table by the name templates see it under."""

_EIDAS = "http://eidas.europa.eu/LoA/"
_FTN = "http://ftn.ficora.fi/2017/"
ASSURANCE_LEVELS: dict[str, Any] = {
    _EIDAS + "low": _l("level of assurance low (eIDAS)"),
    _EIDAS + "substantial": _l("level of assurance substantial (eIDAS)"),
    _EIDAS + "high": _l("level of assurance high (eIDAS)"),
    # The Finnish Trust Network: loa2 is eIDAS substantial, loa3 high (Traficom 214/2018).
    _FTN + "loa2": _l("level of assurance substantial (eIDAS)"),
    _FTN + "loa3": _l("level of assurance high (eIDAS)"),
}
"""The identity provider's `acr` values staff read as words; another value is shown as it came."""


def assurance_level(acr: str) -> str:
    """Return the level of assurance a provider reported, in words when it is a known one."""
    known = ASSURANCE_LEVELS.get(acr.strip())
    return str(known) if known is not None else acr


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "mark for extraction only"
    """Mark a message for the catalog; it is translated where it is shown."""
    return message


DEMO_PROVIDER_NAME = N_("Development identity provider – demo only")
"""The name of `make run`'s development identity provider (`portal.dev_identity`). No brackets:
the pages, e-mails and letters show a provider in brackets after the person's name."""
EARLIER_DEMO_PROVIDER_NAME = "Development identity provider (demo only)"
"""The demo provider's name before it lost its brackets, as an older demo recorded it."""
TRANSLATED_PROVIDERS: dict[str, str] = {
    DEMO_PROVIDER_NAME: DEMO_PROVIDER_NAME,
    EARLIER_DEMO_PROVIDER_NAME: DEMO_PROVIDER_NAME,
}
"""Provider names (as configured, and as recorded on a request) read as catalog messages, so
that people read them in their own language; any other name is shown as configured."""


def provider_name(name: str, translate: Callable[[str], str] | None = None) -> str:
    """Return an identity provider's name as people read it in the page's language (`translate`:
    the gettext of another language, as a letter's)."""
    message = TRANSLATED_PROVIDERS.get(name)
    if message is None:
        return name
    return (translate or gettext)(message)
