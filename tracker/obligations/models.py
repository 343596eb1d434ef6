"""Standing obligations: duties of a legal act recurring without end, and one report per period.

A duty is a measure of a plan of kind ``obligations`` whose deadline is recurring (an RRULE
with a start date and no end), so reminders follow each period as for any recurring deadline.
This package adds what a plain measure lacks: the periods owed over a rolling horizon, each
period's report with its evidence, and a checklist a report ticks item by item.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.core.models import UTCDateTime
from tracker.core.time import utcnow
from tracker.extensions import Model
from tracker.plans.models import Measure


class Compliance(enum.StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"
    #: Not yet due.
    OPEN = "open"


COMPLIANCE_LABELS = {
    Compliance.ON_TIME: _l("Done on time"),
    Compliance.LATE: _l("Done late"),
    Compliance.MISSING: _l("Missing"),
    Compliance.OPEN: _l("Not yet due"),
}


class ChecklistItem(Model):
    """One item a duty's report ticks per period ("33 kinds of open data": one item each)."""

    __tablename__ = "duty_checklist_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    label: Mapped[str] = mapped_column(Text)

    measure: Mapped[Measure] = relationship()


class ObligationPeriod(Model):
    """One period a duty owes a report for, generated ahead over a rolling horizon."""

    __tablename__ = "obligation_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    #: First day the period's work counts (the previous due date + 1, or the duty's start).
    starts_on: Mapped[date] = mapped_column(Date)
    #: The period's deadline: the occurrence of the duty's recurrence.
    due_on: Mapped[date] = mapped_column(Date, index=True)
    #: The day the report says the duty was done; None while unreported.
    reported_on: Mapped[date | None] = mapped_column(Date)
    reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Evidence: the published page, the outgoing letter's number; files hang on the status update.
    evidence_url: Mapped[str | None] = mapped_column(String(1000))
    letter_number: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    #: Ids of the checklist items this period's report ticked.
    checked_item_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    #: The status update recording the report in the measure's history (with its files).
    status_update_id: Mapped[int | None] = mapped_column(ForeignKey("status_updates.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    measure: Mapped[Measure] = relationship()
    status_update = relationship("StatusUpdate")
    reported_by = relationship("User")

    __table_args__ = (
        UniqueConstraint("measure_id", "due_on", name="uq_obligation_periods_measure_due"),
        CheckConstraint("starts_on <= due_on", name="period_order"),
        CheckConstraint("reported_on IS NULL OR reported_at IS NOT NULL", name="reported_has_time"),
    )

    def compliance(self, today: date) -> Compliance:
        if self.reported_on is not None:
            return Compliance.ON_TIME if self.reported_on <= self.due_on else Compliance.LATE
        return Compliance.MISSING if self.due_on < today else Compliance.OPEN
