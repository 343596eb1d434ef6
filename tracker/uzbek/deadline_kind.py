"""The kinds of deadline a cell can hold (shared by the parser and the public API)."""

from __future__ import annotations

import enum

__all__ = ["DeadlineKind"]


class DeadlineKind(enum.StrEnum):
    """What kind of deadline a cell holds."""

    DATE = "date"
    MONTH = "month"
    RANGE = "range"
    PERIOD = "period"
    RECURRING = "recurring"
    #: A term counted from the document's date ("бир ой муддатда", "15 кун ичида").
    RELATIVE = "relative"
    CONTINUOUS = "continuous"
    SCHEDULE = "schedule"
    UNKNOWN = "unknown"
