"""Time helpers. Timestamps are stored as aware UTC; Asia/Tashkent is for display and deadlines."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

TASHKENT = ZoneInfo("Asia/Tashkent")


def utcnow() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    """Today's date in Tashkent, which is what "overdue" is measured against."""
    return datetime.now(TASHKENT).date()


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes even for timezone-aware columns; they are UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def local_date(value: datetime) -> date:
    return as_utc(value).astimezone(TASHKENT).date()
