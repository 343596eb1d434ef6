"""The shapes of the plan read model (:mod:`tracker.plans.snapshot`): frozen plain values.

No ORM objects: safe to cache, pickle or hand to templates, exports and the API.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from tracker.core.status import Status


@dataclass(frozen=True)
class Deadline:
    """A deadline in force: as written, what it means, and the extension it came from, if any."""

    text: str
    kind: str | None
    start_on: date | None
    due_on: date | None
    recurrence: str | None
    #: Taken from the steps (see :mod:`tracker.plans.inforce`).
    is_derived: bool = False
    #: When an extension is in force: the deadline it replaced, and the document it rests on.
    extended_from: str | None = None
    extension_basis: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The open-data deadline shape (docs/open-data.md)."""
        return {
            "text": self.text or None,
            "kind": self.kind,
            "start": self.start_on.isoformat() if self.start_on else None,
            "due": self.due_on.isoformat() if self.due_on else None,
            "recurrence": self.recurrence,
        }


@dataclass(frozen=True)
class ResponsibleUnit:
    name: str
    unit_id: int | None
    is_lead: bool
    is_all_units: bool


@dataclass(frozen=True)
class Approval:
    """The "ТАСДИҚЛАЙМАН" block exactly as printed."""

    position: str
    name: str
    approved_on: date


@dataclass(frozen=True)
class Evidence:
    id: int
    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Progress:
    """Status in force and the flags derived from it on the snapshot's day."""

    status: Status
    note: str
    #: The day the report in force speaks for.
    reported_on: date | None
    #: The day the work was finished; None when not done or when the day is not known.
    done_on: date | None
    #: Done, but only reported as done "as of" a day (an imported report): no on-time verdict.
    completion_unknown: bool
    #: The latest claim was returned; the reason is shown with the status.
    return_reason: str | None
    is_overdue: bool
    days_late: int | None
    is_done_on_time: bool | None
    evidence: tuple[Evidence, ...]
    #: The note was written as internal: it never leaves the organization (tracker/open/).
    is_note_internal: bool


@dataclass(frozen=True)
class StepSnapshot(Progress):
    id: int
    number: str
    title: str
    deadline: Deadline


@dataclass(frozen=True)
class MeasureSnapshot(Progress):
    id: int
    number: str
    title: str
    #: A proposal's "Мазмуни" (issue 15); empty for measures of tables.
    content: str
    mechanism: str
    deadline: Deadline
    responsibles: tuple[ResponsibleUnit, ...]
    legal_basis: str
    expected_result: str
    #: The status is derived from the steps rather than reported on the measure.
    is_status_from_steps: bool
    steps: tuple[StepSnapshot, ...]

    def concerns_unit(self, unit_id: int | None) -> bool:
        return unit_id is None or any(r.unit_id == unit_id or r.is_all_units for r in self.responsibles)


@dataclass(frozen=True)
class PlanSnapshot:
    id: int
    organization_id: int
    organization: str
    kind: str
    #: The plan's workflow state today (draft, approved, …), not on ``as_of``.
    state: str
    title: str
    basis: str
    period_start: date | None
    period_end: date | None
    #: The approved version in force on ``as_of``; None before the first approval.
    version: int | None
    #: The version the plan holds now (the one being drafted, for a revision).
    working_version: int
    approval: Approval | None
    as_of: date
    script: str | None
    include_pending: bool
    measures: tuple[MeasureSnapshot, ...]
