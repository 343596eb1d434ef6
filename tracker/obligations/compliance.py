"""The compliance view (duties × periods, 2021 → now) and the periods' part of the unit rating."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select

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
        for period in db.session.scalars(
            select(ObligationPeriod)
            .where(
                ObligationPeriod.measure_id == measure.id,
                ObligationPeriod.due_on >= date(first_year, 1, 1),
                ObligationPeriod.due_on <= date(today.year, 12, 31),
            )
            .order_by(ObligationPeriod.due_on)
        ):
            row.years[period.due_on.year].append(Cell(period, period.compliance(today)))
        rows.append(row)
    return ComplianceView(years, rows)


def period_figures(user: User, period_start: date, period_end: date, today: date) -> dict[int, list[int]]:
    """Per unit: [assessed, on time, overdue, active, delay days] over duty periods due in the
    window and passed (or reported), as :mod:`tracker.dashboard.rating` counts measures."""
    figures: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    rows = db.session.execute(
        select(Responsible.unit_id, ObligationPeriod.due_on, ObligationPeriod.reported_on)
        .join(ObligationPeriod, ObligationPeriod.measure_id == Responsible.measure_id)
        .join(Measure, Measure.id == Responsible.measure_id)
        .where(
            Responsible.unit_id.is_not(None),
            Measure.plan_id.in_(visible_plans_query(user).with_only_columns(Plan.id)),
            Measure.deleted_at.is_(None),
            ObligationPeriod.due_on >= period_start,
            ObligationPeriod.due_on <= period_end,
        )
    ).all()
    for unit_id, due_on, reported_on in rows:
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
