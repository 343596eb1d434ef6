"""Object-level access: who may see, edit, approve and report on which plan or measure.

Route decorators check the role; these functions add the organization and unit scope.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Select, exists, or_, select

from tracker.plans.models import Measure, Plan, PlanState, PlanVersion

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


def visible_plans_query(user: User) -> Select[tuple[Plan]]:
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
    """Work is reported against plans in force: approved, or being revised after an approval."""
    if plan.state == PlanState.CLOSED:
        return False
    return plan.state == PlanState.APPROVED or plan.has_approved_version


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
