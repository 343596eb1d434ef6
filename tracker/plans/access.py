"""Object-level access: who may see, edit, approve and report on which plan or measure.

Route decorators check the role; these functions add the organization and unit scope. The
loaders (:func:`get_plan_or_404` and its siblings) are the one way a view of any feature turns
an id from the URL into a plan, measure or step: 404 when there is none, 403 when the signed-in
user may not have it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.interfaces import ORMOption

from tracker.core.errors import InvalidTransition, PermissionDenied
from tracker.extensions import db
from tracker.plans.inforce import is_plan_in_force, plan_in_force_clause
from tracker.plans.models import Measure, Plan, PlanState, PlanVersion, Step

if TYPE_CHECKING:
    from tracker.auth.models import User


def _sees_drafts(user: User) -> bool:
    return user.has_permission("plan.edit") or user.has_permission("plan.approve")


def can_view_plan(user: User, plan: Plan) -> bool:
    """Same organization; drafts never approved are for controllers, admins and directors only."""
    if not user.is_active or plan.organization_id != user.organization_id:
        return False
    if plan.state in (PlanState.APPROVED, PlanState.CLOSED) or plan.has_approved_version:
        return True
    return _sees_drafts(user)


def visible_plans_query(user: User) -> Select[Plan]:
    query = select(Plan).where(Plan.organization_id == user.organization_id)
    if not _sees_drafts(user):
        query = query.where(
            or_(
                Plan.state.in_([PlanState.APPROVED, PlanState.CLOSED]),
                exists().where(PlanVersion.plan_id == Plan.id),
            )
        )
    return query


def can_edit_plan(user: User, plan: Plan) -> bool:
    return user.has_permission("plan.edit") and plan.organization_id == user.organization_id


def can_approve_plan(user: User, plan: Plan) -> bool:
    return user.has_permission("plan.approve") and plan.organization_id == user.organization_id


def is_in_unit_scope(user: User, measure: Measure) -> bool:
    """The user's unit (or a unit above it) is the lead or a co-executor, or "all units" is."""
    if user.unit is None or user.unit.organization_id != measure.plan.organization_id:
        return False
    if any(r.is_all_units for r in measure.responsibles):
        return True
    own_units = {user.unit.id} | {u.id for u in user.unit.ancestors()}
    return bool(own_units & measure.responsible_unit_ids())


def plan_accepts_status_updates(plan: Plan) -> bool:
    """Work is reported against plans in force (:func:`tracker.plans.inforce.is_plan_in_force`)."""
    return is_plan_in_force(plan)


def in_force_plans_query(user: User) -> Select[Plan]:
    """The plans in force that ``user`` may see."""
    return visible_plans_query(user).where(plan_in_force_clause())


def can_update_status(user: User, measure: Measure) -> bool:
    if not user.has_permission("status.update") or not can_view_plan(user, measure.plan):
        return False
    if not plan_accepts_status_updates(measure.plan) or measure.deleted_at is not None:
        return False
    if user.has_permission("status.review"):
        return True  # the secretariat reports for any unit
    return is_in_unit_scope(user, measure)


def can_review(user: User, plan: Plan) -> bool:
    return user.has_permission("status.review") and plan.organization_id == user.organization_id


def require_edit(plan: Plan, actor: User) -> None:
    """Raise :class:`PermissionDenied` unless ``actor`` may edit ``plan``, and
    :class:`InvalidTransition` unless the plan is a draft (an approved plan is locked)."""
    if not can_edit_plan(actor, plan):
        raise PermissionDenied(_("You may not edit this plan."))
    if not plan.is_editable:
        if plan.state == PlanState.APPROVED:
            raise InvalidTransition(_("This plan is approved and locked. Start a new version to change it."))
        raise InvalidTransition(
            _("This plan cannot be changed while it is %(state)s.", state=plan.state_label)
        )


# -- loaders for views --------------------------------------------------------------------------

#: What the signed-in user needs to be able to do with the plan a loader returns.
Need = Literal["view", "edit", "approve", "review"]

_CHECKS = {"view": can_view_plan, "edit": can_edit_plan, "approve": can_approve_plan, "review": can_review}


def _allow(plan: Plan, need: Need) -> None:
    if not can_view_plan(current_user, plan) or not _CHECKS[need](current_user, plan):
        abort(403)


def get_plan_or_404(plan_id: int, need: Need = "view", *, options: Sequence[ORMOption] = ()) -> Plan:
    """The plan, if the signed-in user may ``need`` it: else 404 (no such plan) or 403.
    ``options``: loader options for what the page reads of the plan (its versions, say)."""
    plan = db.get_or_404(Plan, plan_id, options=list(options))
    _allow(plan, need)
    return plan


def get_measure_or_404(measure_id: int, need: Need = "view", *, live: bool = False) -> Measure:
    """The measure, if the signed-in user may ``need`` its plan: else 404 or 403. ``live``: a
    deleted measure is 404 as well, and the steps come with it (the API serialises them)."""
    options = [selectinload(Measure.steps)] if live else []
    measure = db.get_or_404(Measure, measure_id, options=options)
    if live and measure.deleted_at is not None:
        abort(404)
    _allow(measure.plan, need)
    return measure


def get_step_or_404(step_id: int, need: Need = "view") -> Step:
    """The step, if the signed-in user may ``need`` its measure's plan: else 404 or 403."""
    step = db.get_or_404(Step, step_id)
    _allow(step.measure.plan, need)
    return step
