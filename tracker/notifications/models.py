"""Workflow events, notifications (hand-overs and deadline reminders in one table) and e-mail timing.

A :class:`WorkflowEvent` is what happened (a claim returned, a plan approved, a comment that
mentions someone), written by the service that made the change, in the same transaction. Each
person it concerns gets a :class:`Notification`. Deadline reminders are notifications too, of
kinds before/due/overdue/escalation/review, claimed by the reminder sweep under the unique key
(recipient, item, occurrence, kind, offset).
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.core.models import UTCDateTime
from tracker.core.status import sql_in
from tracker.core.time import utcnow
from tracker.extensions import Model, db


class NotificationKind(enum.StrEnum):
    # Deadline reminders (claimed by the sweep; see tracker/reminders).
    BEFORE = "before"
    DUE = "due"
    OVERDUE = "overdue"
    ESCALATION_HEAD = "escalation_head"
    ESCALATION_DIRECTOR = "escalation_director"
    REVIEW = "review"
    # Workflow events (recorded by the services that make the change).
    CLAIM_SUBMITTED = "claim_submitted"
    CLAIM_ACCEPTED = "claim_accepted"
    CLAIM_RETURNED = "claim_returned"
    PLAN_SUBMITTED = "plan_submitted"
    PLAN_APPROVED = "plan_approved"
    PLAN_RETURNED = "plan_returned"
    MEASURE_ASSIGNED = "measure_assigned"
    MENTION = "mention"
    EXTENSION_REQUESTED = "extension_requested"
    EXTENSION_GRANTED = "extension_granted"
    EXTENSION_REFUSED = "extension_refused"


#: The kinds the reminder sweep produces; the others come from workflow events.
REMINDER_KINDS = frozenset(
    {
        NotificationKind.BEFORE,
        NotificationKind.DUE,
        NotificationKind.OVERDUE,
        NotificationKind.ESCALATION_HEAD,
        NotificationKind.ESCALATION_DIRECTOR,
        NotificationKind.REVIEW,
    }
)
EVENT_KINDS = frozenset(NotificationKind) - REMINDER_KINDS
ESCALATION_KINDS = frozenset({NotificationKind.ESCALATION_HEAD, NotificationKind.ESCALATION_DIRECTOR})

NOTIFICATION_KIND_LABELS = {
    NotificationKind.BEFORE: _l("Before the deadline"),
    NotificationKind.DUE: _l("On the due day"),
    NotificationKind.OVERDUE: _l("Overdue"),
    NotificationKind.ESCALATION_HEAD: _l("Escalated to the unit head"),
    NotificationKind.ESCALATION_DIRECTOR: _l("Escalated to the director"),
    NotificationKind.REVIEW: _l("Waiting for review"),
    NotificationKind.CLAIM_SUBMITTED: _l("Report sent for review"),
    NotificationKind.CLAIM_ACCEPTED: _l("Report accepted"),
    NotificationKind.CLAIM_RETURNED: _l("Report returned"),
    NotificationKind.PLAN_SUBMITTED: _l("Plan sent for approval"),
    NotificationKind.PLAN_APPROVED: _l("Plan approved"),
    NotificationKind.PLAN_RETURNED: _l("Plan returned"),
    NotificationKind.MEASURE_ASSIGNED: _l("Measure assigned"),
    NotificationKind.MENTION: _l("Mentioned in a comment"),
    NotificationKind.EXTENSION_REQUESTED: _l("Extension requested"),
    NotificationKind.EXTENSION_GRANTED: _l("Extension granted"),
    NotificationKind.EXTENSION_REFUSED: _l("Extension refused"),
}


class EmailTiming(enum.StrEnum):
    """When a person's workflow notifications go out by e-mail ("never" is ``users.wants_email`` off)."""

    IMMEDIATE = "immediate"
    DAILY = "daily"


