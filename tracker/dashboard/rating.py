"""The internal rating of units by execution discipline (seed 002, item 4). See docs/rating.md.

For a period, each unit is judged on the measures it leads or co-executes ("all units"
measures are left out: they belong to nobody in particular) whose deadline falls in the
period and has passed — or that are done already. Cancelled measures owe nothing and are
left out. The completion day comes from the status history: the day the unit reported the
work done (``effective_on`` of the claim that was accepted, or of a "done" update).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Integer, and_, case, cast, func, literal, or_, select

from tracker.auth.models import User
from tracker.core.status import ReviewState, Status
from tracker.execution.models import StatusUpdate
from tracker.extensions import db
from tracker.orgs.models import Unit
from tracker.plans.access import visible_plans_query
from tracker.plans.models import Measure, Plan, Responsible

#: Weights of the four criteria (sum 100) and the delay that scores zero.
WEIGHT_ON_TIME = 40
WEIGHT_NOT_OVERDUE = 30
WEIGHT_ACTIVE = 20
WEIGHT_DELAY = 10
DELAY_SCALE_DAYS = 30


@dataclass(frozen=True)
class UnitRating:
    unit_id: int
    name: str
    #: Measures assessed in the period.
    assessed: int
    on_time: int
    overdue: int
    #: Measures with a status update on or before their deadline.
    active: int
    #: Days late summed over the assessed measures (0 for those done on time).
    delay_days: int
    rank: int | None = None

    @property
    def on_time_rate(self) -> float:
        return self.on_time / self.assessed if self.assessed else 0.0

    @property
    def overdue_share(self) -> float:
        return self.overdue / self.assessed if self.assessed else 0.0

    @property
    def active_rate(self) -> float:
        return self.active / self.assessed if self.assessed else 0.0

    @property
    def average_delay(self) -> float:
        return self.delay_days / self.assessed if self.assessed else 0.0

    @property
    def score(self) -> float | None:
        """0–100; None when nothing was assessed (the unit is listed, unranked)."""
        if not self.assessed:
            return None
        delay_part = max(0.0, 1 - self.average_delay / DELAY_SCALE_DAYS)
        return round(
            WEIGHT_ON_TIME * self.on_time_rate
            + WEIGHT_NOT_OVERDUE * (1 - self.overdue_share)
            + WEIGHT_ACTIVE * self.active_rate
            + WEIGHT_DELAY * delay_part,
            1,
        )


def _days(later: Any, earlier: Any) -> Any:
    """Whole days between two SQL dates, on either engine."""
    if db.session.get_bind().dialect.name == "sqlite":
        return cast(func.julianday(later) - func.julianday(earlier), Integer)
    return later - earlier


def unit_ratings(user: User, period_start: date, period_end: date, today: date) -> list[UnitRating]:
    """Every active unit of the user's organization, ranked by score (ties share a rank). One query
    for the figures and one for the units."""
    figures = _measure_figures(user, period_start, period_end, today)
    _add_obligation_periods(figures, user, period_start, period_end, today)
    units = db.session.execute(
        select(Unit.id, Unit.name).where(
            Unit.organization_id == user.organization_id,
            or_(Unit.is_active.is_(True), Unit.id.in_(list(figures))),
        )
    ).all()
    ratings = [UnitRating(uid, name, *figures.get(uid, [0, 0, 0, 0, 0])) for uid, name in units]
    return _ranked(ratings)


def _ranked(ratings: list[UnitRating]) -> list[UnitRating]:
    """Best score first, then more assessed, then by name; equal scores share a rank, and units
    with nothing assessed come last, unranked."""
    ratings = sorted(ratings, key=lambda r: (r.score is None, -(r.score or 0), -r.assessed, r.name))
    ranked: list[UnitRating] = []
    rank, previous = 0, None
    for position, rating in enumerate(ratings, start=1):
        if rating.score is None:
            ranked.append(rating)
            continue
        if rating.score != previous:
            rank, previous = position, rating.score
        ranked.append(UnitRating(**{**rating.__dict__, "rank": rank}))
    return ranked


def _done_on() -> Any:
    """Per measure, the day it was reported done: a "done" update or an accepted claim."""
    return (
        select(StatusUpdate.measure_id, func.min(StatusUpdate.effective_on).label("done_on"))
        .where(
            StatusUpdate.step_id.is_(None),
            or_(
                StatusUpdate.status == Status.DONE.value,
                and_(
                    StatusUpdate.status == Status.DONE_CLAIMED.value,
                    StatusUpdate.review_state == ReviewState.ACCEPTED.value,
                ),
            ),
        )
        .group_by(StatusUpdate.measure_id)
        .subquery()
    )


def _measure_figures(user: User, period_start: date, period_end: date, today: date) -> dict[int, list[int]]:
    """Per unit: assessed, on time, overdue, active, days late, over the measures it is responsible
    for whose deadline falls in the period."""
    done_on = _done_on()
    # Any update on the measure or its steps counts as activity.
    first_update = (
        select(StatusUpdate.measure_id, func.min(StatusUpdate.effective_on).label("first_on"))
        .group_by(StatusUpdate.measure_id)
        .subquery()
    )
    pairs = (
        select(Responsible.unit_id, Responsible.measure_id)
        .where(Responsible.unit_id.is_not(None))
        .distinct()
        .subquery()
    )
    # a "done" read from an "(… ҳолатига)" report has no finishing day: not assessed (docs/rating.md)
    unknown_done = select(StatusUpdate.measure_id).where(
        StatusUpdate.status == Status.DONE.value, StatusUpdate.completion_unknown.is_(True)
    )
    is_done = Measure.status == Status.DONE.value
    completed = func.coalesce(done_on.c.done_on, Measure.due_on)
    today_value = literal(today, db.Date)
    delay = case(
        (and_(is_done, completed > Measure.due_on), _days(completed, Measure.due_on)),
        (and_(~is_done, Measure.due_on < today_value), _days(today_value, Measure.due_on)),
        else_=0,
    )
    rows = db.session.execute(
        select(
            pairs.c.unit_id,
            func.count(Measure.id),
            func.sum(case((and_(is_done, completed <= Measure.due_on), 1), else_=0)),
            func.sum(case((and_(~is_done, Measure.due_on < today_value), 1), else_=0)),
            func.sum(case((first_update.c.first_on <= Measure.due_on, 1), else_=0)),
            func.sum(delay),
        )
        .select_from(pairs)
        .join(Measure, Measure.id == pairs.c.measure_id)
        .outerjoin(done_on, done_on.c.measure_id == Measure.id)
        .outerjoin(first_update, first_update.c.measure_id == Measure.id)
        .where(
            Measure.plan_id.in_(visible_plans_query(user).with_only_columns(Plan.id)),
            Measure.deleted_at.is_(None),
            Measure.status != Status.CANCELLED.value,
            Measure.due_on >= period_start,
            Measure.due_on <= period_end,
            or_(Measure.due_on < today_value, is_done),
            ~and_(is_done, Measure.id.in_(unknown_done)),
        )
        .group_by(pairs.c.unit_id)
    ).all()
    return {r[0]: [int(v or 0) for v in r[1:]] for r in rows}


def quarter_of(day: date) -> tuple[date, date]:
    """The calendar quarter holding ``day``: its first and last dates."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    end = date(day.year + (first_month == 10), (first_month + 2) % 12 + 1, 1)
    return start, end - timedelta(days=1)


def default_period(user: User, today: date) -> tuple[date, date]:
    """The last complete quarter that has something to assess: the quarter of the latest unit
    deadline before this quarter began; this year so far when there is none."""
    this_quarter_start, _end = quarter_of(today)
    latest = db.session.scalar(
        select(func.max(Measure.due_on))
        .join(Responsible, Responsible.measure_id == Measure.id)
        .where(
            Responsible.unit_id.is_not(None),
            Measure.plan_id.in_(visible_plans_query(user).with_only_columns(Plan.id)),
            Measure.deleted_at.is_(None),
            Measure.status != Status.CANCELLED.value,
            Measure.due_on < this_quarter_start,
        )
    )
    if latest is None:
        return date(today.year, 1, 1), today
    return quarter_of(latest)


def _add_obligation_periods(
    figures: dict[int, list[int]], user: User, period_start: date, period_end: date, today: date
) -> None:
    """Standing duties owe a report per period; each period counts like a measure's deadline."""
    from tracker.obligations.compliance import period_figures

    for unit_id, extra in period_figures(user, period_start, period_end, today).items():
        current = figures.setdefault(unit_id, [0, 0, 0, 0, 0])
        figures[unit_id] = [a + b for a, b in zip(current, extra, strict=True)]
