"""Reminder policy, holidays and the e-mail outbox; reminders themselves are notifications."""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.core.models import UTCDateTime
from tracker.core.status import sql_in
from tracker.core.time import utcnow
from tracker.extensions import Model, db
from tracker.notifications.models import NOTIFICATION_KIND_LABELS, Notification, NotificationKind


class ContinuousPeriod(enum.StrEnum):
    """How often a continuous measure ("Доимий равишда") owes a status report."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"


CONTINUOUS_PERIOD_LABELS = {
    ContinuousPeriod.MONTHLY: _l("Monthly"),
    ContinuousPeriod.QUARTERLY: _l("Quarterly"),
    ContinuousPeriod.HALF_YEARLY: _l("Every half-year"),
    ContinuousPeriod.YEARLY: _l("Yearly"),
}


class ReminderKind(enum.StrEnum):
    #: N days before a due date (``offset_days`` = -N).
    BEFORE = "before"
    #: On the due day.
    DUE = "due"
    #: Every M days while overdue (``offset_days`` = M, 2M, …).
    OVERDUE = "overdue"
    #: Overdue for a while: to the head of the lead unit.
    ESCALATION_HEAD = "escalation_head"
    #: Overdue for longer: to the director.
    ESCALATION_DIRECTOR = "escalation_director"
    #: A "done" claim waits for review: to the controllers, on the deadline's days.
    REVIEW = "review"


#: A reminder is a notification of one of these kinds (issue 11): one label for both.
REMINDER_KIND_LABELS = {kind: NOTIFICATION_KIND_LABELS[NotificationKind(kind.value)] for kind in ReminderKind}


class EmailState(enum.StrEnum):
    QUEUED = "queued"
    #: Claimed by a delivery run until ``lease_until``; a crashed run's lease simply expires.
    SENDING = "sending"
    SENT = "sent"
    #: The last attempt failed; tried again at ``next_attempt_at``.
    RETRYING = "retrying"
    #: Gave up after the last attempt; an admin may queue it again.
    FAILED = "failed"


class EmailKind(enum.StrEnum):
    DIGEST = "digest"
    WEEKLY_SUMMARY = "weekly_summary"
    #: One workflow notification, e-mailed at once to people who chose "immediately".
    NOTIFICATION = "notification"


EMAIL_STATE_LABELS = {
    EmailState.QUEUED: _l("Queued"),
    EmailState.SENDING: _l("Sending"),
    EmailState.SENT: _l("Sent"),
    EmailState.RETRYING: _l("Retrying"),
    EmailState.FAILED: _l("Failed"),
}


class ReminderPolicy(Model):
    """An organization's reminder rules; an organization without a row uses the defaults."""

    __tablename__ = "reminder_policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    #: Days before a due date, comma-separated, e.g. "7,3,1".
    days_before: Mapped[str] = mapped_column(String(60), default="7,3,1")
    remind_on_due_day: Mapped[bool] = mapped_column(Boolean, default=True)
    overdue_every_days: Mapped[int] = mapped_column(Integer, default=3)
    #: Days overdue before the head of the lead unit is told; 0 turns it off.
    escalate_head_after_days: Mapped[int] = mapped_column(Integer, default=1)
    #: Days overdue before the director is told; 0 turns it off.
    escalate_director_after_days: Mapped[int] = mapped_column(Integer, default=7)
    continuous_period: Mapped[ContinuousPeriod] = mapped_column(
        String(20), default=ContinuousPeriod.QUARTERLY
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    __table_args__ = (
        UniqueConstraint("organization_id", name="uq_reminder_policies_organization"),
        CheckConstraint("overdue_every_days >= 1", name="overdue_every_positive"),
        CheckConstraint(
            "escalate_head_after_days >= 0 AND escalate_director_after_days >= 0", name="escalation_days"
        ),
        CheckConstraint(f"continuous_period IN ({sql_in(ContinuousPeriod)})", name="continuous_period"),
    )


class Holiday(Model):
    """A non-working day of an organization (weekends are non-working without a row)."""

    __tablename__ = "reminder_holidays"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(200))

    __table_args__ = (
        UniqueConstraint("organization_id", "day", name="uq_reminder_holidays_organization_day"),
    )


#: Reminders are notifications of the reminder kinds (one model for hand-overs and reminders).
Reminder = Notification


class OutboundEmail(Model):
    """A message in the outbox: rendered once, delivered by the delivery job with retries."""

    __tablename__ = "outbound_emails"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[EmailKind] = mapped_column(String(20))
    #: Claim key: "digest:<date>:<user>", "weekly:<iso week>:<user>" or "notification:<id>"; one
    #: message per key.
    key: Mapped[str] = mapped_column(String(80))
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    state: Mapped[EmailState] = mapped_column(String(20), default=EmailState.QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    recipient = relationship("User", lazy="joined")
    #: The notifications (reminders and workflow events) this message carries.
    reminders: Mapped[list[Notification]] = relationship(back_populates="email")
    attempts_log: Mapped[list[DeliveryAttempt]] = relationship(
        back_populates="email", order_by="DeliveryAttempt.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        UniqueConstraint("key", name="uq_outbound_emails_key"),
        CheckConstraint(f"kind IN ({sql_in(EmailKind)})", name="kind"),
        CheckConstraint(f"state IN ({sql_in(EmailState)})", name="state"),
        CheckConstraint("state <> 'sent' OR sent_at IS NOT NULL", name="sent_has_time"),
        CheckConstraint("state <> 'sending' OR lease_until IS NOT NULL", name="sending_has_lease"),
        db.Index("ix_outbound_emails_state_next", "state", "next_attempt_at"),
    )

    @property
    def state_label(self) -> object:
        return EMAIL_STATE_LABELS[EmailState(self.state)]


class DeliveryAttempt(Model):
    """One attempt to hand a message to the SMTP server."""

    __tablename__ = "delivery_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email_id: Mapped[int] = mapped_column(ForeignKey("outbound_emails.id", ondelete="CASCADE"), index=True)
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    is_success: Mapped[bool] = mapped_column(Boolean)
    error: Mapped[str | None] = mapped_column(Text)

    email: Mapped[OutboundEmail] = relationship(back_populates="attempts_log")
