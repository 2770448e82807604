"""Uploads and downloads of a request's files over HTTP: limits, form data, streamed responses.

The checks and the encryption are `portal.core.files`; this module only fits them to HTTP. The
body of a multipart POST is limited before anything reads it (Flask's CSRF check reads the form
first), to what the settings allow for one form; a bigger body gets a page that says the limits in
the visitor's language, and nothing is stored. A download streams the decrypted chunks, never the
whole file, and says `no-store`.
"""

from __future__ import annotations

from typing import IO, Any
from urllib.parse import quote

from flask import Flask, Response, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.datastructures import CombinedMultiDict, FileStorage, ImmutableMultiDict
from werkzeug.exceptions import RequestEntityTooLarge

from portal.core import files
from portal.core.models import Attachment, RequestRight
from portal.web import errors

FORM_OVERHEAD = 1024 * 1024
"""Bytes a multipart form may carry beyond its files (fields, boundaries, headers)."""


def upload_limit(config: Any) -> int:
    """Return the largest multipart body the settings allow: every file at its largest."""
    per_file = int(config["ATTACHMENT_MAX_MB"]) * 1024 * 1024
    return int(config["ATTACHMENT_MAX_FILES"]) * per_file + FORM_OVERHEAD


def _limit_multipart() -> None:
    if request.mimetype == "multipart/form-data":
        request.max_content_length = upload_limit(current_app.config)


def _too_large(exc: RequestEntityTooLarge) -> ResponseReturnValue:
    limit = upload_limit(current_app.config)
    if request.mimetype != "multipart/form-data" or (request.content_length or 0) <= limit:
        return errors.handle_http(exc)  # a too-long text field, not too many or big files
    # The body was refused unread: the page's forms (sign-out, CSRF) must see an empty form
    # rather than read the body again, which would raise the same error inside the handler.
    request.__dict__.update(form=ImmutableMultiDict(), files=ImmutableMultiDict())
    return render_template(
        "portal/errors/too_large.html",
        max_mb=current_app.config["ATTACHMENT_MAX_MB"],
        max_files=current_app.config["ATTACHMENT_MAX_FILES"],
    ), 413


def init_app(app: Flask) -> None:
    """Limit multipart bodies and answer a too-large one with the limits spelled out."""
    app.before_request(_limit_multipart)
    app.register_error_handler(RequestEntityTooLarge, _too_large)


def upload_formdata() -> CombinedMultiDict[str, Any]:
    """Return the form fields and the uploaded files together, as a form reads them."""
    return CombinedMultiDict((request.files, request.form))


def uploads(form: Any, field: str = "files") -> list[tuple[IO[bytes], str | None]]:
    """Return the (stream, name) of each file chosen in a form's file field.

    Too many files are refused here, before any is read.
    """
    data = form[field].data or []
    chosen = [f for f in data if isinstance(f, FileStorage) and f.filename]
    limit = int(current_app.config["ATTACHMENT_MAX_FILES"])
    if len(chosen) > limit:
        raise files.FileRejected(
            _("Choose at most %(limit)s files at a time.", limit=limit), "too_many"
        )
    return [(f.stream, f.filename) for f in chosen]


def error_text(error: Exception) -> str:
    """Return a workflow or file error as the form shows it (naming the file when known)."""
    message = str(getattr(error, "message", error))
    name = getattr(error, "filename", None)
    return f"{name}: {message}" if name else message


def limits_text(right: str) -> str:
    """Return the upload limits as the attach form states them, in the page's language."""
    config = current_app.config
    if right == RequestRight.portability:
        types = "JSON, CSV"
    else:
        types = ", ".join(
            t.strip().upper() for t in str(config["ATTACHMENT_TYPES"]).split(",") if t.strip()
        )
    return _(
        "Accepted: %(types)s; at most %(size)s MB per file and %(count)s files at a time.",
        types=types,
        size=config["ATTACHMENT_MAX_MB"],
        count=config["ATTACHMENT_MAX_FILES"],
    )


def stream(attachment: Attachment) -> Response:
    """Return a streamed, decrypted download of an attachment."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    chunks = files.read_chunks(app, files.app_keys(app), attachment)
    response = Response(chunks, mimetype=attachment.media_type)
    response.headers["Content-Length"] = str(attachment.size)
    response.headers["Content-Disposition"] = _disposition(attachment.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


def _disposition(filename: str) -> str:
    """Return an attachment Content-Disposition with an ASCII fallback and the UTF-8 name."""
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename
    )
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
