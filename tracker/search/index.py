"""Keeping ``search_entries`` current, from our own package, with SQLAlchemy ORM events.

Why ORM events rather than triggers: the key is computed by the Uzbek language engine
(transliteration, folding, document numbers), which lives in Python; a database trigger
would have to reimplement it per engine. The listener runs after every flush of any session,
looks at the new and changed measures, steps, plans and status updates, and rewrites their
rows with Core statements on the flush's own connection — same transaction, so a rollback
undoes the index too. Deletions need nothing: the foreign keys cascade. Measures removed from a
revision (``deleted_at`` set) leave the index with their steps and notes, so that searching
never needs to look at the measures table.

Writes that bypass the ORM (bulk loads, the benchmark) call :func:`rebuild_index` afterwards;
``flask search rebuild`` (tracker/search/cli.py) does it from the command line.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from sqlalchemy import delete, event, insert, inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from tracker.execution.models import StatusUpdate
from tracker.plans.models import Measure, Plan, Step
from tracker.search.models import FTS_TABLE, EntryKind, SearchEntry
from tracker.uzbek import search_key

logger = logging.getLogger(__name__)

#: The attributes each indexed class contributes, in order.
INDEXED_FIELDS: dict[type, tuple[str, ...]] = {
    Measure: ("title", "mechanism", "legal_basis", "expected_result", "deadline_text"),
    Step: ("text", "deadline_text"),
    Plan: ("title", "basis"),
    StatusUpdate: ("note",),
}
_KINDS = {
    Measure: EntryKind.MEASURE,
    Step: EntryKind.STEP,
    Plan: EntryKind.PLAN,
    StatusUpdate: EntryKind.NOTE,
}
_ID_COLUMN = {
    EntryKind.MEASURE: SearchEntry.measure_id,
    EntryKind.STEP: SearchEntry.step_id,
    EntryKind.PLAN: SearchEntry.plan_id,
    EntryKind.NOTE: SearchEntry.status_update_id,
}


def padded_key(*texts: str | None) -> str:
    """The stored form: the folded tokens with a space on each side ("" when there are none)."""
    return _padded("\n".join(t for t in texts if t))


#: PostgreSQL refuses a lexeme over 2,047 bytes ("word is too long"); 255 characters of up to
#: 4 bytes each stay under it, and no real word or number is longer.
MAX_TOKEN_CHARS = 255


@lru_cache(maxsize=8192)
def _padded(text: str) -> str:
    # Plans repeat themselves ("Ҳар чоракда", the same decree): fold each text once.
    key = " ".join(token[:MAX_TOKEN_CHARS] for token in search_key(text).split(" "))
    return f" {key} " if key else ""


def _text_of(obj: Any) -> str:
    return padded_key(*(getattr(obj, name) for name in INDEXED_FIELDS[type(obj)]))


def _changed(obj: Any) -> bool:
    state = inspect(obj)
    names = INDEXED_FIELDS[type(obj)] + (("deleted_at",) if isinstance(obj, Measure) else ())
    return any(state.attrs[name].history.has_changes() for name in names)


def _removed(obj: Any) -> bool:
    return isinstance(obj, Measure) and obj.deleted_at is not None


def _row(obj: Any, kind: EntryKind, key: str, plan_of_measure: dict[int, int]) -> dict[str, Any] | None:
    if kind == EntryKind.PLAN:
        return {"kind": kind.value, "plan_id": obj.id, "search_key": key}
    if kind == EntryKind.MEASURE:
        return {"kind": kind.value, "plan_id": obj.plan_id, "measure_id": obj.id, "search_key": key}
    plan_id = plan_of_measure.get(obj.measure_id)
    if plan_id is None:  # the measure went away in the same flush
        return None
    row = {"kind": kind.value, "plan_id": plan_id, "measure_id": obj.measure_id, "search_key": key}
    row["step_id"] = obj.id if kind == EntryKind.STEP else obj.step_id
    if kind == EntryKind.NOTE:
        row["status_update_id"] = obj.id
    return row


def write_entries(connection: Connection, objects: Iterable[Any], *, replace: bool) -> None:
    """(Re)write the rows of ``objects`` (measures, steps, plans, status updates) in a few statements."""
    objects = [o for o in objects if type(o) in _KINDS]
    if not objects:
        return
    if replace:
        for kind, column in _ID_COLUMN.items():
            ids = [o.id for o in objects if _KINDS[type(o)] == kind]
            if ids:
                connection.execute(delete(SearchEntry).where(SearchEntry.kind == kind.value, column.in_(ids)))
    removed = [o.id for o in objects if _removed(o)]
    if removed:  # a removed measure takes its steps and notes out of the index
        connection.execute(delete(SearchEntry).where(SearchEntry.measure_id.in_(removed)))
    measure_ids = {o.measure_id for o in objects if isinstance(o, Step | StatusUpdate)}
    known = {m.id for m in objects if isinstance(m, Measure)}
    plan_of_measure = {m.id: m.plan_id for m in objects if isinstance(m, Measure) and not _removed(m)}
    missing = measure_ids - known
    if missing:
        found = connection.execute(
            select(Measure.id, Measure.plan_id).where(Measure.id.in_(missing), Measure.deleted_at.is_(None))
        )
        plan_of_measure.update({measure_id: plan_id for measure_id, plan_id in found})
    rows: list[dict[str, Any]] = []
    for obj in objects:
        if _removed(obj):
            continue
        key = _text_of(obj)
        if key and (row := _row(obj, _KINDS[type(obj)], key, plan_of_measure)) is not None:
            rows.append(row)
    if rows:
        full = [
            {"measure_id": None, "step_id": None, "status_update_id": None, **row} for row in rows
        ]  # executemany needs the same keys in every row
        connection.execute(insert(SearchEntry), full)


def _after_flush(session: Session, _context: Any) -> None:
    new = [o for o in session.new if type(o) in _KINDS]
    dirty = [o for o in session.dirty if type(o) in _KINDS and o not in session.deleted and _changed(o)]
    if not new and not dirty:
        return
    connection = session.connection()
    write_entries(connection, new, replace=False)
    write_entries(connection, dirty, replace=True)


def register_listeners() -> None:
    """Listen on every session (Flask-SQLAlchemy's and the tests'); safe to call twice."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)


