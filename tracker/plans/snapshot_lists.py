"""The read model for lists that name items of many plans (notifications, inboxes).

:func:`measures_in_force` gives each measure as :func:`tracker.plans.snapshot.snapshot_of` would,
but for measures of any number of plans in a fixed number of queries, so a page listing fifty
notifications of twenty plans does not read twenty snapshots.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from tracker.extensions import db
from tracker.plans.models import Measure, Plan, PlanState, PlanVersion, Responsible
from tracker.plans.snapshot import MeasureSnapshot, snapshot_of
from tracker.plans.snapshot_load import load_history, measure_json
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
    measures = list(
        db.session.scalars(
            select(Measure)
            .where(Measure.id.in_(list(measure_ids)), Measure.deleted_at.is_(None), Measure.added_on <= as_of)
            .options(
                joinedload(Measure.plan),
                selectinload(Measure.steps),
                selectinload(Measure.responsibles).joinedload(Responsible.unit),
            )
        )
    )
    approvals: dict[int, list[tuple[date, int]]] = {}
    for plan_id, approved_on, number in db.session.execute(
        select(PlanVersion.plan_id, PlanVersion.approval_date, PlanVersion.number).where(
            PlanVersion.plan_id.in_({m.plan_id for m in measures}), PlanVersion.approval_date <= as_of
        )
    ):
        approvals.setdefault(plan_id, []).append((approved_on, number))
    live: list[Measure] = []
    older: dict[int, tuple[Plan, set[int]]] = {}
    for measure in measures:
        plan = measure.plan
        in_force = max(approvals.get(plan.id, []), default=None)
        if in_force is None or (in_force[1] == plan.version and plan.state != PlanState.DRAFT):
            live.append(measure)
        else:
            older.setdefault(plan.id, (plan, set()))[1].add(measure.id)
    w = ScriptWriter(script)
    history = load_history([m.id for m in live], as_of, include_pending=False)
    result = {
        m.id: (
            w.text(m.plan.title),
            measure_as_of(measure_json(m), history, as_of, w, applied_after=None, exact=False, is_live=True),
        )
        for m in live
    }
    for plan, ids in older.values():
        view = snapshot_of(plan, as_of, script=script, measure_ids=ids)
        result.update({m.id: (view.title, m) for m in view.measures})
    return result
