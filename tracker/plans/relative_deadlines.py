"""Relative deadlines ("бир ой муддатда", "15 кун ичида") count from the plan's date.

The date is the plan's approval date, or before approval the date of the basis document given in
the plan ("… 2022 йил 28 январдаги ПФ-60-сон Фармони"). :func:`resolve_relative_deadlines` is called
where that date is set (approval, approval printed on an imported document, import of a draft).
"""

from __future__ import annotations

import logging
from datetime import date

from tracker.plans.models import Measure, Plan, PlanKind, Step
from tracker.uzbek import DeadlineKind, parse_deadlines, parse_legal_basis

__all__ = ["deadline_reference", "resolve_relative_deadlines"]

logger = logging.getLogger(__name__)


def deadline_reference(plan: Plan) -> date | None:
    """The date a plan's relative deadlines count from: the meeting's date for decisions (stored
    as the plan's start), else the approval date, else the basis act's date."""
    if plan.kind == PlanKind.DECISIONS and plan.period_start is not None:
        # "bir oy muddatda" in minutes counts from the meeting, not from a later approval.
        return plan.period_start
    if plan.approval_date is not None:
        return plan.approval_date
    if plan.basis:
        return next((act.date for act in parse_legal_basis(plan.basis) if act.date), None)
    return None


def _plan_year(plan: Plan) -> int | None:
    start = plan.period_start or plan.period_end
    return start.year if start else None


def resolve_relative_deadlines(plan: Plan) -> int:
    """Recompute the start and due dates of every measure and step whose deadline text holds a
    relative term, against :func:`deadline_reference`; returns how many changed.

    Other deadlines are left as they are. Without a reference date, relative deadlines have no
    dates (the clerk sees "no due date" until the plan is approved). Flushes nothing: the caller
    (a service) flushes.
    """
    reference = deadline_reference(plan)
    year = _plan_year(plan)
    changed = 0
    items: list[Measure | Step] = []
    for measure in plan.measures:
        items.append(measure)
        items.extend(measure.steps)
    for item in items:
        if item.deadline_text and _resolve(item, item.deadline_text, year, reference):
            changed += 1
    if changed:
        logger.info("plan %s: %d relative deadlines counted from %s", plan.id, changed, reference)
    return changed


def _resolve(item: Measure | Step, text: str, year: int | None, reference: date | None) -> bool:
    parsed = parse_deadlines(text, default_year=year, reference=reference)
    if not any(d.kind == DeadlineKind.RELATIVE for d in parsed):
        return False
    # The same reading as plans.services.apply_deadline: first start, latest due.
    start = parsed[0].start
    due = max((d.due for d in parsed if d.due), default=None)
    if (item.start_on, item.due_on) == (start, due):
        return False
    item.start_on, item.due_on = start, due
    return True
