"""The lists of each role's inbox, each a bounded query (counts by SQL, lists with a LIMIT).

The number of queries does not depend on the number of measures: every list is one query for
its rows (capped at ``LIST_LIMIT``) and its count (a window ``count(*) over ()``; measures and
steps one such query each); claims come as plain rows with their files
(:mod:`tracker.inbox.claims`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, and_, exists, func, literal, or_, select
from sqlalchemy.orm import joinedload, selectinload

from tracker.core.status import CLOSED_STATUSES, ReviewState, Status
from tracker.execution.models import StatusUpdate
from tracker.extensions import db
from tracker.inbox.claims import Claim, claim_rows
from tracker.orgs.models import Unit
from tracker.plans.inforce import plan_in_force_clause
from tracker.plans.models import Measure, Plan, PlanState, PlanVersion, Responsible, Step

if TYPE_CHECKING:
    from tracker.auth.models import User

#: Rows shown per list; the count always covers all of them.
LIST_LIMIT = 50
#: "Due soon" means within this many days.
SOON_DAYS = 7
_CLOSED = [s.value for s in CLOSED_STATUSES]


@dataclass
class ItemList:
    """A list with its full count; ``rows`` holds at most ``LIST_LIMIT`` entries."""

    count: int = 0
    rows: list[Any] = field(default_factory=list)


# -- unit scope ------------------------------------------------------------------------------------


def own_unit_ids(user: User) -> list[int]:
    """The user's unit and the units above it (their responsibility covers the whole branch)."""
    if user.unit is None:
        return []
    return [user.unit.id, *(u.id for u in user.unit.ancestors())]


def _in_scope(unit_ids: list[int]) -> Any:
    return exists().where(
        Responsible.measure_id == Measure.id,
        or_(Responsible.unit_id.in_(unit_ids), Responsible.is_all_units),
    )


def _items(user: User, *, steps: bool, condition: Any) -> Select[Any]:
    owner = Step if steps else Measure
    query = select(owner)
    if steps:
        query = query.join(Measure, Measure.id == Step.measure_id).options(
            joinedload(Step.measure).joinedload(Measure.plan)
        )
    else:
        query = query.options(joinedload(Measure.plan))
    return query.join(Plan, Plan.id == Measure.plan_id).where(
        Plan.organization_id == user.organization_id,
        plan_in_force_clause(),
        Measure.deleted_at.is_(None),
        _in_scope(own_unit_ids(user)),
        owner.status.not_in(_CLOSED),
        condition(owner),
    )


def _both(user: User, condition: Any, order: Any) -> ItemList:
    """Measures and steps meeting ``condition``: for each, the first rows with the count of all
    of them in one statement (``count(*) over ()``), earliest first."""
    result = ItemList()
    for steps in (False, True):
        query = _items(user, steps=steps, condition=condition).add_columns(func.count().over())
        rows = db.session.execute(query.order_by(*order(Step if steps else Measure)).limit(LIST_LIMIT)).all()
        result.count += rows[0][1] if rows else 0
        result.rows += [item for item, _total in rows]
    result.rows.sort(key=lambda item: (item.due_on or date.max, item.id))
    result.rows = result.rows[:LIST_LIMIT]
    return result


def due_soon(user: User, today: date) -> ItemList:
    end = today + timedelta(days=SOON_DAYS)
    return _both(
        user,
        lambda owner: and_(owner.due_on >= today, owner.due_on <= end),
        lambda owner: (owner.due_on, owner.id),
    )


def overdue_for_unit(user: User, today: date) -> ItemList:
    return _both(user, lambda owner: owner.due_on < today, lambda owner: (owner.due_on, owner.id))


def _claims(review_state: ReviewState) -> Select[Any]:
    return (
        select(StatusUpdate)
        .join(Measure, Measure.id == StatusUpdate.measure_id)
        .join(Plan, Plan.id == Measure.plan_id)
        .outerjoin(Step, Step.id == StatusUpdate.step_id)
        .where(StatusUpdate.review_state == review_state.value, Measure.deleted_at.is_(None))
    )


def returned_to_unit(user: User) -> ItemList:
    """Claims returned with a reason whose item still waits for a new report (latest per item)."""
    current = func.coalesce(Step.status, Measure.status)
    query = _claims(ReviewState.RETURNED).where(
        Plan.organization_id == user.organization_id,
        _in_scope(own_unit_ids(user)),
        current.not_in([*_CLOSED, Status.DONE_CLAIMED.value]),
    )
    rows, _total = claim_rows(query.order_by(StatusUpdate.reviewed_at.desc()).limit(LIST_LIMIT * 4))
    latest: dict[tuple[int, int | None], Claim] = {}
    for update in rows:
        latest.setdefault((update.measure_id, update.step_id), update)
    return ItemList(count=len(latest), rows=list(latest.values())[:LIST_LIMIT])


