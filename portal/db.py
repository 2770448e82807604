"""Database access: one engine per app, one session per request, schema through Alembic.

SQLite runs in WAL mode with `synchronous=FULL`, so an acknowledged request is on disk; PostgreSQL
is used through psycopg 3 with any SQLAlchemy URL. On PostgreSQL an app has a second engine for
single reads in autocommit (`read_rows`, the status page's one round trip) and for the writes sent
as pipelines (consent records, submissions); its pool is as large as the first one's, so count
both against the server's `max_connections`.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask, current_app, g
from sqlalchemy import MetaData, create_engine, event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

T = TypeVar("T")
R = TypeVar("R")

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of every portal table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


DEFAULT_CONNECT_TIMEOUT = 5
DEFAULT_STATEMENT_TIMEOUT = 15
DEFAULT_READ_TIMEOUT = 30


def make_engine(
    url: str,
    *,
    connect_timeout: int = DEFAULT_CONNECT_TIMEOUT,
    statement_timeout: int = DEFAULT_STATEMENT_TIMEOUT,
    read_timeout: int = DEFAULT_READ_TIMEOUT,
    pre_ping: bool = True,
    autocommit: bool = False,
) -> Engine:
    """Create an engine whose waits are bounded (seconds): connecting, statements, locks.

    A hung or overloaded database then costs a request `connect_timeout` or `statement_timeout`
    seconds and an error page, never a worker held until the web server kills it. SQLite gets WAL,
    full sync, foreign keys and a busy timeout; a new SQLite file is created owner-only (0600).
    A PostgreSQL connection is pinged when taken from the pool unless `pre_ping` is False, and
    with `autocommit` statements run outside a transaction (no BEGIN, no ROLLBACK).
    """
    kwargs: dict[str, Any] = {"future": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"timeout": statement_timeout, "check_same_thread": False}
    else:
        # libpq counts connect_timeout from the TCP connect to the end of authentication. A
        # server that stops answering mid-statement (a dead host, a dropped network) is noticed
        # by the client too: TCP keepalives, and tcp_user_timeout for data never acknowledged.
        kwargs["connect_args"] = {
            "connect_timeout": max(connect_timeout, 2),
            "keepalives": 1,
            "keepalives_idle": max(statement_timeout, 5),
            "keepalives_interval": 2,
            "keepalives_count": 3,
            "tcp_user_timeout": (statement_timeout + 5) * 1000,
        }
        kwargs["pool_pre_ping"] = pre_ping
        kwargs["pool_timeout"] = statement_timeout
        if autocommit:
            kwargs["isolation_level"] = "AUTOCOMMIT"
    create_private_sqlite_file(url)
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

    elif engine.dialect.name == "postgresql":
        _answer_within(engine, read_timeout)

        @event.listens_for(engine, "connect")
        def _postgres_timeouts(dbapi_connection: Any, _record: Any) -> None:
            # Set per connection rather than in `options`: the URL may carry its own options.
            milliseconds = statement_timeout * 1000
            with dbapi_connection.cursor() as cursor:
                cursor.execute(f"SET statement_timeout = {milliseconds}")
                cursor.execute(f"SET lock_timeout = {milliseconds}")
            dbapi_connection.commit()

    return engine


def _answer_within(engine: Engine, seconds: int) -> None:
    """Make every PostgreSQL connection of `engine` give up after `seconds` without an answer.

    A frozen server (a stopped process, a stuck proxy) still acknowledges TCP, so neither its
    statement_timeout nor the keepalives end the wait: the client's own deadline does.
    """
    import psycopg

    class AnsweringConnection(psycopg.Connection):  # type: ignore[type-arg]
        """A connection whose every wait for the server ends after `seconds`."""

        def wait(self, gen: Any, interval: float = 0.1, timeout: float | None = None) -> Any:
            try:
                return super().wait(gen, interval, seconds if timeout is None else timeout)
            except psycopg.errors._WaitTimeout:  # noqa: SLF001 - psycopg's own timeout error
                self.pgconn.finish()  # mid-protocol: the connection cannot be used again
                raise psycopg.OperationalError(
                    f"the database server did not answer within {seconds} s"
                ) from None

    @event.listens_for(engine, "do_connect")
    def _connect(_dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
        return AnsweringConnection.connect(*cargs, **cparams)


def create_private_sqlite_file(url: str) -> None:
    """Create the SQLite file of `url` (if it is one) owner-only, before SQLite creates it.

    SQLite gives its -wal and -shm files the permissions of the database file.
    """
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    database = parsed.database
    if (
        parsed.get_backend_name() != "sqlite"
        or not database
        or database == ":memory:"
        or database.startswith("file:")
    ):
        return
    path = Path(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass


def init_app(app: Flask) -> None:
    """Attach an engine and a session factory to `app` and close sessions after each request."""
    engine = make_engine(
        app.config["DATABASE_URL"],
        connect_timeout=app.config["DATABASE_CONNECT_TIMEOUT"],
        statement_timeout=app.config["DATABASE_STATEMENT_TIMEOUT"],
        read_timeout=app.config["DATABASE_READ_TIMEOUT"],
    )
    app.extensions["db_engine"] = engine
    app.extensions["db_sessionmaker"] = sessionmaker(bind=engine, expire_on_commit=False)
    if engine.dialect.name == "postgresql":
        reads = make_engine(
            app.config["DATABASE_URL"],
            connect_timeout=app.config["DATABASE_CONNECT_TIMEOUT"],
            statement_timeout=app.config["DATABASE_STATEMENT_TIMEOUT"],
            read_timeout=app.config["DATABASE_READ_TIMEOUT"],
            pre_ping=False,
            autocommit=True,
        )
        app.extensions[READ_ENGINE] = reads
        # Whoever closes the app's connections (tests, `portal init`, a fork) closes these too.
        event.listen(engine, "engine_disposed", lambda _engine: reads.dispose())
    app.teardown_appcontext(_close_session)


READ_ENGINE = "db_read_engine"
"""PostgreSQL only: the app's engine for single reads, in autocommit and without a ping; also the
writes that begin their own transaction and retry a dropped connection themselves (consent
batches, submissions: `submissions.record_submission`'s `fast_engine`)."""


def read_rows(statement: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    """Run one SELECT and return its rows as the DB-API gives them (tuples).

    `statement` marks each parameter with `{}`. On PostgreSQL the read is one round trip: a
    connection in autocommit (no BEGIN and ROLLBACK around it) that is not pinged first. A
    connection the server dropped (a restart, an administrator's terminate) is noticed by the
    read itself: the pool's idle connections are discarded with it and the read is tried once
    more on a new connection; a second failure goes to the error pages like any outage. SQLite
    reads through the request's session.
    """
    engine: Engine | None = current_app.extensions.get(READ_ENGINE)
    if engine is None:
        connection = get_session().connection()
        marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        return _fetch(connection.connection, statement.format(*[marker] * len(params)), params)
    sql = statement.format(*["%s"] * len(params))
    for attempt in (1, 2):
        raw = engine.raw_connection()
        try:
            return _fetch(raw, sql, params)
        except engine.dialect.loaded_dbapi.Error as exc:
            if attempt == 2 or not engine.dialect.is_disconnect(exc, raw.dbapi_connection, None):
                raise
            raw.invalidate(exc)
            engine.dispose()
        finally:
            raw.close()
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


PG_IDLE = 0
"""libpq's PQTRANS_IDLE: no transaction open."""


def by_hand(
    engine: Engine,
    first: Callable[[Connection, Any], T],
    rest: Callable[[Connection, Any, T], R],
) -> R:
    """Run a PostgreSQL transaction begun by hand on one of `engine`'s connections, switched to
    autocommit for it so that psycopg's own BEGIN is no round trip of its own.

    `first(connection, raw)` makes the first round trip (sending BEGIN itself) and `rest(
    connection, raw, what_first_returned)` the others, ending with COMMIT or ROLLBACK; what
    `rest` returns is returned. `engine`'s connections need not be pinged: one the server
    dropped (a restart) fails `first`, before anything is written, and the whole is tried once
    more on a new connection, the pool's others disposed of. Whatever raises rolls an open
    transaction back; a connection left closed is invalidated, any other goes back to the pool
    as it came.
    """
    for attempt in (1, 2):
        with engine.connect() as connection:
            raw = connection.connection.driver_connection
            assert raw is not None
            autocommit, dropped = raw.autocommit, False
            raw.autocommit = True
            try:
                try:
                    found = first(connection, raw)
                except engine.dialect.loaded_dbapi.Error as exc:
                    if attempt == 2 or not engine.dialect.is_disconnect(exc, raw, None):
                        raise
                    dropped = True
                    connection.invalidate(exc)
                    engine.dispose()  # the other pooled connections went with the server
                    continue
                return rest(connection, raw, found)
            except BaseException:
                if not raw.closed and raw.info.transaction_status != PG_IDLE:
                    raw.execute("ROLLBACK")
                raise
            finally:
                if not dropped and raw.closed:
                    connection.invalidate()
                elif not dropped:
                    raw.autocommit = autocommit
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def pipelined(
    connection: Connection, statements: Sequence[tuple[str, Mapping[str, Any] | None]]
) -> list[list[tuple[Any, ...]]]:
    """Run `statements` on a PostgreSQL `connection` in one round trip; return each one's rows.

    Each is SQL with `%(name)s` parameters and its values as the driver takes them (bound on
    the server, as any statement's). They are sent together in psycopg's pipeline mode, with the
    BEGIN of a transaction not yet begun, and run one after the other: each statement still
    reads a snapshot taken when it starts, so a read after a lock sees what the lock's last
    holder committed. The first error is raised (the driver's own, as from a raw cursor) and
    leaves the transaction aborted, for the caller's rollback.
    """
    raw = connection.connection.driver_connection
    assert raw is not None
    cursors = [raw.cursor() for _ in statements]
    try:
        with raw.pipeline():
            for cursor, (sql, params) in zip(cursors, statements, strict=True):
                cursor.execute(sql, params)
        return [
            [tuple(row) for row in cursor.fetchall()] if cursor.description else []
            for cursor in cursors
        ]
    finally:
        for cursor in cursors:
            cursor.close()


_DRIVER_SQL: dict[int, str] = {}


def driver_sql(connection: Connection, statement: Any) -> str:
    """Return a module-level `statement` compiled for `connection`'s driver (`%(name)s`
    parameters on PostgreSQL), compiled once, for `pipelined`."""
    sql = _DRIVER_SQL.get(id(statement))
    if sql is None:
        sql = _DRIVER_SQL[id(statement)] = statement.compile(dialect=connection.dialect).string
    return sql


def _fetch(connection: Any, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    cursor = connection.cursor()
    try:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]
    finally:
        cursor.close()


def session_factory(app: Flask) -> sessionmaker[Session]:
    """Return `app`'s session factory, for work in sessions of its own (mail, letters' PDFs)."""
    return app.extensions["db_sessionmaker"]


def get_session() -> Session:
    """Return this app context's session, opening it on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["db_sessionmaker"]()
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def alembic_config(url: str) -> Any:
    """Return an Alembic config for the portal's migrations and this database URL."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "heads") -> None:
    """Bring the database at `url` up to the newest schema."""
    from alembic import command

    create_private_sqlite_file(url)
    command.upgrade(alembic_config(url), revision)


@contextmanager
def temporary_schema(server_url: str, prefix: str, *, migrate: bool = True) -> Iterator[str]:
    """Yield a URL of a fresh PostgreSQL schema on `server_url` (migrated), dropped afterwards.

    Test runs and benchmarks share one server; a schema of their own keeps them apart.
    """
    schema = f"{prefix}_{secrets.token_hex(6)}"
    admin = create_engine(server_url)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        separator = "&" if "?" in server_url else "?"
        url = f"{server_url}{separator}options=-csearch_path%3D{schema}"
        if migrate:
            upgrade(url)
        yield url
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
