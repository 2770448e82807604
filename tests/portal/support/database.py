"""The test PostgreSQL: its address and private schemas that vanish after use."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from portal.db import temporary_schema

DEFAULT_TEST_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_server_url() -> str:
    """Return the PostgreSQL server tests use (PORTAL_TEST_DATABASE_URL or the local default)."""
    return os.environ.get("PORTAL_TEST_DATABASE_URL") or DEFAULT_TEST_DATABASE_URL


@contextmanager
def postgres_schema(prefix: str, *, migrate: bool = True) -> Iterator[str]:
    """Yield a URL whose search path is a fresh schema (migrated unless told not), dropped after."""
    with temporary_schema(postgres_server_url(), prefix, migrate=migrate) as url:
        yield url
