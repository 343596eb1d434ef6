"""The measure page's one history: status reports, changes, extensions and comments together.

Each entry is dated by the day it speaks of (a status report by its effective day, anything else
by the day it was written), then by the moment it was recorded; the newest comes first. The
entries are the rows themselves, so the partial shows author, addressees and evidence as stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tracker.core.time import as_utc, local_date
from tracker.plans.records import ExtensionState

#: Kinds of entries, as the partial ``plans/_timeline.html`` names them.
REPORT, CHANGE, EXTENSION, COMMENT = "report", "change", "extension", "comment"


@dataclass(frozen=True)
class Entry:
    kind: str
    #: The day the entry is shown under.
    day: date
    #: When it was recorded: orders entries of one day.
    at: datetime
    item: Any

    @property
    def key(self) -> tuple[date, datetime, int]:
        return (self.day, as_utc(self.at), self.item.id or 0)


def measure_history(
    updates: Iterable[Any],
    *,
    change_records: Iterable[Any],
    extension_records: Iterable[Any],
    comments: Iterable[Any],
) -> list[Entry]:
    """The measure's status reports (``updates``) with its changes, refused extensions and comments,
    as the measure page has read them for its other parts (each record is read once a page).

    A granted or recorded extension is one of the changes; one awaiting a decision is shown with
    its decision form above the history, so only refused ones are entries of their own.
    """
    entries = [Entry(REPORT, u.effective_on, u.created_at, u) for u in updates]
    entries += [Entry(CHANGE, local_date(c.recorded_at), c.recorded_at, c) for c in change_records]
    entries += [
        Entry(EXTENSION, local_date(e.decided_at or e.requested_at), e.decided_at or e.requested_at, e)
        for e in extension_records
        if e.state == ExtensionState.REFUSED
    ]
    entries += [Entry(COMMENT, local_date(c.created_at), c.created_at, c) for c in comments]
    return sorted(entries, key=lambda e: e.key, reverse=True)
