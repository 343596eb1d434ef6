"""An organization's reminder settings in the database: its policy and its holidays.

The rules themselves (what a policy means, which days are working days) are in
:mod:`tracker.reminders.policy`, which needs no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import select

from tracker.core import audit
from tracker.core.errors import InvalidInput
from tracker.core.time import utcnow
from tracker.extensions import db
from tracker.reminders.models import ContinuousPeriod, Holiday, ReminderPolicy
from tracker.reminders.policy import DEFAULT_RULES, PolicyRules, parse_days

if TYPE_CHECKING:
    from tracker.auth.models import User
    from tracker.orgs.models import Organization


def rules_of(policy: ReminderPolicy | None) -> PolicyRules:
    if policy is None:
        return DEFAULT_RULES
    return PolicyRules(
        days_before=parse_days(policy.days_before),
        remind_on_due_day=policy.remind_on_due_day,
        overdue_every_days=policy.overdue_every_days,
        escalate_head_after_days=policy.escalate_head_after_days,
        escalate_director_after_days=policy.escalate_director_after_days,
        continuous_period=ContinuousPeriod(policy.continuous_period),
    )


def policy_for(organization_id: int) -> ReminderPolicy | None:
    return db.session.scalar(select(ReminderPolicy).where(ReminderPolicy.organization_id == organization_id))


def rules_for(organization_id: int) -> PolicyRules:
    return rules_of(policy_for(organization_id))


@dataclass
class PolicyData:
    days_before: str
    remind_on_due_day: bool
    overdue_every_days: int
    escalate_head_after_days: int
    escalate_director_after_days: int
    continuous_period: ContinuousPeriod


def save_policy(organization: Organization, data: PolicyData, *, actor: User) -> ReminderPolicy:
    """Create or change an organization's policy. Raises :class:`InvalidInput`."""
    try:
        days = parse_days(data.days_before)
    except ValueError:
        raise InvalidInput(
            _("Days before the deadline: whole numbers from 1 to 366, separated by commas.")
        ) from None
    if data.overdue_every_days < 1:
        raise InvalidInput(_("Overdue reminders need a period of at least one day."))
    if data.escalate_head_after_days < 0 or data.escalate_director_after_days < 0:
        raise InvalidInput(_("Escalation days cannot be negative."))
    policy = policy_for(organization.id) or ReminderPolicy(organization_id=organization.id)
    fields = (
        "days_before",
        "remind_on_due_day",
        "overdue_every_days",
        "escalate_head_after_days",
        "escalate_director_after_days",
        "continuous_period",
    )
    before = audit.snapshot(policy, fields) if policy.id else {}
    policy.days_before = ",".join(str(d) for d in days)
    policy.remind_on_due_day = data.remind_on_due_day
    policy.overdue_every_days = data.overdue_every_days
    policy.escalate_head_after_days = data.escalate_head_after_days
    policy.escalate_director_after_days = data.escalate_director_after_days
    policy.continuous_period = ContinuousPeriod(data.continuous_period)
    policy.updated_by_id = actor.id
    policy.updated_at = utcnow()
    db.session.add(policy)
    db.session.flush()
    old, new = audit.changed(before, audit.snapshot(policy, fields))
    if new:
        audit.record(
            actor, "reminder_policy", policy.id, "update" if before else "create", before=old, after=new
        )
    return policy


def holidays_of(organization_id: int) -> list[Holiday]:
    return list(
        db.session.scalars(
            select(Holiday).where(Holiday.organization_id == organization_id).order_by(Holiday.day)
        )
    )


def add_holiday(organization: Organization, day: date, name: str, *, actor: User) -> Holiday:
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("Name the holiday."))
    exists_already = db.session.scalar(
        select(Holiday.id).where(Holiday.organization_id == organization.id, Holiday.day == day)
    )
    if exists_already:
        raise InvalidInput(_("This day is already a holiday."))
    holiday = Holiday(organization_id=organization.id, day=day, name=name)
    db.session.add(holiday)
    db.session.flush()
    audit.record(actor, "holiday", holiday.id, "create", after={"day": day, "name": name})
    return holiday


def remove_holiday(holiday: Holiday, *, actor: User) -> None:
    audit.record(actor, "holiday", holiday.id, "delete", before={"day": holiday.day, "name": holiday.name})
    db.session.delete(holiday)
    db.session.flush()
