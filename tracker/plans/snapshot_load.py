"""The queries behind :mod:`tracker.plans.snapshot`: rows, history and change records of a plan.

A fixed number of queries whatever the plan's size: versions, measures (with steps and
responsible units), status updates (with their evidence) and change records.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import select

from tracker.core.sql import rows_among
from tracker.core.status import Status
from tracker.core.time import local_date
from tracker.execution.history import derive_status
from tracker.execution.models import Attachment, StatusUpdate
from tracker.extensions import db
from tracker.plans.inforce import change_order
from tracker.plans.models import (
    DEADLINE_COLUMNS,
    MEASURE_TEXTS,
    Measure,
    Plan,
    PlanVersion,
    Responsible,
    Step,
    deadline_json_of,
)
from tracker.plans.records import ItemChange
from tracker.plans.responsibles import responsibles_among
from tracker.uzbek import transliterate

#: Addresses are written as they are in either script ("https://data.gov.uz" must stay usable).
_ADDRESS = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.)\S+|[\w.+-]+@[\w-]+\.[\w.-]+", re.IGNORECASE)


@lru_cache(maxsize=8192)
def in_script(text: str, script: str) -> str:
    """``text`` in ``script`` ("cyrl"/"latn"); URLs and e-mail addresses are kept as written."""
    pieces, last = [], 0
    for match in _ADDRESS.finditer(text):
        pieces.append(transliterate(text[last : match.start()], script))
        pieces.append(match.group(0))
        last = match.end()
    pieces.append(transliterate(text[last:], script))
    return "".join(pieces)


def measure_json(measure: Measure) -> dict[str, Any]:
    """A measure and its steps in the shape frozen into an approved version's snapshot."""
    return _measure_shape(
        measure, [responsible_json(r) for r in measure.responsibles], [_step_shape(s) for s in measure.steps]
    )


def responsible_json(r: Responsible) -> dict[str, Any]:
    return _responsible_shape(r.display_name, r)


def _measure_shape(m: Any, responsible: list[dict[str, Any]], steps: list[dict[str, Any]]) -> dict[str, Any]:
    """The snapshot's shape of a measure (an object or a row of :func:`measure_columns`)."""
    return {
        "id": m.id,
        "number": m.number,
        "title": m.title,
        **{name: getattr(m, name) for name in MEASURE_TEXTS},
        "deadline": deadline_json_of(m),
        "deadline_on_measure": m.deadline_on_measure,
        "responsible": responsible,
        "steps": steps,
    }


def _step_shape(s: Any) -> dict[str, Any]:
    return {"id": s.id, "number": s.number, "text": s.text, "deadline": deadline_json_of(s)}


def _responsible_shape(name: str, r: Any) -> dict[str, Any]:
    return {"name": name, "unit_id": r.unit_id, "lead": r.is_lead, "all_units": r.is_all_units}


def version_in_force(plan: Plan, as_of: date) -> PlanVersion | None:
    """The latest approved version whose approval date is on or before ``as_of``."""
    candidates = [v for v in plan.versions if v.approval_date <= as_of]
    return max(candidates, key=lambda v: (v.approval_date, v.number)) if candidates else None


@dataclass(frozen=True)
class ItemState:
    status: Status
    note: str | None
    reported_on: date | None
    done_on: date | None
    completion_unknown: bool
    return_reason: str | None
    #: The note in force was written as internal (public outputs leave it out).
    is_note_internal: bool = False
    #: When the report in force was recorded, and its id (see ``inforce.own_status_wins``).
    recorded: tuple[datetime, int] | None = None


NOTHING = ItemState(Status.NOT_STARTED, None, None, None, False, None)

Key = tuple[int, int | None]


@dataclass
class LoadedHistory:
    #: (measure id, step id or None, field) → change records in the order the rules read them
    #: (rows with :class:`ItemChange`'s columns, read by the same names).
    changes: dict[tuple[int, int | None, str], list[Any]] = field(default_factory=dict)
    states: dict[Key, ItemState] = field(default_factory=dict)
    #: (measure id, step id) → (id, name, size, sha256) of evidence reported by then.
    evidence: dict[Key, list[tuple[int, str, int, str]]] = field(default_factory=dict)

    def state(self, key: Key) -> ItemState:
        return self.states.get(key, NOTHING)


