"""The plan page's rows: read as plain rows, each drawn once per content and reader (issue 17).

A plan page shows 100 rows of a table that may hold 10,000. Building ORM objects for the rows,
their steps and responsibles (some 400 objects with identity map and change tracking) was the
largest part of the page, and drawing the rows the next: so the rows are read as plain values
(:func:`load_rows`, two statements after the page's own) into immutable :class:`MeasureRow` values,
and "overdue" comes from the one definition in :mod:`tracker.core.status`.

A row's HTML depends only on those values and on who reads it, so each worker draws it once and
copies it after (:mod:`tracker.core.drawn_rows`, keyed by the :class:`MeasureRow` itself): a
change to anything a row shows — a status, a note, a step, a responsible, a deadline, a measure
becoming overdue as the days pass — is a new key, and the row is drawn again. Rows with buttons
(a draft's editor sees Edit, ↑, ↓, Delete: forms with the session's CSRF token) are never kept.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import select

from tracker.core.sql import rows_among
from tracker.core.status import is_overdue
from tracker.plans.models import Step
from tracker.plans.responsibles import responsibles_among


class StepRow(NamedTuple):
    number: str | None
    text: str
    deadline_text: str | None
    deadline_kind: str | None
    status: str
    is_overdue: bool


class ResponsibleRow(NamedTuple):
    is_lead: bool
    #: The unit's name, or the name as written; None for "all structural units".
    name: str | None


class MeasureRow(NamedTuple):
    """Every value ``templates/plans/show.html`` reads to draw a row, and nothing else: the row's
    key in the memo. A value the row shows but this class lacks could not be shown, so the key
    cannot miss a change (tests/plans/test_plan_rows.py compares memo and fresh pages).

    Named tuples, not frozen dataclasses: the page builds 100 of them, and a frozen dataclass
    sets each of its 15 fields through ``object.__setattr__`` (a tenth of the page's Python)."""

    id: int
    number: str
    title: str
    content: str | None
    mechanism: str | None
    deadline_text: str | None
    deadline_kind: str | None
    due_on: date | None
    legal_basis: str | None
    expected_result: str | None
    status: str
    status_note: str | None
    is_overdue: bool
    steps: tuple[StepRow, ...]
    responsibles: tuple[ResponsibleRow, ...]


#: The columns of ``measures`` that :class:`MeasureRow` takes as they are, in its order (the
#: page's statement selects them first): its fields, less the last three, worked out here.
_WORKED_OUT = ("is_overdue", "steps", "responsibles")
ROW_COLUMNS = MeasureRow._fields[: -len(_WORKED_OUT)]
assert MeasureRow._fields[len(ROW_COLUMNS) :] == _WORKED_OUT


def load_rows(measures: Sequence[Any], today: date) -> list[MeasureRow]:
    """The rows for ``measures`` (result rows with :data:`ROW_COLUMNS`), with their steps and
    responsibles in two statements, in the given order."""
    ids = [m.id for m in measures]
    steps: defaultdict[int, list[StepRow]] = defaultdict(list)
    responsibles: defaultdict[int, list[ResponsibleRow]] = defaultdict(list)
    if ids:
        # The page's 100 ids as one array parameter on PostgreSQL (see tracker.core.sql).
        step_rows = select(
            Step.measure_id,
            Step.number,
            Step.text,
            Step.deadline_text,
            Step.deadline_kind,
            Step.status,
            Step.due_on,
        ).order_by(Step.measure_id, Step.position, Step.id)
        for s in rows_among(step_rows, Step.measure_id, ids):
            overdue = is_overdue(s.due_on, s.status, today)
            steps[s.measure_id].append(
                StepRow(s.number, s.text, s.deadline_text, s.deadline_kind, s.status, overdue)
            )
        for r in responsibles_among(ids):
            # As Responsible.display_name: the unit's name, else the name as written, else all units.
            responsibles[r.measure_id].append(ResponsibleRow(r.is_lead, r.unit_name or r.name or None))
    taken = len(ROW_COLUMNS)
    return [
        MeasureRow._make(
            (*m[:taken], is_overdue(m.due_on, m.status, today), tuple(steps[m.id]), tuple(responsibles[m.id]))
        )
        for m in measures
    ]
