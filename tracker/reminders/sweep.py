"""The reminder sweep: which open measures and steps owe which reminder today, and to whom.

Exactly once rests on the database: a reminder exists once its claim row is inserted
(``INSERT … ON CONFLICT DO NOTHING`` on the claim key). Services flush but never commit: the
jobs (:mod:`tracker.reminders.jobs`) commit after each claimed batch.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, exists, null, or_, select

from tracker.core.status import CLOSED_STATUSES, Status
from tracker.execution.models import StatusUpdate
from tracker.extensions import db
from tracker.plans.models import Measure, Plan, PlanState, PlanVersion, Step
from tracker.reminders.models import Holiday, Reminder, ReminderPolicy
from tracker.reminders.outbox import insert_ignoring_conflicts
from tracker.reminders.policy import (
    CATCH_UP_DAYS,
    DEFAULT_RULES,
    MAX_SHIFT_DAYS,
    RECURRING_LOOKBACK_DAYS,
    PolicyRules,
    Stage,
    WorkingCalendar,
    due_stages,
    is_periodic,
    local_today,
    occurrence_dates,
)
from tracker.reminders.recipients import load_people, load_responsibility, recipients_of
from tracker.reminders.settings import rules_of

#: Rows per INSERT when claiming; a job commits after each batch.
CLAIM_BATCH = 1000


@dataclass(frozen=True)
class OpenItem:
    """An open measure or step with what the rules need to know about its deadline."""

    measure_id: int
    step_id: int | None
    organization_id: int
    status: str
    kind: str | None
    start_on: date | None
    due_on: date | None
    recurrence: str | None
    plan_start: date | None
    plan_end: date | None
    added_on: date | None

    @property
    def key(self) -> str:
        return f"s{self.step_id}" if self.step_id is not None else f"m{self.measure_id}"


@dataclass
class DueReminders:
    """What one sweep found: the claim rows to insert, and how many items it looked at."""

    today: date
    rows: list[dict[str, Any]] = field(default_factory=list)
    open_items: int = 0
    due_stages: int = 0


#: An item, one of its due dates, and the reminder stage it owes today.
Due = tuple[OpenItem, date, Stage]


def plans_owing_work() -> Any:
    """Plans whose measures are owed: approved, or being revised after an approval."""
    return or_(
        Plan.state == PlanState.APPROVED,
        and_(Plan.state != PlanState.CLOSED, exists().where(PlanVersion.plan_id == Plan.id)),
    )


def _open_items_query(horizon: date, *, steps: bool) -> Select[Any]:
    periodic = ["recurring", "continuous"]
    closed = [s.value for s in CLOSED_STATUSES]
    owner = Step if steps else Measure
    columns = (
        Measure.id,
        Step.id if steps else null(),
        Plan.organization_id,
        owner.status,
        owner.deadline_kind,
        owner.start_on,
        owner.due_on,
        owner.deadline_recurrence,
        Plan.period_start,
        Plan.period_end,
        Measure.added_on,
    )
    query: Any = select(*columns)  # a row of ten columns (Select is variadic in SQLAlchemy 2.1)
    if steps:
        query = query.select_from(Step).join(Measure, Measure.id == Step.measure_id)
    else:
        query = query.select_from(Measure)
    return query.join(Plan, Plan.id == Measure.plan_id).where(
        Measure.deleted_at.is_(None),
        Measure.status.not_in(closed),
        owner.status.not_in(closed),
        plans_owing_work(),
        or_(
            owner.deadline_kind.in_(periodic),
            and_(owner.due_on.is_not(None), owner.due_on <= horizon),
        ),
    )


@dataclass
class _Context:
    """The policies and working calendars of the sweep's day, loaded once."""

    today: date
    horizon: date
    rules_by_org: dict[int, PolicyRules]
    holidays: dict[int, set[date]]
    calendars: dict[int, WorkingCalendar] = field(default_factory=dict)

    def rules(self, organization_id: int) -> PolicyRules:
        return self.rules_by_org.get(organization_id, DEFAULT_RULES)

    def calendar(self, organization_id: int) -> WorkingCalendar:
        if organization_id not in self.calendars:
            self.calendars[organization_id] = WorkingCalendar(self.holidays[organization_id])
        return self.calendars[organization_id]


def _load_context(today: date) -> _Context:
    rules_by_org = {p.organization_id: rules_of(p) for p in db.session.scalars(select(ReminderPolicy))}
    max_before = max([r.max_days_before for r in rules_by_org.values()] + [DEFAULT_RULES.max_days_before])
    horizon = today + timedelta(days=max_before + MAX_SHIFT_DAYS)
    holidays: dict[int, set[date]] = defaultdict(set)
    for org_id, day in db.session.execute(
        select(Holiday.organization_id, Holiday.day).where(
            Holiday.day >= today - timedelta(days=CATCH_UP_DAYS + 2 * MAX_SHIFT_DAYS),
            Holiday.day <= horizon + timedelta(days=MAX_SHIFT_DAYS),
        )
    ):
        holidays[org_id].add(day)
    return _Context(today=today, horizon=horizon, rules_by_org=rules_by_org, holidays=holidays)


