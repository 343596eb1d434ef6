"""What is "in force" and what is "overdue": the one definition every view and report uses.

Pure rules over plain values (no database; the SQL form of a rule is an expression, never a
query), so that the read model
(:mod:`tracker.plans.snapshot`), the execution service (which caches a measure's status) and
the tests all apply the same ones.

A plan in force
    A plan is in force (its measures are owed work and status reports, reminders go out, its
    deadlines are on calendars) when it is approved, or when it was approved before and is being
    revised now (a new draft or a draft in review: the approved version still binds). A draft
    never approved, and a closed plan, are not in force. :func:`is_plan_in_force` on an object
    and :func:`plan_in_force_clause` in SQL say the same. A report as of a past day asks a
    different question, whether the plan *has been* approved (``Plan.has_approved_version``).

Value of a field in force at the end of day D
    Change records (:class:`tracker.plans.records.ItemChange`) are ordered by effective date,
    then recording time. The value in force on D is the new value of the last record effective
    on or before D; when no record is effective yet, it is the old value of the first record;
    when there are no records, it is the value stored now. A record still waiting for its
    revision's approval (no effective date) is not in force on any day.

Overdue on day D
    The deadline in force on D has a due date before D, and the status in force on D is
    neither done nor cancelled.

A measure made of steps
    Deadline: the measure's own deadline when it is set on the measure (``deadline_on_measure``)
    or when no step has a deadline of its own; otherwise derived from the steps' deadlines in
    force: continuous, recurring or "by schedule" when any step is (no single due date, so the
    measure itself is never overdue: its steps are), else the latest due date of the steps.
    Status: the measure's own status when its report was recorded after every step report
    (the latest recorded report wins, even the same day: a controller closing the measure as
    a whole), otherwise derived from the steps:
    no step → not started; all steps cancelled → cancelled; every remaining step done → done;
    every remaining step done or awaiting review → awaiting review; all not started → not
    started; anything else → in progress.

Days late and done on time
    A finished item is late by the days between its due date and the day it was finished, and
    on time when it finished on or before the due date. A "done" whose finishing day is not
    known (a status imported from an "(… ҳолатига)" report) is neither: it is left out of
    on-time rates and delays. An unfinished item past its due date is late by the days from
    the due date to D.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import ColumnElement, and_, exists, or_

from tracker.core.status import CLOSED_STATUSES, Status, is_overdue
from tracker.plans.models import Plan, PlanState, PlanVersion

__all__ = [
    "OPEN_ENDED_KINDS",
    "Dated",
    "days_late",
    "deadline_from_steps",
    "done_on_time",
    "is_overdue",
    "is_plan_in_force",
    "plan_in_force_clause",
    "status_from_steps",
    "value_in_force",
]

#: Deadline kinds without one due date: the obligation runs on (or by a schedule of its own).
OPEN_ENDED_KINDS = frozenset({"continuous", "recurring", "schedule"})


def is_plan_in_force(plan: Plan) -> bool:
    """Whether the plan is in force now (see above)."""
    if plan.state == PlanState.CLOSED:
        return False
    return plan.state == PlanState.APPROVED or plan.has_approved_version


def plan_in_force_clause() -> ColumnElement[bool]:
    """:func:`is_plan_in_force` as a condition on ``Plan`` in a query."""
    return or_(
        Plan.state == PlanState.APPROVED,
        and_(Plan.state != PlanState.CLOSED, exists().where(PlanVersion.plan_id == Plan.id)),
    )


class Dated(Protocol):
    """A change record as :func:`value_in_force` reads it."""

    effective_on: date | None
    old_value: Any
    new_value: Any


def value_in_force(current: Any, records: Sequence[Dated], as_of: date) -> Any:
    """The value in force at the end of ``as_of``; ``records`` in (effective, recorded) order.

    Records waiting for approval (``effective_on`` None) must come last.
    """
    for record in records:
        if record.effective_on is None or record.effective_on > as_of:
            return record.old_value
    return current


def change_order(effective_on: date | None, recorded_key: Any) -> tuple[int, date, Any]:
    """The sort key that puts records in the order :func:`value_in_force` expects."""
    return (1, date.max, recorded_key) if effective_on is None else (0, effective_on, recorded_key)


@dataclass(frozen=True)
class DeadlineValue:
    """A deadline in the open-data shape (``text``, ``kind``, ``start``, ``due``, ``recurrence``)."""

    text: str | None
    kind: str | None
    start_on: date | None
    due_on: date | None
    recurrence: str | None

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> DeadlineValue:
        data = data or {}
        return cls(
            text=data.get("text"),
            kind=data.get("kind"),
            start_on=date.fromisoformat(data["start"]) if data.get("start") else None,
            due_on=date.fromisoformat(data["due"]) if data.get("due") else None,
            recurrence=data.get("recurrence"),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "kind": self.kind,
            "start": self.start_on.isoformat() if self.start_on else None,
            "due": self.due_on.isoformat() if self.due_on else None,
            "recurrence": self.recurrence,
        }

    @property
    def is_open_ended(self) -> bool:
        return self.kind in OPEN_ENDED_KINDS


def deadline_from_steps(
    own: DeadlineValue, steps: Iterable[DeadlineValue], *, set_on_measure: bool
) -> tuple[DeadlineValue, bool]:
    """The measure's deadline in force and whether it was derived from its steps (see above)."""
    dated = [d for d in steps if d.text]
    if set_on_measure or not dated:
        return own, False
    text = "\n".join(dict.fromkeys(d.text for d in dated if d.text))
    open_ended = next((d for d in dated if d.is_open_ended or d.due_on is None), None)
    if open_ended is not None:
        return DeadlineValue(text, open_ended.kind, None, None, open_ended.recurrence), True
    latest = max(dated, key=lambda d: d.due_on or date.min)
    starts = [d.start_on for d in dated if d.start_on]
    return DeadlineValue(text, latest.kind, min(starts) if starts else None, latest.due_on, None), True


