"""Public receipt check: anyone uploads or pastes a receipt and learns whether it is authentic.

The check uses the portal's own public key, the one published with the notice site. The page is a
POST form, not a link with the receipt in it, because a receipt holds personal data and personal
data never goes into a URL (ASVS 14.2.1). Nothing is stored and only the outcome code is logged.
Input is size-limited and type-checked before it is parsed (ASVS 5.2.x).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from flask import Blueprint, Response, current_app, render_template
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms import TextAreaField
from wtforms.validators import Length, Optional

from portal.core import keys, seal

bp = Blueprint("verify", __name__)
log = logging.getLogger(__name__)

LANG = "<any(fi,en,sv):lang>"
MAX_RECEIPT_BYTES = 32 * 1024
"""A receipt is 1–10 KiB (the payload holds the request's free text); anything larger is not one."""

ACCEPTED_TYPES = frozenset({"application/json", "text/plain", "application/octet-stream", ""})
"""Upload types a browser may give a `.json` file; the content must still parse as a receipt."""

REASONS: dict[str, Any] = {
    "ok": _l(
        "The signature and the digest are valid, and nothing in the receipt has been changed."
    ),
    "digest": _l("The signed content does not match its digest: the receipt has been changed."),
    "signature": _l("The signature is not valid for this content: the receipt has been changed."),
    "key": _l("The receipt names a signing key that is not ours."),
    "shown": _l("The dates or details shown in the receipt differ from what was signed."),
    "unsupported": _l("This receipt version or signature algorithm is not known."),
    "malformed": _l("This is not a receipt: a field is missing or has the wrong type."),
    "bad_key": _l("Our public key cannot be read. Please contact us."),
}
"""What each `VerifyResult.code` means, for people."""


class VerifyForm(FlaskForm):
    """A receipt as an uploaded file or as pasted text."""

    receipt_file = FileField(_l("Receipt file (.json)"))
    receipt_text = TextAreaField(
        _l("Or paste the text of the receipt"),
        validators=[
            Optional(),
            Length(max=MAX_RECEIPT_BYTES, message=_l("This is too long to be a receipt.")),
        ],
    )


class Refused(Exception):
    """The submission cannot be checked; `status` is the HTTP status to answer with."""

    def __init__(self, message: Any, status: int) -> None:
        super().__init__(str(message))
        self.message = message
        self.status = status


def submitted_receipt(form: VerifyForm) -> Any:
    """Return the submitted receipt as parsed JSON, or raise Refused."""
    upload = form.receipt_file.data
    if isinstance(upload, FileStorage) and upload.filename:
        mimetype = (upload.mimetype or "").lower()
        if mimetype not in ACCEPTED_TYPES or not upload.filename.lower().endswith(".json"):
            raise Refused(_l("Choose the receipt's .json file."), 415)
        raw = upload.stream.read(MAX_RECEIPT_BYTES + 1)
    elif form.receipt_text.data:
        raw = form.receipt_text.data.encode("utf-8")
    else:
        raise Refused(_l("Choose the receipt file or paste its text."), 400)
    if len(raw) > MAX_RECEIPT_BYTES:
        raise Refused(_l("This is too long to be a receipt."), 413)
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise Refused(_l("This is not a receipt: it is not JSON text."), 400) from None


@bp.route(f"/{LANG}/verify", methods=["GET", "POST"])
def verify(lang: str) -> ResponseReturnValue:
    """Show the verify form; on POST, check the receipt and say whether it is authentic."""
    form = VerifyForm()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    key = seal.app_key(app)
    result: seal.VerifyResult | None = None
    error: Any = None
    status = 200
    if form.validate_on_submit():
        try:
            document = submitted_receipt(form)
        except Refused as refused:
            error, status = refused.message, refused.status
        else:
            # The key the receipt names, if it is one of ours (current or retired).
            named = document.get("key_id") if isinstance(document, dict) else None
            pem = keys.public_key_for(app, named) or key.public_pem()
            result = seal.verify_receipt(document, pem)
            if result.code == "malformed":
                status = 400
            log.info("receipt check: %s", result.code)
    elif form.is_submitted():
        status = 413 if form.receipt_text.errors else 400
    return (
        render_template(
            "portal/verify/verify.html",
            form=form,
            result=result,
            message=REASONS.get(result.code) if result is not None else None,
            error=error,
            key_id=key.key_id,
        ),
        status,
    )


@bp.get("/receipt-key.pem")
def public_key() -> Response:
    """Serve the public key that verifies receipts (PEM), the same one the notice site publishes."""
    key = seal.app_key(current_app._get_current_object())  # type: ignore[attr-defined]
    return Response(
        key.public_pem(),
        mimetype="application/x-pem-file",
        headers={"Content-Disposition": 'attachment; filename="receipt-key.pem"'},
    )
