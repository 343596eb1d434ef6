"""Derive the status of a measure or step from its history, now or as of a past date.

This is the single definition of "current status": the cached ``status`` columns are
written from it, and "as of" reports rebuild the past with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from tracker.core.status import ReviewState, Status
from tracker.core.time import local_date
from tracker.execution.models import StatusUpdate
from tracker.extensions import db
from tracker.plans.models import Measure, Step


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
        if is_reviewed and update.review_state == ReviewState.WITHDRAWN:
            continue  # taken back before review: the state before the claim stands
        if is_reviewed and update.review_state == ReviewState.ACCEPTED:
            state = DerivedStatus(Status.DONE, update.note, update.id, update.reviewed_at)
        elif is_reviewed and update.review_state == ReviewState.RETURNED:
            state = DerivedStatus(
                Status.IN_PROGRESS, update.note, update.id, update.reviewed_at, update.review_comment
            )
        elif include_pending:
            state = DerivedStatus(Status.DONE_CLAIMED, update.note, update.id, update.created_at)
    return state


@dataclass(frozen=True)
class PlanAsOf:
    """What a plan looked like at the end of a day: the measures then in force, each status then."""

    as_of: date
    include_pending: bool
    #: Measures in table order that had entered the plan by ``as_of`` (removed ones left out).
    measure_ids: list[int]
    measures: dict[int, DerivedStatus]
    steps: dict[int, DerivedStatus]


def plan_as_of(plan_id: int, as_of: date, *, include_pending: bool = False) -> PlanAsOf:
    """Rebuild a plan's statuses on ``as_of`` from the history, in a fixed number of queries.

    Only accepted claims count as done unless ``include_pending``; measures added to the plan
    after ``as_of`` are left out.
    """
    measure_ids = list(
        db.session.scalars(
            select(Measure.id)
            .where(Measure.plan_id == plan_id, Measure.deleted_at.is_(None), Measure.added_on <= as_of)
            .order_by(Measure.position)
        )
    )
    by_measure: dict[int, list[StatusUpdate]] = {}
    by_step: dict[int, list[StatusUpdate]] = {}
    if measure_ids:
        updates = db.session.scalars(
            select(StatusUpdate).where(
                StatusUpdate.measure_id.in_(measure_ids), StatusUpdate.effective_on <= as_of
            )
        )
        for update in updates:
            if update.step_id is None:
                by_measure.setdefault(update.measure_id, []).append(update)
            else:
                by_step.setdefault(update.step_id, []).append(update)
        step_ids: Iterable[int] = db.session.scalars(select(Step.id).where(Step.measure_id.in_(measure_ids)))
    else:
        step_ids = ()
    return PlanAsOf(
        as_of=as_of,
        include_pending=include_pending,
        measure_ids=measure_ids,
        measures={
            m: derive_status(by_measure.get(m, []), as_of, include_pending=include_pending)
            for m in measure_ids
        },
        steps={
            s: derive_status(by_step.get(s, []), as_of, include_pending=include_pending) for s in step_ids
        },
    )
