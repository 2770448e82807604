"""Generic error pages in the visitor's language, each with an incident id and nothing else.

A page never shows a traceback or what went wrong inside (ASVS 16.5.1, 13.4.x). The log gets the
incident id, the status, the endpoint and the exception class, and for a crash the code locations
of the traceback (file, line, function) without exception messages or source text: database errors
quote the values of a statement, and those are personal data.
"""

from __future__ import annotations

import logging
import secrets
import traceback

from flask import Flask, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException

log = logging.getLogger("portal.web.errors")

PAGES = {
    400: "400.html",
    403: "403.html",
    404: "404.html",
    413: "413.html",
    429: "429.html",
    503: "503.html",
}


def incident_id() -> str:
    """Return a short random id a person can quote to support."""
    return secrets.token_hex(4).upper()


# An address that leads nowhere is not an incident: the page says so and nothing more.
NO_INCIDENT = frozenset({404, 405})


def render_error(code: int, incident: str, *, staff_page: bool = False) -> ResponseReturnValue:
    """Render the page for `code` (the generic one for codes without their own page).

    `staff_page`: a signed-in member of staff met it on a staff page; its way back is the queue.
    A page not found (404, 405) shows no incident number: there is nothing to quote to support.
    """
    template = PAGES.get(code, "500.html" if code >= 500 else "generic.html")
    shown = None if code in NO_INCIDENT else incident
    return render_template(
        f"portal/errors/{template}", code=code, incident=shown, staff_page=staff_page
    ), code


def _signed_in_staff_page() -> bool:
    """Return whether a signed-in member of staff asked for a staff page (not a database error)."""
    if not (request.blueprint or "").startswith("staff"):
        return False
    from portal.web import auth

    return auth.current_staff() is not None


def _rollback() -> None:
    from flask import g

    session = g.get("db_session")
    if session is not None:
        session.rollback()


def handle_http(exc: HTTPException) -> ResponseReturnValue:
    """Answer an HTTP error (404, 405, 400, CSRF, 413, 429…) with a generic page."""
    code = exc.code or 500
    incident = incident_id()
    reason = "csrf" if isinstance(exc, CSRFError) else type(exc).__name__
    log.info("incident %s: %s %s at %s", incident, code, reason, request.endpoint)
    return render_error(code, incident, staff_page=_signed_in_staff_page())


def handle_database(exc: Exception) -> ResponseReturnValue:
    """Answer a database outage with 'try again' (the request was not recorded)."""
    _rollback()
    incident = incident_id()
    log.error(
        "incident %s: database unavailable (%s) at %s",
        incident,
        type(exc).__name__,
        request.endpoint,
    )
    return render_error(503, incident)


def handle_crash(exc: Exception) -> ResponseReturnValue:
    """Answer any other exception with a 500 page; log where, never the message."""
    if isinstance(exc, HTTPException):
        return handle_http(exc)
    _rollback()
    incident = incident_id()
    frames = "\n".join(
        f"  {frame.filename}:{frame.lineno} in {frame.name}"
        for frame in traceback.extract_tb(exc.__traceback__)
    )
    log.error("incident %s: %s at %s\n%s", incident, type(exc).__name__, request.endpoint, frames)
    return render_error(500, incident)


def _driver_outage_errors() -> list[type[Exception]]:
    """Return the DB-API errors that mean "the database cannot serve now" (timeouts, locks)."""
    import sqlite3

    errors: list[type[Exception]] = [sqlite3.OperationalError]
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency; SQLite-only installs work
        return errors
    return [*errors, psycopg.OperationalError]


def init_app(app: Flask) -> None:
    """Register the generic error pages."""
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(DBAPIError, handle_database)
    app.register_error_handler(PoolTimeoutError, handle_database)
    # Statements run on the raw DB-API connection (the audit chain's lock) raise the driver's
    # own errors, unwrapped: a timeout or a lost server there is the same outage.
    for driver_error in _driver_outage_errors():
        app.register_error_handler(driver_error, handle_database)
    app.register_error_handler(Exception, handle_crash)
