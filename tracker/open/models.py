"""What an organization chose to publish about a plan, and which evidence files are public."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.core.models import UTCDateTime
from tracker.core.time import utcnow
from tracker.extensions import Model, db


class PlanPublication(Model):
    """A plan's public face: whether it is public and which parts of it are.

    One row per plan that was ever published; withdrawing keeps the row (and its choices) with
    ``is_public`` false, so publishing again restores what was chosen before.
    """

    __tablename__ = "plan_publications"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), unique=True)
    is_public: Mapped[bool] = mapped_column(default=False, server_default=db.false())
    #: Statuses and their notes (notes marked internal are never public).
    show_statuses: Mapped[bool] = mapped_column(default=True, server_default=db.true())
    #: The numbered steps of each mechanism, with their own deadlines and statuses.
    show_steps: Mapped[bool] = mapped_column(default=True, server_default=db.true())
    #: Evidence files chosen one by one (:class:`PublicAttachment`); off unless switched on.
    show_evidence: Mapped[bool] = mapped_column(default=False, server_default=db.false())
    #: When it was last made public, and by whom (NULL: the command line).
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Any change of the choices; part of the public pages' fingerprint.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    plan = relationship("Plan")
    public_files: Mapped[list[PublicAttachment]] = relationship(
        back_populates="publication", cascade="all, delete-orphan", order_by="PublicAttachment.id"
    )

    __table_args__ = (CheckConstraint("NOT is_public OR published_at IS NOT NULL", name="public_has_time"),)

    @property
    def public_attachment_ids(self) -> set[int]:
        return {f.attachment_id for f in self.public_files}


class PublicAttachment(Model):
    """An evidence file the publisher chose to show; every other file stays inside."""

    __tablename__ = "public_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    publication_id: Mapped[int] = mapped_column(
        ForeignKey("plan_publications.id", ondelete="CASCADE"), index=True
    )
    attachment_id: Mapped[int] = mapped_column(ForeignKey("attachments.id", ondelete="CASCADE"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    publication: Mapped[PlanPublication] = relationship(back_populates="public_files")
    attachment = relationship("Attachment")
