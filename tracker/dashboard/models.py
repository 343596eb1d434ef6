"""Private iCalendar feed tokens: one URL per user (their deadlines) or per unit."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.core.models import UTCDateTime
from tracker.core.time import utcnow
from tracker.extensions import Model, db


def hash_feed_token(token: str) -> str:
    """Feed tokens are long and random: a plain SHA-256 is enough (as for API tokens)."""
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(Model):
    """A calendar subscription URL. Only the token's hash is stored; the URL is shown once."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Whose rights the feed reads with; the feed dies with the user or when they are deactivated.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: A unit's deadlines; NULL for the user's own deadlines (their unit scope).
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: First characters of the token, to tell feeds apart.
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship("User")
    unit = relationship("Unit")

    @classmethod
    def find_active(cls, token: str) -> CalendarFeed | None:
        return db.session.scalar(
            select(cls).where(cls.token_hash == hash_feed_token(token), cls.revoked_at.is_(None))
        )
