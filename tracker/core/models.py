"""Column types and the audit trail shared by every feature."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, TypeDecorator
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.core.time import as_utc, utcnow
from tracker.extensions import Model, db


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime that always comes back aware and in UTC, on SQLite too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return as_utc(value)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else as_utc(value)


class AuditEntry(Model):
    """One change made by someone (or by the system), written by the service that made it."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Who did it; NULL for the system (CLI, demo loader, jobs).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: Whose trail this is: only this organization's auditors see the entry. Always set by
    #: :func:`tracker.core.audit.record`; NULL only for old entries whose owner was not found.
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    #: The kind of thing changed ("plan", "measure", "user", …) and its id.
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    #: A verb: "create", "update", "delete", "approve", …
    action: Mapped[str] = mapped_column(String(40))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    actor = relationship("User", lazy="joined")

    __table_args__ = (db.Index("ix_audit_entries_entity", "entity_type", "entity_id"),)
