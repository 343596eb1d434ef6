"""Creating an imported plan's measures, steps and responsibles in batches (issue 17, "Bulk import").

:func:`tracker.plans.services.add_measure` and ``add_step`` flush once per row and query the plan
for the last position, the number's uniqueness and the units; for a 10,000-measure file that is
tens of thousands of round trips. Here the same objects, with the same values, are built in
memory and written by one flush: SQLAlchemy sends each table's rows as batched multi-row INSERTs
(``insertmanyvalues``, on SQLite and PostgreSQL), the search listener indexes them all in one
statement, and the audit entries — the same ones, in the same order: a measure's ``create``, its
steps' ``create``, its ``import`` — go in one more statement (``audit.entry_row``). The rules
checked row by row there are checked here once per file, with the same messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from sqlalchemy import insert, select

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
    deadlines = _Deadlines(_default_year(plan))
    actor_id = actor.id if actor is not None else None
    last = max((m.position for m in plan.measures), default=0)
    measures = []
    with db.session.no_autoflush:
        for offset, item in enumerate(items, start=1):
            measure = _new_measure(plan, item.data, units, deadlines, actor_id, last + offset)
            for position, step in enumerate(item.steps, start=1):
                _new_step(measure, step, deadlines, actor_id, position)
            measures.append(measure)
    db.session.add_all(measures)
    db.session.flush()
    entries: list[dict[str, Any]] = []
    for measure, item in zip(measures, items, strict=True):
        entries += _audit_created(plan, measure, item, actor)
    if entries:  # one statement, the rows in this order
        db.session.execute(insert(AuditEntry), entries)
    return measures


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
        self.parsed: dict[tuple[str | None, date | None], _DeadlineValues] = {}

    def apply(self, target: Measure | Step, text: str | None, manual_due: date | None) -> None:
        fields = self.parsed.get((text, manual_due))
        if fields is None:
            fields = _DeadlineValues()
            apply_deadline(fields, text, self.default_year, manual_due)
            self.parsed[(text, manual_due)] = fields
        for name in self.FIELDS:
            setattr(target, name, getattr(fields, name))


def _new_measure(
    plan: Plan,
    data: MeasureData,
    units: dict[int, Unit],
    deadlines: _Deadlines,
    actor_id: int | None,
    position: int,
) -> Measure:
    measure = Measure(
        plan=plan,
        added_on=data.added_on or today(),
        position=position,
        updated_by_id=actor_id,
        number=data.number,
    )
    measure.title = data.title
    if data.content is not None:
        measure.content = data.content or None
    measure.mechanism = data.mechanism or None
    measure.legal_basis = data.legal_basis or None
    measure.expected_result = data.expected_result or None
    deadlines.apply(measure, data.deadline_text, data.due_on)
    measure.responsibles = _responsibles(data, units)
    measure.steps = []  # a new measure: its steps are the ones added here, never loaded
    return measure


def _responsibles(data: MeasureData, units: dict[int, Unit]) -> list[Responsible]:
    """Lead first, then co-executors, then names (as ``plans.services.set_responsibles`` orders them)."""
    co_ids = [u for u in dict.fromkeys(data.co_unit_ids) if u != data.lead_unit_id]
    rows: list[Responsible] = []
    if data.lead_unit_id:
        rows.append(Responsible(unit=units[data.lead_unit_id], is_lead=True))
    rows += [Responsible(unit=units[unit_id]) for unit_id in co_ids]
    names = (n.strip() for n in data.other_responsible if n.strip() and not is_heading_phrase(n))
    for name in dict.fromkeys(names):
        rows.append(Responsible(name=name, is_all_units=is_all_units_phrase(name), is_lead=not rows))
    for position, row in enumerate(rows):
        row.position = position
    return rows


def _new_step(
    measure: Measure, data: StepData, deadlines: _Deadlines, actor_id: int | None, position: int
) -> Step:
    if not data.text:
        raise InvalidInput(_("Describe the step."))
    step = Step(
        measure=measure, number=data.number, text=data.text, position=position, updated_by_id=actor_id
    )
    deadlines.apply(step, data.deadline_text, data.due_on)
    return step


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