def _stages_of(item: OpenItem, context: _Context) -> list[Due]:
    """The reminder stages ``item`` owes today, one per due date and stage."""
    rules = context.rules(item.organization_id)
    lookback = context.today - timedelta(days=RECURRING_LOOKBACK_DAYS)
    periodic = is_periodic(item.kind)
    window_start = max(lookback, item.added_on) if periodic and item.added_on else lookback
    occurrences = occurrence_dates(
        kind=item.kind,
        start_on=item.start_on,
        due_on=item.due_on,
        recurrence=item.recurrence,
        plan_start=item.plan_start,
        plan_end=item.plan_end,
        rules=rules,
        window_start=window_start if periodic else date.min,
        window_end=context.horizon,
    )
    calendar = context.calendar(item.organization_id)
    is_review = item.status == Status.DONE_CLAIMED
    return [
        (item, occurrence, stage)
        for occurrence in occurrences
        for stage in due_stages(occurrence, rules, calendar, context.today, is_review=is_review)
    ]


def _without_reported_periods(due: list[Due]) -> list[Due]:
    """Periods already reported on owe nothing."""
    periodic_dates = sorted({occ for item, occ, _s in due if is_periodic(item.kind)})
    if not periodic_dates:
        return due
    reported = {
        (f"s{step_id}" if step_id is not None else f"m{measure_id}", on)
        for measure_id, step_id, on in db.session.execute(
            select(StatusUpdate.measure_id, StatusUpdate.step_id, StatusUpdate.period_due_on).where(
                StatusUpdate.period_due_on.in_(periodic_dates)
            )
        )
    }
    return [d for d in due if not (is_periodic(d[0].kind) and (d[0].key, d[1]) in reported)]


def _claimed_since(today: date) -> set[tuple[Any, ...]]:
    """The claim keys of the reminders recent enough to be owed again."""
    return {
        tuple(row)
        for row in db.session.execute(
            select(
                Reminder.recipient_id,
                Reminder.item_key,
                Reminder.occurrence_on,
                Reminder.kind,
                Reminder.offset_days,
            ).where(Reminder.send_on >= today - timedelta(days=CATCH_UP_DAYS + 1))
        )
    }


def _claim_rows(due: list[Due], today: date) -> list[dict[str, Any]]:
    """One claim row per recipient of each due stage, minus what was claimed already."""
    claimed = _claimed_since(today)
    responsibility = load_responsibility(sorted({item.measure_id for item, _o, _s in due}))
    people = load_people({item.organization_id for item, _o, _s in due})
    rows: list[dict[str, Any]] = []
    for item, occurrence, stage in due:
        duty = responsibility[item.measure_id]
        for recipient_id in recipients_of(stage.kind, item.organization_id, duty, people):
            key = (recipient_id, item.key, occurrence, stage.kind.value, stage.offset_days)
            if key in claimed:
                continue
            claimed.add(key)
            rows.append(
                {
                    "organization_id": item.organization_id,
                    "recipient_id": recipient_id,
                    "measure_id": item.measure_id,
                    "step_id": item.step_id,
                    "item_key": item.key,
                    "occurrence_on": occurrence,
                    "kind": stage.kind.value,
                    "offset_days": stage.offset_days,
                    "send_on": stage.send_on,
                    "created_at": None,
                }
            )
    return rows


def find_due_reminders(now: datetime) -> DueReminders:
    """Every reminder due at ``now`` and not yet claimed, as rows for :func:`claim_reminders`.

    The number of queries does not depend on the number of measures: open items come in two
    queries, and everything else is loaded in bulk for the items that owe a reminder.
    """
    context = _load_context(local_today(now))
    found = DueReminders(today=context.today)
    due: list[Due] = []
    for steps in (False, True):
        for row in db.session.execute(_open_items_query(context.horizon, steps=steps)):
            found.open_items += 1
            due += _stages_of(OpenItem(*row), context)
    if not due:
        return found
    due = _without_reported_periods(due)
    found.due_stages = len(due)
    found.rows = _claim_rows(due, context.today)
    return found


def claim_reminders(rows: list[dict[str, Any]], now: datetime) -> list[int]:
    """Insert the claim rows; those another process inserted first are skipped. Returns new ids."""
    if not rows:
        return []
    rows = [{**row, "created_at": now} for row in rows]
    statement = insert_ignoring_conflicts(
        Reminder.__table__,
        rows,
        ["recipient_id", "item_key", "occurrence_on", "kind", "offset_days"],
    ).returning(Reminder.__table__.c.id)
    return list(db.session.scalars(statement))
