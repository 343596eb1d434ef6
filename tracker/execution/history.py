"""Derive the status of a measure or step from its history, now or as of a past date.

This is the single definition of "current status": the cached ``status`` columns are
written from it, and "as of" reports rebuild the past with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from tracker.core.status import ReviewState, Status
from tracker.core.time import local_date
from tracker.execution.models import StatusUpdate


@dataclass(frozen=True)
class DerivedStatus:
    status: Status
    note: str | None
    #: The update the status comes from, None when nothing was ever reported.
    update_id: int | None
    changed_at: datetime | None
    #: The latest claim was returned; the reason is shown with the status.
    return_reason: str | None = None


NOTHING_REPORTED = DerivedStatus(Status.NOT_STARTED, None, None, None)


def history_order(update: StatusUpdate) -> tuple[date, datetime, int]:
    return (update.effective_on, update.created_at, update.id or 0)


def derive_status(
    updates: Iterable[StatusUpdate], as_of: date | None = None, *, include_pending: bool = True
) -> DerivedStatus:
    """The status in effect at the end of ``as_of`` (or now when None).

    A claim counts as "done" from the day it was accepted and falls back to "in progress"
    from the day it was returned. A claim not yet reviewed counts as "awaiting review" when
    ``include_pending``, and is ignored otherwise (the last reviewed state stands).
    """
    state = NOTHING_REPORTED
    for update in sorted(updates, key=history_order):
        if as_of is not None and update.effective_on > as_of:
            continue
        if update.status != Status.DONE_CLAIMED:
            state = DerivedStatus(Status(update.status), update.note, update.id, update.created_at)
            continue
        reviewed_on = local_date(update.reviewed_at) if update.reviewed_at else None
        is_reviewed = update.review_state != ReviewState.SUBMITTED and (
            as_of is None or (reviewed_on is not None and reviewed_on <= as_of)
        )
        if is_reviewed and update.review_state == ReviewState.ACCEPTED:
            state = DerivedStatus(Status.DONE, update.note, update.id, update.reviewed_at)
        elif is_reviewed and update.review_state == ReviewState.RETURNED:
            state = DerivedStatus(
                Status.IN_PROGRESS, update.note, update.id, update.reviewed_at, update.review_comment
            )
        elif include_pending:
            state = DerivedStatus(Status.DONE_CLAIMED, update.note, update.id, update.created_at)
    return state
