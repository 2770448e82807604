"""Portal tables: requests, their letters and notes, staff accounts, the outbox and the audit chain.

Requests have an integer key for fast keyset paging and an unguessable `reference` that people see;
nothing public ever takes the integer key.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    func,
    literal_column,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.identity import names
from portal.db import Base

NO_DUE = dt.date(9999, 12, 31)
"""What a request without a due date (not yet confirmed) sorts as: last."""
EFFECTIVE_DUE_SQL = f"coalesce(extended_due_on, due_on, '{NO_DUE.isoformat()}')"
"""The due date in force as SQL (no date sorts last); an indexed expression, so queries must use
exactly this text, which `EFFECTIVE_DUE` renders as."""

BY_POST_SQL = "email = '' AND anonymised_at IS NULL"
"""A request whose letters go by post: it has no e-mail address (staff entered it without one),
and it is not anonymised (retention empties every address, long after the letters went). The
condition of a partial index, so queries must say exactly this (`portal.core.postal.BY_POST`)."""


def utcnow() -> dt.datetime:
    """Return the current time in UTC (timezone-aware)."""
    return dt.datetime.now(dt.UTC)


class RequestRight(StrEnum):
    """Rights a person can exercise through the portal."""

    access = "access"
    rectification = "rectification"
    erasure = "erasure"
    restriction = "restriction"
    portability = "portability"
    objection = "objection"


class RequestStatus(StrEnum):
    """States of a request (transitions live in `portal.core.workflow`)."""

    unconfirmed = "unconfirmed"  # recorded, e-mail address not yet confirmed
    open = "open"  # confirmed: in the staff queue, the clock runs
    awaiting_info = "awaiting_info"  # staff asked the person for more information
    decided = "decided"  # granted, partly granted or refused; letter sent
    closed = "closed"  # nothing left to do; retention clock runs
    expired = "expired"  # never confirmed


ACTIVE_STATES = frozenset({RequestStatus.open, RequestStatus.awaiting_info})
"""States in which the clock runs and a request can be overdue."""


class Decision(StrEnum):
    """Outcome of a request."""

    granted = "granted"
    partly_granted = "partly_granted"
    refused = "refused"


class StaffRole(StrEnum):
    """What a staff account may do."""

    handler = "handler"
    admin = "admin"
    dpo = "dpo"
    """The data protection officer: reads the consent records and the queue; acts on no request."""


class DataRequest(Base):
    """A data-subject request, from submission to retention."""

    __tablename__ = "data_request"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    right: Mapped[str] = mapped_column(String(20))
    register_id: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(5))
    status: Mapped[str] = mapped_column(String(20), default=RequestStatus.unconfirmed)

    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    customer_number: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """Right-specific answers (what is wrong/right, objection choices, grounds, free text)."""
    signature_name: Mapped[str] = mapped_column(String(200))
    attested: Mapped[bool] = mapped_column(Boolean, default=False)

    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    received_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    """When the e-mail address was confirmed: the Art 12(3) clock starts here."""
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    """Strict one-month due date (Regulation 1182/71, Finnish holidays)."""
    extended_due_on: Mapped[dt.date | None] = mapped_column(Date)
    extension_reason: Mapped[str | None] = mapped_column(Text)
    paused_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    paused_days: Mapped[int] = mapped_column(Integer, default=0)
    """Days the clock was paused awaiting information (shown beside the strict date)."""

    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    decision: Mapped[str | None] = mapped_column(String(20))
    decision_reasons: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    anonymised_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    sealed_payload: Mapped[str | None] = mapped_column(Text)
    """Canonical JSON that was signed at confirmation."""
    seal_digest: Mapped[str | None] = mapped_column(String(64))
    seal_signature: Mapped[str | None] = mapped_column(String(128))
    seal_key_id: Mapped[str | None] = mapped_column(String(64))

    channel: Mapped[str] = mapped_column(String(16), default="web", server_default="web")
    """How the request arrived: web, post, phone, email or in_person (Art 12(3) runs from it)."""
    limit_ground: Mapped[str | None] = mapped_column(String(24))
    """Art 12(5): `manifestly_unfounded` or `excessive` when refused on that ground."""
    limit_facts: Mapped[str | None] = mapped_column(Text)
    """The facts that show the Art 12(5) ground (the controller bears the burden of proof)."""
    fee_cents: Mapped[int | None] = mapped_column(Integer)
    """Art 12(5)(a): the reasonable fee asked, in euro cents, after a clarification letter."""
    decision_actions: Mapped[str | None] = mapped_column(Text)
    """What was changed, erased or restricted, in the decision letter's words."""
    answer_payload: Mapped[str | None] = mapped_column(Text)
    """Canonical JSON of the answer (decision, letter and files with SHA-256), signed."""
    answer_signature: Mapped[str | None] = mapped_column(String(128))
    answer_key_id: Mapped[str | None] = mapped_column(String(64))

    assignee: Mapped[StaffUser | None] = relationship(lazy="joined")
    letters: Mapped[list[Letter]] = relationship(
        back_populates="request", order_by="Letter.id", cascade="all, delete-orphan"
    )
    notes: Mapped[list[RequestNote]] = relationship(
        order_by="RequestNote.id", cascade="all, delete-orphan"
    )
    notifications: Mapped[list[RecipientNotification]] = relationship(
        order_by="RecipientNotification.id", cascade="all, delete-orphan"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        order_by="Attachment.id", cascade="all, delete-orphan"
    )
    replies: Mapped[list[RequestReply]] = relationship(
        order_by="RequestReply.id", cascade="all, delete-orphan"
    )
    identity: Mapped[RequestIdentity | None] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def effective_due(self) -> dt.date | None:
        """Return the due date in force: the extended one if extended, else the strict one."""
        return self.extended_due_on or self.due_on

    @property
    def is_direct_marketing_objection(self) -> bool:
        """Return whether the request objects to direct marketing (absolute, Art 21(3))."""
        return (
            self.right == RequestRight.objection
            and (self.details or {}).get("objection_direct_marketing") is True
        )

    @property
    def name_differing_from_identity(self) -> str | None:
        """Return the name or signature typed when it is not the strongly identified person's.

        The request concerns the identified person; the name typed may differ legitimately (a
        married name) or be someone acting for them, which needs a mandate: staff check it.
        """
        if self.identity is None:
            return None
        return names.differing_name(self.identity.name, self.name, self.signature_name)

    @property
    def name_differs_from_identity(self) -> bool:
        """Return whether a name typed is not the strongly identified person's (see above)."""
        return self.name_differing_from_identity is not None

    __table_args__ = (
        # The queue: open work by due date, keyset-paged on (due_on, id).
        Index("ix_request_queue", "status", "due_on", "id"),
        # The staff queue sorts by the effective (extended or strict) due date; see 0002_staff.
        Index("ix_request_effective_due", "status", text(EFFECTIVE_DUE_SQL), "id"),
        Index(
            "ix_request_assignee_effective_due",
            "assignee_id",
            "status",
            text(EFFECTIVE_DUE_SQL),
            "id",
        ),
        Index("ix_request_assignee_queue", "assignee_id", "status", "due_on", "id"),
        Index("ix_request_register", "register_id", "status"),
        Index("ix_request_right", "right", "status"),
        Index("ix_request_email", "email"),
        # The duplicate check compares addresses case-blind, under the audit chain's lock.
        Index("ix_request_email_lower", func.lower(text("email"))),
        Index("ix_request_created", "status", "created_at"),
        # The letters to post (`core.postal`): the few requests without an address among many
        # (anonymised ones have none either). Partial, so it holds only those; on both columns of
        # its condition, so SQLite's planner prefers it to `ix_request_email` (one of them).
        Index(
            "ix_request_by_post",
            "email",
            "anonymised_at",
            sqlite_where=text(BY_POST_SQL),
            postgresql_where=text(BY_POST_SQL),
        ),
    )


