"""Make SQLite behave like the production engine where it matters.

pysqlite starts transactions lazily and ignores SAVEPOINT semantics, and SQLite leaves
foreign keys unenforced by default. Both would let behaviour differ from PostgreSQL
(cascades, nested transactions), so we take over transaction control as SQLAlchemy's
documentation recommends and switch foreign keys on for every connection.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine


def configure_sqlite(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 5000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")
