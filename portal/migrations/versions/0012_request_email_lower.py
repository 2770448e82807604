"""request_email_lower: index the request's address as the duplicate check compares it

The check runs under the audit chain's lock in every submission and compares `lower(email)`,
which the plain `email` index cannot answer: it read every request of the same right.

Revision ID: 0012_request_email_lower
Revises: 0011_consent_counts
Create Date: 2026-12-06 02:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_request_email_lower"
down_revision = "0011_consent_counts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_request_email_lower", "data_request", [sa.text("lower(email)")])


def downgrade() -> None:
    op.drop_index("ix_request_email_lower", table_name="data_request")