def _rebuild_queries() -> list[tuple[EntryKind, Any]]:
    """Each kind of entry with the query reading its texts (live measures only)."""
    live = Measure.deleted_at.is_(None)
    return [
        (EntryKind.PLAN, select(Plan.id.label("plan_id"), Plan.title, Plan.basis)),
        (
            EntryKind.MEASURE,
            select(
                Measure.plan_id,
                Measure.id.label("measure_id"),
                *(getattr(Measure, f) for f in INDEXED_FIELDS[Measure]),
            ).where(live),
        ),
        (
            EntryKind.STEP,
            select(Measure.plan_id, Step.measure_id, Step.id.label("step_id"), Step.text, Step.deadline_text)
            .join(Measure, Measure.id == Step.measure_id)
            .where(live),
        ),
        (
            EntryKind.NOTE,
            select(
                Measure.plan_id,
                StatusUpdate.measure_id,
                StatusUpdate.step_id,
                StatusUpdate.id.label("status_update_id"),
                StatusUpdate.note,
            )
            .join(Measure, Measure.id == StatusUpdate.measure_id)
            .where(StatusUpdate.note.is_not(None), live),
        ),
    ]


def rebuild_index(connection: Connection, *, batch: int = 2000) -> int:
    """Rewrite every row from the tables (after a bulk load, or to repair the index); returns the count.

    Idempotent: the table is emptied first, in the caller's transaction. On SQLite the FTS5
    table is rebuilt from ``search_entries`` at the end (its triggers normally keep it current).
    """
    connection.execute(delete(SearchEntry))
    count = 0
    queries = _rebuild_queries()
    for kind, query in queries:
        fields = INDEXED_FIELDS[{v: k for k, v in _KINDS.items()}[kind]]
        rows: list[dict[str, Any]] = []
        for record in connection.execute(query).mappings().all():
            key = padded_key(*(record[f] for f in fields))
            if not key:
                continue
            rows.append(
                {
                    "kind": kind.value,
                    "plan_id": record["plan_id"],
                    "measure_id": record.get("measure_id"),
                    "step_id": record.get("step_id"),
                    "status_update_id": record.get("status_update_id"),
                    "search_key": key,
                }
            )
            if len(rows) >= batch:
                connection.execute(insert(SearchEntry), rows)
                count += len(rows)
                rows = []
        if rows:
            connection.execute(insert(SearchEntry), rows)
            count += len(rows)
    if connection.dialect.name == "sqlite":
        connection.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"))  # noqa: S608 (a constant)
    logger.info("search index rebuilt: %d entries", count)
    return count
