"""What a parsed file holds: the plan, its measures and steps, the approval printed on it.

Every reader of a plan (tables, open-data JSON, proposals, minutes) produces these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from tracker.core.status import Status
from tracker.plans.models import PlanKind
from tracker.uzbek import DeadlineKind, parse_deadlines


@dataclass
class Approval:
    position: str | None
    name: str
    date: date


def is_unreadable_deadline(text: str | None) -> bool:
    """A deadline text that gives no machine deadline (no date, rule or term): no reminders."""
    return bool(text) and all(d.kind == DeadlineKind.UNKNOWN for d in parse_deadlines(text or ""))


@dataclass
class ParsedStep:
    number: str
    text: str
    deadline_text: str | None = None
    status: Status | None = None
    status_note: str | None = None
    row: int | None = None
    #: The note has no status word: the status is a guess the import preview lets the controller set.
    status_guessed: bool = False

    @property
    def deadline_unreadable(self) -> bool:
        return is_unreadable_deadline(self.deadline_text)


@dataclass
class ParsedMeasure:
    number: str
    title: str
    #: A proposal's content with its other labelled parts (tracker/imports/proposals.py).
    content: str | None = None
    mechanism: str | None = None
    deadline_text: str | None = None
    legal_basis: str | None = None
    expected_result: str | None = None
    #: The responsible cell as written (split into names against the units later).
    responsible_text: str | None = None
    #: Names already split (open-data JSON gives them one by one).
    responsible_names: list[str] | None = None
    status: Status | None = None
    status_note: str | None = None
    #: As :attr:`ParsedStep.status_guessed`.
    status_guessed: bool = False
    steps: list[ParsedStep] = field(default_factory=list)
    #: First and last source row.
    rows: tuple[int, int] = (0, 0)
    #: The cells as written, header text → pieces, for the audit trail.
    source: dict[str, list[str]] = field(default_factory=dict)

    @property
    def deadline_unreadable(self) -> bool:
        return is_unreadable_deadline(self.deadline_text)


@dataclass
class ParsedPlan:
    format: str
    filename: str
    title: str
    kind: PlanKind
    kind_detected: bool = True
    period_start: date | None = None
    period_end: date | None = None
    basis: str | None = None
    approval: Approval | None = None
    as_of: date | None = None
    measures: list[ParsedMeasure] = field(default_factory=list)
    #: Column code → header text as written.
    columns: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def step_count(self) -> int:
        return sum(len(m.steps) for m in self.measures)

    @property
    def has_statuses(self) -> bool:
        return any(m.status or any(s.status for s in m.steps) for m in self.measures)
