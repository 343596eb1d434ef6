"""The approval workflow of a plan: draft → in review → approved (→ revised draft) → closed.

Approval freezes the plan's content into a :class:`PlanVersion`; a draft brought in from a
document approved on paper takes the printed approval the same way
(:func:`record_document_approval`). Services check rights, audit, notify and flush; never commit.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _

from tracker.core import audit
from tracker.core.errors import InvalidInput, InvalidTransition, PermissionDenied
from tracker.core.events import plan_changed
from tracker.extensions import db
from tracker.notifications import workflow as notify
from tracker.plans import changes
from tracker.plans.access import can_approve_plan, can_edit_plan, require_edit
from tracker.plans.models import Plan, PlanState, PlanVersion
from tracker.plans.relative_deadlines import resolve_relative_deadlines
from tracker.plans.snapshot_load import measure_json

if TYPE_CHECKING:
    from tracker.auth.models import User


def submit_plan(plan: Plan, *, actor: User) -> Plan:
    """A controller sends a draft to the director."""
    require_edit(plan, actor)
    if not plan.measures:
        raise InvalidTransition(_("Add at least one measure before sending the plan for approval."))
    _check_proposal_complete(plan)
    plan.state = PlanState.IN_REVIEW
    plan.review_comment = None
    db.session.flush()
    audit.record(actor, "plan", plan.id, "submit", before={"state": "draft"}, after={"state": plan.state})
    notify.plan_submitted(plan, actor=actor)
    return plan


def _check_proposal_complete(plan: Plan) -> None:
    """Measures imported from a proposal (they carry content) need a deadline and a unit first."""
    missing = [m.number for m in plan.measures if m.content and not (m.deadline_text and m.responsibles)]
    if missing:
        raise InvalidTransition(
            _(
                "Give measures %(numbers)s a deadline and a responsible unit (the grid on the plan "
                "page) before sending the plan for approval.",
                numbers=", ".join(missing),
            )
        )


def approve_plan(plan: Plan, *, actor: User, position: str | None, name: str, approval_date: date) -> Plan:
    """The director approves: the approval block is recorded and the version frozen."""
    if not can_approve_plan(actor, plan):
        raise PermissionDenied(_("Only the director may approve this plan."))
    if plan.state != PlanState.IN_REVIEW:
        raise InvalidTransition(_("Only a plan awaiting approval can be approved."))
    previous = plan.versions[-1].snapshot if plan.versions else None
    _freeze_approval(plan, approver=actor, position=position, name=name, approval_date=approval_date)
    changes.date_pending_revisions(plan, approval_date)
    _record_approval(plan, actor, "approve", before_state="in_review")
    notify.plan_decided(plan, actor=actor, approved=True)
    notify.measures_assigned(plan, actor=actor, previous=previous)
    return plan


def record_document_approval(
    plan: Plan,
    *,
    actor: User | None,
    position: str | None,
    name: str,
    approval_date: date,
    has_block: bool = True,
) -> Plan:
    """A draft brought in from a document already approved on paper ("ТАСДИҚЛАЙМАН" block).

    The approval is recorded exactly as printed, with no approver account (``approver_id``
    None), and the version is frozen as :func:`approve_plan` does. The actor is whoever brings
    the document in (a controller), not the director; ``None`` is the system.
    ``has_block=False`` is a document in force without an approval block of its own (a roadmap
    annexed to a resolution, seed 004): it is in force from ``approval_date`` and the name is
    left empty, so that nothing is printed where the document prints nothing.
    """
    if actor is not None:
        require_edit(plan, actor)
    if plan.state != PlanState.DRAFT:
        raise InvalidTransition(_("Only a draft can take the approval printed on a document."))
    if not has_block:
        position, name = None, ""
    elif not name.strip():
        raise InvalidInput(_("The approval block has no name."))
    _freeze_approval(plan, approver=None, position=position, name=name.strip(), approval_date=approval_date)
    _record_approval(plan, actor, "approve_from_document", before_state="draft")
    return plan


def _freeze_approval(
    plan: Plan, *, approver: User | None, position: str | None, name: str, approval_date: date
) -> None:
    """Mark the plan approved with this approval block and freeze its content as a version."""
    plan.state = PlanState.APPROVED
    plan.approver_id = approver.id if approver is not None else None
    plan.approval_position = position or None
    plan.approval_name = name
    plan.approval_date = approval_date
    plan.review_comment = None
    resolve_relative_deadlines(plan)
    db.session.flush()
    db.session.add(
        PlanVersion(
            plan=plan,
            number=plan.version,
            approver_id=plan.approver_id,
            approval_position=plan.approval_position,
            approval_name=plan.approval_name,
            approval_date=approval_date,
            snapshot=plan_snapshot(plan),
        )
    )
    db.session.flush()


def _record_approval(plan: Plan, actor: User | None, action: str, *, before_state: str) -> None:
    audit.record(
        actor,
        "plan",
        plan.id,
        action,
        before={"state": before_state},
        after={
            "state": plan.state,
            "version": plan.version,
            "approval_name": plan.approval_name,
            "approval_position": plan.approval_position,
            "approval_date": plan.approval_date,
        },
    )
    plan_changed.send(plan_id=plan.id)  # the status report of the plan is rebuilt (reports.prebuild)


def return_plan(plan: Plan, *, actor: User, comment: str) -> Plan:
    """The director sends the plan back to draft with a comment."""
    if not can_approve_plan(actor, plan):
        raise PermissionDenied(_("Only the director may return this plan."))
    if plan.state != PlanState.IN_REVIEW:
        raise InvalidTransition(_("Only a plan awaiting approval can be returned."))
    if not comment.strip():
        raise InvalidInput(_("Say what must change before the plan can be approved."))
    plan.state = PlanState.DRAFT
    plan.review_comment = comment.strip()
    db.session.flush()
    audit.record(
        actor,
        "plan",
        plan.id,
        "return",
        before={"state": "in_review"},
        after={"state": plan.state, "comment": plan.review_comment},
    )
    notify.plan_decided(plan, actor=actor, approved=False)
    return plan


def revise_plan(plan: Plan, *, actor: User) -> Plan:
    """Open a new draft version of an approved plan; the approved version stays readable."""
    if not can_edit_plan(actor, plan):
        raise PermissionDenied(_("You may not edit this plan."))
    if plan.state != PlanState.APPROVED:
        raise InvalidTransition(_("Only an approved plan can be revised."))
    plan.state = PlanState.DRAFT
    plan.version += 1
    plan.approver_id = None
    plan.approval_position = plan.approval_name = None
    plan.approval_date = None
    db.session.flush()
    audit.record(
        actor,
        "plan",
        plan.id,
        "revise",
        before={"state": "approved", "version": plan.version - 1},
        after={"state": plan.state, "version": plan.version},
    )
    return plan


def close_plan(plan: Plan, *, actor: User) -> Plan:
    if not can_edit_plan(actor, plan):
        raise PermissionDenied(_("You may not edit this plan."))
    if plan.state != PlanState.APPROVED:
        raise InvalidTransition(_("Only an approved plan can be closed."))
    plan.state = PlanState.CLOSED
    db.session.flush()
    audit.record(actor, "plan", plan.id, "close", before={"state": "approved"}, after={"state": plan.state})
    return plan


def plan_snapshot(plan: Plan) -> dict[str, Any]:
    """The plan's content as plain data, frozen into a :class:`PlanVersion` on approval."""
    return {
        "version": plan.version,
        "kind": plan.kind,
        "title": plan.title,
        "basis": plan.basis,
        "period": {
            "start": plan.period_start.isoformat() if plan.period_start else None,
            "end": plan.period_end.isoformat() if plan.period_end else None,
        },
        "measures": [measure_json(m) for m in plan.measures],
    }