EFFECTIVE_DUE = func.coalesce(
    DataRequest.extended_due_on, DataRequest.due_on, literal_column(f"'{NO_DUE.isoformat()}'")
)
"""`DataRequest.effective_due` in SQL; renders as `EFFECTIVE_DUE_SQL`, so the indexes are used."""


class Letter(Base):
    """A letter to the person (receipt, information request, extension, decision), kept as sent."""

    __tablename__ = "letter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("data_request.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(5))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    html: Mapped[str] = mapped_column(Text)
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)
    sha256: Mapped[str | None] = mapped_column(String(64))
    """SHA-256 of the PDF; None until the PDF is made (after the issuing action committed)."""
    pdf_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    pdf_error: Mapped[str | None] = mapped_column(String(200))
    """Why the last attempt to make the PDF failed (an error class, no personal data)."""
    posted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    """When staff marked the printed letter posted (a request without e-mail: `core.postal`)."""
    posted_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    """Who marked it posted."""

    request: Mapped[DataRequest] = relationship(back_populates="letters")

    __table_args__ = (
        Index("ix_letter_request", "request_id"),
        Index("ix_letter_pdf_pending", "sha256", "id"),
    )


class RequestIdentity(Base):
    """A strong identification of the person who made a request (never the identity number)."""

    __tablename__ = "request_identity"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("data_request.id", ondelete="CASCADE"), unique=True
    )
    method: Mapped[str] = mapped_column(String(20))
    provider: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))
    """The name the provider verified."""
    subject_hash: Mapped[str] = mapped_column(String(64), index=True)
    """HMAC-SHA-256 of the identity number under the instance key: the same person, recognised."""
    level: Mapped[str] = mapped_column(String(100), default="")
    """Level of assurance (the ID token's acr)."""
    identified_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class RequestNote(Base):
    """An internal staff note on a request (never shown to the person)."""

    __tablename__ = "request_note"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("data_request.id", ondelete="CASCADE"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    text: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_note_request", "request_id"),)


class RecipientNotification(Base):
    """Art 19: a rectification, erasure or restriction communicated to one recipient."""

    __tablename__ = "recipient_notification"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("data_request.id", ondelete="CASCADE"))
    recipient: Mapped[str] = mapped_column(String(300))
    outcome: Mapped[str] = mapped_column(String(20))  # "done", "not_received" or "impossible"
    reason: Mapped[str | None] = mapped_column(Text)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (Index("ix_notification_request", "request_id"),)


