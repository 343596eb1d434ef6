"""The hand-overs of the workflow, each one event with its recipients.

The services of plans and execution call these functions in the same transaction as the change
(``from tracker.notifications import workflow as notify``). Extensions and comments call
:func:`tracker.notifications.services.record_event` directly with their own recipients.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tracker.core.status import ReviewState
from tracker.notifications.models import NotificationKind
from tracker.notifications.services import (
    controllers_of,
    directors_of,
    heads_of_unit,
    lead_unit,
    record_event,
    submitter_of,
    unit_people,
)

if TYPE_CHECKING:
    from tracker.auth.models import User
    from tracker.execution.models import StatusUpdate
    from tracker.notifications.models import WorkflowEvent
    from tracker.plans.models import Measure, Plan


def claim_submitted(update: StatusUpdate, *, actor: User | None) -> WorkflowEvent:
    """A unit says "done": the controllers of the organization are to review it."""
    measure = update.measure
    return record_event(
        NotificationKind.CLAIM_SUBMITTED,
        actor=actor,
        recipients=controllers_of(measure.plan.organization_id),
        measure=measure,
        step=update.step,
        status_update=update,
        unit=actor.unit if actor is not None else lead_unit(measure),
        text=update.note,
    )


def claim_reviewed(update: StatusUpdate, *, actor: User) -> WorkflowEvent:
    """Accepted or returned: the reporter and the head of the responsible unit hear of it."""
    measure = update.measure
    unit = lead_unit(measure)
    recipients = [*([update.author] if update.author is not None else []), *heads_of_unit(unit)]
    accepted = update.review_state == ReviewState.ACCEPTED
    return record_event(
        NotificationKind.CLAIM_ACCEPTED if accepted else NotificationKind.CLAIM_RETURNED,
        actor=actor,
        recipients=recipients,
        measure=measure,
        step=update.step,
        status_update=update,
        unit=unit,
        text=update.review_comment,
    )


def plan_submitted(plan: Plan, *, actor: User) -> WorkflowEvent:
    return record_event(
        NotificationKind.PLAN_SUBMITTED, actor=actor, recipients=directors_of(plan.organization_id), plan=plan
    )


def plan_decided(plan: Plan, *, actor: User, approved: bool) -> WorkflowEvent:
    """Approved or returned: the controller who sent it (all controllers when that is unknown)."""
    submitter = submitter_of(plan)
    recipients = [submitter] if submitter is not None else controllers_of(plan.organization_id)
    return record_event(
        NotificationKind.PLAN_APPROVED if approved else NotificationKind.PLAN_RETURNED,
        actor=actor,
        recipients=recipients,
        plan=plan,
        text=None if approved else plan.review_comment,
    )


def _units_in_snapshot(snapshot: dict[str, Any] | None) -> dict[int, set[int]]:
    """Measure id → responsible unit ids, as an approved version recorded them."""
    result: dict[int, set[int]] = {}
    for item in (snapshot or {}).get("measures", []):
        if isinstance(item, dict) and item.get("id") is not None:
            result[item["id"]] = {
                r["unit_id"] for r in item.get("responsible", []) if isinstance(r, dict) and r.get("unit_id")
            }
    return result


def measures_assigned(
    plan: Plan, *, actor: User | None, previous: dict[str, Any] | None
) -> list[WorkflowEvent]:
    """On approval, each measure newly given to a unit reaches that unit's head and executors.

    ``previous`` is the snapshot of the version approved before (None for a first approval); a
    unit that already had the measure then is not told again.
    """
    before = _units_in_snapshot(previous)
    events = []
    for measure in plan.measures:
        events += measure_reassigned(measure, had_unit_ids=before.get(measure.id, set()), actor=actor)
    return events


def measure_reassigned(
    measure: Measure, *, had_unit_ids: set[int], actor: User | None
) -> list[WorkflowEvent]:
    """A reassignment on an approved plan: each unit that newly has the measure hears of it
    (its head and executors); units that had it already are not told again."""
    events = []
    for responsible in measure.responsibles:
        unit = responsible.unit
        if unit is not None and unit.id not in had_unit_ids:
            events.append(_assigned(measure, unit, actor))
    return events


def _assigned(measure: Measure, unit: Any, actor: User | None) -> WorkflowEvent:
    return record_event(
        NotificationKind.MEASURE_ASSIGNED,
        actor=actor,
        recipients=unit_people([unit]),
        measure=measure,
        unit=unit,
    )


# -- deadline extensions (the extension workflow lives in tracker/plans/extensions.py) ----------


def _extension_target(extension: Any) -> tuple[Measure, Any]:
    return extension.measure, extension.step if extension.step_id else None


def _deciders(plan: Plan) -> list[User]:
    """Who decides on extensions: the director where the organization says so, else the secretariat."""
    if getattr(plan.organization, "extension_decider", None) == "director":
        return directors_of(plan.organization_id)
    return controllers_of(plan.organization_id)


def extension_requested(extension: Any, *, actor: User) -> WorkflowEvent:
    """A department asks for a new deadline: whoever decides is to answer."""
    measure, step = _extension_target(extension)
    return record_event(
        NotificationKind.EXTENSION_REQUESTED,
        actor=actor,
        recipients=_deciders(measure.plan),
        measure=measure,
        step=step,
        unit=actor.unit or lead_unit(measure),
        text=f"{extension.deadline_text} — {extension.reason}",
    )


def extension_decided(extension: Any, *, actor: User, granted: bool) -> WorkflowEvent:
    """Granted (or recorded directly) or refused: the requester and the responsible unit hear of it."""
    from tracker.auth.models import User as UserModel
    from tracker.extensions import db

    measure, step = _extension_target(extension)
    unit = lead_unit(measure)
    requester = db.session.get(UserModel, extension.requested_by_id) if extension.requested_by_id else None
    recipients = [*([requester] if requester is not None else []), *heads_of_unit(unit)]
    if granted and (requester is None or requester.id == actor.id):  # recorded by the secretariat
        recipients += unit_people([unit] if unit is not None else [])
    return record_event(
        NotificationKind.EXTENSION_GRANTED if granted else NotificationKind.EXTENSION_REFUSED,
        actor=actor,
        recipients=recipients,
        measure=measure,
        step=step,
        unit=unit,
        text=extension.deadline_text if granted else extension.decision_comment,
    )
