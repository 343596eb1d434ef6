"""Period by period compliance of recurring and continuous obligations (the measure page)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from tracker.execution.models import StatusUpdate
from tracker.extensions import db
from tracker.plans.models import Measure, Step
from tracker.reminders.policy import RECURRING_LOOKBACK_DAYS, is_periodic, occurrence_dates
from tracker.reminders.settings import rules_for


@dataclass(frozen=True)
class PeriodCompliance:
    occurrence: date
    #: "on_time", "late", "missing", "due" (within the reminder horizon), "upcoming".
    state: str
    reported_on: date | None


def occurrences_of(target: Measure | Step, today: date) -> list[date]:
    """All due dates of a measure or step within its plan's period (or a year around today)."""
    measure = target.measure if isinstance(target, Step) else target
    plan = measure.plan
    rules = rules_for(plan.organization_id)
    start = plan.period_start or today - timedelta(days=RECURRING_LOOKBACK_DAYS)
    end = plan.period_end or today + timedelta(days=RECURRING_LOOKBACK_DAYS)
    return occurrence_dates(
        kind=target.deadline_kind,
        start_on=target.start_on,
        due_on=target.due_on,
        recurrence=target.deadline_recurrence,
        plan_start=plan.period_start,
        plan_end=plan.period_end,
        rules=rules,
        window_start=min(start, target.start_on or start),
        window_end=max(end, target.due_on or end),
    )


def period_compliance(target: Measure | Step, today: date) -> list[PeriodCompliance]:
    """Period by period, whether the unit reported for each occurrence, and when."""
    if not is_periodic(target.deadline_kind):
        return []
    if isinstance(target, Step):
        condition = StatusUpdate.step_id == target.id
    else:
        condition = (StatusUpdate.measure_id == target.id) & StatusUpdate.step_id.is_(None)
    first_report: dict[date, date] = {}
    for on, effective in db.session.execute(
        select(StatusUpdate.period_due_on, StatusUpdate.effective_on).where(
            condition, StatusUpdate.period_due_on.is_not(None)
        )
    ):
        if on is not None:  # the query asks for dated periods only; this tells the type checker
            first_report[on] = min(effective, first_report.get(on, effective))
    soon = today + timedelta(
        days=rules_for(
            (target.measure if isinstance(target, Step) else target).plan.organization_id
        ).max_days_before
    )
    result = []
    for occurrence in occurrences_of(target, today):
        reported = first_report.get(occurrence)
        if reported is not None:
            state = "on_time" if reported <= occurrence else "late"
        elif occurrence < today:
            state = "missing"
        elif occurrence <= soon:
            state = "due"
        else:
            state = "upcoming"
        result.append(PeriodCompliance(occurrence, state, reported))
    return result
