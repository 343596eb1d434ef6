"""Creating an imported plan's measures, steps and responsibles in batches (issue 17, "Bulk import").

:func:`tracker.plans.services.add_measure` and ``add_step`` flush once per row and query the plan
for the last position, the number's uniqueness and the units; for a 10,000-measure file that is
tens of thousands of round trips, and even one ORM flush of 36,000 new objects spends most of its
time in the unit of work. Here the same rows, with the same values, are built as plain dicts and
written with Core ``insert()`` executemany (the driver's ``executemany``: sqlite3's, or psycopg's
pipeline on PostgreSQL, which measured twice as fast here as SQLAlchemy's multi-row INSERTs, whose
long statements psycopg parses in Python). The measures' ids are read back by position: RETURNING
with ``sort_by_parameter_order`` sends small batches on SQLite and splices their results together
again for each one (millions of row fetches for 10,000 rows). The measures are then loaded back in
three queries, so that callers get the ORM objects they had before; the search entries are written
from them by :func:`tracker.search.index.write_entries`, the function the after-flush listener
calls (so the rows are the same), in one statement; the audit entries — the same ones, in the same
order: a measure's ``create``, its steps' ``create``, its ``import`` — in one more
(``audit.entry_row``). The rules checked row by row there are checked here once per file, with
the same messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from sqlalchemy import insert, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from tracker.core import audit
from tracker.core.errors import InvalidInput, PermissionDenied
from tracker.core.models import AuditEntry
from tracker.core.time import today
from tracker.extensions import db
from tracker.orgs.models import Unit
from tracker.plans.access import can_edit_plan
from tracker.plans.models import DeadlineFields, Measure, Plan, Responsible, Step
from tracker.plans.services import (
    MEASURE_FIELDS,
    STEP_FIELDS,
    MeasureData,
    StepData,
    apply_deadline,
    is_all_units_phrase,
    is_heading_phrase,
)
from tracker.search.index import write_entries

if TYPE_CHECKING:
    from tracker.auth.models import User


@dataclass
class NewMeasure:
    """One measure to create, its steps, and what its ``import`` audit entry says."""

    data: MeasureData
    steps: list[StepData] = field(default_factory=list)
    imported: dict[str, Any] = field(default_factory=dict)


def add_measures(plan: Plan, items: list[NewMeasure], *, actor: User | None) -> list[Measure]:
    """Append the measures (with steps and responsibles) to the new draft ``plan``, audited.

    Raises :class:`InvalidInput` (no number, a number used twice, a step without text, a unit of
    another organization) or :class:`PermissionDenied` before anything is written.
    """
    if actor is not None and not can_edit_plan(actor, plan):
        raise PermissionDenied(_("You may not edit this plan."))
    _check_numbers(plan, [item.data.number for item in items])
    units = _units_of(plan, items)
    if any(not step.text for item in items for step in item.steps):
        raise InvalidInput(_("Describe the step."))
    if not items:
        return []
    db.session.flush()  # the plan's id, and nothing pending behind the Core statements
    deadlines = _Deadlines(_default_year(plan))
    actor_id = actor.id if actor is not None else None
    last = max((m.position for m in plan.measures), default=0)
    known = {m.id for m in plan.all_measures}
    rows: list[dict[str, Any]] = [
        _measure_row(plan, item.data, deadlines, actor_id, last + offset)
        for offset, item in enumerate(items, start=1)
    ]
    connection = db.session.connection()
    connection.execute(insert(Measure), rows)
    measure_ids = _new_ids(plan, known, [row["position"] for row in rows])
    step_rows = [
        _step_row(measure_id, step, deadlines, actor_id, position)
        for measure_id, item in zip(measure_ids, items, strict=True)
        for position, step in enumerate(item.steps, start=1)
    ]
    responsible_rows = [
        row
        for measure_id, item in zip(measure_ids, items, strict=True)
        for row in _responsible_rows(measure_id, item.data, units)
    ]
    for model, model_rows in ((Step, step_rows), (Responsible, responsible_rows)):
        if model_rows:
            connection.execute(insert(model), model_rows)
    measures = _load_measures(plan, measure_ids)
    # The rows the after-flush listener writes for new measures and steps, in one statement.
    write_entries(
        db.session.connection(), [*measures, *(s for m in measures for s in m.steps)], replace=False
    )
    entries: list[dict[str, Any]] = []
    for measure, item in zip(measures, items, strict=True):
        entries += _audit_created(plan, measure, item, actor)
    connection.execute(insert(AuditEntry), entries)  # one statement, the rows in this order
    return measures


def _new_ids(plan: Plan, known: set[int], positions: list[int]) -> list[int]:
    """The ids of the measures just added at ``positions``, in that order: one query, where
    RETURNING would need its batched results sorted back into the rows' order."""
    found = db.session.execute(select(Measure.id, Measure.position).where(Measure.plan_id == plan.id))
    at = {position: measure_id for measure_id, position in found if measure_id not in known}
    return [at[position] for position in positions]


def _load_measures(plan: Plan, measure_ids: list[int]) -> list[Measure]:
    """The new measures as ORM objects with their steps and responsibles (three queries), and the
    plan's list of measures refreshed to hold them."""
    everything = db.session.scalars(
        select(Measure)
        .where(Measure.plan_id == plan.id)
        .order_by(Measure.position)
        .options(selectinload(Measure.steps), selectinload(Measure.responsibles))
    ).all()
    set_committed_value(plan, "all_measures", list(everything))
    by_id = {m.id: m for m in everything}
    return [by_id[measure_id] for measure_id in measure_ids]