class AttachmentPurpose(StrEnum):
    """Why a file belongs to a request."""

    answer = "answer"  # staff's data copy, delivered with the decision
    reply = "reply"  # the person's answer to a request for information
    scan = "scan"  # a letter received by post, scanned by staff


class Attachment(Base):
    """A file of a request, stored encrypted in the database (`portal.core.files`)."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("data_request.id", ondelete="CASCADE"))
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    """Random id in download addresses; nothing public names a file by its integer key."""
    purpose: Mapped[str] = mapped_column(String(16))
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    """Sniffed from the content, never taken from the name or the browser."""
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_name: Mapped[str] = mapped_column(String(64))
    key_id: Mapped[str] = mapped_column(String(32))
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)
    """The file's own key, encrypted with the key-encryption key `key_id` (`g<generation>`, or the
    id of a file key in an older instance folder)."""
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    purged_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_attachment_request", "request_id", "purpose"),
        Index("ix_attachment_expiry", "purged_at", "expires_at"),
    )


class RequestReply(Base):
    """The person's answer to a request for information, written on the status page."""

    __tablename__ = "request_reply"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("data_request.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    text: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_reply_request", "request_id"),)


class DownloadCode(Base):
    """A one-time code e-mailed to the person before they may download their files."""

    __tablename__ = "download_code"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("data_request.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (Index("ix_download_code_request", "request_id", "id"),)


class StaffUser(Base):
    """A personal staff account (no shared or default accounts)."""

    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(20), default=StaffRole.handler)
    password_hash: Mapped[str] = mapped_column(String(255))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    """Time step of the last accepted TOTP code: a code is never accepted twice."""
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    """Bumped on logout-everywhere, password change and disablement: older sessions die."""
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    language: Mapped[str | None] = mapped_column(String(5))
    """The language of the staff pages this person last used: their e-mails (reminders, a
    person's reply) come in it. None until they first sign in."""


class StaffLoginAddress(Base):
    """Failed and successful sign-ins of one account from one client address (keyed by an HMAC
    of the address, never the address itself): the lock a stranger's guesses can set is theirs.

    An address that signed in successfully (`known_at`) keeps its own count; failures from
    addresses never seen succeed count on the account as well (`StaffUser.failed_logins`) and
    lock it for every address that is not known (portal.core.accounts).
    """

    __tablename__ = "staff_login_address"

    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), primary_key=True
    )
    address_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    known_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    """Last successful sign-in from this address (None: never)."""


class OutboxMessage(Base):
    """An e-mail waiting to be sent (or sent); the whole RFC 5322 message is stored."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("data_request.id", ondelete="SET NULL")
    )
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    message: Mapped[bytes] = mapped_column(LargeBinary)
    # held (waiting for its letter's PDF) | pending | sent | failed
    status: Mapped[str] = mapped_column(String(12), default="pending")
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("letter.id", ondelete="SET NULL"))
    """The letter whose PDF this message carries; a held message waits for it."""
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    recipe: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """What to compose (template, language, context) when the message is written by its sender
    (`mail.compose_stored`); None once `message` and `subject` hold it, and for messages composed
    when queued."""

    __table_args__ = (Index("ix_outbox_pending", "status", "next_attempt_at"),)


class AuditEvent(Base):
    """An append-only, hash-chained event: who did what to which request, with no personal data."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(20))  # staff | subject | system
    staff_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(64))
    request_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(String(500), default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    __table_args__ = (Index("ix_audit_request", "request_id", "id"),)


class AuditCheckpoint(Base):
    """The audit trail's length and head hash, signed with the receipt-signing key.

    Numbered 1, 2, 3 … under the chain's lock; written every `audit.CHECKPOINT_EVERY` events and
    by `portal audit verify`. Without the key no one can make one, so a trail cut short or
    rewritten no longer matches the checkpoints (portal.core.audit).
    """

    __tablename__ = "audit_checkpoint"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    event_count: Mapped[int] = mapped_column(Integer)
    head_hash: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(20))  # interval | verify
    key_id: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(100))