def load_history(measure_ids: list[int], as_of: date, *, include_pending: bool) -> LoadedHistory:
    """The measures' dated changes, their status reports up to ``as_of`` and the reports'
    evidence, in three statements, as plain rows.

    The rows carry the columns the rules read (``inforce``, ``derive_status``), by the same
    names as the objects' attributes, and nothing else: what was recorded and when, never who
    recorded it. A 300-measure plan's history as ORM objects (identity map, change tracking,
    their evidence through a relationship) was most of its read model (issue 17).
    """
    history = LoadedHistory()
    if not measure_ids:
        return history
    changes = db.session.execute(
        select(*(getattr(ItemChange, name) for name in _CHANGE_COLUMNS)).where(
            ItemChange.measure_id.in_(measure_ids)
        )
    ).all()
    for change in sorted(changes, key=lambda c: change_order(c.effective_on, (c.recorded_at, c.id))):
        history.changes.setdefault((change.measure_id, change.step_id, str(change.field)), []).append(change)
    updates = db.session.execute(
        select(*(getattr(StatusUpdate, name) for name in _UPDATE_COLUMNS)).where(
            StatusUpdate.measure_id.in_(measure_ids), StatusUpdate.effective_on <= as_of
        )
    ).all()
    files: dict[int, list[tuple[int, str, int, str]]] = {}
    if updates:
        evidence = select(
            Attachment.status_update_id,
            Attachment.id,
            Attachment.original_name,
            Attachment.size,
            Attachment.sha256,
        ).order_by(Attachment.status_update_id, Attachment.id)
        for f in rows_among(evidence, Attachment.status_update_id, [u.id for u in updates]):
            files.setdefault(f.status_update_id, []).append((f.id, f.original_name, f.size, f.sha256))
    grouped: dict[Key, list[Any]] = {}
    for update in updates:
        grouped.setdefault((update.measure_id, update.step_id), []).append(update)
    for key, items in grouped.items():
        history.states[key] = _state(items, as_of, include_pending)
        history.evidence[key] = [a for u in sorted(items, key=lambda u: u.id) for a in files.get(u.id, [])]
    return history


#: What the rules read of a dated change and of a status report (their attributes' names).
_CHANGE_COLUMNS = (
    "id", "measure_id", "step_id", "field", "kind", "old_value", "new_value", "effective_on", "recorded_at",
    "basis",
)  # fmt: skip
_UPDATE_COLUMNS = (
    "id", "measure_id", "step_id", "status", "note", "is_internal", "created_at", "effective_on",
    "completion_unknown", "review_state", "review_comment", "reviewed_at",
)  # fmt: skip


def _state(updates: Iterable[Any], as_of: date, include_pending: bool) -> ItemState:
    updates = list(updates)
    derived = derive_status(updates, as_of, include_pending=include_pending)
    source = next((u for u in updates if u.id == derived.update_id), None)
    if source is None:
        return NOTHING
    done_on = None
    unknown = derived.status == Status.DONE and source.completion_unknown
    if derived.status == Status.DONE and not unknown:
        done_on = source.effective_on
        if source.reviewed_at is not None:
            done_on = max(done_on, local_date(source.reviewed_at))
    return ItemState(
        status=derived.status,
        note=derived.note,
        reported_on=source.effective_on,
        done_on=done_on,
        completion_unknown=unknown,
        return_reason=derived.return_reason,
        is_note_internal=bool(source.is_internal),
        recorded=(source.created_at, source.id),
    )


def measure_columns() -> tuple[Any, ...]:
    """The columns :func:`measures_json_of` reads from each measure row."""
    return (
        Measure.id,
        Measure.number,
        Measure.title,
        Measure.deadline_on_measure,
        *(getattr(Measure, name) for name in (*MEASURE_TEXTS, *DEADLINE_COLUMNS)),
    )


def live_measures_json(plan: Plan, as_of: date, only: Collection[int] | None) -> list[dict[str, Any]]:
    """:func:`measure_json` of each current measure of the plan that had entered it by ``as_of``,
    in table order, read as plain rows: three statements and no ORM objects.

    Every status report, export and API read of a plan goes through here; for a 300-measure plan
    the measures, steps and responsibles as objects (with their units, identity map and change
    tracking) were a third of a report's read model (issue 17). The dictionaries are the ones
    :func:`measure_json` makes of the objects (tests/history/test_live_rows.py compares them).
    """
    query = (
        select(*measure_columns())
        .where(Measure.plan_id == plan.id, Measure.deleted_at.is_(None), Measure.added_on <= as_of)
        .order_by(Measure.position)
    )
    if only is not None:
        query = query.where(Measure.id.in_(list(only)))
    return measures_json_of(db.session.execute(query).all())


def measures_json_of(measures: Sequence[Any]) -> list[dict[str, Any]]:
    """:func:`measure_json` of rows holding :func:`measure_columns` (read by name; other columns
    are ignored), with their steps and responsibles read in two statements."""
    ids = [m.id for m in measures]
    steps: dict[int, list[dict[str, Any]]] = {}
    step_rows = select(
        Step.measure_id, Step.id, Step.number, Step.text, *(getattr(Step, c) for c in DEADLINE_COLUMNS)
    ).order_by(Step.measure_id, Step.position)
    for s in rows_among(step_rows, Step.measure_id, ids):
        steps.setdefault(s.measure_id, []).append(_step_shape(s))
    responsibles: dict[int, list[dict[str, Any]]] = {}
    for r in responsibles_among(ids):
        # As responsible_json: the name is Responsible.display_name (the unit's, else as written).
        name = r.unit_name if r.unit_id is not None else (r.name or "")
        responsibles.setdefault(r.measure_id, []).append(_responsible_shape(name, r))
    return [_measure_shape(m, responsibles.get(m.id, []), steps.get(m.id, [])) for m in measures]
