"""Deadline extension requests waiting for a decision (the workflow is tracker/plans/extensions.py).

The secretariat decides them, or the director where the organization's policy
(``organizations.extension_decider``) says so: each sees only the requests they decide.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from tracker.extensions import db
from tracker.inbox.queries import LIST_LIMIT, ItemList
from tracker.orgs.models import Organization
from tracker.plans.models import Measure, Plan
from tracker.plans.records import DeadlineExtension, ExtensionState

if TYPE_CHECKING:
    from tracker.auth.models import User


def decides_extensions(user: User) -> bool:
    decider = db.session.scalar(
        select(Organization.extension_decider).where(Organization.id == user.organization_id)
    )
    if decider == "director":
        return user.has_permission("plan.approve")
    return user.has_permission("status.review")


def extension_requests(user: User) -> ItemList:
    """Requests of the user's organization waiting for a decision, oldest first."""
    query = (
        select(DeadlineExtension)
        .join(Measure, Measure.id == DeadlineExtension.measure_id)
        .join(Plan, Plan.id == Measure.plan_id)
        .where(
            Plan.organization_id == user.organization_id,
            DeadlineExtension.state == ExtensionState.REQUESTED.value,
            Measure.deleted_at.is_(None),
        )
    )
    count = db.session.scalar(query.with_only_columns(func.count(DeadlineExtension.id)).order_by(None)) or 0
    rows = db.session.scalars(
        query.options(
            selectinload(DeadlineExtension.measure).joinedload(Measure.plan),
            selectinload(DeadlineExtension.step),
            joinedload(DeadlineExtension.requested_by),
        )
        .order_by(DeadlineExtension.requested_at, DeadlineExtension.id)
        .limit(LIST_LIMIT)
    )
    return ItemList(count, list(rows))