def waiting_for_review_of_unit(user: User) -> ItemList:
    query = _claims(ReviewState.SUBMITTED).where(
        Plan.organization_id == user.organization_id, _in_scope(own_unit_ids(user))
    )
    rows, count = claim_rows(query.order_by(StatusUpdate.created_at).limit(LIST_LIMIT))
    return ItemList(count, rows)


# -- the secretariat --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewFilters:
    plan_id: int | None = None
    unit_id: int | None = None
    #: Only claims waiting at least this many days.
    min_age_days: int | None = None


def _lead_unit_of_measure() -> Any:
    return (
        select(Responsible.unit_id)
        .where(Responsible.measure_id == Measure.id, Responsible.is_lead)
        .limit(1)
        .scalar_subquery()
    )


def claims_to_review(user: User, filters: ReviewFilters, today: date, limit: int = LIST_LIMIT) -> ItemList:
    from tracker.core.time import TASHKENT

    query = _claims(ReviewState.SUBMITTED).where(Plan.organization_id == user.organization_id)
    if filters.plan_id:
        query = query.where(Measure.plan_id == filters.plan_id)
    if filters.unit_id:
        query = query.where(
            exists().where(Responsible.measure_id == Measure.id, Responsible.unit_id == filters.unit_id)
        )
    if filters.min_age_days:
        from datetime import datetime, time

        cutoff = datetime.combine(today - timedelta(days=filters.min_age_days - 1), time(), tzinfo=TASHKENT)
        query = query.where(StatusUpdate.created_at < cutoff)
    rows, count = claim_rows(query.order_by(StatusUpdate.created_at, StatusUpdate.id).limit(limit))
    return ItemList(count, rows)


def _counted_plans(query: Select[Any]) -> ItemList:
    """The plans of ``query`` (ordered, limited) with how many there are, in one query."""
    rows = db.session.execute(query.add_columns(func.count().over()).limit(LIST_LIMIT)).all()
    return ItemList(rows[0][1] if rows else 0, [plan for plan, _total in rows])


def plans_returned(user: User) -> ItemList:
    query = select(Plan).where(
        Plan.organization_id == user.organization_id,
        Plan.state == PlanState.DRAFT,
        Plan.review_comment.is_not(None),
    )
    return _counted_plans(query.order_by(Plan.updated_at.desc()))


def plans_awaiting_approval(user: User) -> ItemList:
    query = select(Plan).where(
        Plan.organization_id == user.organization_id, Plan.state == PlanState.IN_REVIEW
    )
    # Only whether an approved version exists is shown: never load the versions' snapshots
    # (the whole plan as approved, megabytes for a large plan).
    versions = selectinload(Plan.versions).load_only(PlanVersion.number)
    return _counted_plans(query.options(versions).order_by(Plan.updated_at))


@dataclass(frozen=True)
class UnitOverdue:
    unit_id: int | None
    name: str
    count: int


def _overdue_in_organization(user: User, today: date) -> tuple[Any, ...]:
    """Conditions on ``Measure`` joined to ``Plan``: overdue measures of the user's organization's
    plans in force."""
    return (
        Plan.organization_id == user.organization_id,
        plan_in_force_clause(),
        Measure.deleted_at.is_(None),
        Measure.status.not_in(_CLOSED),
        Measure.due_on < today,
    )


def overdue_by_unit(user: User, today: date) -> list[UnitOverdue]:
    """Overdue measures of plans in force, per lead unit (one GROUP BY over a join), most first."""
    rows = db.session.execute(
        select(Responsible.unit_id, func.coalesce(Unit.name, literal("")), func.count(Measure.id).label("n"))
        .select_from(Measure)
        .join(Plan, Plan.id == Measure.plan_id)
        .outerjoin(Responsible, and_(Responsible.measure_id == Measure.id, Responsible.is_lead))
        .outerjoin(Unit, Unit.id == Responsible.unit_id)
        .where(*_overdue_in_organization(user, today))
        .group_by(Responsible.unit_id, Unit.name)
        .order_by(func.count(Measure.id).desc(), Unit.name)
    )
    return [UnitOverdue(unit_id, name, n) for unit_id, name, n in rows]


def overdue_list(user: User, today: date, unit_id: int | None, offset: int = 0, limit: int = 100) -> ItemList:
    """Overdue measures of plans in force, of one lead unit (or of none when ``unit_id`` is 0)."""
    query = (
        select(Measure)
        .join(Plan, Plan.id == Measure.plan_id)
        .options(joinedload(Measure.plan), selectinload(Measure.responsibles))
        .where(*_overdue_in_organization(user, today))
    )
    if unit_id is not None:
        lead = _lead_unit_of_measure()
        query = query.where(lead.is_(None) if unit_id == 0 else lead == unit_id)
    count = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = list(
        db.session.scalars(query.order_by(Measure.due_on, Measure.id).offset(offset).limit(limit)).unique()
    )
    return ItemList(count, rows)
