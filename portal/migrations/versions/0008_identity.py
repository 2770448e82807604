"""identity: strong identification (name, provider, level; a keyed hash); Art 12(5) ground, facts

Revision ID: 0008_identity
Revises: 0007_staff_language
Create Date: 2026-12-04 22:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_identity"
down_revision = "0007_staff_language"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "request_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("provider", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("subject_hash", sa.String(length=64), nullable=False),
        sa.Column("level", sa.String(length=100), nullable=False),
        sa.Column("identified_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["data_request.id"],
            name=op.f("fk_request_identity_request_id_data_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_identity")),
        sa.UniqueConstraint("request_id", name=op.f("uq_request_identity_request_id")),
    )
    op.add_column("data_request", sa.Column("limit_ground", sa.String(length=24), nullable=True))
    op.add_column("data_request", sa.Column("limit_facts", sa.Text(), nullable=True))
    op.add_column("data_request", sa.Column("fee_cents", sa.Integer(), nullable=True))
    op.create_index(op.f("ix_request_identity_subject_hash"), "request_identity", ["subject_hash"])


def downgrade() -> None:
    with op.batch_alter_table("data_request") as batch:
        batch.drop_column("fee_cents")
        batch.drop_column("limit_facts")
        batch.drop_column("limit_ground")
    op.drop_index(op.f("ix_request_identity_subject_hash"), table_name="request_identity")
    op.drop_table("request_identity")
