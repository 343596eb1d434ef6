"""One read model: a plan as it stood at the end of a day, in either script.

Every view that prints or serves a plan formats this model: PDF reports, XLSX/CSV/JSON
exports, the API, approved-version pages and public pages. The rules it applies ("in force",
"overdue", a measure made of steps, days late) are defined once in :mod:`tracker.plans.inforce`.

Use::

    from tracker.plans.snapshot import snapshot_of

    plan_view = snapshot_of(plan, date(2022, 10, 4), script="latn")
    for measure in plan_view.measures:
        measure.number, measure.title, measure.deadline.text, measure.status, measure.is_overdue
        for step in measure.steps: ...

:func:`snapshot_of` returns a :class:`PlanSnapshot`: frozen dataclasses of plain values (no ORM
objects, safe to cache, pickle or hand to templates), built in a fixed number of queries.

Which version of the plan is shown
    The version in force on ``as_of`` is the latest approved version whose approval date is on
    or before it. When that is the version the plan holds now, the stored rows are read;
    when it is an older one (a later revision was approved, or a revision is being drafted),
    the version's stored snapshot is read instead, so titles, steps, responsible units and the
    approval block are printed as they were approved. Dated change records (extensions,
    reassignments, approved revisions) are applied on top so that each field is what was in
    force that day. Before the first approval the stored rows are read, with no approval.
    ``working_copy=True`` reads the rows being edited (a draft's own document); ``version=N``
    reads approved version N exactly as approved.

Script
    ``script`` "cyrl" or "latn" writes every text in that script (URLs and e-mail addresses
    kept); None keeps the text as written.

Statuses
    Rebuilt from the history as of the day (see :mod:`tracker.execution.history`): only
    reviewed work counts unless ``include_pending``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from tracker.core.status import Status
from tracker.core.time import today
from tracker.plans import inforce
from tracker.plans.inforce import DeadlineValue
from tracker.plans.models import Measure, Plan, PlanState, PlanVersion
from tracker.plans.snapshot_load import (
    LoadedHistory,
    in_script,
    load_history,
    load_live_measures,
    measure_json,
    version_in_force,
)

__all__ = [
    "Approval",
    "Deadline",
    "Evidence",
    "MeasureSnapshot",
    "PlanSnapshot",
    "ResponsibleUnit",
    "StepSnapshot",
    "measure_json",
    "snapshot_of",
]


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


def snapshot_of(
    plan: Plan,
    as_of: date | None = None,
    *,
    script: str | None = None,
    include_pending: bool = False,
    working_copy: bool = False,
    version: int | None = None,
    measure_ids: Collection[int] | None = None,
) -> PlanSnapshot:
    """The plan at the end of ``as_of`` (today when None); see the module docstring.

    ``measure_ids`` limits the measures read (a measure page, one API object). Raises
    ``LookupError`` when ``version`` names no approved version, ``ValueError`` for an unknown script.
    """
    if script not in (None, "cyrl", "latn"):
        raise ValueError(f"unknown script {script!r}")
    stored = _stored_version(plan, version)
    as_of = as_of or (stored.approval_date if stored else today())
    if stored is None and not working_copy:
        stored = version_in_force(plan, as_of)
        if stored is not None and stored.number == plan.version and plan.state != PlanState.DRAFT:
            return _build(plan, stored, None, as_of, script, include_pending, measure_ids)
    exact = version is not None or working_copy  # as approved, or as being edited: no overlays
    return _build(plan, stored, stored, as_of, script, include_pending, measure_ids, exact=exact)


def _stored_version(plan: Plan, number: int | None) -> PlanVersion | None:
    if number is None:
        return None
    found = next((v for v in plan.versions if v.number == number), None)
    if found is None:
        raise LookupError(f"plan {plan.id} has no approved version {number}")
    return found


def _build(
    plan: Plan,
    approved: PlanVersion | None,
    read_from: PlanVersion | None,
    as_of: date,
    script: str | None,
    include_pending: bool,
    only: Collection[int] | None,
    *,
    exact: bool = False,
) -> PlanSnapshot:
    """``read_from`` is the stored version to read, None for the stored rows."""
    w = _Writer(script)
    if read_from is not None:
        header: dict[str, Any] = read_from.snapshot
        raw = [m for m in header.get("measures", []) if only is None or m["id"] in only]
    else:
        header = {
            "title": plan.title,
            "basis": plan.basis,
            "kind": plan.kind,
            "period": {"start": _iso(plan.period_start), "end": _iso(plan.period_end)},
        }
        raw = [measure_json(m) for m in load_live_measures(plan, as_of, only)]
    history = load_history([m["id"] for m in raw], as_of, include_pending=include_pending)
    after = None if read_from is None else read_from.approved_at
    measures = tuple(
        _measure(item, history, as_of, w, applied_after=after, exact=exact, is_live=read_from is None)
        for item in raw
    )
    period = header.get("period") or {}
    return PlanSnapshot(
        id=plan.id,
        organization_id=plan.organization_id,
        organization=w.text(plan.organization.name),
        kind=str(header.get("kind") or plan.kind),
        state=str(plan.state),
        title=w.text(header.get("title")),
        basis=w.text(header.get("basis")),
        period_start=_date(period.get("start")),
        period_end=_date(period.get("end")),
        version=approved.number if approved else None,
        working_version=plan.version,
        approval=Approval(
            w.text(approved.approval_position), w.text(approved.approval_name), approved.approval_date
        )
        if approved and approved.approval_name
        else None,
        as_of=as_of,
        script=script,
        include_pending=include_pending,
        measures=measures,
    )


class _Writer:
    def __init__(self, script: str | None) -> None:
        self.script = script

    def text(self, value: str | None) -> str:
        if not value:
            return ""
        return in_script(value, self.script) if self.script else value


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


#: Change-record field → key of the measure/step JSON shape.
_MEASURE_KEYS = {
    "title": "title",
    "mechanism": "mechanism",
    "expected_result": "expected_result",
    "deadline": "deadline",
    "responsibles": "responsible",
}
_STEP_KEYS = {"title": "text", "deadline": "deadline"}


def _fields_in_force(
    item: dict[str, Any],
    keys: dict[str, str],
    history: LoadedHistory,
    measure_id: int,
    step_id: int | None,
    as_of: date,
    *,
    applied_after: Any,
    exact: bool,
    is_live: bool,
) -> tuple[dict[str, Any], Any]:
    """The item's fields in force on ``as_of``, and the extension record in force, if any."""
    values = dict(item)
    extension = None
    if exact:
        return values, None
    for field, key in keys.items():
        records = history.changes.get((measure_id, step_id, field), [])
        if is_live:
            values[key] = inforce.value_in_force(item.get(key), records, as_of)
            in_force = [r for r in records if r.effective_on is not None and r.effective_on <= as_of]
        else:
            in_force = [
                r
                for r in records
                if r.effective_on is not None and r.effective_on <= as_of and r.recorded_at > applied_after
            ]
            if in_force:
                values[key] = in_force[-1].new_value
        if field == "deadline" and in_force and in_force[-1].kind == "extension":
            extension = in_force[-1]
    return values, extension


