"""The read model for lists that name items of many plans (notifications, inboxes).

:func:`measures_in_force` gives each measure as :func:`tracker.plans.snapshot.snapshot_of` would,
but for measures of any number of plans in a fixed number of queries, so a page listing fifty
notifications of twenty plans does not read twenty snapshots.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import select

from tracker.extensions import db
from tracker.plans.models import Measure, Plan, PlanState, PlanVersion
from tracker.plans.snapshot import MeasureSnapshot, snapshot_of
from tracker.plans.snapshot_load import load_history, measure_columns, measures_json_of
from tracker.plans.snapshot_measure import ScriptWriter, measure_as_of


def measures_in_force(
    measure_ids: Collection[int], as_of: date, *, script: str | None = None
) -> dict[int, tuple[str, MeasureSnapshot]]:
    """Measures of any plans as of a day: id → (its plan's title, the measure), as :func:`snapshot_of`
    gives them, for lists that name items of many plans (notifications, inboxes).

    A fixed number of queries for the measures of plans whose stored rows are in force (the usual
    case); a plan whose version in force is an older one (a revision being drafted) is read with
    one :func:`snapshot_of` each. Measures not in their plan on ``as_of`` are left out.
    """
    if not measure_ids:
        return {}
    # The measures as plain rows with what is needed of their plans (no ORM objects: a page of
    # notifications reads them on every request, issue 17).
    measures = db.session.execute(
        select(
            *measure_columns(),
            Measure.plan_id,
            Plan.title.label("plan_title"),
            Plan.state.label("plan_state"),
            Plan.version.label("plan_version"),
        )
        .join(Plan, Plan.id == Measure.plan_id)
        .where(Measure.id.in_(list(measure_ids)), Measure.deleted_at.is_(None), Measure.added_on <= as_of)
    ).all()
    approvals: dict[int, list[tuple[date, int]]] = {}
    for plan_id, approved_on, number in db.session.execute(
        select(PlanVersion.plan_id, PlanVersion.approval_date, PlanVersion.number).where(
            PlanVersion.plan_id.in_({m.plan_id for m in measures}), PlanVersion.approval_date <= as_of
        )
    ):
        approvals.setdefault(plan_id, []).append((approved_on, number))
    live = []
    older: dict[int, set[int]] = {}
    for measure in measures:
        in_force = max(approvals.get(measure.plan_id, []), default=None)
        stored_rows_in_force = in_force is not None and in_force[1] == measure.plan_version
        if in_force is None or (stored_rows_in_force and measure.plan_state != PlanState.DRAFT):
            live.append(measure)
        else:
            older.setdefault(measure.plan_id, set()).add(measure.id)
    w = ScriptWriter(script)
    history = load_history([m.id for m in live], as_of, include_pending=False)
    plan_titles = {m.id: m.plan_title for m in live}
    result = {
        raw["id"]: (
            w.text(plan_titles[raw["id"]]),
            measure_as_of(raw, history, as_of, w, applied_after=None, exact=False, is_live=True),
        )
        for raw in measures_json_of(live)
    }
    for plan_id, ids in older.items():
        view = snapshot_of(db.session.get_one(Plan, plan_id), as_of, script=script, measure_ids=ids)
        result.update({m.id: (view.title, m) for m in view.measures})
    return result
