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
from datetime import date
from typing import Any

from tracker.core.time import today
from tracker.plans.models import Measure, Plan, PlanState, PlanVersion
from tracker.plans.snapshot_load import (
    live_measures_json,
    load_history,
    measure_json,
    version_in_force,
)
from tracker.plans.snapshot_measure import ScriptWriter, measure_as_of, parse_date
from tracker.plans.snapshot_model import (
    Approval,
    Deadline,
    Evidence,
    MeasureSnapshot,
    PlanSnapshot,
    ResponsibleUnit,
    StepSnapshot,
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
    "measure_snapshot",
    "snapshot_of",
]


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
    w = ScriptWriter(script)
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
        raw = live_measures_json(plan, as_of, only)
    history = load_history([m["id"] for m in raw], as_of, include_pending=include_pending)
    after = None if read_from is None else read_from.approved_at
    measures = tuple(
        measure_as_of(item, history, as_of, w, applied_after=after, exact=exact, is_live=read_from is None)
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
        period_start=parse_date(period.get("start")),
        period_end=parse_date(period.get("end")),
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


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def measure_snapshot(measure: Measure, as_of: date | None = None, **options: Any) -> MeasureSnapshot | None:
    """One measure as of a day (None when it was not in the plan then)."""
    plan_view = snapshot_of(measure.plan, as_of, measure_ids=[measure.id], **options)
    return plan_view.measures[0] if plan_view.measures else None
