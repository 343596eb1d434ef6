"""The plans feature's services: one import for every caller (views, API, imports, CLI, tests).

The rules live in modules named for what they do, and are re-exported here:

- this module: creating a plan and editing its header;
- :mod:`tracker.plans.workflow`: submit, approve (also an approval printed on a document),
  return, revise, close;
- :mod:`tracker.plans.measures`: a draft's measures and steps;
- :mod:`tracker.plans.responsibles`, :mod:`tracker.plans.deadlines`,
  :mod:`tracker.plans.phrases`: who answers for a measure, its deadline fields, the words of
  a responsible cell;
- optimistic locking is generic: :mod:`tracker.core.locking`.

Services take domain objects and validated data, check the actor's rights, write the audit
trail and flush. They never commit: the request or the CLI command does.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from flask_babel import gettext as _

from tracker.core import audit
from tracker.core.errors import InvalidInput, PermissionDenied
from tracker.core.locking import check_version, flush_or_stale
from tracker.extensions import db
from tracker.orgs.models import Organization
from tracker.plans.access import require_edit
from tracker.plans.deadlines import apply_deadline, default_year
from tracker.plans.measures import (
    MEASURE_FIELDS,
    STEP_FIELDS,
    MeasureData,
    StepData,
    add_measure,
    add_step,
    delete_measure,
    delete_step,
    move_measure,
    move_step,
    update_measure,
    update_step,
)
from tracker.plans.models import Plan, PlanKind, PlanState
from tracker.plans.phrases import ALL_UNITS_PHRASES, HEADING_PHRASES, is_all_units_phrase, is_heading_phrase
from tracker.plans.responsibles import set_responsibles
from tracker.plans.workflow import (
    approve_plan,
    close_plan,
    plan_snapshot,
    record_document_approval,
    return_plan,
    revise_plan,
    submit_plan,
)

if TYPE_CHECKING:
    from tracker.auth.models import User

__all__ = [
    "ALL_UNITS_PHRASES",
    "HEADING_PHRASES",
    "MEASURE_FIELDS",
    "PLAN_FIELDS",
    "STEP_FIELDS",
    "MeasureData",
    "PlanData",
    "StepData",
    "add_measure",
    "add_step",
    "apply_deadline",
    "approve_plan",
    "check_version",
    "close_plan",
    "create_plan",
    "default_year",
    "delete_measure",
    "delete_step",
    "flush_or_stale",
    "is_all_units_phrase",
    "is_heading_phrase",
    "move_measure",
    "move_step",
    "plan_snapshot",
    "record_document_approval",
    "return_plan",
    "revise_plan",
    "set_responsibles",
    "submit_plan",
    "update_measure",
    "update_plan",
    "update_step",
]

logger = logging.getLogger(__name__)

PLAN_FIELDS = ("kind", "title", "period_start", "period_end", "basis")


@dataclass
class PlanData:
    kind: PlanKind
    title: str
    period_start: date | None = None
    period_end: date | None = None
    basis: str | None = None


def create_plan(organization: Organization, data: PlanData, *, actor: User | None) -> Plan:
    if actor is not None and (
        not actor.has_permission("plan.edit") or actor.organization_id != organization.id
    ):
        raise PermissionDenied(_("You may not create plans for this organization."))
    _check_period(data.period_start, data.period_end)
    plan = Plan(
        organization=organization,
        created_by_id=actor.id if actor else None,
        state=PlanState.DRAFT,
        **{name: getattr(data, name) for name in PLAN_FIELDS},
    )
    db.session.add(plan)
    db.session.flush()
    audit.record(actor, "plan", plan.id, "create", after=audit.snapshot(plan, PLAN_FIELDS))
    return plan


def _check_period(start: date | None, end: date | None) -> None:
    if start and end and start > end:
        raise InvalidInput(_("The period must end after it starts."))


def update_plan(plan: Plan, data: PlanData, *, actor: User, expected_version: int | None = None) -> Plan:
    require_edit(plan, actor)
    check_version(plan, expected_version)
    _check_period(data.period_start, data.period_end)
    before = audit.snapshot(plan, PLAN_FIELDS)
    for name in PLAN_FIELDS:
        setattr(plan, name, getattr(data, name))
    flush_or_stale(plan)
    old, new = audit.changed(before, audit.snapshot(plan, PLAN_FIELDS))
    if new:
        audit.record(actor, "plan", plan.id, "update", before=old, after=new)
    return plan
