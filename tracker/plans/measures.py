"""Editing a draft plan's measures and steps: add, change, delete, reorder.

Services take domain objects and validated data, check the actor's rights, write the audit
trail and flush; never commit. Edits of a draft revision of an approved plan are also kept as
dated change records (:mod:`tracker.plans.changes`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from tracker.core import audit
from tracker.core.errors import InvalidInput, InvalidTransition
from tracker.core.locking import check_version, flush_or_stale
from tracker.core.time import today, utcnow
from tracker.extensions import db
from tracker.plans import changes
from tracker.plans.access import require_edit
from tracker.plans.deadlines import apply_deadline, default_year
from tracker.plans.models import MEASURE_TEXTS, Measure, Plan, Step
from tracker.plans.responsibles import responsible_summary, set_responsibles

if TYPE_CHECKING:
    from tracker.auth.models import User

#: The fields of a measure the audit trail records.
MEASURE_FIELDS = ("number", "title", *MEASURE_TEXTS, "deadline_text", "start_on", "due_on", "deadline_kind")
STEP_FIELDS = ("number", "text", "deadline_text", "start_on", "due_on", "deadline_kind")


@dataclass
class MeasureData:
    number: str
    title: str
    mechanism: str | None = None
    deadline_text: str | None = None
    #: A due date typed by hand wins over the parsed one.
    due_on: date | None = None
    legal_basis: str | None = None
    expected_result: str | None = None
    lead_unit_id: int | None = None
    co_unit_ids: list[int] = field(default_factory=list)
    #: Responsible names matching no unit; "all units" phrases are recognised.
    other_responsible: list[str] = field(default_factory=list)
    #: When the measure entered the plan; today unless an import says otherwise.
    added_on: date | None = None
    #: A proposal's content (issue 15); None leaves the stored content as it is.
    content: str | None = None


@dataclass
class StepData:
    number: str
    text: str
    deadline_text: str | None = None
    due_on: date | None = None


# -- measures -----------------------------------------------------------------------------------


def _check_number(plan: Plan, number: str, exclude_id: int | None = None) -> None:
    if not number:
        raise InvalidInput(_("Give the measure a number."))
    clash = db.session.scalar(
        select(Measure.id).where(
            Measure.plan_id == plan.id,
            Measure.number == number,
            Measure.deleted_at.is_(None),
            Measure.id != (exclude_id or -1),
        )
    )
    if clash is not None:
        raise InvalidInput(_("Measure number %(number)s is already used in this plan.", number=number))


def add_measure(plan: Plan, data: MeasureData, *, actor: User | None, position: int | None = None) -> Measure:
    """Append a measure (or insert it at ``position``) to a draft plan."""
    if actor is not None:
        require_edit(plan, actor)
    _check_number(plan, data.number)
    last = db.session.scalar(select(func.max(Measure.position)).where(Measure.plan_id == plan.id)) or 0
    measure = Measure(
        plan=plan,
        added_on=data.added_on or today(),
        position=last + 1 if position is None else position,
        updated_by_id=actor.id if actor else None,
    )
    _fill_measure(measure, data)
    db.session.add(measure)
    _set_responsibles(measure, data)
    db.session.flush()
    audit.record(
        actor,
        "measure",
        measure.id,
        "create",
        after={
            **audit.snapshot(measure, MEASURE_FIELDS),
            "plan_id": plan.id,
            "responsible": responsible_summary(measure),
        },
    )
    return measure


def _set_responsibles(measure: Measure, data: MeasureData) -> None:
    set_responsibles(
        measure,
        lead_unit_id=data.lead_unit_id,
        co_unit_ids=data.co_unit_ids,
        other_responsible=data.other_responsible,
    )


def _fill_measure(measure: Measure, data: MeasureData) -> None:
    measure.number = data.number
    measure.title = data.title
    for name in MEASURE_TEXTS:
        value = getattr(data, name)
        if value is not None or name != "content":  # a proposal's content: None keeps it (issue 15)
            setattr(measure, name, value or None)
    apply_deadline(measure, data.deadline_text, default_year(measure.plan), data.due_on)


def update_measure(
    measure: Measure, data: MeasureData, *, actor: User, expected_version: int | None
) -> Measure:
    require_edit(measure.plan, actor)
    check_version(measure, expected_version)
    _check_number(measure.plan, data.number, exclude_id=measure.id)
    before = {**audit.snapshot(measure, MEASURE_FIELDS), "responsible": responsible_summary(measure)}
    tracked = changes.tracked_values(measure)
    _fill_measure(measure, data)
    _set_responsibles(measure, data)
    measure.updated_by_id = actor.id
    measure.updated_at = utcnow()
    flush_or_stale(measure)
    changes.record_revision(measure, tracked, actor=actor)
    after = {**audit.snapshot(measure, MEASURE_FIELDS), "responsible": responsible_summary(measure)}
    old, new = audit.changed(before, after)
    if new:
        audit.record(actor, "measure", measure.id, "update", before=old, after=new)
    return measure


def delete_measure(measure: Measure, *, actor: User) -> None:
    """Remove a measure from a draft. One with status history is hidden, not destroyed."""
    require_edit(measure.plan, actor)
    from tracker.execution.models import StatusUpdate

    before = {**audit.snapshot(measure, MEASURE_FIELDS), "plan_id": measure.plan_id}
    has_history = db.session.scalar(
        select(StatusUpdate.id).where(StatusUpdate.measure_id == measure.id).limit(1)
    )
    if has_history or measure.plan.has_approved_version:
        measure.deleted_at = utcnow()
        measure.updated_by_id = actor.id
        db.session.flush()
    else:
        measure.plan.all_measures.remove(measure)
        db.session.flush()
    audit.record(actor, "measure", measure.id, "delete", before=before)


def move_measure(measure: Measure, *, actor: User, offset: int) -> None:
    """Move a measure up (-1) or down (+1) in the table; numbers as written are not touched."""
    require_edit(measure.plan, actor)
    _move(measure, measure.plan.measures, offset)
    audit.record(actor, "measure", measure.id, "move", after={"offset": offset})


def _move(item: Measure | Step, siblings: list[Any], offset: int) -> None:
    ordered = list(siblings)
    if item not in ordered:  # deleted meanwhile: nothing to move
        return
    index = ordered.index(item)
    target = index + offset
    if not 0 <= target < len(ordered):
        return
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, sibling in enumerate(ordered, start=1):
        sibling.position = position
    db.session.flush()


# -- steps --------------------------------------------------------------------------------------


def add_step(measure: Measure, data: StepData, *, actor: User | None) -> Step:
    if actor is not None:
        require_edit(measure.plan, actor)
    if not data.text:
        raise InvalidInput(_("Describe the step."))
    step = Step(
        measure=measure,
        number=data.number,
        text=data.text,
        position=max((s.position for s in measure.steps), default=0) + 1,
        updated_by_id=actor.id if actor else None,
    )
    apply_deadline(step, data.deadline_text, default_year(measure.plan), data.due_on)
    db.session.add(step)
    db.session.flush()
    audit.record(
        actor,
        "step",
        step.id,
        "create",
        after={**audit.snapshot(step, STEP_FIELDS), "measure_id": measure.id},
    )
    return step


def update_step(step: Step, data: StepData, *, actor: User, expected_version: int | None) -> Step:
    require_edit(step.measure.plan, actor)
    check_version(step, expected_version)
    before = audit.snapshot(step, STEP_FIELDS)
    tracked = changes.tracked_values(step)
    step.number, step.text = data.number, data.text
    apply_deadline(step, data.deadline_text, default_year(step.measure.plan), data.due_on)
    step.updated_by_id = actor.id
    step.updated_at = utcnow()
    changes.record_revision(step, tracked, actor=actor)
    flush_or_stale(step)
    old, new = audit.changed(before, audit.snapshot(step, STEP_FIELDS))
    if new:
        audit.record(actor, "step", step.id, "update", before=old, after=new)
    return step


def delete_step(step: Step, *, actor: User) -> None:
    require_edit(step.measure.plan, actor)
    from tracker.execution.models import StatusUpdate

    if db.session.scalar(select(StatusUpdate.id).where(StatusUpdate.step_id == step.id).limit(1)):
        raise InvalidTransition(_("This step has status reports and cannot be deleted."))
    before = {**audit.snapshot(step, STEP_FIELDS), "measure_id": step.measure_id}
    step_id = step.id
    step.measure.steps.remove(step)
    db.session.flush()
    audit.record(actor, "step", step_id, "delete", before=before)


def move_step(step: Step, *, actor: User, offset: int) -> None:
    require_edit(step.measure.plan, actor)
    _move(step, step.measure.steps, offset)
    audit.record(actor, "step", step.id, "move", after={"offset": offset})
