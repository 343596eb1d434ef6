"""Dashboard figures for an organization, a plan or a unit: a fixed number of queries, any data size.

Every figure counts the measures (not steps) of plans the user may see, removed measures left
out. "Overdue" is judged by the Tashkent date, as everywhere (``overdue_condition``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, case, exists, func, or_, select

from tracker.auth.models import User
from tracker.core.status import CLOSED_STATUSES, ReviewState, Status
from tracker.core.time import TASHKENT
from tracker.execution.models import StatusUpdate
from tracker.extensions import db
from tracker.orgs.models import Unit
from tracker.plans.access import visible_plans_query
from tracker.plans.models import Measure, Plan, Responsible
from tracker.plans.queries import overdue_condition

TREND_MONTHS = 12
_CLOSED = [s.value for s in CLOSED_STATUSES]


@dataclass(frozen=True)
class Scope:
    """What a dashboard covers: every visible plan, one plan, or one unit's measures."""

    plan_id: int | None = None
    unit_id: int | None = None

    def conditions(self, user: User) -> list[Any]:
        conditions: list[Any] = [
            Measure.plan_id.in_(visible_plans_query(user).with_only_columns(Plan.id)),
            Measure.deleted_at.is_(None),
        ]
        if self.plan_id:
            conditions.append(Measure.plan_id == self.plan_id)
        if self.unit_id:
            # As the plan page's unit filter: the unit leads or co-executes, or "all units" do.
            conditions.append(
                exists().where(
                    Responsible.measure_id == Measure.id,
                    or_(Responsible.unit_id == self.unit_id, Responsible.is_all_units.is_(True)),
                )
            )
        return conditions

    def link_args(self) -> dict[str, int]:
        """The same scope as search-page filters."""
        args = {}
        if self.plan_id:
            args["plan"] = self.plan_id
        if self.unit_id:
            args["unit"] = self.unit_id
        return args


@dataclass(frozen=True)
class TrendMonth:
    month: date  # the first day
    completed: int
    overdue: int


@dataclass
class Summary:
    total: int = 0
    by_status: dict[Status, int] = field(default_factory=dict)
    overdue: int = 0
    due_7: int = 0
    due_30: int = 0
    #: Claims ("done" reports on measures and steps) waiting for a controller.
    awaiting_review: int = 0
    trend: list[TrendMonth] = field(default_factory=list)


def month_starts(today: date, count: int = TREND_MONTHS) -> list[date]:
    """The first days of the last ``count`` months, the current one last."""
    year, month = today.year, today.month
    out = []
    for _ in range(count):
        out.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def _next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def tashkent_midnight(day: date) -> datetime:
    """The instant a Tashkent day begins, in UTC (the status timestamps are UTC)."""
    return datetime.combine(day, time(), TASHKENT).astimezone(UTC)


def summary(user: User, scope: Scope, today: date) -> Summary:
    """All the numbers of one dashboard in two queries.

    The trend counts, for each of the last 12 months, the measures that reached "done" in
    that month and those overdue at its end (on today for the current month), dating each
    measure's closing by the moment its current status was recorded.
    """
    closed_before = lambda instant: and_(  # noqa: E731
        Measure.status.in_(_CLOSED),
        or_(Measure.status_changed_at.is_(None), Measure.status_changed_at < instant),
    )
    columns: list[Any] = [func.count(Measure.id)]
    columns += [func.sum(case((Measure.status == s.value, 1), else_=0)) for s in Status]
    is_open = Measure.status.not_in(_CLOSED)
    columns += [
        func.sum(case((overdue_condition(today), 1), else_=0)),
        func.sum(
            case((and_(is_open, Measure.due_on >= today, Measure.due_on <= today + timedelta(7)), 1), else_=0)
        ),
        func.sum(
            case(
                (and_(is_open, Measure.due_on >= today, Measure.due_on <= today + timedelta(30)), 1), else_=0
            )
        ),
    ]
    months = month_starts(today)
    for first in months:
        end = min(_next_month(first) - timedelta(1), today)
        start_at, end_at = tashkent_midnight(first), tashkent_midnight(end + timedelta(1))
        columns.append(
            func.sum(
                case(
                    (
                        and_(
                            Measure.status == Status.DONE.value,
                            Measure.status_changed_at >= start_at,
                            Measure.status_changed_at < end_at,
                        ),
                        1,
                    ),
                    else_=0,
                )
            )
        )
        columns.append(
            func.sum(
                case(
                    (and_(Measure.due_on < end, Measure.added_on <= end, ~closed_before(end_at)), 1),
                    else_=0,
                )
            )
        )
    row = db.session.execute(select(*columns).where(*scope.conditions(user))).one()
    values = [int(v or 0) for v in row]
    result = Summary(total=values[0])
    result.by_status = dict(zip(Status, values[1 : 1 + len(Status)], strict=True))
    result.overdue, result.due_7, result.due_30 = values[1 + len(Status) : 4 + len(Status)]
    rest = values[4 + len(Status) :]
    result.trend = [TrendMonth(m, rest[2 * i], rest[2 * i + 1]) for i, m in enumerate(months)]
    result.awaiting_review = (
        db.session.scalar(
            select(func.count(StatusUpdate.id))
            .join(Measure, Measure.id == StatusUpdate.measure_id)
            .where(StatusUpdate.review_state == ReviewState.SUBMITTED.value, *scope.conditions(user))
        )
        or 0
    )
    return result


@dataclass(frozen=True)
class LateUnit:
    unit_id: int
    name: str
    overdue: int


def late_units(user: User, scope: Scope, today: date, limit: int = 10) -> list[LateUnit]:
    """Units leading the most overdue measures ("who is late"), most first."""
    rows = db.session.execute(
        select(Unit.id, Unit.name, func.count(func.distinct(Measure.id)).label("n"))
        .join(Responsible, Responsible.unit_id == Unit.id)
        .join(Measure, Measure.id == Responsible.measure_id)
        .where(Responsible.is_lead.is_(True), overdue_condition(today), *scope.conditions(user))
        .group_by(Unit.id, Unit.name)
        .order_by(func.count(func.distinct(Measure.id)).desc(), Unit.name)
        .limit(limit)
    ).all()
    return [LateUnit(uid, name, n) for uid, name, n in rows]


@dataclass(frozen=True)
class LatePlan:
    plan_id: int
    title: str
    overdue: int


def late_plans(user: User, scope: Scope, today: date, limit: int = 10) -> list[LatePlan]:
    """Plans with the most overdue measures, most first."""
    rows = db.session.execute(
        select(Plan.id, Plan.title, func.count(Measure.id).label("n"))
        .join(Measure, Measure.plan_id == Plan.id)
        .where(overdue_condition(today), *scope.conditions(user))
        .group_by(Plan.id, Plan.title)
        .order_by(func.count(Measure.id).desc(), Plan.id)
        .limit(limit)
    ).all()
    return [LatePlan(pid, title, n) for pid, title, n in rows]
