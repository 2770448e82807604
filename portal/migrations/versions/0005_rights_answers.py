"""rights: encrypted attachments, download codes, replies, channel, the sealed answer

Revision ID: 0005_rights_answers
Revises: 0004_recorded_signing_key
Create Date: 2026-11-29 18:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_rights_answers"
down_revision = "0004_recorded_signing_key"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("data_request", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("channel", sa.String(length=16), nullable=False, server_default="web")
        )
        batch_op.add_column(sa.Column("decision_actions", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("answer_payload", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("answer_signature", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("answer_key_id", sa.String(length=64), nullable=True))
    op.create_table(
        "attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_name", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["data_request.id"],
            name=op.f("fk_attachment_request_id_data_request"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff_user.id"], name=op.f("fk_attachment_staff_id_staff_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
        sa.UniqueConstraint("public_id", name=op.f("uq_attachment_public_id")),
    )
    op.create_index("ix_attachment_request", "attachment", ["request_id", "purpose"])
    op.create_index("ix_attachment_expiry", "attachment", ["purged_at", "expires_at"])
    op.create_table(
        "download_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["data_request.id"],
            name=op.f("fk_download_code_request_id_data_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_download_code")),
    )
    op.create_index("ix_download_code_request", "download_code", ["request_id", "id"])
    op.create_table(
        "request_reply",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["data_request.id"],
            name=op.f("fk_request_reply_request_id_data_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_reply")),
    )
    op.create_index("ix_reply_request", "request_reply", ["request_id"])


def downgrade() -> None:
    op.drop_index("ix_reply_request", table_name="request_reply")
    op.drop_table("request_reply")
    op.drop_index("ix_download_code_request", table_name="download_code")
    op.drop_table("download_code")
    op.drop_index("ix_attachment_expiry", table_name="attachment")
    op.drop_index("ix_attachment_request", table_name="attachment")
    op.drop_table("attachment")
    with op.batch_alter_table("data_request", schema=None) as batch_op:
        batch_op.drop_column("answer_key_id")
        batch_op.drop_column("answer_signature")
        batch_op.drop_column("answer_payload")
        batch_op.drop_column("decision_actions")
        batch_op.drop_column("channel")
