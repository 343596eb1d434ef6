"""Make SQLite behave like the production engine where it matters.

pysqlite starts transactions lazily and ignores SAVEPOINT semantics, and SQLite leaves
foreign keys unenforced by default. Both would let behaviour differ from PostgreSQL
(cascades, nested transactions), so we take over transaction control as SQLAlchemy's
documentation recommends and switch foreign keys on for every connection.

Concurrent writers: a transaction that may write starts with ``BEGIN IMMEDIATE``, so it takes
the write lock up front and waits (``busy_timeout``) for another writer instead of failing
half-way with "database is locked" when it upgrades a read lock. Requests that only read
(GET, HEAD, OPTIONS) start a plain deferred transaction and, with WAL, never wait for writers.
Outside a request (CLI, jobs, tests) transactions stay deferred: jobs start with the write that
claims their work, and a test holding its connection open must not lock out a second one.
"""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

#: Methods whose requests start a read transaction; the others may write.
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def begin_statement() -> str:
    """The BEGIN for the current unit of work."""
    if has_request_context() and request.method not in READING_METHODS:
        return "BEGIN IMMEDIATE"
    return "BEGIN"


def configure_sqlite(engine: Engine, busy_timeout_ms: int = 30_000) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        if engine.url.database not in (None, "", ":memory:"):
            # Readers do not block the writer nor the writer the readers.
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql(begin_statement())
