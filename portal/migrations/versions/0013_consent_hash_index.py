"""consent_hash_index: drop the unique index on a consent record's hash

Nothing looks a record up by its hash, and the index guards nothing: a record's hash covers its
id (the primary key) and the previous record's hash, so two records cannot share one, and a
forked or edited chain is found by `portal consent verify` recomputing every hash and link, not
by the index. It cost a sixth of a record's storage (`bench.consent_storage`: 840 bytes a
record with it, 705 without) and one more B-tree insert per record.

Revision ID: 0013_consent_hash_index
Revises: 0012_request_email_lower
Create Date: 2026-12-06 05:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0013_consent_hash_index"
down_revision = "0012_request_email_lower"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("consent_record") as batch:
        batch.drop_constraint("uq_consent_record_hash", type_="unique")


def downgrade() -> None:
    with op.batch_alter_table("consent_record") as batch:
        batch.create_unique_constraint("uq_consent_record_hash", ["hash"])
