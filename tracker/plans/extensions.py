"""Deadline extension ("муддат узайтирилди") of a measure or step of an approved plan.

A department responsible for the item asks, with a reason and the letter the request rests on;
the secretariat (or the director, when the organization's ``extension_decider`` says so) grants
or refuses it; the secretariat may also record an extension directly. A granted or recorded
extension is a dated change record (:mod:`tracker.plans.records`): the new deadline is in force
from its effective day, earlier days keep the old one, and the plan stays approved. Reminders
follow the new deadline because the stored deadline is the one in force now.

Services check rights, write the audit entry and flush; they never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import select

from tracker.core import audit
from tracker.core.errors import InvalidInput, InvalidTransition, PermissionDenied
from tracker.core.events import plan_changed
from tracker.core.time import utcnow
from tracker.extensions import db
from tracker.notifications import workflow as notify
from tracker.plans.access import can_update_status, can_view_plan
from tracker.plans.changes import check_effective_date, record_change
from tracker.plans.models import Measure, Plan, PlanState, Step
from tracker.plans.records import ChangeField, ChangeKind, DeadlineExtension, ExtensionState
from tracker.uzbek import parse_deadlines

if TYPE_CHECKING:
    from tracker.auth.models import User


@dataclass
class ExtensionData:
    deadline_text: str
    reason: str
    basis: str | None = None
    #: Today when None; an earlier day only for the secretariat.
    effective_on: date | None = None


def _measure_of(target: Measure | Step) -> Measure:
    return target.measure if isinstance(target, Step) else target


def can_decide_extension(user: User, plan: Plan) -> bool:
    """The secretariat, or the director where the organization's policy gives it to the director."""
    if plan.organization_id != user.organization_id:
        return False
    if plan.organization.extension_decider == "director":
        return user.has_permission("plan.approve")
    return user.has_permission("status.review")


def can_request_extension(user: User, target: Measure | Step) -> bool:
    return can_update_status(user, _measure_of(target))


def _check(target: Measure | Step, data: ExtensionData) -> None:
    measure = _measure_of(target)
    if measure.plan.state != PlanState.APPROVED or measure.deleted_at is not None:
        raise InvalidTransition(_("Deadlines are extended on measures of an approved plan."))
    if not data.deadline_text.strip():
        raise InvalidInput(_("Write the new deadline."))
    if not data.reason.strip():
        raise InvalidInput(_("Say why the deadline must be extended."))
    year = measure.plan.period_start.year if measure.plan.period_start else None
    if not parse_deadlines(data.deadline_text, default_year=year):
        raise InvalidInput(
            _("The new deadline could not be read: write it as in the plan (“2024 йил апрель”).")
        )


def request_extension(target: Measure | Step, data: ExtensionData, *, actor: User) -> DeadlineExtension:
    """A responsible department asks; nothing changes until the request is granted."""
    if not can_request_extension(actor, target):
        raise PermissionDenied(_("Only a unit responsible for this item may ask to extend its deadline."))
    _check(target, data)
    if not (data.basis or "").strip():
        raise InvalidInput(_("Name the letter the request rests on."))
    effective_on = check_effective_date(actor, _measure_of(target).plan, data.effective_on)
    extension = DeadlineExtension(
        measure_id=_measure_of(target).id,
        step_id=target.id if isinstance(target, Step) else None,
        deadline_text=data.deadline_text.strip(),
        old_deadline=target.deadline_json(),
        effective_on=effective_on,
        reason=data.reason.strip(),
        basis=(data.basis or "").strip(),
        state=ExtensionState.REQUESTED,
        requested_by_id=actor.id,
    )
    db.session.add(extension)
    db.session.flush()
    notify.extension_requested(extension, actor=actor)
    audit.record(actor, "deadline_extension", extension.id, "request", after=_summary(extension))
    return extension


def record_extension(target: Measure | Step, data: ExtensionData, *, actor: User) -> DeadlineExtension:
    """The secretariat (or the deciding director) records an extension that is in force at once."""
    measure = _measure_of(target)
    if not can_decide_extension(actor, measure.plan):
        raise PermissionDenied(_("You may not extend deadlines in this plan."))
    _check(target, data)
    effective_on = check_effective_date(actor, measure.plan, data.effective_on)
    extension = DeadlineExtension(
        measure_id=measure.id,
        step_id=target.id if isinstance(target, Step) else None,
        deadline_text=data.deadline_text.strip(),
        old_deadline=target.deadline_json(),
        effective_on=effective_on,
        reason=data.reason.strip(),
        basis=(data.basis or "").strip() or None,
        state=ExtensionState.RECORDED,
        requested_by_id=actor.id,
        decided_by_id=actor.id,
        decided_at=utcnow(),
    )
    db.session.add(extension)
    _apply(extension, target, actor)
    notify.extension_decided(extension, actor=actor, granted=True)
    audit.record(actor, "deadline_extension", extension.id, "record", after=_summary(extension))
    return extension


