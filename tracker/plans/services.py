"""The rules of plans: editing drafts, measures and steps, the approval workflow and versions.

Services take domain objects and validated data, check the actor's rights, write the audit
trail and flush. They never commit: the request or the CLI command does.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from tracker.core import audit
from tracker.core.errors import InvalidInput, InvalidTransition, PermissionDenied, StaleEdit
from tracker.core.events import plan_changed
from tracker.core.time import today, utcnow
from tracker.extensions import db
from tracker.notifications import workflow as notify
from tracker.orgs.models import Organization, Unit
from tracker.plans import changes
from tracker.plans.access import can_approve_plan, can_edit_plan
from tracker.plans.models import (
    DeadlineFields,
    Measure,
    Plan,
    PlanKind,
    PlanState,
    PlanVersion,
    Responsible,
    Step,
)
from tracker.plans.relative_deadlines import resolve_relative_deadlines
from tracker.uzbek import parse_deadlines

if TYPE_CHECKING:
    from tracker.auth.models import User

logger = logging.getLogger(__name__)

PLAN_FIELDS = ("kind", "title", "period_start", "period_end", "basis")
MEASURE_FIELDS = (
    "number",
    "title",
    "content",
    "mechanism",
    "deadline_text",
    "start_on",
    "due_on",
    "deadline_kind",
    "legal_basis",
    "expected_result",
)
STEP_FIELDS = ("number", "text", "deadline_text", "start_on", "due_on", "deadline_kind")


@dataclass
class PlanData:
    kind: PlanKind
    title: str
    period_start: date | None = None
    period_end: date | None = None
    basis: str | None = None


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


#: Phrases meaning "every structural unit", in both scripts and Russian.
ALL_UNITS_PHRASES = (
    "барча таркибий тармоқлар",
    "барча таркибий бўлинмалар",
    "barcha tarkibiy tarmoqlar",
    "barcha tarkibiy boʻlinmalar",
    "все структурные подразделения",
)


#: Heading phrases written in a responsible cell before the names ("Масъул тармоқлар: …"): not units.
HEADING_PHRASES = ("масъул тармоқлар", "masʼul tarmoqlar", "ответственные подразделения")


def is_heading_phrase(name: str) -> bool:
    from tracker.uzbek import search_key

    key = search_key(name.strip(" :,;."))
    return any(search_key(p) == key for p in HEADING_PHRASES)


def is_all_units_phrase(name: str) -> bool:
    from tracker.uzbek import search_key

    key = search_key(name)
    return any(search_key(p) == key for p in ALL_UNITS_PHRASES)


# -- guards -------------------------------------------------------------------------------------


def _require_edit(plan: Plan, actor: User) -> None:
    if not can_edit_plan(actor, plan):
        raise PermissionDenied(_("You may not edit this plan."))
    if not plan.is_editable:
        if plan.state == PlanState.APPROVED:
            raise InvalidTransition(_("This plan is approved and locked. Start a new version to change it."))
        raise InvalidTransition(
            _("This plan cannot be changed while it is %(state)s.", state=plan.state_label)
        )


def check_version(obj: Measure | Step | Plan, expected: int | None) -> None:
    """Refuse a save made from a form opened before someone else's save (optimistic locking).

    The row is re-read and locked (FOR UPDATE on PostgreSQL; SQLite's write transaction already
    holds the lock), so a concurrent save is waited for and then named, instead of surfacing
    later as a failed flush.
    """
    if expected is None:
        return
    if obj.id is not None and obj in db.session:
        # Lock the one row (no joins: FOR UPDATE refuses outer-joined eager loads), then re-read it.
        model = type(obj)
        db.session.execute(select(model.id).where(model.id == obj.id).with_for_update())
        db.session.refresh(obj)
    if expected == obj.lock_version:
        return
    who = getattr(obj, "updated_by", None) or getattr(obj, "approver", None)
    when = getattr(obj, "updated_at", None)
    raise StaleEdit(
        _(
            "%(name)s changed this at %(time)s, after you opened the form. "
            "Your changes were not saved: reload the page, check their changes and try again.",
            name=who.name if who is not None else _("someone else"),
            time=format_datetime(when, "short") if when else "?",
        )
    )


def flush_or_stale(target: Measure | Step | Plan | None = None) -> None:
    """Flush, turning a concurrent save caught by the version column into :class:`StaleEdit`
    (which names who saved ``target`` once the transaction is rolled back)."""
    kind, target_id = (type(target), target.id) if target is not None else (None, None)
    try:
        db.session.flush()
    except StaleDataError as error:
        raise StaleEdit(
            _(
                "Someone else saved this at the same moment. "
                "Your changes were not saved: reload and try again."
            ),
            describe=(lambda: _stale_message(db.session.get(kind, target_id))) if kind else None,
        ) from error


def _stale_message(current: Measure | Step | Plan | None) -> str:
    try:
        check_version(current, -1) if current is not None else None
    except StaleEdit as error:
        return error.message
    return _("Someone else saved this at the same moment. Your changes were not saved: reload and try again.")


# -- deadlines ----------------------------------------------------------------------------------


def apply_deadline(
    target: DeadlineFields, text: str | None, default_year: int | None, manual_due: date | None = None
) -> None:
    """Fill the structured deadline fields from the text; a due date typed by hand wins."""
    target.deadline_text = text or None
    target.start_on = target.due_on = target.deadline_kind = target.deadline_recurrence = None
    if text:
        parsed = parse_deadlines(text, default_year=default_year)
        if parsed:
            # Several deadlines in one cell: the measure is due when the last one is.
            first, last = parsed[0], parsed[-1]
            target.deadline_kind = first.kind.value if len(parsed) == 1 else last.kind.value
            target.start_on = first.start
            target.due_on = max((d.due for d in parsed if d.due), default=None)
            target.deadline_recurrence = first.recurrence if len(parsed) == 1 else None
    if manual_due is not None:
        target.due_on = manual_due
        target.deadline_kind = target.deadline_kind or "date"


def _default_year(plan: Plan) -> int | None:
    if plan.period_start:
        return plan.period_start.year
    if plan.period_end:
        return plan.period_end.year
    return None


# -- plans --------------------------------------------------------------------------------------


def create_plan(organization: Organization, data: PlanData, *, actor: User | None) -> Plan:
    if actor is not None and (
        not actor.has_permission("plan.edit") or actor.organization_id != organization.id
    ):
        raise PermissionDenied(_("You may not create plans for this organization."))
    _check_period(data.period_start, data.period_end)
    plan = Plan(
        organization=organization,
        created_by_id=actor.id if actor else None,
        state=PlanState.DRAFT,
        **{name: getattr(data, name) for name in PLAN_FIELDS},
    )
    db.session.add(plan)
    db.session.flush()
    audit.record(actor, "plan", plan.id, "create", after=audit.snapshot(plan, PLAN_FIELDS))
    return plan


def _check_period(start: date | None, end: date | None) -> None:
    if start and end and start > end:
        raise InvalidInput(_("The period must end after it starts."))


def update_plan(plan: Plan, data: PlanData, *, actor: User, expected_version: int | None = None) -> Plan:
    _require_edit(plan, actor)
    check_version(plan, expected_version)
    _check_period(data.period_start, data.period_end)
    before = audit.snapshot(plan, PLAN_FIELDS)
    for name in PLAN_FIELDS:
        setattr(plan, name, getattr(data, name))
    flush_or_stale(plan)
    old, new = audit.changed(before, audit.snapshot(plan, PLAN_FIELDS))
    if new:
        audit.record(actor, "plan", plan.id, "update", before=old, after=new)
    return plan


def submit_plan(plan: Plan, *, actor: User) -> Plan:
    """A controller sends a draft to the director."""
    _require_edit(plan, actor)
    if not plan.measures:
        raise InvalidTransition(_("Add at least one measure before sending the plan for approval."))
    _check_proposal_complete(plan)
    plan.state = PlanState.IN_REVIEW
    plan.review_comment = None
    db.session.flush()
    audit.record(actor, "plan", plan.id, "submit", before={"state": "draft"}, after={"state": plan.state})
    notify.plan_submitted(plan, actor=actor)
    return plan


def _check_proposal_complete(plan: Plan) -> None:
    """Measures imported from a proposal (they carry content) need a deadline and a unit first."""
    missing = [m.number for m in plan.measures if m.content and not (m.deadline_text and m.responsibles)]
    if missing:
        raise InvalidTransition(
            _(
                "Give measures %(numbers)s a deadline and a responsible unit (the grid on the plan "
                "page) before sending the plan for approval.",
                numbers=", ".join(missing),
            )
        )


def approve_plan(plan: Plan, *, actor: User, position: str | None, name: str, approval_date: date) -> Plan:
    """The director approves: the approval block is recorded and the version frozen."""
    if not can_approve_plan(actor, plan):
        raise PermissionDenied(_("Only the director may approve this plan."))
    if plan.state != PlanState.IN_REVIEW:
        raise InvalidTransition(_("Only a plan awaiting approval can be approved."))
    plan.state = PlanState.APPROVED
    plan.approver_id = actor.id
    plan.approval_position = position or None
    plan.approval_name = name
    plan.approval_date = approval_date
    plan.review_comment = None
    resolve_relative_deadlines(plan)
    previous = plan.versions[-1].snapshot if plan.versions else None
    db.session.flush()
    changes.date_pending_revisions(plan, approval_date)
    db.session.add(
        PlanVersion(
            plan=plan,
            number=plan.version,
            approver_id=actor.id,
            approval_position=plan.approval_position,
            approval_name=name,
            approval_date=approval_date,
            snapshot=plan_snapshot(plan),
        )
    )
    db.session.flush()
    audit.record(
        actor,
        "plan",
        plan.id,
        "approve",
        before={"state": "in_review"},
        after={
            "state": plan.state,
            "version": plan.version,
            "approval_name": name,
            "approval_position": position,
            "approval_date": approval_date,
        },
    )
    notify.plan_decided(plan, actor=actor, approved=True)
    notify.measures_assigned(plan, actor=actor, previous=previous)
    plan_changed.send(plan_id=plan.id)
    return plan


def record_document_approval(
    plan: Plan,
    *,
    actor: User | None,
    position: str | None,
    name: str,
    approval_date: date,
    has_block: bool = True,
) -> Plan:
    """A draft brought in from a document already approved on paper ("ТАСДИҚЛАЙМАН" block).

    The approval is recorded exactly as printed, with no approver account (``approver_id``
    None), and the version is frozen as :func:`approve_plan` does. The actor is whoever brings
    the document in (a controller), not the director; ``None`` is the system.
    ``has_block=False`` is a document in force without an approval block of its own (a roadmap
    annexed to a resolution, seed 004): it is in force from ``approval_date`` and the name is
    left empty, so that nothing is printed where the document prints nothing.
    """
    if actor is not None:
        _require_edit(plan, actor)
    if plan.state != PlanState.DRAFT:
        raise InvalidTransition(_("Only a draft can take the approval printed on a document."))
    if not has_block:
        position, name = None, ""
    elif not name.strip():
        raise InvalidInput(_("The approval block has no name."))
    plan.state = PlanState.APPROVED
    plan.approver_id = None
    plan.approval_position = position or None
    plan.approval_name = name.strip()
    plan.approval_date = approval_date
    plan.review_comment = None
    resolve_relative_deadlines(plan)
    db.session.flush()
    db.session.add(
        PlanVersion(
            plan=plan,
            number=plan.version,
            approver_id=None,
            approval_position=plan.approval_position,
            approval_name=plan.approval_name,
            approval_date=approval_date,
            snapshot=plan_snapshot(plan),
        )
    )
    db.session.flush()
    audit.record(
        actor,
        "plan",
        plan.id,
        "approve_from_document",
        before={"state": "draft"},
        after={
            "state": plan.state,
            "version": plan.version,
            "approval_name": plan.approval_name,
            "approval_position": plan.approval_position,
            "approval_date": approval_date,
        },
    )
    plan_changed.send(plan_id=plan.id)
    return plan


def return_plan(plan: Plan, *, actor: User, comment: str) -> Plan:
    """The director sends the plan back to draft with a comment."""
    if not can_approve_plan(actor, plan):
        raise PermissionDenied(_("Only the director may return this plan."))
    if plan.state != PlanState.IN_REVIEW:
        raise InvalidTransition(_("Only a plan awaiting approval can be returned."))
    if not comment.strip():
        raise InvalidInput(_("Say what must change before the plan can be approved."))
    plan.state = PlanState.DRAFT
    plan.review_comment = comment.strip()
    db.session.flush()
    audit.record(
        actor,
        "plan",
        plan.id,
        "return",
        before={"state": "in_review"},
        after={"state": plan.state, "comment": plan.review_comment},
    )
    notify.plan_decided(plan, actor=actor, approved=False)
    return plan


def revise_plan(plan: Plan, *, actor: User) -> Plan:
    """Open a new draft version of an approved plan; the approved version stays readable."""
    if not can_edit_plan(actor, plan):
        raise PermissionDenied(_("You may not edit this plan."))
    if plan.state != PlanState.APPROVED:
        raise InvalidTransition(_("Only an approved plan can be revised."))
    plan.state = PlanState.DRAFT
    plan.version += 1
    plan.approver_id = None
    plan.approval_position = plan.approval_name = None
    plan.approval_date = None
    db.session.flush()
    audit.record(
        actor,
        "plan",
        plan.id,
        "revise",
        before={"state": "approved", "version": plan.version - 1},
        after={"state": plan.state, "version": plan.version},
    )
    return plan


def close_plan(plan: Plan, *, actor: User) -> Plan:
    if not can_edit_plan(actor, plan):
        raise PermissionDenied(_("You may not edit this plan."))
    if plan.state != PlanState.APPROVED:
        raise InvalidTransition(_("Only an approved plan can be closed."))
    plan.state = PlanState.CLOSED
    db.session.flush()
    audit.record(actor, "plan", plan.id, "close", before={"state": "approved"}, after={"state": plan.state})
    return plan


def plan_snapshot(plan: Plan) -> dict[str, Any]:
    """The plan's content as plain data, frozen into a :class:`PlanVersion` on approval."""
    from tracker.plans.snapshot_load import measure_json

    return {
        "version": plan.version,
        "kind": plan.kind,
        "title": plan.title,
        "basis": plan.basis,
        "period": {
            "start": plan.period_start.isoformat() if plan.period_start else None,
            "end": plan.period_end.isoformat() if plan.period_end else None,
        },
        "measures": [measure_json(m) for m in plan.measures],
    }