def status_from_steps(statuses: Sequence[Status | str]) -> Status:
    """The status a measure takes from its steps' statuses (see above)."""
    if not statuses:
        return Status.NOT_STARTED
    remaining = [Status(s) for s in statuses if Status(s) != Status.CANCELLED]
    if not remaining:
        return Status.CANCELLED
    if all(s == Status.DONE for s in remaining):
        return Status.DONE
    if all(s in (Status.DONE, Status.DONE_CLAIMED) for s in remaining):
        return Status.DONE_CLAIMED
    if all(s == Status.NOT_STARTED for s in remaining):
        return Status.NOT_STARTED
    return Status.IN_PROGRESS


#: When a report was recorded, with its id to order reports recorded in the same instant.
Recorded = tuple[datetime, int]


def own_status_wins(own_recorded: Recorded | None, step_recorded: Sequence[Recorded | None]) -> bool:
    """The measure's own report stands over its steps' when it was recorded after every step report.

    "The latest recorded report wins": the comparison is on the moment each report was recorded
    (then its id), not on the day it speaks for, so a measure's own report made the same day as
    its steps' reports, after them, stands.
    """
    if own_recorded is None:
        return False
    recorded = [r for r in step_recorded if r is not None]
    return not recorded or own_recorded > max(recorded)


def days_late(due_on: date | None, status: Status | str, done_on: date | None, as_of: date) -> int | None:
    """Days past the due date: to the finishing day, or to ``as_of`` while unfinished.

    None when nothing can be said: no due date, cancelled, or done on an unknown day.
    """
    if due_on is None or Status(status) == Status.CANCELLED:
        return None
    if Status(status) == Status.DONE:
        return max((done_on - due_on).days, 0) if done_on is not None else None
    return max((as_of - due_on).days, 0)


def done_on_time(due_on: date | None, status: Status | str, done_on: date | None) -> bool | None:
    """True/False for a finished item whose finishing day is known; None otherwise."""
    if Status(status) != Status.DONE or done_on is None:
        return None
    return due_on is None or done_on <= due_on


def is_closed(status: Status | str) -> bool:
    return Status(status) in CLOSED_STATUSES
