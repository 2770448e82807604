"""Recording a submitted request once, even when the same form is posted twice at once.

A request is recorded the moment it is sent (Art 12(6) and EDPB 01/2022: identity proof is
evidence, never a precondition for recording), with its confirmation e-mail. The same request from
the same address within 24 hours is recorded once: the check and the insert run under a lock on
that address, right and register, so two posts of one form cannot both find "no duplicate" and
both insert.

On PostgreSQL that lock is an advisory lock of its own, and the audit chain's lock is taken only
for the event and the commit: submissions from different people then wait for each other only
there, not through the duplicate check and the inserts as well. SQLite has one write lock for
everything; it is taken first, as the chain's.

On PostgreSQL the statements travel together where their order allows (`db.pipelined`): the lock
with the duplicate check, the two rows (one statement) with the chain's lock and head. The portal's
intake passes its autocommit engine (`fast_engine`), where the transaction's BEGIN goes with the
first of those and the event with COMMIT: three round trips, where the session's statements made
nine (`tests/portal/test_submit_round_trips.py` counts them on the wire).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import bindparam, func, insert, inspect, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from portal.core import audit
from portal.core.models import DataRequest, OutboxMessage, RequestStatus, utcnow
from portal.db import by_hand, driver_sql, pipelined

DUPLICATE_WINDOW = dt.timedelta(hours=24)


_REQUESTS = DataRequest.__table__
_SAME_REQUESTS = select(_REQUESTS.c.id, _REQUESTS.c.details).where(
    func.lower(_REQUESTS.c.email) == bindparam("email"),
    _REQUESTS.c.right == bindparam("right"),
    _REQUESTS.c.register_id == bindparam("register_id"),
    _REQUESTS.c.created_at >= bindparam("since"),
    _REQUESTS.c.status != bindparam("expired"),
)
"""The requests a new one could repeat (answered by `ix_request_email_lower`). Built once: making
the statement and its cache key anew was most of the check's CPU, under the chain's lock."""


def find_duplicate(
    session: Session, *, email: str, right: str, register_id: str, details: dict[str, Any]
) -> DataRequest | None:
    """Return the same request from the same address within 24 hours, if there is one."""
    # Only the id and the details are read for the comparison (under the chain's lock, in every
    # submission), on the session's connection: a whole row would eager-load its assignee and
    # identity for nothing, and the ORM's statement handling cost more than the query.
    candidates = session.connection().execute(
        _SAME_REQUESTS, _same_request_params(email, right, register_id)
    )
    found = _same_details(candidates, details)
    return session.get(DataRequest, found) if found is not None else None


def _same_request_params(email: str, right: str, register_id: str) -> dict[str, Any]:
    return {
        "email": email.lower(),
        "right": right,
        "register_id": register_id,
        "since": utcnow() - DUPLICATE_WINDOW,
        "expired": RequestStatus.expired.value,
    }


def _same_details(candidates: Iterable[Sequence[Any]], details: dict[str, Any]) -> int | None:
    """Return the id of the first candidate (id, details) whose details are `details`."""
    return next((id_ for id_, known in candidates if (known or {}) == details), None)


_SAME_REQUESTS_LOCK_CLASS = 0x5E10
"""The first key of the two-key advisory locks on "the same request" (PostgreSQL's two-key locks
are a key space apart from the one-key locks of the audit trail and the consent records)."""


def _lock_and_find_same(connection: Connection, request: DataRequest) -> int | None:
    """PostgreSQL: lock out other submissions that `request` could repeat until the commit, and
    return the id of the request it repeats, if any.

    The lock is an advisory lock on its address (any case), right and register. The lock and the
    duplicate check go in one round trip: the check is a statement of its own after the lock, so
    it sees a request whose submission held the lock before.
    """
    _lock, candidates = pipelined(connection, _lock_and_same(connection, request))
    return _same_details(candidates, request.details or {})


def _lock_and_same(
    connection: Connection, request: DataRequest
) -> list[tuple[str, dict[str, Any] | None]]:
    """The same-request lock and then the duplicate check, as statements for `pipelined`."""
    same = "\x1f".join((request.email.lower(), request.right, request.register_id))
    key = int.from_bytes(hashlib.sha256(same.encode()).digest()[:4], "big", signed=True)
    return [
        (f"SELECT pg_advisory_xact_lock({_SAME_REQUESTS_LOCK_CLASS}, {key})", None),
        (
            driver_sql(connection, _SAME_REQUESTS),
            _same_request_params(request.email, request.right, request.register_id),
        ),
    ]


def record_submission(
    session: Session,
    request: DataRequest,
    message: OutboxMessage,
    *,
    ui_language: str,
    fast_engine: Engine | None = None,
) -> bool:
    """Record `request` with its confirmation `message` and commit; False for a duplicate.

    Make the message before calling: the locks taken here are held until the commit. Both are
    written as rows and get their ids (`request.id`, `message.id`, `message.request_id`); a request
    with a strong identification is added to the session (its identity row goes with it), the
    others are inserted as they are and stay out of it.

    `fast_engine` (PostgreSQL; the app's `db.READ_ENGINE`: autocommit, not pinged): a request
    without a strong identification is then written on its connection in three round trips
    (`_record_pipelined`), when the session has nothing of its own to commit.
    """
    if (
        fast_engine is not None
        and fast_engine.dialect.name == "postgresql"
        and not _has_related_rows(request)
        and not session.in_transaction()
        and not (session.new or session.dirty or session.deleted)
    ):
        bind = session.get_bind()
        return _record_pipelined(
            fast_engine, getattr(bind, "engine", bind), request, message, ui_language=ui_language
        )
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return _record_on_postgresql(session, request, message, ui_language=ui_language)
    # SQLite: the database's write lock, taken as the audit chain's, makes the check and the
    # inserts atomic; the chain's head read with it is passed on to `audit.record`.
    head = audit.lock_chain(session)
    if find_duplicate(
        session,
        email=request.email,
        right=request.right,
        register_id=request.register_id,
        details=request.details or {},
    ):
        session.rollback()
        return False
    if _has_related_rows(request):
        session.add(request)
        session.flush()
    else:
        _insert(connection, request)
    message.request_id = request.id
    _insert(connection, message)
    _record_event(session, request, ui_language, head)
    session.commit()
    return True


def _record_on_postgresql(
    session: Session, request: DataRequest, message: OutboxMessage, *, ui_language: str
) -> bool:
    """`record_submission` on PostgreSQL, in six round trips where the session's statements
    took nine: the pool's ping; BEGIN (psycopg's own, waited for even in a pipeline); the
    same-request lock and the duplicate check; both rows (one statement), the chain's lock and
    its head; the audit event; COMMIT.

    The chain's lock is taken after the rows are written, as before: it is held for the event
    and the commit only.
    """
    connection = session.connection()
    if _lock_and_find_same(connection, request) is not None:
        session.rollback()
        return False
    if _has_related_rows(request):
        session.add(request)
        session.flush()
        message.request_id = request.id
        _insert(connection, message)
        head = None
    else:
        inserted, _lock, head_rows = pipelined(
            connection,
            [
                _insert_both(connection, request, message),
                *((chain, None) for chain in audit.PG_LOCK_THEN_HEAD),
            ],
        )
        [(request.id, message.id)] = inserted
        message.request_id = request.id
        head = audit.head_of(head_rows)
    _record_event(session, request, ui_language, head)
    session.commit()
    return True


def _record_event(
    session: Session, request: DataRequest, ui_language: str, head: tuple[int, str] | None
) -> None:
    audit.record(session, **_event(request, ui_language), now=request.created_at, head=head)


def _event(request: DataRequest, ui_language: str) -> dict[str, Any]:
    """The audit event of a submission (the keys of `audit.record`)."""
    return {
        "action": "request.submitted",
        "actor": "subject",
        "request_id": request.id,
        # A name typed that is not the identified person's, sent knowingly: the flag only (the
        # names are in the request and its seal, not in the audit trail).
        "detail": f"right={request.right} register={request.register_id} ui={ui_language}"
        + (" name_differs_from_identity=yes" if request.name_differs_from_identity else ""),
    }


def _record_pipelined(
    engine: Engine,
    app_engine: Engine,
    request: DataRequest,
    message: OutboxMessage,
    *,
    ui_language: str,
) -> bool:
    """`record_submission` on a PostgreSQL connection of `engine` in autocommit, in three round
    trips: BEGIN, the same-request lock and the duplicate check; both rows (one statement), the
    chain's lock and its head; the audit event (and a checkpoint when one falls due, for
    `app_engine`'s checkpoints) with COMMIT.

    The transaction is begun by hand, so psycopg's own BEGIN is not a round trip of its own, and
    the connection is not pinged when taken from the pool: a connection the server dropped (a
    restart) fails the first round trip, before anything is written, and the submission is tried
    once more on a new connection (`db.by_hand`). The chain's lock is taken after the rows are
    written and held for the event and the commit only, as on the session's path.
    """

    def first(connection: Connection, _raw: Any) -> list[tuple[Any, ...]]:
        _begin, _lock, candidates = pipelined(
            connection, [("BEGIN", None), *_lock_and_same(connection, request)]
        )
        return candidates

    def rest(connection: Connection, raw: Any, candidates: list[tuple[Any, ...]]) -> bool:
        if _same_details(candidates, request.details or {}) is not None:
            raw.execute("ROLLBACK")
            return False
        inserted, _lock, head_rows = pipelined(
            connection,
            [
                _insert_both(connection, request, message),
                *((chain, None) for chain in audit.PG_LOCK_THEN_HEAD),
            ],
        )
        [(request.id, message.id)] = inserted
        message.request_id = request.id
        appended = audit.pg_append(
            connection,
            app_engine,
            [_event(request, ui_language)],
            head=audit.head_of(head_rows),
            now=request.created_at,
        )
        pipelined(connection, [*appended, ("COMMIT", None)])
        return True

    return by_hand(engine, first, rest)


def _has_related_rows(row: DataRequest | OutboxMessage) -> bool:
    """Return whether a new `row` carries related rows (a request's identity) to insert with it."""
    state = inspect(row)
    return any(state.dict.get(relation.key) for relation in state.mapper.relationships)


def _insert(connection: Connection, row: DataRequest | OutboxMessage) -> None:
    """Insert a new `row`'s own columns on the session's `connection` and set its id.

    The unit of work's flush of one new object (its cascades, relationships and bookkeeping) cost
    several times the INSERT, under the chain's lock. Columns the row does not set get their
    defaults from the table, as in a flush.
    """
    state = inspect(row)
    values = {
        prop.columns[0].key: state.dict[prop.key]
        for prop in state.mapper.column_attrs
        if prop.key in state.dict
    }
    result = connection.execute(_INSERTS[state.mapper.local_table.name], values)
    row.id = result.inserted_primary_key[0]


_INSERTS = {table.name: insert(table) for table in (DataRequest.__table__, OutboxMessage.__table__)}
"""The two INSERT statements, built once (a statement built per row made its cache key anew)."""


def _insert_both(
    connection: Connection, request: DataRequest, message: OutboxMessage
) -> tuple[str, dict[str, Any]]:
    """The statement inserting `request` and its outbox `message`, for `pipelined`."""
    request_values = _row_values(connection, request)
    message_values = _row_values(connection, message)
    sql = _pg_insert_both(connection, tuple(request_values), tuple(message_values))
    params = {f"r_{key}": value for key, value in request_values.items()}
    params |= {f"m_{key}": value for key, value in message_values.items()}
    return sql, params


def _row_values(connection: Connection, row: DataRequest | OutboxMessage) -> dict[str, Any]:
    """Return a new `row`'s column values as a flush would insert them, keyed by column.

    Its own set columns and, for the others, the column's Python default (the table's server
    defaults are the database's), each through its type's processing for the driver (JSON)."""
    state = inspect(row)
    table = state.mapper.local_table
    values = {
        prop.columns[0].key: state.dict[prop.key]
        for prop in state.mapper.column_attrs
        if prop.key in state.dict
    }
    for column in table.columns:
        default = column.default
        if column.key in values or default is None or column.primary_key:
            continue
        if default.is_scalar:
            values[column.key] = default.arg  # type: ignore[attr-defined]
        elif default.is_callable:
            values[column.key] = default.arg(None)  # type: ignore[attr-defined]
    dialect = connection.dialect
    return {key: _bind(dialect, table.c[key], value) for key, value in values.items()}


_BIND_PROCESSORS: dict[Any, Any] = {}
"""Per column: its type's bind processor for PostgreSQL (the app's engines all make the same)."""


def _bind(dialect: Any, column: Any, value: Any) -> Any:
    """Return `value` of `column` as SQLAlchemy hands it to the driver (its bind processor)."""
    try:
        process = _BIND_PROCESSORS[column]
    except KeyError:
        impl = column.type.dialect_impl(dialect)
        process = _BIND_PROCESSORS[column] = impl.bind_processor(dialect)
    return value if process is None or value is None else process(value)


_PG_INSERT_BOTH: dict[tuple[tuple[str, ...], tuple[str, ...]], str] = {}


def _pg_insert_both(
    connection: Connection, request_keys: tuple[str, ...], message_keys: tuple[str, ...]
) -> str:
    """Return one PostgreSQL statement inserting a request and its outbox row (which gets the
    request's id), returning both ids; made once per set of columns."""
    sql = _PG_INSERT_BOTH.get((request_keys, message_keys))
    if sql is None:
        quote = connection.dialect.identifier_preparer.quote
        requests, messages = DataRequest.__table__, OutboxMessage.__table__
        message_keys_ = [key for key in message_keys if key != "request_id"]
        sql = (
            f"WITH new_request AS (INSERT INTO {quote(requests.name)} "
            f"({', '.join(quote(requests.c[key].name) for key in request_keys)}) "
            f"VALUES ({', '.join(f'%(r_{key})s' for key in request_keys)}) RETURNING id) "
            f"INSERT INTO {quote(messages.name)} (request_id, "
            f"{', '.join(quote(messages.c[key].name) for key in message_keys_)}) "
            f"VALUES ((SELECT id FROM new_request), "
            f"{', '.join(f'%(m_{key})s' for key in message_keys_)}) RETURNING request_id, id"
        )
        _PG_INSERT_BOTH[(request_keys, message_keys)] = sql
    return sql