def _deadline(value: dict[str, Any] | None, w: _Writer, extension: Any, derived: bool = False) -> Deadline:
    d = DeadlineValue.from_json(value)
    return Deadline(
        text=w.text(d.text),
        kind=d.kind,
        start_on=d.start_on,
        due_on=d.due_on,
        recurrence=d.recurrence,
        is_derived=derived,
        extended_from=w.text((extension.old_value or {}).get("text")) or None if extension else None,
        extension_basis=w.text(extension.basis) or None if extension else None,
    )


def _progress(
    key: tuple[int, int | None], history: LoadedHistory, due_on: date | None, as_of: date, w: _Writer
) -> dict[str, Any]:
    state = history.state(key)
    return {
        "status": state.status,
        "note": w.text(state.note),
        "reported_on": state.reported_on,
        "done_on": state.done_on,
        "completion_unknown": state.completion_unknown,
        "return_reason": w.text(state.return_reason) or None,
        "is_overdue": inforce.is_overdue(due_on, state.status, as_of),
        "days_late": inforce.days_late(due_on, state.status, state.done_on, as_of),
        "is_done_on_time": inforce.done_on_time(due_on, state.status, state.done_on),
        "evidence": tuple(Evidence(*e) for e in history.evidence.get(key, ())),
        "is_note_internal": state.is_note_internal,
    }


