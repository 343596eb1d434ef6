"""The record of a meeting whose minutes became a plan of decisions (seed 001)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.core.models import UTCDateTime
from tracker.core.time import utcnow
from tracker.extensions import Model
from tracker.plans.models import Plan


class Meeting(Model):
    """Who met, when, about what; its decisions are the measures of :attr:`plan`."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    #: The plan of kind ``decisions`` holding the decisions, in order.
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), unique=True)
    #: The day of the meeting: deadlines such as "bir oy muddatda" count from it.
    held_on: Mapped[date] = mapped_column(Date, index=True)
    #: The minutes' number as written ("5", "12-son").
    number: Mapped[str | None] = mapped_column(String(50))
    #: The body that met ("Jamoatchilik Kengashi").
    body: Mapped[str | None] = mapped_column(Text)
    place: Mapped[str | None] = mapped_column(String(300))
    #: "Raislik qildi" / "Раислик қилди".
    chair: Mapped[str | None] = mapped_column(String(300))
    #: "Bayonlashtiruvchi": who wrote the minutes.
    secretary: Mapped[str | None] = mapped_column(String(300))
    #: "Qatnashdilar": the names as written, in order.
    attendees: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: "KUN TARTIBI": the agenda items as written.
    agenda: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: The minutes as uploaded, kept like an evidence file (stored once by SHA-256).
    source_name: Mapped[str | None] = mapped_column(String(255))
    source_sha256: Mapped[str | None] = mapped_column(String(64))
    source_mime_type: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    plan: Mapped[Plan] = relationship()

    def header_json(self) -> dict[str, Any]:
        """The open-data shape: ``"meeting": {...}`` of docs/open-data.md."""
        return {
            "date": self.held_on.isoformat(),
            "number": self.number,
            "body": self.body,
            "chair": self.chair,
            "secretary": self.secretary,
            "attendees": list(self.attendees or []),
            "agenda": list(self.agenda or []),
        }
