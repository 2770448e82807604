"""letters: the PDF is made after the commit; its e-mail waits for it

Revision ID: 0003_letter_pdf_after_commit
Revises: 0002_staff
Create Date: 2026-11-29 18:40:00
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op
from sqlalchemy.exc import SAWarning

revision = "0003_letter_pdf_after_commit"
down_revision = "0002_staff"
branch_labels = None
depends_on = None


@contextmanager
def _reflecting() -> Iterator[None]:
    """Let SQLite's batch mode reflect `data_request`, whose expression indexes it cannot read.

    Batch mode rebuilds a table and reflects the tables its foreign keys point to; it skips
    their expression indexes with a warning, and they are left as they are.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", "Skipped unsupported reflection of expression-based index", SAWarning
        )
        yield


def upgrade() -> None:
    with _reflecting(), op.batch_alter_table("letter", schema=None) as batch_op:
        # NULL until the PDF is made, after the action that issued the letter has committed.
        batch_op.alter_column("sha256", existing_type=sa.String(64), nullable=True)
        batch_op.add_column(
            sa.Column("pdf_attempts", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("pdf_error", sa.String(200), nullable=True))
    with _reflecting(), op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("letter_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_outbox_message_letter_id_letter",
            "letter",
            ["letter_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_index("ix_letter_pdf_pending", "letter", ["sha256", "id"])


def downgrade() -> None:
    op.drop_index("ix_letter_pdf_pending", table_name="letter")
    with _reflecting(), op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_constraint("fk_outbox_message_letter_id_letter", type_="foreignkey")
        batch_op.drop_column("letter_id")
    with _reflecting(), op.batch_alter_table("letter", schema=None) as batch_op:
        batch_op.drop_column("pdf_error")
        batch_op.drop_column("pdf_attempts")
        batch_op.alter_column("sha256", existing_type=sa.String(64), nullable=False)
