"""staff_language: the language of the staff pages a person last used, for their e-mails

Revision ID: 0007_staff_language
Revises: 0006_hardening
Create Date: 2026-12-04 22:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_staff_language"
down_revision = "0006_hardening"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff_user") as batch:
        batch.add_column(sa.Column("language", sa.String(length=5), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("staff_user") as batch:
        batch.drop_column("language")
