"""letter_posted: who marked a printed letter posted, and when

A request staff entered without an e-mail address has its letters printed and posted by staff.
Until now nothing recorded that one went, so a forgotten letter showed nowhere. A letter now
keeps who marked it posted and when (NULL: not posted, or e-mailed); the staff page "Letters to
post" lists those of requests without an address that are not posted yet, found through a
partial index of those requests (a few among many, `models.BY_POST_SQL`).

Revision ID: 0015_letter_posted
Revises: 0014_outbox_recipe
Create Date: 2026-12-07 10:00:00
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op
from sqlalchemy.exc import SAWarning

revision = "0015_letter_posted"
down_revision = "0014_outbox_recipe"
branch_labels = None
depends_on = None

BY_POST_SQL = "email = '' AND anonymised_at IS NULL"
"""`models.BY_POST_SQL` as this revision made it (a migration never imports the models)."""


@contextmanager
def _reflecting() -> Iterator[None]:
    """Let SQLite's batch mode reflect `data_request`, whose expression indexes it cannot read
    (as in 0003: the rebuilt `letter` points to it; its indexes are left as they are)."""
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", "Skipped unsupported reflection of expression-based index", SAWarning
        )
        yield


def upgrade() -> None:
    with _reflecting(), op.batch_alter_table("letter", schema=None) as batch_op:
        batch_op.add_column(sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("posted_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_letter_posted_by_id_staff_user", "staff_user", ["posted_by_id"], ["id"]
        )
    op.create_index(
        "ix_request_by_post",
        "data_request",
        ["email", "anonymised_at"],
        sqlite_where=sa.text(BY_POST_SQL),
        postgresql_where=sa.text(BY_POST_SQL),
    )


def downgrade() -> None:
    op.drop_index("ix_request_by_post", table_name="data_request")
    with _reflecting(), op.batch_alter_table("letter", schema=None) as batch_op:
        batch_op.drop_constraint("fk_letter_posted_by_id_staff_user", type_="foreignkey")
        batch_op.drop_column("posted_by_id")
        batch_op.drop_column("posted_at")
