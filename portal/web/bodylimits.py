"""How much of a request body the portal reads, decided before anything reads it (issue 18).

Every POST may carry at most `MAX_CONTENT_LENGTH` (64 KiB: the longest text form with room to
spare), the verify page a receipt PDF and its form. Only the upload routes (`UPLOADS`) may carry
files, and only once the visitor is known without reading the body: the staff routes need a
signed-in session, the person's reply a live status link that waits for an answer, and both a
session that was given this very form (`upload_url` notes its action in the session) and, when
the browser names the request's origin (`Sec-Fetch-Site`), this site as that origin. The CSRF
token field inside the body cannot be read before the limit is chosen, and a token never goes
into a URL (an address bar, history, logs and `Referer` would show it). The session cookie is
`SameSite=Lax`, so another site's form cannot send it. An anonymous client can thus make the
server read 64 KiB, not the 250 MB an upload may be; the body's CSRF token is still checked
once it has been read.

The limit is enforced by Werkzeug: from `Content-Length` at once, and while reading a streamed
(chunked) body, which gunicorn and Werkzeug's server mark `wsgi.input_terminated`. A body over
the limit is answered 413 with a page in the visitor's language, and nothing is stored.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any

from flask import Flask, g, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import RequestEntityTooLarge

from portal.config import Settings, current_settings
from portal.core.receipt_file import MAX_PDF_BYTES
from portal.web import errors

FORM_OVERHEAD = 1024 * 1024
"""Bytes a multipart form may carry beyond its files (fields, boundaries, headers)."""
PUBLIC_LIMIT = 64 * 1024
"""The most any POST may send that is not an upload route's (Flask's `MAX_CONTENT_LENGTH`)."""
ENDPOINT_LIMITS: dict[str, int] = {"verify.verify": MAX_PDF_BYTES + PUBLIC_LIMIT}
"""Public routes that take a file: the most their body may be."""


def upload_limit(settings: Settings) -> int:
    """Return the largest upload body the settings allow: every file at its largest."""
    return settings.attachment_max_files * settings.attachment_max_bytes + FORM_OVERHEAD


def _staff_signed_in(_view_args: dict[str, Any]) -> bool:
    from portal.web import auth

    return auth.current_staff() is not None


def _staff_acting(_view_args: dict[str, Any]) -> bool:
    from portal.web import auth

    return auth.may_act(auth.current_staff())


def _staff_attach(view_args: dict[str, Any]) -> bool:
    return view_args.get("action") == "attach" and _staff_signed_in(view_args)


def _reply_awaited(view_args: dict[str, Any]) -> bool:
    from portal.core.models import RequestStatus
    from portal.web import intake

    data_request = intake.request_for_status(str(view_args.get("token") or ""))
    return data_request is not None and data_request.status == RequestStatus.awaiting_info


UPLOADS: dict[str, Callable[[dict[str, Any]], bool]] = {
    "staff.act": _staff_attach,
    "staff.channels.create": _staff_acting,
    "replies.reply": _reply_awaited,
}
"""Upload routes, each with the check (from the URL and session only) that opens its limit."""


UPLOAD_FORMS = "upload_forms"
"""The session key listing the upload forms this visitor was given (`_form_key`), newest last."""
REMEMBERED_FORMS = 16
"""How many upload forms a session remembers (a person or handler may keep several tabs open)."""


def _form_key(endpoint: str, values: Mapping[str, Any]) -> str:
    """Return a short key of a form's route and arguments: the session cookie, readable by its
    holder, never holds the status link's token itself."""
    route = json.dumps([endpoint, {k: str(v) for k, v in values.items()}], sort_keys=True)
    return hashlib.sha256(route.encode("utf-8")).hexdigest()[:16]


def upload_url(endpoint: str, **values: Any) -> str:
    """Return an upload form's action and note in the session that this visitor was given it."""
    key = _form_key(endpoint, values)
    given = [known for known in session.get(UPLOAD_FORMS, []) if known != key]
    session[UPLOAD_FORMS] = [*given, key][-REMEMBERED_FORMS:]
    return url_for(endpoint, **values)


def _session_given_the_form() -> bool:
    """Return whether this visitor's session was given the form that posts here."""
    key = _form_key(request.endpoint or "", request.view_args or {})
    return key in session.get(UPLOAD_FORMS, [])


def _same_origin() -> bool:
    """Return whether the browser, when it says so, sends this request from this site's pages.

    `Sec-Fetch-Site` is the browser's own comparison of the page's origin with the request's,
    so a proxy that rewrites `Host` cannot confuse it; a client without it (an older browser, a
    script) is vouched for by its session alone.
    """
    return request.headers.get("Sec-Fetch-Site", "same-origin") == "same-origin"


def may_upload() -> bool:
    """Return whether this request may send files: an upload route, a known visitor, a form."""
    check = UPLOADS.get(request.endpoint or "")
    return (
        check is not None
        and check(request.view_args or {})
        and _session_given_the_form()
        and _same_origin()
    )


def set_limit() -> None:
    """Choose this request's body limit before any hook reads the body."""
    if request.method in {"GET", "HEAD", "OPTIONS"}:
        return
    limit = ENDPOINT_LIMITS.get(request.endpoint or "", PUBLIC_LIMIT)
    g.upload_allowed = request.endpoint in UPLOADS and may_upload()
    if g.upload_allowed:
        limit = upload_limit(current_settings())
    request.max_content_length = limit


def forget_body() -> None:
    """Make the refused body read as an empty form.

    The page answering the refusal has forms (sign-out, CSRF) that must not read the body again,
    which would raise the same error inside the handler.
    """
    request.__dict__.update(form=ImmutableMultiDict(), files=ImmutableMultiDict())


def _too_large(exc: RequestEntityTooLarge) -> ResponseReturnValue:
    forget_body()
    if not g.get("upload_allowed"):
        return errors.handle_http(exc)
    return render_template(
        "portal/errors/too_large.html",
        max_mb=current_settings().attachment_max_mb,
        max_files=current_settings().attachment_max_files,
    ), 413


def init_app(app: Flask) -> None:
    """Limit every body before it is read; answer a too-large one with a page."""
    app.config["MAX_CONTENT_LENGTH"] = PUBLIC_LIMIT
    app.add_template_global(upload_url)
    app.before_request(set_limit)
    app.register_error_handler(RequestEntityTooLarge, _too_large)