# -- measures -----------------------------------------------------------------------------------


def _units_of(plan: Plan, unit_ids: list[int]) -> dict[int, Unit]:
    if not unit_ids:
        return {}
    units = db.session.scalars(select(Unit).where(Unit.id.in_(unit_ids))).all()
    found = {u.id: u for u in units if u.organization_id == plan.organization_id}
    if len(found) != len(set(unit_ids)):
        raise InvalidInput(_("A responsible unit does not belong to this plan's organization."))
    return found


def set_responsibles(measure: Measure, data: MeasureData) -> None:
    """Replace the measure's responsible units (lead first, then co-executors, then names)."""
    co_ids = [u for u in dict.fromkeys(data.co_unit_ids) if u != data.lead_unit_id]
    units = _units_of(measure.plan, [*([data.lead_unit_id] if data.lead_unit_id else []), *co_ids])
    rows: list[Responsible] = []
    if data.lead_unit_id:
        rows.append(Responsible(unit=units[data.lead_unit_id], is_lead=True))
    rows += [Responsible(unit=units[unit_id]) for unit_id in co_ids]
    names = (n.strip() for n in data.other_responsible if n.strip() and not is_heading_phrase(n))
    for name in dict.fromkeys(names):
        rows.append(Responsible(name=name, is_all_units=is_all_units_phrase(name), is_lead=not rows))
    for position, row in enumerate(rows):
        row.position = position
    measure.responsibles = rows


