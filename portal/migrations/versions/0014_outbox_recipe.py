"""outbox_recipe: an outbox message may be composed by its sender

A submission's confirmation e-mail was rendered and built into MIME while the person waited (a
fifth of a submit's CPU). The outbox row now may hold what the message is (template, language,
context: the request's id is the row's) and its sender renders and writes the message before
sending it. The row is still committed with the request, so the confirmation is as durable as
before; `message` and `subject` stay empty until composed.

Revision ID: 0014_outbox_recipe
Revises: 0013_consent_hash_index
Create Date: 2026-12-06 08:30:00
"""

from __future__ import annotations

import warnings

import sqlalchemy as sa
from alembic import op
from sqlalchemy.exc import SAWarning

revision = "0014_outbox_recipe"
down_revision = "0013_consent_hash_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("outbox_message", sa.Column("recipe", sa.JSON(), nullable=True))


def downgrade() -> None:
    # Code before this revision would send an unwritten message as it is (empty): mark it failed
    # for staff to see instead (`portal send-mail` before a downgrade writes and sends them).
    op.execute(
        "UPDATE outbox_message SET status = 'failed', last_error = 'not written before downgrade' "
        "WHERE recipe IS NOT NULL AND status IN ('pending', 'held')"
    )
    with warnings.catch_warnings():
        # SQLite's batch mode rebuilds the table and reflects `data_request`, which its foreign
        # key points to; it skips that table's expression indexes with a warning (as in 0003).
        warnings.filterwarnings(
            "ignore", "Skipped unsupported reflection of expression-based index", SAWarning
        )
        with op.batch_alter_table("outbox_message") as batch:
            batch.drop_column("recipe")
