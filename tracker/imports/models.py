"""Confirmed imports: one row per uploaded file turned into a plan, so "Confirm" works once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.core.models import UTCDateTime
from tracker.core.time import utcnow
from tracker.extensions import Model


class ImportConfirmation(Model):
    """The upload ``token`` was imported as ``plan_id``; a second "Confirm" finds this row."""

    __tablename__ = "import_confirmations"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The upload's token (as the preview session names it); unique, so two clicks cannot both insert.
    token: Mapped[str] = mapped_column(String(100), unique=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
