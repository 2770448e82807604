"""Migrations: one head, and a migrated database is exactly what the models describe."""

from __future__ import annotations

import warnings
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import create_engine, text
from sqlalchemy.exc import SAWarning

from portal import create_app
from portal.core import seal
from portal.db import Base, alembic_config, upgrade


def test_the_migrations_have_one_head(tmp_path: Path) -> None:
    script = ScriptDirectory.from_config(alembic_config(f"sqlite:///{tmp_path / 'x.sqlite3'}"))
    assert len(script.get_heads()) == 1, script.get_heads()


def test_a_migrated_database_matches_the_models(db_url: str) -> None:
    upgrade(db_url)
    engine = create_engine(db_url)
    try:
        with engine.connect() as connection, warnings.catch_warnings():
            # SQLite's reflection cannot read expression indexes (the queue's due-date ones).
            warnings.filterwarnings("ignore", "Skipped unsupported reflection", SAWarning)
            warnings.filterwarnings("ignore", "autogenerate skipping", UserWarning)
            context = MigrationContext.configure(connection)
            differences = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_the_store_migration_keeps_the_signing_key_and_a_start_adds_retired_keys(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'portal.sqlite3'}"
    upgrade(url, "0006_hardening")
    current, retired = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    instance = tmp_path / "instance"
    (instance / "receipt-keys").mkdir(parents=True)
    (instance / "receipt-signing-key.pem").write_bytes(
        current.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    retired_pem = seal.public_key_pem(retired.public_key())
    retired_id = seal.key_id(retired.public_key())
    (instance / "receipt-keys" / f"{retired_id}.pem").write_bytes(retired_pem)
    current_id = seal.key_id(current.public_key())
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO recorded_signing_key (id, key_id, public_pem, recorded_at) "
                "VALUES (1, :key_id, :pem, '2026-01-02 03:04:05')"
            ),
            {"key_id": current_id, "pem": seal.public_key_pem(current.public_key()).decode()},
        )
    upgrade(url)
    query = text("SELECT key_id, retired_at IS NOT NULL FROM signing_public_key ORDER BY key_id")
    with engine.connect() as connection:
        assert connection.execute(query).all() == [(current_id, False)]
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": url, "INSTANCE_PATH": str(instance)}
    )
    app.extensions["db_engine"].dispose()
    with engine.connect() as connection:
        assert sorted(connection.execute(query).all()) == sorted(
            [(current_id, False), (retired_id, True)]
        )
    engine.dispose()