def submit_deadline(target: Measure | Step, data: ExtensionData, *, actor: User) -> DeadlineExtension:
    """Whoever may decide records the extension; a responsible department asks for it."""
    if not can_view_plan(actor, _measure_of(target).plan):
        raise PermissionDenied(_("You may not see this plan."))
    if can_decide_extension(actor, _measure_of(target).plan):
        return record_extension(target, data, actor=actor)
    return request_extension(target, data, actor=actor)


def _decidable(extension: DeadlineExtension, actor: User) -> Measure | Step:
    target: Measure | Step = extension.step if extension.step_id else extension.measure
    if not can_decide_extension(actor, _measure_of(target).plan):
        raise PermissionDenied(_("You may not decide on deadline extensions in this plan."))
    if not extension.is_pending:
        raise InvalidTransition(_("This request has already been decided."))
    return target


def grant_extension(
    extension: DeadlineExtension,
    *,
    actor: User,
    comment: str | None = None,
    effective_on: date | None = None,
) -> DeadlineExtension:
    """The new deadline is in force from the day of the decision (or an earlier day the
    secretariat gives); the plan stays approved."""
    target = _decidable(extension, actor)
    _check(target, _data_of(extension))
    extension.effective_on = check_effective_date(actor, _measure_of(target).plan, effective_on)
    extension.state = ExtensionState.GRANTED
    extension.decided_by_id = actor.id
    extension.decided_at = utcnow()
    extension.decision_comment = (comment or "").strip() or None
    _apply(extension, target, actor)
    notify.extension_decided(extension, actor=actor, granted=True)
    audit.record(actor, "deadline_extension", extension.id, "grant", after=_summary(extension))
    return extension


def refuse_extension(extension: DeadlineExtension, *, actor: User, comment: str) -> DeadlineExtension:
    _decidable(extension, actor)
    if not comment.strip():
        raise InvalidInput(_("Say why the request is refused."))
    extension.state = ExtensionState.REFUSED
    extension.decided_by_id = actor.id
    extension.decided_at = utcnow()
    extension.decision_comment = comment.strip()
    db.session.flush()
    notify.extension_decided(extension, actor=actor, granted=False)
    audit.record(actor, "deadline_extension", extension.id, "refuse", after=_summary(extension))
    return extension


def _data_of(extension: DeadlineExtension) -> ExtensionData:
    return ExtensionData(extension.deadline_text, extension.reason, extension.basis, extension.effective_on)


def _apply(extension: DeadlineExtension, target: Measure | Step, actor: User) -> None:
    """Write the new deadline and its dated change record."""
    from tracker.plans.deadlines import apply_deadline, default_year

    measure = _measure_of(target)
    plan_changed.send(plan_id=measure.plan_id)
    old = target.deadline_json()
    apply_deadline(target, extension.deadline_text, default_year(measure.plan))
    if isinstance(target, Measure) and any(s.deadline_text for s in target.steps):
        target.deadline_on_measure = True  # the measure's own extended deadline now stands over its steps'
    target.updated_by_id = actor.id
    target.updated_at = utcnow()
    db.session.flush()
    change = record_change(
        target,
        ChangeField.DEADLINE,
        old,
        target.deadline_json(),
        kind=ChangeKind.EXTENSION,
        effective_on=extension.effective_on,
        actor=actor,
        reason=extension.reason,
        basis=extension.basis,
    )
    db.session.flush()
    extension.change_id = change.id
    db.session.flush()


def _summary(extension: DeadlineExtension) -> dict[str, object]:
    return {
        "measure_id": extension.measure_id,
        "step_id": extension.step_id,
        "state": extension.state,
        "from": (extension.old_deadline or {}).get("text"),
        "to": extension.deadline_text,
        "effective_on": extension.effective_on,
        "reason": extension.reason,
        "basis": extension.basis,
        "comment": extension.decision_comment,
    }


def pending_extensions(plan: Plan) -> list[DeadlineExtension]:
    return list(
        db.session.scalars(
            select(DeadlineExtension)
            .join(Measure, Measure.id == DeadlineExtension.measure_id)
            .where(Measure.plan_id == plan.id, DeadlineExtension.state == ExtensionState.REQUESTED)
            .order_by(DeadlineExtension.requested_at)
        )
    )


def extensions_of(measure: Measure) -> list[DeadlineExtension]:
    return list(
        db.session.scalars(
            select(DeadlineExtension)
            .where(DeadlineExtension.measure_id == measure.id)
            .order_by(DeadlineExtension.requested_at.desc(), DeadlineExtension.id.desc())
        )
    )
