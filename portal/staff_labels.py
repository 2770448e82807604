"""Translated names of the codes the staff pages show (rights, statuses, decisions, events)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

RIGHTS = {
    "access": _l("Access"),
    "rectification": _l("Rectification"),
    "erasure": _l("Erasure"),
    "restriction": _l("Restriction"),
    "portability": _l("Portability"),
    "objection": _l("Objection"),
}
STATUSES = {
    "unconfirmed": _l("Unconfirmed"),
    "open": _l("Open"),
    "awaiting_info": _l("Awaiting information"),
    "decided": _l("Decided"),
    "closed": _l("Closed"),
    "expired": _l("Expired"),
    "all": _l("All"),
}
DECISIONS = {
    "granted": _l("Granted"),
    "partly_granted": _l("Partly granted"),
    "refused": _l("Refused"),
}
ROLES = {"handler": _l("Handler"), "admin": _l("Admin")}
LANGUAGES = {"fi": "suomi", "en": "English", "sv": "svenska"}
ACTIONS = {
    "take": _l("Take"),
    "assign": _l("Assign"),
    "note": _l("Add a note"),
    "ask_info": _l("Ask for information"),
    "resume": _l("Resume"),
    "extend": _l("Extend the period"),
    "decide": _l("Decide"),
    "notify": _l("Record a notification to a recipient (Art 19)"),
    "close": _l("Close"),
}
LETTERS = {
    "receipt": _l("Receipt"),
    "info_request": _l("Request for information"),
    "extension": _l("Extension notice"),
    "decision": _l("Decision"),
}


def event_label(action: str) -> str:
    """Return a readable name of an audit action (the code itself when it has none)."""
    return str(EVENTS.get(action, action))


EVENTS = {
    "request.submitted": _l("Submitted"),
    "request.confirmed": _l("E-mail address confirmed; the clock started"),
    "request.sealed": _l("Sealed"),
    "request.assigned": _l("Assigned"),
    "request.note_added": _l("Note added"),
    "request.info_requested": _l("Information requested"),
    "request.resumed": _l("Resumed"),
    "request.extended": _l("Period extended"),
    "request.decided": _l("Decided"),
    "request.recipient_notified": _l("Recipient notification recorded"),
    "request.closed": _l("Closed"),
}


def all_labels() -> dict[str, object]:
    """Return every table, for the templates."""
    return {
        "RIGHT_LABELS": RIGHTS,
        "STATUS_LABELS": STATUSES,
        "DECISION_LABELS": DECISIONS,
        "ROLE_LABELS": ROLES,
        "LANGUAGE_LABELS": LANGUAGES,
        "ACTION_LABELS": ACTIONS,
        "LETTER_LABELS": LETTERS,
        "event_label": event_label,
    }
