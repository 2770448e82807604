"""consent: consent records (hash-chained), notice revisions by hash, refusal counts

Revision ID: 0010_consent
Revises: 0009_store
Create Date: 2026-12-04 22:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_consent"
down_revision = "0009_store"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "consent_record",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("consent_id", sa.String(length=36), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("notice_hash", sa.String(length=64), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("choice", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_record")),
        sa.UniqueConstraint("event_id", name=op.f("uq_consent_record_event_id")),
        sa.UniqueConstraint("hash", name=op.f("uq_consent_record_hash")),
    )
    op.create_index(op.f("ix_consent_record_consent_id"), "consent_record", ["consent_id"])
    op.create_index(op.f("ix_consent_record_expires_at"), "consent_record", ["expires_at"])
    op.create_table(
        "consent_notice",
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("hash", name=op.f("pk_consent_notice")),
    )
    op.create_table(
        "consent_refusal_count",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("notice_hash", sa.String(length=64), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "day", "notice_hash", "lang", "source", name=op.f("pk_consent_refusal_count")
        ),
    )


def downgrade() -> None:
    op.drop_table("consent_refusal_count")
    op.drop_table("consent_notice")
    op.drop_index(op.f("ix_consent_record_expires_at"), table_name="consent_record")
    op.drop_index(op.f("ix_consent_record_consent_id"), table_name="consent_record")
    op.drop_table("consent_record")
