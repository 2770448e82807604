"""What a person is owed about their request: the letter, and an e-mail that carries it.

Every e-mail about a request shows the same few facts (reference, right, register, controller)
and the person's signed status link; no more personal data than that. A letter is stored as
HTML with the action that issues it; its PDF is made after that action has committed
(`deliver_letters`), and the e-mail that carries the PDF is held until then.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.core import audit, content, letters, links, mail, tokens
from portal.core.models import DataRequest, Letter, OutboxMessage

log = logging.getLogger(__name__)

MAX_PDF_ATTEMPTS = 5
"""Attempts to make a letter's PDF before it waits for staff (the audit trail says why)."""


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


def authority_context(language: str) -> dict[str, Any]:
    """Return the supervisory authority's name and web address from the content, in `language`."""
    authority = content.content().site.supervisory_authority
    if authority is None:
        return {"authority_name": _l("the data protection authority"), "authority_url": None}
    return {
        "authority_name": content.text(authority.name, language),
        "authority_url": content.text(authority.url, language) or None,
    }


def send_letter(
    session: Session, request: DataRequest, kind: str, letter_context: dict[str, Any], **extra: Any
) -> OutboxMessage | None:
    """Issue the `kind` letter and queue its e-mail, held until `deliver_letters` adds the PDF.

    A request entered by staff without an e-mail address gets the letter only (None): staff
    print and post its PDF.
    """
    letter = letters.issue_letter(session, request, kind, **letter_context)
    if not request.email:
        return None
    return mail.enqueue(
        session,
        to=request.email,
        template=kind,
        language=request.language,
        context=mail.mail_context(request)
        | {"status_url": status_links(request)["status_url"]}
        # Art 21(3): the receipt e-mail says, as its letter does, that the objection to direct
        # marketing already took effect; not only that an answer comes by the due date.
        | ({"direct_marketing": request.is_direct_marketing_objection} if kind == "receipt" else {})
        | extra,
        request_id=request.id,
        letter=letter,
    )


@dataclass
class DeliveryReport:
    """What one `deliver_letters` run did: PDFs made, PDFs that failed, e-mails released."""

    rendered: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    released: list[int] = field(default_factory=list)
    """Outbox ids now pending, their PDF attached."""


def deliver_letters(
    sessions: Callable[[], Session], *, request_id: int | None = None, limit: int = 50
) -> DeliveryReport:
    """Make the PDFs of letters that have none, attach them to their held e-mails, and commit.

    Runs after the action that issued the letters has committed, each letter in a short
    transaction of its own, so a slow or failing PDF never holds a lock, a request or a person.
    A failure is recorded on the letter (`pdf_error`, an audit event staff see) and retried by
    the next run, up to MAX_PDF_ATTEMPTS; the HTML letter and receipt work meanwhile.
    """
    report = DeliveryReport()
    with sessions() as session:
        query = (
            select(Letter.id)
            .where(Letter.sha256.is_(None), Letter.pdf_attempts < MAX_PDF_ATTEMPTS)
            .order_by(Letter.id)
            .limit(limit)
        )
        if request_id is not None:
            query = query.where(Letter.request_id == request_id)
        for letter_id in session.scalars(query).all():
            letter = session.get(Letter, letter_id, populate_existing=True)
            if letter is None or letter.sha256 is not None or not letter.html:
                session.rollback()
                continue
            request = letter.request
            kind, html, language = letter.kind, letter.html, letter.language
            session.expunge_all()
            session.rollback()  # no transaction, and so no lock on any database, while rendering
            try:
                pdf = letters.letter_pdf(kind, html, language, request)
            except Exception as exc:  # noqa: BLE001 - any failure is recorded and retried
                _record_failure(session, letter_id, exc)
                report.failed.append(letter_id)
                continue
            claimed = session.execute(
                update(Letter)
                .where(Letter.id == letter_id, Letter.sha256.is_(None))
                .values(pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(), pdf_error=None)
                .execution_options(synchronize_session=False)
            )
            if claimed.rowcount != 1:  # another sender made it first
                session.rollback()
                continue
            letter = session.get(Letter, letter_id, populate_existing=True)
            assert letter is not None
            attachment = letters.letter_attachment(letter, letter.request.reference)
            report.released += mail.release_held(session, letter, attachment)
            session.commit()
            report.rendered.append(letter_id)
    return report


def _record_failure(session: Session, letter_id: int, exc: Exception) -> None:
    """Count a failed PDF on the letter and tell staff through the audit trail."""
    letter = session.get(Letter, letter_id, populate_existing=True)
    if letter is None:
        return
    # The class only: an error's text may quote the letter, and with it personal data.
    letter.pdf_error = type(exc).__name__[:200]
    letter.pdf_attempts = (letter.pdf_attempts or 0) + 1
    # The operator's log says it too (the e-mail waits for the PDF), with the class only.
    log.warning(
        "letters: the PDF of letter %s failed (%s), attempt %s; its e-mail waits for it",
        letter.id,
        letter.pdf_error,
        letter.pdf_attempts,
    )
    audit.record(
        session,
        action="letter.pdf_failed",
        actor="system",
        request_id=letter.request_id,
        detail=f"letter={letter.id} attempt={letter.pdf_attempts} error={letter.pdf_error}",
    )
    session.commit()
