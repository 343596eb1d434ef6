"""Read-side queries for plan pages: the filtered measure table and per-plan counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, or_, select

from tracker.core.status import CLOSED_STATUSES, Status
from tracker.extensions import db
from tracker.plans.models import Measure, Plan, Responsible
from tracker.plans.rows import ROW_COLUMNS, MeasureRow, load_rows


@dataclass(frozen=True)
class MeasureFilters:
    unit_id: int | None = None
    status: Status | None = None
    #: "overdue" or "on_time"; None for all.
    deadline: str | None = None


def overdue_condition(today: date) -> ColumnElement[bool]:
    return and_(Measure.due_on < today, Measure.status.not_in([s.value for s in CLOSED_STATUSES]))


#: Rows per plan page: a 10,000-measure plan is 100 pages of about 100 KB each, not one of 14 MB.
#: The whole official table is printed through the PDF report, never from this page.
PLAN_PAGE_SIZE = 100


def _filtered(query: Select, plan_id: int, filters: MeasureFilters, today: date) -> Select:
    query = query.where(Measure.plan_id == plan_id, Measure.deleted_at.is_(None))
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
    return query


@dataclass(frozen=True)
class PlanPage:
    measures: list[MeasureRow]
    #: Rows of the filtered table in all pages.
    total: int
    #: The page shown: the one asked for, or the last when that is beyond it.
    number: int

    @property
    def pages(self) -> int:
        return max((self.total + PLAN_PAGE_SIZE - 1) // PLAN_PAGE_SIZE, 1)


def plan_page(plan: Plan, filters: MeasureFilters, today: date, number: int) -> PlanPage:
    """Page ``number`` of the filtered table and the count of all its rows, in one statement
    (the count rides along as a subquery); a page beyond the last shows the last."""
    total = (
        _filtered(select(func.count(Measure.id)), plan.id, filters, today)
        .scalar_subquery()
        .correlate(None)  # counts the whole table, not the row it is selected with
    )
    # Plain rows, not ORM objects: the page only reads them (tracker/plans/rows.py).
    columns = [getattr(Measure, column) for column in ROW_COLUMNS]
    query = _filtered(select(*columns, total.label("total_rows")), plan.id, filters, today).order_by(
        Measure.position, Measure.id
    )
    rows = db.session.execute(query.limit(PLAN_PAGE_SIZE).offset((number - 1) * PLAN_PAGE_SIZE)).all()
    if rows:
        return PlanPage(load_rows(rows, today), rows[0].total_rows, number)
    counted = count_plan_measures(plan, filters, today)
    last = PlanPage([], counted, number).pages
    if counted == 0 or number <= last:
        return PlanPage([], counted, min(number, last))
    return plan_page(plan, filters, today, last)


def count_plan_measures(plan: Plan, filters: MeasureFilters, today: date) -> int:
    return db.session.scalar(_filtered(select(func.count(Measure.id)), plan.id, filters, today)) or 0


def find_by_number(plan: Plan, filters: MeasureFilters, today: date, number: str) -> tuple[int, int] | None:
    """(id, index in the filtered table) of the first measure numbered ``number``, or None."""
    found = db.session.execute(
        _filtered(select(Measure.id, Measure.position), plan.id, filters, today)
        .where(Measure.number == number)
        .order_by(Measure.position, Measure.id)
        .limit(1)
    ).first()
    if found is None:
        return None
    return found.id, _rows_before(plan.id, filters, today, found.position, found.id)


def measure_numbers(plan: Plan) -> list[str]:
    """The numbers of the plan's measures, without loading the measures (a plan may have 10,000)."""
    return list(
        db.session.scalars(
            select(Measure.number).where(Measure.plan_id == plan.id, Measure.deleted_at.is_(None))
        )
    )


def position_in_plan(measure: Measure) -> int:
    """How many measures come before ``measure`` in the unfiltered table."""
    return _rows_before(measure.plan_id, MeasureFilters(), date.min, measure.position, measure.id)


def _rows_before(plan_id: int, filters: MeasureFilters, today: date, position: int, measure_id: int) -> int:
    earlier = or_(Measure.position < position, and_(Measure.position == position, Measure.id < measure_id))
    query = _filtered(select(func.count(Measure.id)), plan_id, filters, today).where(earlier)
    return db.session.scalar(query) or 0


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
