"""Execution statuses, shared by measures, steps, reports, reminders and the dashboard."""

from __future__ import annotations

import enum
from datetime import date

from flask_babel import lazy_gettext as _l


class Status(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    #: The unit says it is done; a controller has not reviewed it yet.
    DONE_CLAIMED = "done_claimed"
    #: Accepted by a controller ("Назоратдан ечилди").
    DONE = "done"
    CANCELLED = "cancelled"


class ReviewState(enum.StrEnum):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    RETURNED = "returned"
    #: The unit took its claim back before anyone reviewed it.
    WITHDRAWN = "withdrawn"


#: Statuses after which nothing is owed: no "overdue", no reminders.
CLOSED_STATUSES = frozenset({Status.DONE, Status.CANCELLED})

#: Statuses a unit may report; "done" itself comes only from a controller.
UNIT_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE_CLAIMED)

STATUS_LABELS = {
    Status.NOT_STARTED: _l("Not started"),
    Status.IN_PROGRESS: _l("In progress"),
    Status.DONE_CLAIMED: _l("Awaiting review"),
    Status.DONE: _l("Done"),
    Status.CANCELLED: _l("Cancelled"),
}

REVIEW_LABELS = {
    ReviewState.SUBMITTED: _l("Submitted for review"),
    ReviewState.ACCEPTED: _l("Accepted"),
    ReviewState.RETURNED: _l("Returned"),
    ReviewState.WITHDRAWN: _l("Withdrawn"),
}

#: Bootstrap colour of each status badge; the word is always shown next to the colour.
STATUS_COLOURS = {
    Status.NOT_STARTED: "secondary",
    Status.IN_PROGRESS: "primary",
    Status.DONE_CLAIMED: "warning",
    Status.DONE: "success",
    Status.CANCELLED: "dark",
}


def sql_in(values: type[enum.StrEnum] | frozenset[enum.StrEnum]) -> str:
    """A CHECK constraint list such as "'a', 'b'"."""
    return ", ".join(f"'{v.value}'" for v in values)


def is_overdue(due_on: date | None, status: Status | str, today: date) -> bool:
    """Overdue: the deadline has passed and the item is neither done nor cancelled."""
    return due_on is not None and due_on < today and Status(status) not in CLOSED_STATUSES