def _responsible_summary(measure: Measure) -> list[str]:
    return [("* " if r.is_lead else "") + r.display_name for r in measure.responsibles]


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
        _require_edit(plan, actor)
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
    set_responsibles(measure, data)
    db.session.flush()
    audit.record(
        actor,
        "measure",
        measure.id,
        "create",
        after={
            **audit.snapshot(measure, MEASURE_FIELDS),
            "plan_id": plan.id,
            "responsible": _responsible_summary(measure),
        },
    )
    return measure


def _fill_measure(measure: Measure, data: MeasureData) -> None:
    measure.number = data.number
    measure.title = data.title
    if data.content is not None:
        measure.content = data.content or None
    measure.mechanism = data.mechanism or None
    measure.legal_basis = data.legal_basis or None
    measure.expected_result = data.expected_result or None
    apply_deadline(measure, data.deadline_text, _default_year(measure.plan), data.due_on)


def update_measure(
    measure: Measure, data: MeasureData, *, actor: User, expected_version: int | None
) -> Measure:
    _require_edit(measure.plan, actor)
    check_version(measure, expected_version)
    _check_number(measure.plan, data.number, exclude_id=measure.id)
    before = {**audit.snapshot(measure, MEASURE_FIELDS), "responsible": _responsible_summary(measure)}
    tracked = changes.tracked_values(measure)
    _fill_measure(measure, data)
    set_responsibles(measure, data)
    measure.updated_by_id = actor.id
    measure.updated_at = utcnow()
    flush_or_stale(measure)
    changes.record_revision(measure, tracked, actor=actor)
    after = {**audit.snapshot(measure, MEASURE_FIELDS), "responsible": _responsible_summary(measure)}
    old, new = audit.changed(before, after)
    if new:
        audit.record(actor, "measure", measure.id, "update", before=old, after=new)
    return measure


