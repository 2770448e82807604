"""store: encrypted file chunks, key-encryption key generations and signing public keys in the
database, so every instance serving it reads every file and verifies every receipt

Revision ID: 0009_store
Revises: 0008_identity
Create Date: 2026-12-04 22:50:00

Files already in an instance folder stay readable from there; `portal files move-to-db` moves
them in (docs/portal-files.md).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_store"
down_revision = "0008_identity"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "file_chunk",
        sa.Column("storage_name", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("storage_name", "seq", name=op.f("pk_file_chunk")),
    )
    op.create_table(
        "file_key_generation",
        sa.Column("generation", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("generation", name=op.f("pk_file_key_generation")),
    )
    op.create_table(
        "signing_public_key",
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("public_pem", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key_id", name=op.f("pk_signing_public_key")),
    )
    # The key recorded so far becomes the first known key; retired keys in instance folders are
    # added by the first start of each instance (`keys.check_instance_key`).
    op.execute(
        "INSERT INTO signing_public_key (key_id, public_pem, created_at, retired_at) "
        "SELECT key_id, public_pem, recorded_at, NULL FROM recorded_signing_key"
    )


def downgrade() -> None:
    op.drop_table("signing_public_key")
    op.drop_table("file_key_generation")
    op.drop_table("file_chunk")