class RecordedSigningKey(Base):
    """The receipt-signing key every instance must hold: one row, written by the first start.

    Instances share one database but each has its own folder; a folder that made a key of its own
    would sign receipts that the others call "Not verified", so a start with another key stops.
    """

    __tablename__ = "recorded_signing_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1: one current key
    key_id: Mapped[str] = mapped_column(String(64))
    public_pem: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class FileChunk(Base):
    """One stored piece of an encrypted file (`portal.core.filestore`): piece 0 is the header
    (magic and nonce prefix), then one AES-GCM chunk per piece, in order."""

    __tablename__ = "file_chunk"

    storage_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class FileKeyGeneration(Base):
    """A key-encryption key that wraps file keys, itself wrapped by the instances' master key.

    The highest generation wraps new files; older ones stay until no file key names them
    (`portal.core.filekeys`)."""

    __tablename__ = "file_key_generation"

    generation: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    retired_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class SigningPublicKey(Base):
    """Every receipt-signing public key this portal has used, so every instance verifies every
    receipt it ever sealed (`portal.core.keys`)."""

    __tablename__ = "signing_public_key"

    key_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    public_pem: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    retired_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class ConsentRecord(Base):
    """One consent event of a visitor's browser (first choice, change, withdrawal), append-only
    and hash-chained like the audit trail (portal.core.consent). No IP address, no user agent:
    the visitor is known only by the random id kept in their consent cookie."""

    __tablename__ = "consent_record"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    consent_id: Mapped[str] = mapped_column(String(36), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # first | change
    source: Mapped[str] = mapped_column(String(10))  # banner | settings | gpc
    revision: Mapped[int] = mapped_column(Integer)
    notice_hash: Mapped[str] = mapped_column(String(64))
    lang: Mapped[str] = mapped_column(String(8))
    choice: Mapped[str] = mapped_column(Text)
    """Canonical JSON: categories and services accepted and refused."""
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    """Not indexed (0013): it covers the id and the previous hash, so it is unique anyway."""


class ConsentNotice(Base):
    """A notice revision's exact banner texts and cookie tables, kept by their SHA-256."""

    __tablename__ = "consent_notice"

    hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    first_seen: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ConsentRefusalCount(Base):
    """Refusals counted per day, revision, language and source: no identifier is stored."""

    __tablename__ = "consent_refusal_count"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    notice_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    lang: Mapped[str] = mapped_column(String(8), primary_key=True)
    source: Mapped[str] = mapped_column(String(10), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer)
    count: Mapped[int] = mapped_column(Integer, default=0)


class ConsentCount(Base):
    """Counters of the consent records held, kept in the transaction that appends or purges them
    (portal.core.consent): per notice revision (by hash), source and category, how many records
    accept and refuse the category. The row of category `RECORDS` ("*") counts the records
    themselves (in `accepted`). Purging records takes them off, so the counters always equal a
    count of the records still held (`consent.recount`)."""

    __tablename__ = "consent_count"

    notice_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    source: Mapped[str] = mapped_column(String(10), primary_key=True)
    category: Mapped[str] = mapped_column(String(40), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer)
    accepted: Mapped[int] = mapped_column(Integer, default=0)
    refused: Mapped[int] = mapped_column(Integer, default=0)


__all__ = [
    "Attachment",
    "ConsentCount",
    "ConsentNotice",
    "ConsentRecord",
    "ConsentRefusalCount",
    "AttachmentPurpose",
    "AuditCheckpoint",
    "AuditEvent",
    "DataRequest",
    "Decision",
    "DownloadCode",
    "FileChunk",
    "FileKeyGeneration",
    "Letter",
    "OutboxMessage",
    "RecipientNotification",
    "RecordedSigningKey",
    "RequestNote",
    "RequestReply",
    "RequestRight",
    "RequestStatus",
    "SigningPublicKey",
    "StaffLoginAddress",
    "StaffRole",
    "StaffUser",
    "utcnow",
]
