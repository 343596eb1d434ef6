"""The append-only status history of measures and steps, and its evidence files."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.core.models import UTCDateTime
from tracker.core.status import ReviewState, Status, sql_in
from tracker.core.time import utcnow
from tracker.extensions import Model, db


class StatusUpdate(Model):
    """One report of progress. Never edited, except that a claim is reviewed once.

    A ``done_claimed`` update carries a review state (submitted → accepted | returned);
    any other update has none. The current status of a measure or step is derived from
    these rows (see :mod:`tracker.execution.history`).
    """

    __tablename__ = "status_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    #: Set when the update is about one step of the measure.
    step_id: Mapped[int | None] = mapped_column(ForeignKey("steps.id", ondelete="CASCADE"), index=True)
    status: Mapped[Status] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    #: An internal note stays inside the organization: public pages and open data never show it
    #: (nor its files). Chosen when the update is written; like the rest of the row, never edited.
    is_internal: Mapped[bool] = mapped_column(default=False, server_default=db.false())
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    #: The date the report speaks for (today, or the "as of" date of an imported report).
    effective_on: Mapped[date] = mapped_column(Date)
    #: Why a controller dated the report earlier than the day it was recorded.
    effective_reason: Mapped[str | None] = mapped_column(Text)
    #: The report only says the work stood so on ``effective_on`` ("(2022 йил 4 октябрь ҳолатига)"),
    #: not that it was finished that day: a "done" from it is left out of on-time rates and delays.
    completion_unknown: Mapped[bool] = mapped_column(default=False, server_default=db.false())
    #: For a recurring or continuous obligation: the occurrence (period end) this report is for.
    period_due_on: Mapped[date | None] = mapped_column(Date)
    review_state: Mapped[ReviewState | None] = mapped_column(String(20))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    review_comment: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    measure = relationship("Measure")
    step = relationship("Step")
    author = relationship("User", foreign_keys=[author_id], lazy="joined")
    reviewer = relationship("User", foreign_keys=[reviewer_id], lazy="joined")
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="status_update", order_by="Attachment.id", lazy="selectin"
    )

    __table_args__ = (
        CheckConstraint(f"status IN ({sql_in(Status)})", name="status"),
        CheckConstraint(
            f"review_state IS NULL OR review_state IN ({sql_in(ReviewState)})", name="review_state"
        ),
        CheckConstraint(
            "(status = 'done_claimed' AND review_state IS NOT NULL)"
            " OR (status <> 'done_claimed' AND review_state IS NULL)",
            name="claims_are_reviewed",
        ),
        CheckConstraint(
            "review_state IS NULL OR review_state = 'submitted' OR reviewed_at IS NOT NULL",
            name="reviewed_has_time",
        ),
        CheckConstraint(
            "review_state IS NULL OR review_state <> 'returned' OR review_comment IS NOT NULL",
            name="returned_has_reason",
        ),
        db.Index("ix_status_updates_review_state", "review_state"),
    )

    @property
    def is_pending_review(self) -> bool:
        return self.review_state == ReviewState.SUBMITTED


class Attachment(Model):
    """An evidence file; the bytes live under the instance folder, named by their SHA-256."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    status_update_id: Mapped[int] = mapped_column(
        ForeignKey("status_updates.id", ondelete="CASCADE"), index=True
    )
    original_name: Mapped[str] = mapped_column(String(255))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    mime_type: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    status_update: Mapped[StatusUpdate] = relationship(back_populates="attachments")

    __table_args__ = (CheckConstraint("size >= 0", name="size"),)
