"""Public receipt check: anyone uploads a receipt (PDF or JSON) or pastes it, and gets a verdict.

The verdict is one of three: the receipt is authentic, it is not valid (it was checked and failed:
changed, or holding fields the signature does not cover), or the file is not a receipt at all (a
PDF without one embedded, an empty or binary file), which is said as such, not as tampering.

The check uses the portal's own public key, the one published with the notice site. The page is a
POST form, not a link with the receipt in it, because a receipt holds personal data and personal
data never goes into a URL (ASVS 14.2.1). Nothing is stored and only the outcome code is logged.
Input is size-limited and type-checked before it is parsed (ASVS 5.2.x).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask, Response, current_app, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import TextAreaField
from wtforms.validators import Length, Optional

from portal.core import consent_receipt, content, keys, seal
from portal.core.paths import PUBLIC_KEY_PATH
from portal.core.receipt_file import (
    MAX_JSON_BYTES,
    MAX_PDF_BYTES,
    NotAReceipt,
    is_pdf,
    load_receipt,
)
from portal.web import bodylimits
from portal.web.forms import TextForm
from portal.web.i18n import current_language

bp = Blueprint("verify", __name__)
log = logging.getLogger(__name__)

LANG = "<any(fi,en,sv):lang>"

REASONS: dict[str, Any] = {
    "ok": _l(
        "The signature and the digest are valid, and nothing in the receipt has been changed."
    ),
    "digest": _l("The signed content does not match its digest: the receipt has been changed."),
    "signature": _l("The signature is not valid for this content: the receipt has been changed."),
    "key": _l("The receipt names a signing key that is not ours."),
    "shown": _l("The dates or details shown in the receipt differ from what was signed."),
    "unsigned": _l(
        "The receipt holds information that our signature does not cover, so it has been changed."
    ),
    "unsupported": _l("This receipt version or signature algorithm is not known."),
    "malformed": _l("A part of the receipt is missing or has the wrong form."),
    "not_receipt": _l("The file has no signed content of a receipt."),
    "bad_key": _l("Our public key cannot be read. Please contact us."),
}
"""What each `VerifyResult.code` means, for people."""

NOT_A_RECEIPT: dict[str, Any] = {
    "empty": _l("The file is empty."),
    "too_large": _l("The file is too large to be a receipt."),
    "not_json": _l("The file is neither a receipt PDF nor the text of a receipt (JSON)."),
    "bad_pdf": _l("The PDF cannot be read."),
    "no_receipt_in_pdf": _l(
        "The PDF holds no signed receipt. Use the receipt PDF we sent you, or its JSON file."
    ),
    "several_in_pdf": _l("The PDF holds more than one JSON file, so we cannot tell the receipt."),
}
"""Why an input is not a receipt, for people (`NotAReceipt.code`)."""

STATUS = {"authentic": 200, "invalid": 200, "not_receipt": 400, "unchecked": 500}
"""HTTP status of each verdict: a refused receipt is a checked one, not a client error."""


class VerifyForm(TextForm):
    """A receipt as an uploaded file (PDF or JSON) or as pasted text."""

    receipt_file = FileField(_l("Receipt file (PDF or JSON)"))
    receipt_text = TextAreaField(
        _l("Or paste the text of the receipt"),
        validators=[
            Optional(),
            Length(max=MAX_JSON_BYTES, message=_l("This is too long to be a receipt.")),
        ],
    )


@dataclass(frozen=True)
class Checked:
    """What the page says about a submission: the verdict, its message, and the signed details."""

    verdict: str
    code: str
    message: Any
    details: dict[str, Any] | None = None
    from_pdf: bool = False


class Refused(Exception):
    """The submission cannot be checked; `status` is the HTTP status to answer with."""

    def __init__(self, message: Any, status: int) -> None:
        super().__init__(str(message))
        self.message = message
        self.status = status


def submitted_bytes(form: VerifyForm) -> bytes:
    """Return the uploaded file's bytes or the pasted text as UTF-8, or raise Refused."""
    upload = form.receipt_file.data
    if isinstance(upload, FileStorage) and upload.filename:
        return bytes(upload.stream.read(MAX_PDF_BYTES + 1))
    if form.receipt_text.data:
        # A pasted lone surrogate cannot be UTF-8: the browser never sends one, so not a receipt.
        return form.receipt_text.data.encode("utf-8", "surrogatepass")
    raise Refused(_l("Choose the receipt file or paste its text."), 400)


def check(app: Flask, raw: bytes, lang: str) -> Checked:
    """Check a receipt's bytes (PDF or JSON) with the key it names, or our current key."""
    try:
        document = load_receipt(raw)
    except NotAReceipt as exc:
        return Checked("not_receipt", exc.code, NOT_A_RECEIPT[exc.code])
    # The key the receipt names, if it is one of ours (current or retired).
    named = document.get("key_id") if isinstance(document, dict) else None
    if consent_receipt.is_consent_receipt(document):
        stamp = document.get("seal")
        named = stamp.get("key_id") if isinstance(stamp, dict) else None
        pem = keys.public_key_for(app, named) or seal.app_key(app).public_pem()
        result = consent_receipt.verify_receipt(document, pem)
        details = consent_details(document) if result.ok else None
        return Checked(result.verdict, result.code, REASONS[result.code], details, is_pdf(raw))
    pem = keys.public_key_for(app, named) or seal.app_key(app).public_pem()
    result = seal.verify_receipt(document, pem)
    details = signed_details(document, lang) if result.ok else None
    return Checked(result.verdict, result.code, REASONS[result.code], details, is_pdf(raw))