def delete_measure(measure: Measure, *, actor: User) -> None:
    """Remove a measure from a draft. One with status history is hidden, not destroyed."""
    _require_edit(measure.plan, actor)
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
    _require_edit(measure.plan, actor)
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
        _require_edit(measure.plan, actor)
    if not data.text:
        raise InvalidInput(_("Describe the step."))
    step = Step(
        measure=measure,
        number=data.number,
        text=data.text,
        position=max((s.position for s in measure.steps), default=0) + 1,
        updated_by_id=actor.id if actor else None,
    )
    apply_deadline(step, data.deadline_text, _default_year(measure.plan), data.due_on)
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
    _require_edit(step.measure.plan, actor)
    check_version(step, expected_version)
    before = audit.snapshot(step, STEP_FIELDS)
    tracked = changes.tracked_values(step)
    step.number, step.text = data.number, data.text
    apply_deadline(step, data.deadline_text, _default_year(step.measure.plan), data.due_on)
    step.updated_by_id = actor.id
    step.updated_at = utcnow()
    changes.record_revision(step, tracked, actor=actor)
    flush_or_stale(step)
    old, new = audit.changed(before, audit.snapshot(step, STEP_FIELDS))
    if new:
        audit.record(actor, "step", step.id, "update", before=old, after=new)
    return step


def delete_step(step: Step, *, actor: User) -> None:
    _require_edit(step.measure.plan, actor)
    from tracker.execution.models import StatusUpdate

    if db.session.scalar(select(StatusUpdate.id).where(StatusUpdate.step_id == step.id).limit(1)):
        raise InvalidTransition(_("This step has status reports and cannot be deleted."))
    before = {**audit.snapshot(step, STEP_FIELDS), "measure_id": step.measure_id}
    step_id = step.id
    step.measure.steps.remove(step)
    db.session.flush()
    audit.record(actor, "step", step_id, "delete", before=before)


def move_step(step: Step, *, actor: User, offset: int) -> None:
    _require_edit(step.measure.plan, actor)
    _move(step, step.measure.steps, offset)
    audit.record(actor, "step", step.id, "move", after={"offset": offset})
