"""The answer a person downloads: files delivered with the decision, sealed, behind a code.

When an access or portability request is decided, its staff-attached files are delivered: they
may be downloaded for `DOWNLOAD_DAYS` and the answer is sealed like the request (canonical JSON
naming the decision and every file's name, size and SHA-256, signed with the receipt key), so the
person can prove what they were given. A download needs the signed status link *and* a fresh
one-time code e-mailed to the request's address (`issue_code`, `redeem_code`): a forwarded or
leaked link alone opens nothing. Every download is an audit event; `purge_files` deletes expired
files and any encrypted file that no row names.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.core import audit, files, filestore, mail, seal
from portal.core.models import (
    Attachment,
    AttachmentPurpose,
    DataRequest,
    DownloadCode,
    OutboxMessage,
    utcnow,
)

ANSWER_VERSION = seal.RECEIPT_VERSION
"""An answer's receipt has the request receipt's format plus `kind` and `files`, so the same
verifier (the portal's verify page, `seal.verify_receipt`) checks both."""
CODE_DIGITS = 8
CODE_MAX_ATTEMPTS = 5
ORPHAN_GRACE = dt.timedelta(hours=1)
"""An encrypted file no row names is deleted only after this: its upload may still commit."""


def aware(value: dt.datetime) -> dt.datetime:
    """Return `value` as aware UTC (SQLite hands back naive datetimes)."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def answer_files(request: DataRequest) -> list[Attachment]:
    """Return the staff's answer files of a request, oldest first."""
    return [a for a in request.attachments if a.purpose == AttachmentPurpose.answer]


def downloadable(request: DataRequest, now: dt.datetime | None = None) -> list[Attachment]:
    """Return the delivered answer files the person may download now."""
    now = now or utcnow()
    return [
        a
        for a in answer_files(request)
        if a.delivered_at is not None
        and a.purged_at is None
        and a.expires_at is not None
        and aware(a.expires_at) > now
    ]


def deliver(
    session: Session, request: DataRequest, *, days: int, now: dt.datetime
) -> list[Attachment]:
    """Deliver the undelivered answer files with the decision: downloadable for `days` days."""
    delivered = [a for a in answer_files(request) if a.delivered_at is None]
    for attachment in delivered:
        attachment.delivered_at = now
        attachment.expires_at = now + dt.timedelta(days=days)
    session.flush()
    return delivered


def answer_content(request: DataRequest, delivered: list[Attachment]) -> dict[str, Any]:
    """Return what the answer's seal covers: request, decision, and each file's name and digest."""
    return {
        "version": ANSWER_VERSION,
        "reference": request.reference,
        "right": request.right,
        "register": request.register_id,
        "received_at": seal.iso_time(request.received_at),
        # The due date the person was told last: an extension (Art 12(3)) moves it.
        "due_on": seal.iso_date(request.effective_due),
        "request_digest": request.seal_digest,
        "decision": request.decision,
        "decided_at": seal.iso_time(request.decided_at),
        "files": [
            {
                "name": a.filename,
                "media_type": a.media_type,
                "size": a.size,
                "sha256": a.sha256,
                "available_until": seal.iso_time(a.expires_at),
            }
            for a in delivered
        ],
    }


def seal_answer(request: DataRequest, delivered: list[Attachment], key: seal.SigningKey) -> None:
    """Sign the answer's content and keep payload, signature and key id on the request."""
    payload = seal.canonical_json(answer_content(request, delivered))
    request.answer_payload = payload.decode("utf-8")
    request.answer_signature = base64.b64encode(key.sign(payload)).decode("ascii")
    request.answer_key_id = key.key_id


def answer_receipt(request: DataRequest) -> dict[str, Any]:
    """Return the person's receipt of the answer (payload, digest, signature, key id)."""
    if not request.answer_payload:
        raise ValueError("the answer has not been sealed")
    payload = request.answer_payload.encode("utf-8")
    content = json.loads(payload)
    return {
        "version": ANSWER_VERSION,
        "kind": "answer",
        # The fields a verifier compares with the payload (`seal.verify_receipt`), as shown.
        **{shown: content[field] for shown, field in seal.SHOWN_FIELDS},
        "files": content["files"],
        "payload": request.answer_payload,
        "digest": seal.digest(payload),
        "signature": request.answer_signature,
        "key_id": request.answer_key_id,
        "algorithm": seal.ALGORITHM,
    }


def verify_answer(request: DataRequest, public_key: Any) -> bool:
    """Return whether the stored answer seal is intact under `public_key`."""
    if not (request.answer_payload and request.answer_signature):
        return False
    try:
        public_key.verify(
            base64.b64decode(request.answer_signature), request.answer_payload.encode("utf-8")
        )
    except Exception:  # noqa: BLE001 - any failure means "not verified"
        return False
    return request.answer_key_id == seal.key_id(public_key)


# --- one-time download codes -------------------------------------------------------------------


def _code_hash(secret: str, request_id: int, code: str) -> str:
    message = f"{request_id}:{code}".encode()
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def issue_code(
    session: Session, request: DataRequest, *, secret: str, minutes: int, now: dt.datetime
) -> str:
    """Store a new one-time code for the request's downloads and return it (the caller mails it)."""
    code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
    session.add(
        DownloadCode(
            request_id=request.id,
            code_hash=_code_hash(secret, request.id, code),
            created_at=now,
            expires_at=now + dt.timedelta(minutes=minutes),
            attempts=0,
        )
    )
    session.flush()
    audit.record(
        session, action="download.code_sent", actor="subject", request_id=request.id, now=now
    )
    return code


def redeem_code(
    session: Session, request: DataRequest, code: str, *, secret: str, now: dt.datetime
) -> bool:
    """Use up a live code of this request if `code` is it; count every try against every code.

    Each try is counted before it is compared, by one `UPDATE … RETURNING` over the request's
    unused, unexpired codes: parallel tries each get their own count, and a code is compared only
    by the first `CODE_MAX_ATTEMPTS` tries that reach it. The code is spent by a conditional
    UPDATE, so two tabs sending the same code get one success.
    """
    typed = "".join(ch for ch in (code or "") if ch.isdigit())
    counted = session.execute(
        update(DownloadCode)
        .where(
            DownloadCode.request_id == request.id,
            DownloadCode.used_at.is_(None),
            DownloadCode.expires_at > now,
        )
        .values(attempts=DownloadCode.attempts + 1)
        .returning(DownloadCode.id, DownloadCode.code_hash, DownloadCode.attempts)
        .execution_options(synchronize_session=False)
    ).all()
    wanted = _code_hash(secret, request.id, typed)
    for code_id, code_hash, attempts in counted:
        if attempts <= CODE_MAX_ATTEMPTS and hmac.compare_digest(code_hash, wanted):
            spent = session.execute(
                update(DownloadCode)
                .where(DownloadCode.id == code_id, DownloadCode.used_at.is_(None))
                .values(used_at=now)
                .execution_options(synchronize_session=False)
            )
            if spent.rowcount == 1:
                audit.record(
                    session,
                    action="download.code_confirmed",
                    actor="subject",
                    request_id=request.id,
                    now=now,
                )
                return True
    audit.record(
        session, action="download.code_refused", actor="subject", request_id=request.id, now=now
    )
    session.flush()
    return False


def record_download(
    session: Session, attachment: Attachment, now: dt.datetime | None = None
) -> None:
    """Record that the person downloaded a file (names it by id and digest, no file name)."""
    audit.record(
        session,
        action="attachment.downloaded",
        actor="subject",
        request_id=attachment.request_id,
        detail=f"attachment={attachment.id} sha256={attachment.sha256[:16]}",
        now=now,
    )


# --- purge -------------------------------------------------------------------------------------


@dataclass
class FilePurgeReport:
    """How many expired files and unreferenced encrypted files a purge deleted."""

    expired: int = 0
    orphans: int = 0


def purge_files(
    session: Session, instance_path: Path | str, *, now: dt.datetime | None = None
) -> FilePurgeReport:
    """Delete expired answer files (rows kept, marked purged), every file of an anonymised
    request, and encrypted files that no row names."""
    now = now or utcnow()
    report = FilePurgeReport()
    expired = session.scalars(
        select(Attachment).where(
            Attachment.purged_at.is_(None),
            Attachment.expires_at.is_not(None),
            Attachment.expires_at < now,
        )
    ).all()
    for attachment in expired:
        files.discard_file(session, attachment, instance_path)
        attachment.purged_at = now
        audit.record(
            session,
            action="attachment.purged",
            actor="system",
            request_id=attachment.request_id,
            detail=f"attachment={attachment.id} expired",
            now=now,
        )
        report.expired += 1
    anonymised = session.scalars(
        select(Attachment)
        .join(DataRequest, DataRequest.id == Attachment.request_id)
        .where(DataRequest.anonymised_at.is_not(None), Attachment.filename != "")
    ).all()
    for attachment in anonymised:
        # The request's retention ended: its files go, and their names (personal data too).
        files.discard_file(session, attachment, instance_path)
        attachment.purged_at = attachment.purged_at or now
        attachment.filename = ""
        report.expired += 1
    session.commit()
    known = set(session.scalars(select(Attachment.storage_name)))
    database = filestore.DatabaseStore(session)
    # A file no row names is an upload whose request was never committed.
    orphans = sorted(database.names() - known)
    for name in orphans:
        database.delete(name)
    session.commit()
    report.orphans += len(orphans)
    folder = Path(instance_path) / files.FILES_DIR
    if folder.is_dir():
        for path in folder.iterdir():
            if path.name in known:
                continue
            modified = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
            if now - modified > ORPHAN_GRACE:
                path.unlink(missing_ok=True)
                report.orphans += 1
    return report


def send_code(
    session: Session, request: DataRequest, *, secret: str, minutes: int, now: dt.datetime
) -> OutboxMessage:
    """Issue a one-time code and queue the e-mail that carries it (the caller commits)."""
    code = issue_code(session, request, secret=secret, minutes=minutes, now=now)
    return mail.enqueue(
        session,
        to=request.email,
        template="download_code",
        language=request.language,
        context=mail.mail_context(request) | {"code": code, "valid_minutes": minutes},
        request_id=request.id,
    )