COOKIE_CATEGORIES: dict[str, Any] = {
    "necessary": _l("Necessary"),
    "preferences": _l("Preferences"),
    "analytics": _l("Analytics"),
    "marketing": _l("Marketing"),
}
"""Cookie categories as a consent receipt names them, for people."""


def consent_details(document: dict[str, Any]) -> dict[str, Any]:
    """Return what an authentic consent receipt vouches for: id, latest choice, what was
    withdrawn and when, revision."""
    events = document["consent_events"]
    last = events[-1]
    return {
        "consent_id": document["record_id"],
        "time": dt.datetime.fromisoformat(last["time"]),
        "accepted": [str(COOKIE_CATEGORIES.get(c, c)) for c in last["accepted"]],
        "withdrawn": [
            (str(COOKIE_CATEGORIES.get(category, category)), withdrawn_at)
            for category, withdrawn_at in withdrawals(events)
        ],
        "revision": document["notice"]["revision"],
    }


def withdrawals(events: list[dict[str, Any]]) -> list[tuple[str, dt.datetime]]:
    """Return each category given in an event and refused in every event since, with the time
    of the first of those refusals (when the consent was withdrawn)."""
    given: dict[str, dt.datetime | None] = {}
    for event in events:
        for category in event["accepted"]:
            given[category] = None
        for category in event["refused"]:
            if category in given and given[category] is None:
                given[category] = dt.datetime.fromisoformat(event["time"])
    return sorted(
        ((category, at) for category, at in given.items() if at is not None),
        key=lambda item: (item[1], item[0]),
    )


def signed_details(document: dict[str, Any], lang: str) -> dict[str, Any]:
    """Return what an authentic receipt vouches for, typed for the page's date formats.

    The receipt of an answer (`kind` "answer") also vouches for the decision and when it was
    made: those are read from the signed payload, since the receipt shows them nowhere else.
    """
    received_at, due_on = document["received_at"], document["due_on"]
    details: dict[str, Any] = {
        "reference": document["reference"],
        "right": document["right"],
        "register": content.register_name(document["register"], lang),
        "received_at": dt.datetime.fromisoformat(received_at) if received_at else None,
        "due_on": dt.date.fromisoformat(due_on) if due_on else None,
        "files": document.get("files"),
        "answer": document.get("kind") == seal.ANSWER_KIND,
        # What the receipt letter prints: a person matches the file checked to their letter.
        "fingerprint": seal.fingerprint(document["digest"]),
    }
    if details["answer"]:
        signed = json.loads(document["payload"])
        decided_at = signed.get("decided_at")
        details["decision"] = signed.get("decision")
        details["decided_at"] = dt.datetime.fromisoformat(decided_at) if decided_at else None
    return details


@bp.get("/verify")
def verify_any_language() -> ResponseReturnValue:
    """Send a visitor who typed the address without a language to the page in theirs."""
    return redirect(url_for(".verify", lang=current_language()))


@bp.route(f"/{LANG}/verify", methods=["GET", "POST"])
def verify(lang: str) -> ResponseReturnValue:
    """Show the verify form; on POST, check the receipt and give the verdict."""
    form = VerifyForm()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    key = seal.app_key(app)
    checked: Checked | None = None
    error: Any = None
    status = 200
    if form.validate_on_submit():
        try:
            checked = check(app, submitted_bytes(form), lang)
        except Refused as refused:
            error, status = refused.message, refused.status
        else:
            status = 413 if checked.code == "too_large" else STATUS[checked.verdict]
            log.info("receipt check: %s %s", checked.verdict, checked.code)
    elif form.is_submitted():
        status = 413 if form.receipt_text.errors else 400
    return (
        render_template(
            "portal/verify/verify.html",
            form=form,
            checked=checked,
            error=error,
            key_id=key.key_id,
            key_url=public_key_url(),
            contact_email=contact_email(),
        ),
        status,
    )


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_exc: RequestEntityTooLarge) -> ResponseReturnValue:
    """Answer a body over the page's limit (refused unread) with the page's own verdict."""
    bodylimits.forget_body()
    key = seal.app_key(current_app._get_current_object())  # type: ignore[attr-defined]
    checked = Checked("not_receipt", "too_large", NOT_A_RECEIPT["too_large"])
    page = render_template(
        "portal/verify/verify.html",
        form=VerifyForm(),
        checked=checked,
        error=None,
        key_id=key.key_id,
        key_url=public_key_url(),
    )
    return page, 413


def contact_email() -> str | None:
    """Return the address a person whose receipt failed the check can write to, or None when
    the content gives none (or cannot be read)."""
    try:
        return content.contact_email()
    except Exception:  # noqa: BLE001 - the page goes on without the address
        return None


def public_key_url() -> str:
    """Return the public key's published address, `/.well-known/seloste/receipt-key.pem` of the
    notice site (as README and the letters give it), or this portal's copy when the content cannot
    be read."""
    try:
        site = content.content().site
    except Exception:  # noqa: BLE001 - the page goes on with the portal's own copy
        return url_for("verify.public_key")
    return site.base_url.rstrip("/") + "/" + PUBLIC_KEY_PATH


@bp.get("/receipt-key.pem")
def public_key() -> Response:
    """Serve the public key that verifies receipts (PEM), the same one the notice site publishes."""
    key = seal.app_key(current_app._get_current_object())  # type: ignore[attr-defined]
    return Response(
        key.public_pem(),
        mimetype="application/x-pem-file",
        headers={"Content-Disposition": 'attachment; filename="receipt-key.pem"'},
    )
