"""Calendar, timeline and iCalendar feeds: deadlines of measures and steps, in a fixed number of queries."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import exists, or_, select

from tracker.auth.models import User
from tracker.core import audit
from tracker.core.errors import PermissionDenied
from tracker.core.status import CLOSED_STATUSES, Status
from tracker.core.time import utcnow
from tracker.dashboard.models import CalendarFeed, hash_feed_token
from tracker.extensions import db
from tracker.orgs.models import Unit
from tracker.plans.access import in_force_plans_query
from tracker.plans.models import Measure, Plan, Responsible, Step
from tracker.uzbek import Deadline, DeadlineKind

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeadlineItem:
    """One deadline of a measure or step, as the calendar, the timeline and the feeds need it."""

    kind: str  # "measure" or "step"
    id: int
    measure_id: int
    plan_id: int
    number: str
    title: str
    start_on: date | None
    due_on: date | None
    recurrence: str | None
    deadline_text: str | None
    status: Status

    def is_overdue_on(self, day: date, today: date) -> bool:
        """Whether the deadline falling on ``day`` is overdue today."""
        return day < today and self.status not in CLOSED_STATUSES

    def occurrences(self, start: date, end: date) -> list[date]:
        """Due dates in ``[start, end]``: each period end of a recurring deadline, else the due date."""
        if self.recurrence:
            return Deadline(
                self.deadline_text or "", DeadlineKind.RECURRING, self.start_on, self.due_on, self.recurrence
            ).occurrences(start, end)
        return [self.due_on] if self.due_on and start <= self.due_on <= end else []


def status_colour(status: Status, overdue: bool) -> str:
    if overdue:
        return "danger"
    return {Status.DONE: "success", Status.CANCELLED: "secondary", Status.DONE_CLAIMED: "warning"}.get(
        Status(status), "primary"
    )


def _deadlines(measure_conditions: list[Any], *, with_steps: bool = True) -> list[DeadlineItem]:
    """Measures matching the conditions (table order) and, after each, its steps; two queries."""
    measures = db.session.execute(
        select(
            Measure.id,
            Measure.plan_id,
            Measure.number,
            Measure.title,
            Measure.start_on,
            Measure.due_on,
            Measure.deadline_recurrence,
            Measure.deadline_text,
            Measure.status,
        )
        .where(Measure.deleted_at.is_(None), *measure_conditions)
        .order_by(Measure.plan_id, Measure.position)
    ).all()
    steps_by_measure: dict[int, list[DeadlineItem]] = {}
    if with_steps and measures:
        rows = db.session.execute(
            select(
                Step.id,
                Step.measure_id,
                Measure.plan_id,
                Measure.number,
                Step.number,
                Step.text,
                Step.start_on,
                Step.due_on,
                Step.deadline_recurrence,
                Step.deadline_text,
                Step.status,
            )
            .join(Measure, Measure.id == Step.measure_id)
            .where(Measure.deleted_at.is_(None), *measure_conditions)
            .order_by(Step.measure_id, Step.position)
        ).all()
        for r in rows:
            steps_by_measure.setdefault(r[1], []).append(
                DeadlineItem("step", r[0], r[1], r[2], f"{r[3]}.{r[4]}", r[5], *r[6:10], Status(r[10]))
            )
    out: list[DeadlineItem] = []
    for m in measures:
        out.append(DeadlineItem("measure", m[0], m[0], m[1], m[2], m[3], *m[4:8], Status(m[8])))
        out.extend(steps_by_measure.get(m[0], []))
    return out


def plan_deadlines(plan: Plan) -> list[DeadlineItem]:
    return _deadlines([Measure.plan_id == plan.id])


def month_deadlines(plan: Plan, first: date, last: date) -> dict[date, list[DeadlineItem]]:
    """Deadlines of ``plan`` falling in ``[first, last]``, by day (a recurring one on each of its dates)."""
    return deadlines_by_day(plan_deadlines(plan), first, last)


def deadlines_by_day(
    items: Iterable[DeadlineItem], first: date, last: date
) -> dict[date, list[DeadlineItem]]:
    by_day: dict[date, list[DeadlineItem]] = {}
    for item in items:
        for day in item.occurrences(first, last):
            by_day.setdefault(day, []).append(item)
    return dict(sorted(by_day.items()))


def opening_month(
    items: Iterable[DeadlineItem], today: date, period: tuple[date | None, date | None]
) -> date:
    """The month a calendar opens on: the next deadline from today within the period; for a period
    that is over (or has nothing left), its first month; else this month."""
    start, end = period
    horizon_end = end or today + timedelta(days=3 * 366)
    upcoming = [day for item in items for day in item.occurrences(today, horizon_end)[:1]]
    if upcoming:
        first = min(upcoming)
        return date(first.year, first.month, 1)
    if start is not None and end is not None and end < today:
        return date(start.year, start.month, 1)
    return date(today.year, today.month, 1)


# -- iCalendar feeds -----------------------------------------------------------------------------


def create_feed(user: User, unit: Unit | None, *, actor: User) -> tuple[CalendarFeed, str]:
    """A new private feed URL token for ``user`` (their deadlines, or ``unit``'s); shown once."""
    if unit is not None and unit.organization_id != user.organization_id:
        raise PermissionDenied("unit of another organization")
    token = "cal_" + secrets.token_urlsafe(32)
    feed = CalendarFeed(user_id=user.id, unit_id=unit.id if unit else None, token_hash=hash_feed_token(token))
    feed.prefix = token[:10]
    db.session.add(feed)
    db.session.flush()
    audit.record(
        actor, "calendar_feed", feed.id, "create", after={"user_id": user.id, "unit_id": feed.unit_id}
    )
    return feed, token


def revoke_feed(feed: CalendarFeed, *, actor: User) -> None:
    if feed.user_id != actor.id and not actor.has_permission("admin.manage"):
        raise PermissionDenied("feed of someone else")
    if feed.revoked_at is None:
        feed.revoked_at = utcnow()
        db.session.flush()
        audit.record(actor, "calendar_feed", feed.id, "revoke")


def feed_user(feed: CalendarFeed | None) -> User | None:
    """The user a feed reads as, if the feed is usable (active user, unit still theirs)."""
    if feed is None or feed.user is None or not feed.user.is_active:
        return None
    if feed.unit is not None and feed.unit.organization_id != feed.user.organization_id:
        return None
    return feed.user


def feed_deadlines(feed: CalendarFeed, user: User) -> list[DeadlineItem]:
    """Deadlines of plans in force that ``user`` may see, in the feed's unit scope."""
    return my_deadlines(user, feed.unit)


def my_deadlines(user: User, unit: Unit | None = None) -> list[DeadlineItem]:
    """Deadlines of plans in force that ``user`` may see: ``unit``'s, else the user's own.

    A unit: the unit leads or co-executes, or "all units" do. Personal: the same for the
    user's unit and the units above it; every measure when the user has no unit.
    """
    plan_ids = in_force_plans_query(user).with_only_columns(Plan.id)
    conditions: list[Any] = [Measure.plan_id.in_(plan_ids)]
    unit_ids: Iterable[int] | None = None
    if unit is not None:
        unit_ids = [unit.id]
    elif user.unit is not None:
        unit_ids = [user.unit.id, *(u.id for u in user.unit.ancestors())]
    if unit_ids is not None:
        conditions.append(
            exists().where(
                Responsible.measure_id == Measure.id,
                or_(Responsible.unit_id.in_(list(unit_ids)), Responsible.is_all_units.is_(True)),
            )
        )
    return [d for d in _deadlines(conditions) if d.due_on or d.recurrence]


def first_occurrence(item: DeadlineItem, fallback_start: date) -> date | None:
    """DTSTART of a recurring series: its first period end from its start (RFC 5545 wants them in step)."""
    start = item.start_on or fallback_start
    end = item.due_on or start + timedelta(days=3 * 366)
    found = item.occurrences(start, end)
    return found[0] if found else None
