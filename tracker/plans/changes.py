"""Dated changes of measures and steps: revisions, reassignments, and the change summary.

The rules of :mod:`tracker.plans.records`: an edit of a draft revision is recorded with no
effective date and dated when the director approves the revision; a reassignment of responsible
units on an approved plan is in force from the day given. Services flush, never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from sqlalchemy import select, update

from tracker.core import audit
from tracker.core.errors import InvalidInput, InvalidTransition, PermissionDenied
from tracker.core.time import today
from tracker.extensions import db
from tracker.plans.access import can_edit_plan, can_review
from tracker.plans.models import Measure, Plan, PlanState, Step
from tracker.plans.records import ChangeField, ChangeKind, ItemChange
from tracker.plans.responsibles import set_responsibles
from tracker.plans.snapshot_load import responsible_json

if TYPE_CHECKING:
    from tracker.auth.models import User


def tracked_values(target: Measure | Step) -> dict[ChangeField, Any]:
    """The fields whose every change is dated, in the approved-version snapshot's shape."""
    if isinstance(target, Step):
        return {ChangeField.TITLE: target.text, ChangeField.DEADLINE: target.deadline_json()}
    return {
        ChangeField.TITLE: target.title,
        ChangeField.MECHANISM: target.mechanism,
        ChangeField.EXPECTED_RESULT: target.expected_result,
        ChangeField.DEADLINE: target.deadline_json(),
        ChangeField.RESPONSIBLES: [responsible_json(r) for r in target.responsibles],
    }


def _ids(target: Measure | Step) -> tuple[int, int | None]:
    if isinstance(target, Step):
        return target.measure_id or target.measure.id, target.id
    return target.id, None


def record_change(
    target: Measure | Step,
    field: ChangeField,
    old: Any,
    new: Any,
    *,
    kind: ChangeKind,
    effective_on: date | None,
    actor: User | None,
    reason: str | None = None,
    basis: str | None = None,
) -> ItemChange:
    measure_id, step_id = _ids(target)
    change = ItemChange(
        measure_id=measure_id,
        step_id=step_id,
        field=field,
        kind=kind,
        old_value=old,
        new_value=new,
        effective_on=effective_on,
        author_id=actor.id if actor else None,
        reason=(reason or "").strip() or None,
        basis=(basis or "").strip() or None,
    )
    db.session.add(change)
    return change


def record_revision(target: Measure | Step, before: dict[ChangeField, Any], *, actor: User | None) -> None:
    """After an edit of a revised plan's draft: a record per changed field, dated on approval.

    A plan never approved has no past to keep, and records nothing.
    """
    plan = target.plan
    if not plan.has_approved_version:
        return
    after = tracked_values(target)
    for field, old in before.items():
        if after[field] != old:
            record_change(
                target, field, old, after[field], kind=ChangeKind.REVISION, effective_on=None, actor=actor
            )


def date_pending_revisions(plan: Plan, approval_date: date) -> None:
    """The revision's edits are in force from the day the revision is approved."""
    measure_ids = select(Measure.id).where(Measure.plan_id == plan.id).scalar_subquery()
    db.session.execute(
        update(ItemChange)
        .where(ItemChange.measure_id.in_(measure_ids), ItemChange.effective_on.is_(None))
        .values(effective_on=approval_date)
        .execution_options(synchronize_session="fetch")
    )


def check_effective_date(actor: User | None, plan: Plan, effective_on: date | None) -> date:
    """Today by default; an earlier day only for a controller (the audit entry keeps both dates)."""
    effective_on = effective_on or today()
    if effective_on > today():
        raise InvalidInput(_("A change cannot take effect on a day that has not come yet."))
    if effective_on < today() and actor is not None and not can_review(actor, plan):
        raise PermissionDenied(_("Only the secretariat can date a change earlier than today."))
    return effective_on


@dataclass
class Reassignment:
    lead_unit_id: int | None
    co_unit_ids: list[int]
    other_responsible: list[str]
    reason: str
    basis: str | None = None
    effective_on: date | None = None


def can_reassign(user: User, plan: Plan) -> bool:
    """Those who edit plans (the secretariat, admins) reassign the responsible units."""
    return can_edit_plan(user, plan)


def reassign_responsibles(measure: Measure, data: Reassignment, *, actor: User) -> ItemChange:
    """A controller (or an admin) gives an approved plan's measure to other units, from a given day;
    the units that newly have it hear of it (:func:`tracker.notifications.workflow.measure_reassigned`)."""
    from tracker.notifications import workflow as notify

    plan = measure.plan
    if not can_reassign(actor, plan):
        raise PermissionDenied(_("Only the secretariat can reassign responsible units."))
    if plan.state != PlanState.APPROVED:
        raise InvalidTransition(_("Responsible units are reassigned on an approved plan."))
    if not data.reason.strip():
        raise InvalidInput(_("Say why the responsible units change."))
    effective_on = check_effective_date(actor, plan, data.effective_on)
    old = [responsible_json(r) for r in measure.responsibles]
    set_responsibles(
        measure,
        lead_unit_id=data.lead_unit_id,
        co_unit_ids=data.co_unit_ids,
        other_responsible=data.other_responsible,
    )
    db.session.flush()
    new = [responsible_json(r) for r in measure.responsibles]
    change = record_change(
        measure,
        ChangeField.RESPONSIBLES,
        old,
        new,
        kind=ChangeKind.REASSIGNMENT,
        effective_on=effective_on,
        actor=actor,
        reason=data.reason,
        basis=data.basis,
    )
    db.session.flush()
    audit.record(
        actor,
        "measure",
        measure.id,
        "reassign",
        before={"responsible": [r["name"] for r in old]},
        after={"responsible": [r["name"] for r in new], "effective_on": effective_on, "reason": data.reason},
    )
    had = {r["unit_id"] for r in old if r.get("unit_id")}
    notify.measure_reassigned(measure, had_unit_ids=had, actor=actor)
    return change


def changes_of(measure: Measure) -> list[ItemChange]:
    """The measure's and its steps' change records, newest first (for the measure page)."""
    return list(
        db.session.scalars(
            select(ItemChange)
            .where(ItemChange.measure_id == measure.id)
            .order_by(ItemChange.recorded_at.desc(), ItemChange.id.desc())
        )
    )
