"""SQL conditions for "one of these values" that stay cheap for lists of any length.

An ``IN (…)`` list sends one bound value per element. psycopg converts a statement of more than
50 values afresh on every execution (its cache stops there): ~0.5 ms for the plan page's 100
measure ids, and an IN list of 100,000 values took longer to build and parse than the query took
to run. On PostgreSQL :func:`among` sends the values as one array parameter instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Integer, Row, Select, any_, bindparam, cast

from tracker.extensions import db

#: SQLite and PostgreSQL both accept this many bound values in one IN list.
IN_CHUNK = 30_000


def chunks(values: Sequence[Any], size: int = IN_CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def array_literal(values: Iterable[int | str | date | None]) -> str:
    """A PostgreSQL array literal, ``{1,NULL,"m7",2024-03-15}``: one text parameter that the server
    parses, where psycopg would inspect a Python list element by element (seconds at 100,000s)."""
    parts = []
    for value in values:
        if value is None:
            parts.append("NULL")
        elif isinstance(value, str):
            parts.append('"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"')
        else:
            parts.append(str(value))
    return "{" + ",".join(parts) + "}"


def among(column: Any, values: Sequence[int]) -> Iterable[Any]:
    """Conditions "``column`` is one of ``values``" (integers), one statement each: on PostgreSQL
    one condition with one array parameter (``= ANY(:values)``), elsewhere IN lists of
    :data:`IN_CHUNK` values. None for no values: nothing to ask the database (on either engine)."""
    if not values:
        return
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import ARRAY

        yield column == any_(cast(bindparam("values", array_literal(values)), ARRAY(Integer)))
        return
    for chunk in chunks(values):
        yield column.in_(chunk)


def rows_among(
    statement: Select[*tuple[Any, ...]], column: Any, values: Sequence[int]
) -> Iterator[Row[*tuple[Any, ...]]]:
    """The rows of ``statement`` whose ``column`` is one of ``values`` (see :func:`among`); in
    ``statement``'s order within each statement (one on PostgreSQL)."""
    for condition in among(column, values):
        yield from db.session.execute(statement.where(condition))