class WorkflowEvent(Model):
    """Something that happened to a plan, measure or step and concerns other people."""

    __tablename__ = "workflow_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[NotificationKind] = mapped_column(String(20))
    #: Who did it; NULL for the system.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    step_id: Mapped[int | None] = mapped_column(ForeignKey("steps.id", ondelete="CASCADE"))
    #: The status update (claim) the event is about.
    status_update_id: Mapped[int | None] = mapped_column(ForeignKey("status_updates.id", ondelete="SET NULL"))
    #: The unit concerned (the unit a measure was assigned to, the unit of the reporter).
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    #: The reason, comment or message as written by the actor.
    text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    actor = relationship("User", lazy="joined")
    plan = relationship("Plan")
    measure = relationship("Measure")
    step = relationship("Step")
    unit = relationship("Unit")

    __table_args__ = (
        CheckConstraint(f"kind IN ({sql_in(EVENT_KINDS)})", name="kind"),
        db.Index("ix_workflow_events_plan_kind", "plan_id", "kind"),
    )


class Notification(Model):
    """One notification to one person: a workflow event or a claimed deadline reminder.

    For reminders the unique key (recipient, item, occurrence, kind, offset) is the claim: whoever
    inserts the row first owns the reminder, so two sweeps never deliver it twice. Event
    notifications carry ``event_id`` and the item key ``e<event id>``.
    """

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The recipient's organization: one foreign key checks both (``__table_args__``).
    organization_id: Mapped[int] = mapped_column(index=True)
    recipient_id: Mapped[int] = mapped_column()
    kind: Mapped[NotificationKind] = mapped_column(String(20))
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("workflow_events.id", ondelete="CASCADE"), index=True
    )
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    step_id: Mapped[int | None] = mapped_column(ForeignKey("steps.id", ondelete="CASCADE"))
    #: "m<measure id>", "s<step id>" (reminders) or "e<event id>": part of the claim key, never NULL.
    item_key: Mapped[str] = mapped_column(String(24))
    #: Reminders: the due date the reminder is about (for recurring deadlines, one period end).
    occurrence_on: Mapped[date | None] = mapped_column(Date)
    #: Reminders: days from the due date to the nominal reminder day (-7 before, +3 overdue, …).
    offset_days: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: The working day it went out on (events: the day they happened, in Tashkent).
    send_on: Mapped[date] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The e-mail (a digest or an immediate message) that carried it; NULL until then.
    email_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbound_emails.id", ondelete="SET NULL"), index=True
    )

    recipient = relationship("User", lazy="joined", foreign_keys=[recipient_id])
    event: Mapped[WorkflowEvent | None] = relationship()
    plan = relationship("Plan")
    measure = relationship("Measure")
    step = relationship("Step")
    email = relationship("OutboundEmail", back_populates="reminders")

    __table_args__ = (
        UniqueConstraint(
            "recipient_id", "item_key", "occurrence_on", "kind", "offset_days", name="uq_notifications_claim"
        ),
        # A notification goes to a person of its own organization, and the database says so: one
        # key (recipient, organization) instead of two (recipient; organization), so a row
        # cannot cross organizations and a national reminder sweep checks one key less per claim.
        ForeignKeyConstraint(
            ["recipient_id", "organization_id"],
            ["users.id", "users.organization_id"],
            ondelete="CASCADE",
            name="fk_notifications_recipient_in_organization",
        ),
        CheckConstraint(f"kind IN ({sql_in(NotificationKind)})", name="kind"),
        CheckConstraint(
            "event_id IS NOT NULL OR (measure_id IS NOT NULL AND occurrence_on IS NOT NULL)",
            name="event_or_reminder",
        ),
        db.Index("ix_notifications_recipient_unread", "recipient_id", "read_at"),
        db.Index("ix_notifications_recipient_created", "recipient_id", "created_at"),
    )

    @property
    def is_event(self) -> bool:
        return self.event_id is not None

    @property
    def kind_label(self) -> object:
        return NOTIFICATION_KIND_LABELS[NotificationKind(self.kind)]


class NotificationSetting(Model):
    """A person's e-mail timing; without a row it is the daily digest."""

    __tablename__ = "notification_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    email_timing: Mapped[EmailTiming] = mapped_column(
        String(20), default=EmailTiming.DAILY, server_default=EmailTiming.DAILY.value
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (CheckConstraint(f"email_timing IN ({sql_in(EmailTiming)})", name="email_timing"),)
