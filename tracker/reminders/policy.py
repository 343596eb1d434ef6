"""The reminder rules as plain values: which reminders an occurrence owes, and on which working day.

No database here: :mod:`tracker.reminders.settings` loads policies and holidays and asks these
functions what is due, so the rules are testable on their own.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tracker.core.time import TASHKENT
from tracker.reminders.models import ContinuousPeriod, ReminderKind
from tracker.uzbek.deadlines import (
    RRULE_HALF_YEARLY,
    RRULE_MONTHLY,
    RRULE_QUARTERLY,
    RRULE_YEARLY,
    Deadline,
    DeadlineKind,
)

#: A reminder missed (scheduler stopped) is still sent this many days late; older ones lapse,
#: and of several missed reminders of one item only the latest goes out.
CATCH_UP_DAYS = 7
#: Longest run of non-working days the shift to the previous working day looks across.
MAX_SHIFT_DAYS = 21
#: Unreported occurrences of recurring obligations keep reminding this long after their due date.
RECURRING_LOOKBACK_DAYS = 366

CONTINUOUS_RULES = {
    ContinuousPeriod.MONTHLY: RRULE_MONTHLY,
    ContinuousPeriod.QUARTERLY: RRULE_QUARTERLY,
    ContinuousPeriod.HALF_YEARLY: RRULE_HALF_YEARLY,
    ContinuousPeriod.YEARLY: RRULE_YEARLY,
}

#: Saturday and Sunday.
WEEKEND = frozenset({5, 6})


@dataclass(frozen=True)
class PolicyRules:
    days_before: tuple[int, ...] = (7, 3, 1)
    remind_on_due_day: bool = True
    overdue_every_days: int = 3
    escalate_head_after_days: int = 1
    escalate_director_after_days: int = 7
    continuous_period: ContinuousPeriod = ContinuousPeriod.QUARTERLY

    @property
    def max_days_before(self) -> int:
        return max(self.days_before, default=0)


DEFAULT_RULES = PolicyRules()


def parse_days(text: str) -> tuple[int, ...]:
    """ "7, 3, 1" → (7, 3, 1): distinct positive numbers, largest first. Raises ValueError."""
    days = {int(part) for part in text.replace(";", ",").split(",") if part.strip()}
    if any(d < 1 or d > 366 for d in days):
        raise ValueError(text)
    return tuple(sorted(days, reverse=True))


class WorkingCalendar:
    """Weekends and an organization's holidays; reminders move back to the previous working day."""

    def __init__(self, holidays: Collection[date] = ()) -> None:
        self.holidays = frozenset(holidays)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() not in WEEKEND and day not in self.holidays

    def on_or_before(self, day: date) -> date:
        """``day`` if it is a working day, else the nearest working day before it."""
        for back in range(MAX_SHIFT_DAYS + 1):
            candidate = day - timedelta(days=back)
            if self.is_working_day(candidate):
                return candidate
        return day  # a calendar with no working day in three weeks is a data error: keep the day

    def on_or_after(self, day: date) -> date:
        """``day`` if it is a working day, else the nearest working day after it."""
        for ahead in range(MAX_SHIFT_DAYS + 1):
            candidate = day + timedelta(days=ahead)
            if self.is_working_day(candidate):
                return candidate
        return day


@dataclass(frozen=True)
class Stage:
    """One reminder an occurrence owes: its kind, its nominal offset and the day it goes out."""

    kind: ReminderKind
    offset_days: int
    send_on: date


