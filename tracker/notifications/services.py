"""Recording workflow events and reading notifications.

:func:`record_event` is the one way a feature tells people about a change: the service that
makes the change calls it in the same transaction, so the event, its notifications and the
immediate e-mails are committed together with the change, or not at all. E-mail goes out only
after the commit (:mod:`tracker.notifications.delivery`). Services flush, never commit.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from flask_babel import gettext as _
from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import joinedload, lazyload

from tracker.core.errors import InvalidInput, PermissionDenied
from tracker.core.permissions import Role
from tracker.core.time import TASHKENT, utcnow
from tracker.extensions import db
from tracker.notifications.models import (
    EVENT_KINDS,
    EmailTiming,
    Notification,
    NotificationKind,
    NotificationSetting,
    WorkflowEvent,
)
from tracker.orgs.models import Unit
from tracker.plans.models import Measure, Plan, Step

if TYPE_CHECKING:
    from tracker.auth.models import User
    from tracker.execution.models import StatusUpdate

logger = logging.getLogger(__name__)

__all__ = [
    "NotificationKind",
    "controllers_of",
    "directors_of",
    "heads_of_unit",
    "record_event",
    "unit_people",
]


# -- who is who -----------------------------------------------------------------------------------


def _users_with(
    organization_id: int, roles: Iterable[Role], unit_ids: Iterable[int] | None = None
) -> list[User]:
    from tracker.auth.models import User, UserRole

    query = (
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(
            User.organization_id == organization_id,
            User.is_active,
            UserRole.role.in_([Role(r).value for r in roles]),
        )
        .order_by(User.id)
        .distinct()
    )
    if unit_ids is not None:
        query = query.where(User.unit_id.in_(list(unit_ids)))
    return list(db.session.scalars(query))


def controllers_of(organization_id: int) -> list[User]:
    """The secretariat: active controllers of the organization."""
    return _users_with(organization_id, [Role.CONTROLLER])


def directors_of(organization_id: int) -> list[User]:
    return _users_with(organization_id, [Role.DIRECTOR])


def heads_of_unit(unit: Unit | None) -> list[User]:
    """Heads of the unit, or of the nearest unit above it that has one."""
    seen: set[int] = set()
    while unit is not None and unit.id not in seen:
        heads = _users_with(unit.organization_id, [Role.UNIT_HEAD], [unit.id])
        if heads:
            return heads
        seen.add(unit.id)
        unit = unit.parent
    return []


def unit_people(units: Iterable[Unit]) -> list[User]:
    """Heads and executors of the units (one list, no one twice)."""
    units = list(units)
    if not units:
        return []
    return _users_with(units[0].organization_id, [Role.UNIT_HEAD, Role.EXECUTOR], [u.id for u in units])


def lead_unit(measure: Measure) -> Unit | None:
    lead = measure.lead
    if lead is not None and lead.unit is not None:
        return lead.unit
    return next((r.unit for r in measure.responsibles if r.unit is not None), None)


# -- e-mail timing --------------------------------------------------------------------------------


def email_timing(user: User) -> EmailTiming | None:
    """When ``user`` gets workflow e-mail: immediately, in the daily digest, or never (None)."""
    if not user.wants_email:
        return None
    setting = db.session.get(NotificationSetting, user.id)
    return EmailTiming(setting.email_timing) if setting is not None else EmailTiming.DAILY


def set_email_timing(user: User, timing: EmailTiming | None, *, actor: User) -> None:
    """Choose immediately, daily digest or never (``None``). Only for oneself."""
    from tracker.auth.services import update_user
    from tracker.core import audit

    if actor.id != user.id:
        raise PermissionDenied(_("You may change only your own notification settings."))
    before = email_timing(user)
    if timing is not None and timing not in set(EmailTiming):
        raise InvalidInput(_("Choose when to receive e-mail."))
    setting = db.session.get(NotificationSetting, user.id)
    if timing is not None:
        if setting is None:
            setting = NotificationSetting(user_id=user.id)
            db.session.add(setting)
        setting.email_timing = EmailTiming(timing)
        setting.updated_at = utcnow()
    if bool(user.wants_email) != (timing is not None):
        update_user(user, actor=actor, wants_email=timing is not None)
    db.session.flush()
    after = email_timing(user)
    if before != after:
        audit.record(
            actor,
            "notification_settings",
            user.id,
            "update",
            before={"email": before.value if before else "never"},
            after={"email": after.value if after else "never"},
        )


# -- recording events -------------------------------------------------------------------------------


def record_event(
    kind: NotificationKind | str,
    *,
    actor: User | None,
    recipients: Iterable[User],
    organization_id: int | None = None,
    plan: Plan | None = None,
    measure: Measure | None = None,
    step: Step | None = None,
    status_update: StatusUpdate | None = None,
    unit: Unit | None = None,
    text: str | None = None,
) -> WorkflowEvent:
    """Record that something happened and notify ``recipients`` (never the actor, no one twice).

    Call it from the service that made the change, before it returns; nothing is committed here.
    Recipients who chose "immediately" get an e-mail queued in the outbox now and sent after the
    commit; the others get it in the daily digest, or not at all. Raises :class:`ValueError` for
    a kind that is not a workflow event.
    """
    kind = NotificationKind(kind)
    if kind not in EVENT_KINDS:
        raise ValueError(f"{kind} is a reminder kind, not a workflow event")
    if step is not None and measure is None:
        measure = step.measure
    if measure is not None and plan is None:
        plan = measure.plan
    org_id = organization_id or (plan.organization_id if plan is not None else None)
    if org_id is None:
        raise ValueError("record_event needs a plan, a measure or an organization")
    event = WorkflowEvent(
        organization_id=org_id,
        kind=kind,
        actor_id=actor.id if actor is not None else None,
        plan_id=plan.id if plan is not None else None,
        measure_id=measure.id if measure is not None else None,
        step_id=step.id if step is not None else None,
        status_update_id=status_update.id if status_update is not None else None,
        unit_id=unit.id if unit is not None else None,
        text=(text or "").strip() or None,
    )
    db.session.add(event)
    db.session.flush()
    notifications = _notify(event, recipients, actor)
    logger.info("event %s %s: %s recipients", event.id, kind, len(notifications))
    return event


def _notify(event: WorkflowEvent, recipients: Iterable[User], actor: User | None) -> list[Notification]:
    """One notification per recipient of the event's organization (never the actor, no one twice);
    an e-mail queued now for those who chose "immediately"."""
    from tracker.notifications import delivery

    now = utcnow()
    chosen: dict[int, User] = {}
    for user in recipients:
        if (
            user.is_active
            and user.organization_id == event.organization_id
            and (actor is None or user.id != actor.id)
        ):
            chosen.setdefault(user.id, user)
    notifications = [
        Notification(
            organization_id=event.organization_id,
            recipient_id=user.id,
            kind=event.kind,
            event=event,
            plan_id=event.plan_id,
            measure_id=event.measure_id,
            step_id=event.step_id,
            item_key=f"e{event.id}",
            send_on=now.astimezone(TASHKENT).date(),
            created_at=now,
        )
        for user in chosen.values()
    ]
    db.session.add_all(notifications)
    db.session.flush()
    for notification in notifications:
        if email_timing(chosen[notification.recipient_id]) == EmailTiming.IMMEDIATE:
            delivery.queue_immediate(notification, now)
    return notifications


# -- reading ------------------------------------------------------------------------------------------


def _unread_of(recipient_id: Any) -> Any:
    return select(func.count(Notification.id)).where(
        Notification.recipient_id == recipient_id, Notification.read_at.is_(None)
    )


def unread_count(user: User) -> int:
    """One COUNT query, for the bell in the page header."""
    return db.session.scalar(_unread_of(user.id)) or 0


def unread_count_column() -> Any:
    """The same count as a column of a statement of users (``auth.loaders.read_with_user``: the
    bell's count comes with the signed-in user, not in a statement of its own)."""
    from tracker.auth.models import User

    return _unread_of(User.id).scalar_subquery()


def notifications_of(user: User, *, unread_only: bool = False, limit: int = 200) -> list[Notification]:
    """The newest notifications of ``user`` with everything needed to describe them (bounded queries)."""
    query = (
        select(Notification)
        .where(Notification.recipient_id == user.id)
        .options(
            # The recipient is the signed-in person, already in the session: not joined in (with
            # their organization and unit) on every row; reading it costs no statement.
            lazyload(Notification.recipient),
            joinedload(Notification.plan),
            joinedload(Notification.measure).selectinload(Measure.responsibles),
            joinedload(Notification.step),
            joinedload(Notification.event).joinedload(WorkflowEvent.unit),
        )
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    )
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return list(db.session.scalars(query).unique())


def escalations_of(user: User, limit: int = 50) -> list[Notification]:
    from tracker.notifications.models import ESCALATION_KINDS

    return list(
        db.session.scalars(
            select(Notification)
            .where(
                Notification.recipient_id == user.id,
                Notification.kind.in_([k.value for k in ESCALATION_KINDS]),
                Notification.read_at.is_(None),
            )
            .options(
                lazyload(Notification.recipient),  # as in notifications_of
                joinedload(Notification.plan),
                # Not the measure's responsibles: an escalation names the lead units in force,
                # which describe_all reads with the plan's history (they were read twice).
                joinedload(Notification.measure),
                joinedload(Notification.step),
            )
            .order_by(Notification.occurrence_on, Notification.id)
            .limit(limit)
        ).unique()
    )


def mark_read(notification: Notification, *, user: User, now: datetime | None = None) -> None:
    if notification.recipient_id != user.id:
        raise PermissionDenied(_("This notification is not yours."))
    if notification.read_at is None:
        notification.read_at = now or utcnow()
        db.session.flush()


def mark_all_read(user: User, now: datetime | None = None) -> int:
    result = db.session.execute(
        update(Notification)
        .where(Notification.recipient_id == user.id, Notification.read_at.is_(None))
        .values(read_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )
    return cast("CursorResult[Any]", result).rowcount or 0  # an UPDATE's result counts rows


def submitter_of(plan: Plan) -> User | None:
    """Who last sent the plan for approval (from the events), if known."""
    from tracker.auth.models import User

    actor_id = db.session.scalar(
        select(WorkflowEvent.actor_id)
        .where(WorkflowEvent.plan_id == plan.id, WorkflowEvent.kind == NotificationKind.PLAN_SUBMITTED.value)
        .order_by(WorkflowEvent.id.desc())
        .limit(1)
    )
    return db.session.get(User, actor_id) if actor_id is not None else None