def _check_numbers(plan: Plan, numbers: list[str]) -> None:
    seen = {m.number for m in plan.measures}
    for number in numbers:
        if not number:
            raise InvalidInput(_("Give the measure a number."))
        if number in seen:
            raise InvalidInput(_("Measure number %(number)s is already used in this plan.", number=number))
        seen.add(number)


def _units_of(plan: Plan, items: list[NewMeasure]) -> dict[int, Unit]:
    wanted = {u for item in items for u in (item.data.lead_unit_id, *item.data.co_unit_ids) if u}
    if not wanted:
        return {}
    units = db.session.scalars(select(Unit).where(Unit.id.in_(wanted))).all()
    found = {u.id: u for u in units if u.organization_id == plan.organization_id}
    if len(found) != len(wanted):
        raise InvalidInput(_("A responsible unit does not belong to this plan's organization."))
    return found


def _default_year(plan: Plan) -> int | None:
    start_or_end = plan.period_start or plan.period_end
    return start_or_end.year if start_or_end else None


class _DeadlineValues(DeadlineFields):
    """The deadline fields of one text, parsed once and copied onto many rows (not itself a row)."""


class _Deadlines:
    """``apply_deadline`` with each distinct deadline text parsed once per file ("Ҳар чоракда" × 1,000)."""

    FIELDS = ("deadline_text", "start_on", "due_on", "deadline_kind", "deadline_recurrence")

    def __init__(self, default_year: int | None) -> None:
        self.default_year = default_year
        self.parsed: dict[tuple[str | None, date | None], dict[str, Any]] = {}

    def fields(self, text: str | None, manual_due: date | None) -> dict[str, Any]:
        """The deadline columns for this text (a dict shared between rows: copy, don't change it)."""
        values = self.parsed.get((text, manual_due))
        if values is None:
            target = _DeadlineValues()
            apply_deadline(target, text, self.default_year, manual_due)
            values = {name: getattr(target, name) for name in self.FIELDS}
            self.parsed[(text, manual_due)] = values
        return values


def _measure_row(
    plan: Plan, data: MeasureData, deadlines: _Deadlines, actor_id: int | None, position: int
) -> dict[str, Any]:
    """The columns ``add_measure`` sets; the others take their defaults (status, times, version)."""
    return {
        "plan_id": plan.id,
        "added_on": data.added_on or today(),
        "position": position,
        "updated_by_id": actor_id,
        "number": data.number,
        "title": data.title,
        "content": data.content or None,
        "mechanism": data.mechanism or None,
        "legal_basis": data.legal_basis or None,
        "expected_result": data.expected_result or None,
        **deadlines.fields(data.deadline_text, data.due_on),
    }


def _step_row(
    measure_id: int, data: StepData, deadlines: _Deadlines, actor_id: int | None, position: int
) -> dict[str, Any]:
    return {
        "measure_id": measure_id,
        "number": data.number,
        "text": data.text,
        "position": position,
        "updated_by_id": actor_id,
        **deadlines.fields(data.deadline_text, data.due_on),
    }


def _responsible_rows(measure_id: int, data: MeasureData, units: dict[int, Unit]) -> list[dict[str, Any]]:
    """Lead first, then co-executors, then names (as ``plans.services.set_responsibles`` orders them)."""
    co_ids = [u for u in dict.fromkeys(data.co_unit_ids) if u != data.lead_unit_id]
    unit_ids = [data.lead_unit_id] if data.lead_unit_id else []
    unit_ids += co_ids
    rows: list[dict[str, Any]] = [
        {
            "unit_id": units[unit_id].id,
            "name": None,
            "is_all_units": False,
            "is_lead": unit_id == data.lead_unit_id,
        }
        for unit_id in unit_ids
    ]
    names = (n.strip() for n in data.other_responsible if n.strip() and not _is_heading(n))
    for name in dict.fromkeys(names):
        rows.append({"unit_id": None, "name": name, "is_all_units": _is_all_units(name), "is_lead": not rows})
    for position, row in enumerate(rows):
        row.update(measure_id=measure_id, position=position)
    return rows


#: The same few names ("Барча вазирликлар", "Ҳокимликлар") in thousands of rows: fold each once.
_is_heading = lru_cache(maxsize=1024)(is_heading_phrase)
_is_all_units = lru_cache(maxsize=1024)(is_all_units_phrase)


def _audit_created(
    plan: Plan, measure: Measure, item: NewMeasure, actor: User | None
) -> list[dict[str, Any]]:
    """The entries ``add_measure``, ``add_step`` and the import write, in their order."""
    owner = plan.organization_id
    responsible = [("* " if r.is_lead else "") + r.display_name for r in measure.responsibles]
    after = {**audit.snapshot(measure, MEASURE_FIELDS), "plan_id": plan.id, "responsible": responsible}
    rows = [audit.entry_row(actor, "measure", measure.id, "create", after=after, organization_id=owner)]
    for step in measure.steps:
        after = {**audit.snapshot(step, STEP_FIELDS), "measure_id": measure.id}
        rows.append(audit.entry_row(actor, "step", step.id, "create", after=after, organization_id=owner))
    rows.append(
        audit.entry_row(actor, "measure", measure.id, "import", after=item.imported, organization_id=owner)
    )
    return rows