def _deadline_track(occurrence: date, rules: PolicyRules, today: date) -> Iterator[tuple[ReminderKind, int]]:
    for n in rules.days_before:
        yield ReminderKind.BEFORE, -n
    if rules.remind_on_due_day:
        yield ReminderKind.DUE, 0
    every = rules.overdue_every_days
    # Overdue reminders repeat without end; only those near today can be due.
    days_late = (today - occurrence).days + MAX_SHIFT_DAYS
    for k in range(max(1, (days_late - CATCH_UP_DAYS - MAX_SHIFT_DAYS) // every), days_late // every + 1):
        yield ReminderKind.OVERDUE, k * every


def due_stages(
    occurrence: date, rules: PolicyRules, calendar: WorkingCalendar, today: date, *, is_review: bool
) -> list[Stage]:
    """The reminders an open occurrence owes as of ``today``, at most one per track.

    Tracks: the deadline track (before, due day, overdue: to the units; as REVIEW to the
    controllers while a "done" claim waits), and each escalation. Of a track's reminders whose
    working day has come within the last :data:`CATCH_UP_DAYS`, only the latest is due.
    """
    oldest = today - timedelta(days=CATCH_UP_DAYS)

    def latest(candidates: Iterator[tuple[ReminderKind, int]]) -> Stage | None:
        best: Stage | None = None
        for kind, offset in candidates:
            nominal = occurrence + timedelta(days=offset)
            send_on = calendar.on_or_before(nominal)
            if offset > 0 and send_on <= occurrence:
                # Moving an overdue reminder back would send it before the item is overdue.
                send_on = calendar.on_or_after(nominal)
            if oldest <= send_on <= today and (best is None or offset > best.offset_days):
                best = Stage(kind, offset, send_on)
        return best

    stages: list[Stage] = []
    track = latest(_deadline_track(occurrence, rules, today))
    if track is not None:
        stages.append(Stage(ReminderKind.REVIEW, track.offset_days, track.send_on) if is_review else track)
    if not is_review:
        for kind, after in (
            (ReminderKind.ESCALATION_HEAD, rules.escalate_head_after_days),
            (ReminderKind.ESCALATION_DIRECTOR, rules.escalate_director_after_days),
        ):
            if after > 0 and (stage := latest(iter([(kind, after)]))) is not None:
                stages.append(stage)
    return stages


def occurrence_dates(
    *,
    kind: str | None,
    start_on: date | None,
    due_on: date | None,
    recurrence: str | None,
    plan_start: date | None,
    plan_end: date | None,
    rules: PolicyRules,
    window_start: date,
    window_end: date,
) -> list[date]:
    """The due dates of an item in ``[window_start, window_end]``.

    One-off deadlines give their due date; recurring ones every period end (within the deadline's
    own span, else the plan's period); continuous ones ("Доимий равишда") the policy's reporting
    period ends within the plan's period; schedules and unknown texts none.
    """
    if kind == DeadlineKind.CONTINUOUS:
        if plan_start is None and plan_end is None:
            return []
        deadline = Deadline(
            "", DeadlineKind.RECURRING, plan_start, plan_end, CONTINUOUS_RULES[rules.continuous_period]
        )
    elif kind == DeadlineKind.RECURRING:
        if not recurrence:
            return []
        # The recurrence runs within its own span and never outside the plan's period: "Ҳар чоракда"
        # in a half-year plan owes Q1 and Q2, not Q3 and Q4 after the plan has ended.
        first = max((d for d in (start_on, plan_start) if d is not None), default=None)
        last = min((d for d in (due_on, plan_end) if d is not None), default=None)
        deadline = Deadline("", DeadlineKind.RECURRING, first, last, recurrence)
    else:
        return [due_on] if due_on is not None and window_start <= due_on <= window_end else []
    return deadline.occurrences(window_start, window_end)


#: Looked up once: a national sweep asks :func:`is_periodic` of every open item.
_PERIODIC_KINDS = (DeadlineKind.RECURRING, DeadlineKind.CONTINUOUS)


def is_periodic(kind: str | None) -> bool:
    """Recurring and continuous items report per occurrence."""
    return kind in _PERIODIC_KINDS


def local_today(now: datetime) -> date:
    """The day it is in Tashkent at ``now`` (reminders are timed by the agency's day)."""
    return now.astimezone(TASHKENT).date()
