"""consent counts: counters of the records held per revision, source and category

The staff's consent page read its counts by scanning every record's JSON; the counters are kept
in the same transaction as each append and purge instead, and filled here from the records
already held.

Revision ID: 0011_consent_counts
Revises: 0010_consent
Create Date: 2026-12-06 01:40:00
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0011_consent_counts"
down_revision = "0010_consent"
branch_labels = None
depends_on = None

RECORDS = "*"


def upgrade() -> None:
    counts = op.create_table(
        "consent_count",
        sa.Column("notice_hash", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("accepted", sa.Integer(), nullable=False),
        sa.Column("refused", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("notice_hash", "source", "category", name=op.f("pk_consent_count")),
    )
    totals: dict[tuple[str, str, str], list[int]] = {}
    records = sa.table(
        "consent_record",
        sa.column("id", sa.Integer()),
        sa.column("notice_hash", sa.String()),
        sa.column("source", sa.String()),
        sa.column("revision", sa.Integer()),
        sa.column("choice", sa.Text()),
    )
    bind = op.get_bind()
    after = 0
    while rows := bind.execute(
        sa.select(records).where(records.c.id > after).order_by(records.c.id).limit(5000)
    ).all():
        for row in rows:
            state = json.loads(row.choice)
            for category, column in (
                *((RECORDS, 0),),
                *((name, 0) for name in state["accepted"]),
                *((name, 1) for name in state["refused"]),
            ):
                counter = totals.setdefault(
                    (row.notice_hash, row.source, category), [row.revision, 0, 0]
                )
                counter[1 + column] += 1
        after = rows[-1].id
    if totals:
        op.bulk_insert(
            counts,
            [
                {"notice_hash": key[0], "source": key[1], "category": key[2],
                 "revision": value[0], "accepted": value[1], "refused": value[2]}
                for key, value in totals.items()
            ],
        )  # fmt: skip


def downgrade() -> None:
    op.drop_table("consent_count")
