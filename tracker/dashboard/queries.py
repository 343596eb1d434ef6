"""Dashboard figures for an organization, a plan or a unit: a fixed number of queries, any data size.

Every figure counts the measures (not steps) of plans the user may see, removed measures left
out. "Overdue" is judged by the Tashkent date, as everywhere (``overdue_condition``).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    Date,
    DateTime,
    Select,
    and_,
    bindparam,
    case,
    exists,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY

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


def _first_index(conditions: list[Any], default: int) -> Any:
    """The index of the first true condition (``default`` when none is): a month, as a number."""
    return case(*((c, i) for i, c in enumerate(conditions)), else_=default)


def has_width_bucket() -> bool:
    """Whether the database has ``width_bucket(value, array of bounds)`` (PostgreSQL)."""
    return db.session.get_bind().dialect.name == "postgresql"


def _bucket(value: Any, bounds: Sequence[Any], item_type: Any, default: int) -> Any:
    """How many of the ascending ``bounds`` are at or below ``value`` (``default`` for NULL).

    PostgreSQL's ``width_bucket`` does it in one call with one parameter (a binary search);
    elsewhere, a CASE over the bounds. On 10,000 measures the CASEs of the dashboard cost
    about 50 comparisons a row and 100 parameters a query (issue 17)."""
    if has_width_bucket():
        bucket = func.width_bucket(value, bindparam(None, list(bounds), type_=ARRAY(item_type)))
        return func.coalesce(bucket, default)
    return _first_index([value < bound for bound in bounds], default)


@functools.cache
def _pending_claims() -> Any:
    """Claims waiting for a controller, per measure, joined to the summary's pass over the
    measures (built once: the same for everyone, and a subquery's columns cost to set up)."""
    return (
        select(StatusUpdate.measure_id, func.count().label("n"))
        .where(StatusUpdate.review_state == ReviewState.SUBMITTED.value)
        .group_by(StatusUpdate.measure_id)
        .subquery()
    )


def summary(user: User, scope: Scope, today: date) -> Summary:
    """All the numbers of one dashboard in one query, one pass over the measures.

    The trend counts, for each of the last 12 months, the measures that reached "done" in
    that month and those overdue at its end (on today for the current month), dating each
    measure's closing by the moment its current status was recorded.

    The measures are grouped by what decides every figure — status, where the deadline falls
    from today, and three month numbers (0–11, 12 for "never"): the first month-end the
    deadline has passed by, the first the measure existed at, and the first it was closed by —
    and Python adds the groups up (a few hundred rows whatever the number of measures).
    """
    months = month_starts(today)
    keys = _grouping_keys(months, today)
    pending = _pending_claims()
    rows = db.session.execute(
        select(*keys, func.count(), func.coalesce(func.sum(pending.c.n), 0))
        .select_from(Measure)
        .outerjoin(pending, pending.c.measure_id == Measure.id)
        .where(*scope.conditions(user))
        .group_by(*keys)
    ).all()
    return _added_up(rows, months)


def _grouping_keys(months: list[date], today: date) -> list[Any]:
    """Status, due bucket (overdue, within 7 days, within 30, later), the month numbers the
    deadline passed, the measure was added and it was closed by, and "done in the trend's span"."""
    ends = [min(_next_month(first) - timedelta(1), today) for first in months]
    end_ats = [tashkent_midnight(end + timedelta(1)) for end in ends]
    never = len(months)
    closed = Measure.status.in_(_CLOSED)
    due_bucket = _bucket(Measure.due_on, [today, today + timedelta(8), today + timedelta(31)], Date, 3)
    due_month = _bucket(Measure.due_on, ends, Date, never)
    added_month = _bucket(Measure.added_on, [end + timedelta(1) for end in ends], Date, never)
    closed_month = case(
        (~closed, never),
        (Measure.status_changed_at.is_(None), 0),
        else_=_bucket(Measure.status_changed_at, end_ats, DateTime(timezone=True), never),
    )
    done_lately = case(
        (
            and_(
                Measure.status == Status.DONE.value,
                Measure.status_changed_at >= tashkent_midnight(months[0]),
            ),
            1,
        ),
        else_=0,
    )
    return [Measure.status, due_bucket, due_month, added_month, closed_month, done_lately]


def _added_up(rows: Sequence[Any], months: list[date]) -> Summary:
    """The figures from the groups of :func:`_grouping_keys`, each with its count and claims."""
    never = len(months)
    result = Summary(by_status=dict.fromkeys(Status, 0))
    completed = [0] * never
    overdue = [0] * never
    for row in rows:
        status, bucket, due_i, added_i, closed_i, lately, n, claims = tuple(row)
        result.total += n
        result.awaiting_review += int(claims)
        result.by_status[Status(status)] += n
        if status not in _CLOSED:
            if bucket == 0:
                result.overdue += n
            elif bucket == 1:
                result.due_7 += n
                result.due_30 += n
            elif bucket == 2:
                result.due_30 += n
        if lately and closed_i < never:
            completed[closed_i] += n
        for i in range(max(due_i, added_i), closed_i):
            overdue[i] += n
    result.trend = [TrendMonth(m, completed[i], overdue[i]) for i, m in enumerate(months)]
    return result


@dataclass(frozen=True)
class LateUnit:
    unit_id: int
    name: str
    overdue: int


def _late_units_query(user: User, scope: Scope, today: date, limit: int) -> Select[Any]:
    """Units leading the most overdue measures ("who is late"), most first."""
    n = func.count(func.distinct(Measure.id))
    return (
        select(literal("unit").label("kind"), Unit.id, Unit.name, n.label("n"))
        .add_columns(func.row_number().over(order_by=(n.desc(), Unit.name)).label("rank"))
        .join(Responsible, Responsible.unit_id == Unit.id)
        .join(Measure, Measure.id == Responsible.measure_id)
        .where(Responsible.is_lead.is_(True), overdue_condition(today), *scope.conditions(user))
        .group_by(Unit.id, Unit.name)
        .order_by(n.desc(), Unit.name)
        .limit(limit)
    )


@dataclass(frozen=True)
class LatePlan:
    plan_id: int
    title: str
    overdue: int


def _late_plans_query(user: User, scope: Scope, today: date, limit: int) -> Select[Any]:
    """Plans with the most overdue measures, most first."""
    n = func.count(Measure.id)
    return (
        select(literal("plan").label("kind"), Plan.id, Plan.title, n.label("n"))
        .add_columns(func.row_number().over(order_by=(n.desc(), Plan.id)).label("rank"))
        .join(Measure, Measure.plan_id == Plan.id)
        .where(overdue_condition(today), *scope.conditions(user))
        .group_by(Plan.id, Plan.title)
        .order_by(n.desc(), Plan.id)
        .limit(limit)
    )


def late_units_and_plans(
    user: User, scope: Scope, today: date, *, units: bool, plans: bool, limit: int = 10
) -> tuple[list[LateUnit], list[LatePlan]]:
    """Who is late and which plans are (those asked for), most overdue measures first, in one
    query: the two lists ride one round trip (issue 17)."""
    parts = [
        query(user, scope, today, limit).subquery()
        for query, wanted in ((_late_units_query, units), (_late_plans_query, plans))
        if wanted
    ]
    if not parts:
        return [], []
    both = union_all(*(select(*part.c) for part in parts)).subquery()
    rows = db.session.execute(select(both).order_by(both.c.kind.desc(), both.c.rank)).all()
    return (
        [LateUnit(ident, name, n) for kind, ident, name, n, _rank in rows if kind == "unit"],
        [LatePlan(ident, name, n) for kind, ident, name, n, _rank in rows if kind == "plan"],
    )
