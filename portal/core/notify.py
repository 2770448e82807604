"""What a person is owed about their request: the letter, and an e-mail that carries it.

Every e-mail about a request shows the same few facts (reference, right, register, controller)
and the person's signed status link; no more personal data than that.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal.core import content, labels, letters, links, mail, tokens
from portal.core.models import DataRequest, OutboxMessage


def status_links(request: DataRequest) -> dict[str, str | None]:
    """Return the person's signed status, receipt and JSON receipt links (None: no intake)."""
    if not links.has_endpoint("intake.status"):
        return {"status_url": None, "receipt_url": None, "receipt_json_url": None}
    values = {
        "lang": request.language,
        "token": tokens.make_token(tokens.Purpose.status, request.reference),
    }
    return {
        "status_url": links.public_url("intake.status", **values),
        "receipt_url": links.public_url("intake.receipt", **values),
        "receipt_json_url": links.public_url("intake.receipt_json", **values),
    }


def mail_context(request: DataRequest) -> dict[str, Any]:
    """Return what every e-mail about a request may show (no more personal data than needed)."""
    return {
        "reference": request.reference,
        "right": request.right,
        "right_title": labels.RIGHTS[request.right].long,
        "register_name": content.register_name(request.register_id, request.language),
        "controller": content.controller_name(),
    }


def authority_context(language: str) -> dict[str, Any]:
    """Return the supervisory authority's name and web address from the content, in `language`."""
    authority = content.content().site.supervisory_authority
    if authority is None:
        return {"authority_name": _l("the data protection authority"), "authority_url": None}
    return {
        "authority_name": content.text(authority.name, language),
        "authority_url": authority.url,
    }


def send_letter(
    session: Session, request: DataRequest, kind: str, letter_context: dict[str, Any], **extra: Any
) -> OutboxMessage:
    """Issue the `kind` letter and queue its e-mail to the person with the PDF attached."""
    letter = letters.issue_letter(session, request, kind, **letter_context)
    return mail.enqueue(
        session,
        to=request.email,
        template=kind,
        language=request.language,
        context=mail_context(request) | {"status_url": status_links(request)["status_url"]} | extra,
        attachments=[letters.letter_attachment(letter, request.reference)],
        request_id=request.id,
    )