def _measure(
    item: dict[str, Any],
    history: LoadedHistory,
    as_of: date,
    w: _Writer,
    *,
    applied_after: Any,
    exact: bool,
    is_live: bool,
) -> MeasureSnapshot:
    mid = item["id"]
    flags = {"applied_after": applied_after, "exact": exact, "is_live": is_live}
    values, extension = _fields_in_force(item, _MEASURE_KEYS, history, mid, None, as_of, **flags)
    own = _deadline(values["deadline"], w, extension)
    steps = []
    for raw in item.get("steps", []):
        step_values, step_ext = _fields_in_force(raw, _STEP_KEYS, history, mid, raw["id"], as_of, **flags)
        step_deadline = _deadline(step_values["deadline"], w, step_ext)
        due = step_deadline.due_on or (own.due_on if not step_deadline.text else None)
        steps.append(
            StepSnapshot(
                id=raw["id"],
                number=str(raw["number"]),
                title=w.text(step_values["text"]),
                deadline=step_deadline,
                **_progress((mid, raw["id"]), history, due, as_of, w),
            )
        )
    value, derived = inforce.deadline_from_steps(
        DeadlineValue.from_json(values["deadline"]),
        [DeadlineValue.from_json(s["deadline"]) for s in (_step_raw(item, history, as_of, flags))],
        set_on_measure=bool(item.get("deadline_on_measure")),
    )
    deadline = _deadline(value.to_json(), w, None, derived) if derived else own
    progress = _progress((mid, None), history, deadline.due_on, as_of, w)
    from_steps = bool(steps) and not inforce.own_status_wins(
        history.state((mid, None)).recorded, [history.state((mid, s.id)).recorded for s in steps]
    )
    if from_steps:
        progress = _progress_from_steps(progress, steps, deadline.due_on, as_of)
    return MeasureSnapshot(
        id=mid,
        number=str(item["number"]),
        title=w.text(values["title"]),
        content=w.text(item.get("content")),
        mechanism=w.text(values.get("mechanism")),
        deadline=deadline,
        responsibles=tuple(
            ResponsibleUnit(
                w.text(r.get("name")), r.get("unit_id"), bool(r.get("lead")), bool(r.get("all_units"))
            )
            for r in values.get("responsible") or []
        ),
        legal_basis=w.text(item.get("legal_basis")),
        expected_result=w.text(values.get("expected_result")),
        is_status_from_steps=from_steps,
        steps=tuple(steps),
        **progress,
    )


def _step_raw(item: dict[str, Any], history: LoadedHistory, as_of: date, flags: dict[str, Any]) -> list[Any]:
    """The steps' deadlines in force, untransliterated (the derived text is transliterated once)."""
    return [
        _fields_in_force(raw, _STEP_KEYS, history, item["id"], raw["id"], as_of, **flags)[0]
        for raw in item.get("steps", [])
    ]


def _progress_from_steps(
    own: dict[str, Any], steps: list[StepSnapshot], due_on: date | None, as_of: date
) -> dict[str, Any]:
    status = inforce.status_from_steps([s.status for s in steps])
    done_days = [s.done_on for s in steps if s.status == Status.DONE]
    unknown = status == Status.DONE and any(s.completion_unknown for s in steps if s.status == Status.DONE)
    done_on = max(done_days) if status == Status.DONE and done_days and not unknown else None  # type: ignore[type-var]
    reported = [s.reported_on for s in steps if s.reported_on]
    return {
        **own,
        "status": status,
        "reported_on": max(reported) if reported else own["reported_on"],
        "done_on": done_on,
        "completion_unknown": unknown,
        "is_overdue": inforce.is_overdue(due_on, status, as_of),
        "days_late": inforce.days_late(due_on, status, done_on, as_of),
        "is_done_on_time": inforce.done_on_time(due_on, status, done_on),
    }


def measure_snapshot(measure: Measure, as_of: date | None = None, **options: Any) -> MeasureSnapshot | None:
    """One measure as of a day (None when it was not in the plan then)."""
    plan_view = snapshot_of(measure.plan, as_of, measure_ids=[measure.id], **options)
    return plan_view.measures[0] if plan_view.measures else None
