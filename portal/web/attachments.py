"""Uploads and downloads of a request's files over HTTP: limits, form data, streamed responses.

The checks and the encryption are `portal.core.files`; this module only fits them to HTTP. How
much of a body is read, and on which routes files may come at all, is `portal.web.bodylimits`. A
download streams the decrypted chunks, never the whole file, and says `no-store`.
"""

from __future__ import annotations

from typing import IO, Any
from urllib.parse import quote

from flask import Response, current_app, request
from flask_babel import gettext as _
from werkzeug.datastructures import CombinedMultiDict, FileStorage

from portal.config import current_settings
from portal.core import files
from portal.core.models import Attachment, RequestRight


def upload_formdata() -> CombinedMultiDict[str, Any]:
    """Return the form fields and the uploaded files together, as a form reads them."""
    return CombinedMultiDict((request.files, request.form))


def uploads(form: Any, field: str = "files") -> list[tuple[IO[bytes], str | None]]:
    """Return the (stream, name) of each file chosen in a form's file field.

    Too many files are refused here, before any is read.
    """
    data = form[field].data or []
    chosen = [f for f in data if isinstance(f, FileStorage) and f.filename]
    limit = current_settings().attachment_max_files
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
    settings = current_settings()
    if right == RequestRight.portability:
        types = "JSON, CSV"
    else:
        types = ", ".join(name.upper() for name in settings.attachment_type_names)
    return _(
        "Accepted: %(types)s; at most %(size)s MB per file and %(count)s files at a time.",
        types=types,
        size=settings.attachment_max_mb,
        count=settings.attachment_max_files,
    )


def stream(attachment: Attachment) -> Response:
    """Return a streamed, decrypted download of an attachment."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    chunks = files.read_chunks(app, files.app_keys(app), attachment)
    response = Response(chunks, mimetype=attachment.media_type)
    response.headers["Content-Length"] = str(attachment.size)
    response.headers["Content-Disposition"] = disposition(attachment.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


def disposition(filename: str, kind: str = "attachment") -> str:
    """Return a Content-Disposition (`attachment` or `inline`) with an ASCII fallback and the
    UTF-8 name."""
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename
    )
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
