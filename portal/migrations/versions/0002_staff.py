"""staff: TOTP replay guard and queue indexes on the effective due date

Revision ID: 0002_staff
Revises: 0001
Create Date: 2026-11-24 17:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_staff"
down_revision = "0001"
branch_labels = None
depends_on = None

EFFECTIVE_DUE_SQL = "coalesce(extended_due_on, due_on, '9999-12-31')"


def upgrade() -> None:
    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))
    # Expression indexes: the queue orders by the effective due date and pages on it with the id.
    op.create_index(
        "ix_request_effective_due",
        "data_request",
        ["status", sa.text(EFFECTIVE_DUE_SQL), "id"],
    )
    op.create_index(
        "ix_request_assignee_effective_due",
        "data_request",
        ["assignee_id", "status", sa.text(EFFECTIVE_DUE_SQL), "id"],
    )


def downgrade() -> None:
    op.drop_index("ix_request_assignee_effective_due", table_name="data_request")
    op.drop_index("ix_request_effective_due", table_name="data_request")
    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.drop_column("totp_last_step")
