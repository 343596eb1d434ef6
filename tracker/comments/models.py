"""Comments on measures and steps: append-only, like the status history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.core.models import UTCDateTime
from tracker.core.time import utcnow
from tracker.extensions import Model


class Comment(Model):
    """One comment in a measure's thread (``step_id`` set when it is about one step). Never edited."""

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    step_id: Mapped[int | None] = mapped_column(ForeignKey("steps.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    #: Who was mentioned, as resolved when the comment was written:
    #: ``[{"user_id": 3, "name": "…"}, {"unit_id": 5, "name": "…"}]``.
    mentions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author = relationship("User", lazy="joined")
    measure = relationship("Measure")
    step = relationship("Step")
