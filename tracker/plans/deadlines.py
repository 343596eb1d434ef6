"""A plan item's deadline fields, read from the deadline text as written in the document."""

from __future__ import annotations

from datetime import date

from tracker.plans.models import DeadlineFields, Plan
from tracker.uzbek import parse_deadlines


def apply_deadline(
    target: DeadlineFields, text: str | None, default_year: int | None, manual_due: date | None = None
) -> None:
    """Fill the structured deadline fields from the text; a due date typed by hand wins."""
    target.deadline_text = text or None
    target.start_on = target.due_on = target.deadline_kind = target.deadline_recurrence = None
    if text:
        parsed = parse_deadlines(text, default_year=default_year)
        if parsed:
            # Several deadlines in one cell: the measure is due when the last one is.
            first, last = parsed[0], parsed[-1]
            target.deadline_kind = first.kind.value if len(parsed) == 1 else last.kind.value
            target.start_on = first.start
            target.due_on = max((d.due for d in parsed if d.due), default=None)
            target.deadline_recurrence = first.recurrence if len(parsed) == 1 else None
    if manual_due is not None:
        target.due_on = manual_due
        target.deadline_kind = target.deadline_kind or "date"


def default_year(plan: Plan) -> int | None:
    """The year a deadline without one ("by 1 March") falls in: the plan period's."""
    if plan.period_start:
        return plan.period_start.year
    if plan.period_end:
        return plan.period_end.year
    return None
