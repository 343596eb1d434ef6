"""The compliance view (duties × periods, 2021 → now) and the periods' part of the unit rating."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, func, select

from tracker.execution.models import StatusUpdate
from tracker.extensions import db
from tracker.obligations.models import Compliance, ObligationPeriod
from tracker.obligations.services import FIRST_YEAR, duties_query
from tracker.plans.access import visible_plans_query
from tracker.plans.models import Measure, Plan, Responsible

if TYPE_CHECKING:
    from tracker.auth.models import User


@dataclass(frozen=True)
class Cell:
    period: ObligationPeriod
    state: Compliance
    #: The report's day: the period's own report, or a status report for the period made on
    #: the measure page (both count).
    reported_on: date | None = None


def status_reports_query() -> Any:
    """First status report per (duty, period), from the measure's history."""
    return (
        select(
            StatusUpdate.measure_id.label("measure_id"),
            StatusUpdate.period_due_on.label("due_on"),
            func.min(StatusUpdate.effective_on).label("reported_on"),
        )
        .where(StatusUpdate.period_due_on.is_not(None), StatusUpdate.step_id.is_(None))
        .group_by(StatusUpdate.measure_id, StatusUpdate.period_due_on)
    )


def state_of(due_on: date, reported_on: date | None, today: date) -> Compliance:
    if reported_on is not None:
        return Compliance.ON_TIME if reported_on <= due_on else Compliance.LATE
    return Compliance.MISSING if due_on < today else Compliance.OPEN


@dataclass
class DutyRow:
    measure: Measure
    #: Year → that year's periods, oldest first.
    years: dict[int, list[Cell]] = field(default_factory=dict)

    def count(self, state: Compliance) -> int:
        return sum(1 for cells in self.years.values() for c in cells if c.state == state)


@dataclass
class ComplianceView:
    years: list[int]
    rows: list[DutyRow]

    def total(self, state: Compliance) -> int:
        return sum(row.count(state) for row in self.rows)


def compliance_view(plan: Plan, today: date, first_year: int = FIRST_YEAR) -> ComplianceView:
    """Each duty of the plan and each period due from ``first_year`` through this year."""
    years = list(range(first_year, today.year + 1))
    rows = []
    for measure in db.session.scalars(duties_query().where(Plan.id == plan.id).order_by(Measure.position)):
        row = DutyRow(measure, {year: [] for year in years})
        reported = {
            due: on
            for _m, due, on in db.session.execute(
                status_reports_query().where(StatusUpdate.measure_id == measure.id)
            )
        }
        for period in db.session.scalars(
            select(ObligationPeriod)
            .where(
                ObligationPeriod.measure_id == measure.id,
                ObligationPeriod.due_on >= date(first_year, 1, 1),
                ObligationPeriod.due_on <= date(today.year, 12, 31),
            )
            .order_by(ObligationPeriod.due_on)
        ):
            on = period.reported_on or reported.get(period.due_on)
            row.years[period.due_on.year].append(Cell(period, state_of(period.due_on, on, today), on))
        rows.append(row)
    return ComplianceView(years, rows)


def period_figures(user: User, period_start: date, period_end: date, today: date) -> dict[int, list[int]]:
    """Per unit: [assessed, on time, overdue, active, delay days] over duty periods due in the
    window and passed (or reported), as :mod:`tracker.dashboard.rating` counts measures."""
    figures: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    reports = status_reports_query().subquery()
    rows = db.session.execute(
        select(
            Responsible.unit_id,
            ObligationPeriod.due_on,
            func.coalesce(ObligationPeriod.reported_on, reports.c.reported_on),
        )
        .join(ObligationPeriod, ObligationPeriod.measure_id == Responsible.measure_id)
        .join(Measure, Measure.id == Responsible.measure_id)
        .outerjoin(
            reports,
            and_(
                reports.c.measure_id == ObligationPeriod.measure_id,
                reports.c.due_on == ObligationPeriod.due_on,
            ),
        )
        .where(
            Responsible.unit_id.is_not(None),
            Measure.plan_id.in_(visible_plans_query(user).with_only_columns(Plan.id)),
            Measure.deleted_at.is_(None),
            ObligationPeriod.due_on >= period_start,
            ObligationPeriod.due_on <= period_end,
        )
    ).all()
    for unit_id, due_on, reported_on in rows:
        if unit_id is None:  # the query keeps only responsibles that are units
            continue
        if reported_on is None and due_on >= today:
            continue  # not yet due: nothing to judge
        entry = figures[unit_id]
        entry[0] += 1
        if reported_on is not None and reported_on <= due_on:
            entry[1] += 1
            entry[3] += 1
        elif reported_on is None:
            entry[2] += 1
            entry[4] += (today - due_on).days
        else:
            entry[4] += (reported_on - due_on).days
    return dict(figures)
