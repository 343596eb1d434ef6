"""The daily job that keeps every duty's periods generated through the end of next year."""

from __future__ import annotations

import logging
from datetime import datetime

from tracker.core.time import TASHKENT, utcnow
from tracker.extensions import db
from tracker.obligations.services import ensure_periods

logger = logging.getLogger(__name__)


def extend_periods(now: datetime | None = None) -> int:
    """Create the periods the rolling horizon (this year and next) now covers; commits."""
    created = ensure_periods((now or utcnow()).astimezone(TASHKENT).date())
    db.session.commit()
    logger.info("obligation periods created: %s", created)
    return created
