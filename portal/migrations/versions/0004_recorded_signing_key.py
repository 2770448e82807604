"""recorded signing key: the one key every instance sharing this database must hold

Revision ID: 0004_recorded_signing_key
Revises: 0003_letter_pdf_after_commit
Create Date: 2026-11-29 18:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_recorded_signing_key"
down_revision = "0003_letter_pdf_after_commit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "recorded_signing_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("public_pem", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recorded_signing_key")),
    )


def downgrade() -> None:
    op.drop_table("recorded_signing_key")
