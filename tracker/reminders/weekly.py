"""The director's Monday summary: the organization's overdue items, by unit, never sent empty."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import or_, select

from tracker.core.permissions import Role
from tracker.core.status import CLOSED_STATUSES
from tracker.extensions import db
from tracker.plans.models import Measure, Plan, Step
from tracker.reminders.models import EmailKind, OutboundEmail, ReminderKind
from tracker.reminders.outbox import claim_outbox_row
from tracker.reminders.policy import local_today
from tracker.reminders.sweep import plans_owing_work
from tracker.reminders.wording import describe, item_view, items_for, render_email

if TYPE_CHECKING:
    from tracker.auth.models import User

#: The summary lists this many items; the counts cover all of them.
WEEKLY_LIST_LIMIT = 100


def weekly_key(today: date, user_id: int) -> str:
    year, week, _day = today.isocalendar()
    return f"weekly:{year}-W{week:02d}:{user_id}"


def overdue_items(organization_id: int, today: date) -> list[tuple[Measure, Step | None, date]]:
    """Open one-off measures and steps of plans in force whose due date has passed, oldest first."""
    from sqlalchemy.orm import joinedload

    closed = [s.value for s in CLOSED_STATUSES]
    items: list[tuple[Measure, Step | None, date]] = []
    measures = db.session.scalars(
        select(Measure)
        .join(Plan, Plan.id == Measure.plan_id)
        .options(joinedload(Measure.plan))
        .where(
            Plan.organization_id == organization_id,
            plans_owing_work(),
            Measure.deleted_at.is_(None),
            Measure.status.not_in(closed),
            Measure.due_on < today,
            or_(Measure.deadline_kind.is_(None), Measure.deadline_kind.not_in(["recurring", "continuous"])),
        )
        .order_by(Measure.due_on, Measure.position)
    )
    items += [(m, None, m.due_on) for m in measures if m.due_on is not None]
    steps = db.session.scalars(
        select(Step)
        .join(Measure, Measure.id == Step.measure_id)
        .join(Plan, Plan.id == Measure.plan_id)
        .options(joinedload(Step.measure).joinedload(Measure.plan))
        .where(
            Plan.organization_id == organization_id,
            plans_owing_work(),
            Measure.deleted_at.is_(None),
            Measure.status.not_in(closed),
            Step.status.not_in(closed),
            Step.due_on < today,
            or_(Step.deadline_kind.is_(None), Step.deadline_kind.not_in(["recurring", "continuous"])),
        )
        .order_by(Step.due_on, Step.position)
    )
    items += [(s.measure, s, s.due_on) for s in steps if s.due_on is not None]
    return sorted(items, key=lambda i: (i[2], i[0].id, i[1].id if i[1] else 0))


def weekly_recipients() -> list[User]:
    from tracker.auth.models import User, UserRole

    return list(
        db.session.scalars(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.DIRECTOR.value, User.is_active, User.wants_email)
            .order_by(User.organization_id, User.id)
        )
    )


def queue_weekly_summary(
    user: User, now: datetime, overdue: list[tuple[Measure, Step | None, date]]
) -> OutboundEmail | None:
    """The director's Monday summary of overdue items; nothing is queued when nothing is overdue."""
    if not overdue:
        return None
    today = local_today(now)
    email_id = claim_outbox_row(user, EmailKind.WEEKLY_SUMMARY, weekly_key(today, user.id), now)
    if email_id is None:
        return None
    email = db.session.get(OutboundEmail, email_id)
    assert email is not None
    email.subject, email.body_text, email.body_html = render_weekly(user, overdue, today)
    db.session.flush()
    return email


def render_weekly(
    user: User, overdue: list[tuple[Measure, Step | None, date]], today: date
) -> tuple[str, str, str]:
    def build(base_url: str) -> dict[str, Any]:
        by_unit: dict[str, int] = defaultdict(int)
        for measure, _step, _due in overdue:
            lead = measure.lead
            by_unit[lead.display_name if lead else _("No responsible unit")] += 1
        listed = overdue[:WEEKLY_LIST_LIMIT]
        in_force = items_for([(m, s) for m, s, _due in listed], today)
        items = [
            item_view(in_force, m, s, due, describe(ReminderKind.OVERDUE, due, today), base_url)
            for m, s, due in listed
        ]
        count = len(overdue)
        return {
            "subject": ngettext(
                "Plan tracker: %(num)s overdue item this week",
                "Plan tracker: %(num)s overdue items this week",
                count,
            ),
            "count": count,
            "by_unit": sorted(by_unit.items(), key=lambda kv: (-kv[1], kv[0])),
            "items": items,
            "more": max(0, count - WEEKLY_LIST_LIMIT),
            "notifications_url": base_url + "/notifications",
        }

    return render_email(user, "weekly", build)
