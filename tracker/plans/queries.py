"""Read-side queries for plan pages: the filtered measure table and per-plan counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, or_, select
from sqlalchemy.orm import selectinload

from tracker.core.status import CLOSED_STATUSES, Status
from tracker.extensions import db
from tracker.plans.models import Measure, Plan, Responsible


@dataclass(frozen=True)
class MeasureFilters:
    unit_id: int | None = None
    status: Status | None = None
    #: "overdue" or "on_time"; None for all.
    deadline: str | None = None


def overdue_condition(today: date) -> ColumnElement[bool]:
    return and_(Measure.due_on < today, Measure.status.not_in([s.value for s in CLOSED_STATUSES]))


def plan_measures(plan: Plan, filters: MeasureFilters, today: date) -> list[Measure]:
    """The plan's measures in table order, filtered; steps and responsibles loaded in two queries."""
    query: Select[Measure] = (
        select(Measure)
        .where(Measure.plan_id == plan.id, Measure.deleted_at.is_(None))
        .options(selectinload(Measure.steps), selectinload(Measure.responsibles))
        .order_by(Measure.position)
    )
    if filters.unit_id:
        query = query.where(
            exists().where(
                Responsible.measure_id == Measure.id,
                or_(Responsible.unit_id == filters.unit_id, Responsible.is_all_units.is_(True)),
            )
        )
    if filters.status:
        query = query.where(Measure.status == filters.status.value)
    if filters.deadline == "overdue":
        query = query.where(overdue_condition(today))
    elif filters.deadline == "on_time":
        query = query.where(~overdue_condition(today) | Measure.due_on.is_(None))
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class PlanCounts:
    total: int = 0
    done: int = 0
    overdue: int = 0
    awaiting_review: int = 0


def counts_by_plan(plan_ids: list[int], today: date) -> dict[int, PlanCounts]:
    """Measure counts for many plans in one query."""
    if not plan_ids:
        return {}
    rows = db.session.execute(
        select(
            Measure.plan_id,
            func.count(Measure.id),
            func.sum(case((Measure.status == Status.DONE.value, 1), else_=0)),
            func.sum(case((overdue_condition(today), 1), else_=0)),
            func.sum(case((Measure.status == Status.DONE_CLAIMED.value, 1), else_=0)),
        )
        .where(Measure.plan_id.in_(plan_ids), Measure.deleted_at.is_(None))
        .group_by(Measure.plan_id)
    )
    return {
        pid: PlanCounts(total, done or 0, overdue or 0, waiting or 0)
        for pid, total, done, overdue, waiting in rows
    }
