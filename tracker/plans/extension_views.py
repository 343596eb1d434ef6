"""Pages of deadline extensions (ask, record, grant, refuse) and of a revision's changes, on ``plans``.

The measure page shows the dated history and these forms through the partial
``templates/plans/_deadline_history.html``, which reads :func:`deadline_history`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug import Response

from tracker.core.permissions import permission_required
from tracker.core.web import run_service
from tracker.extensions import db
from tracker.plans import changes, extensions
from tracker.plans.access import can_view_plan, get_measure_or_404, get_plan_or_404, get_step_or_404
from tracker.plans.blueprint import bp
from tracker.plans.forms import DeadlineExtensionForm, ExtensionDecisionForm
from tracker.plans.models import Measure, PlanState, Step
from tracker.plans.records import DeadlineExtension, ExtensionState


@bp.app_context_processor
def _deadline_history_helper() -> dict[str, Any]:
    return {"deadline_history": deadline_history}


def deadline_history(measure: Measure) -> dict[str, Any]:
    """What the measure page's history partial shows, and which buttons the user gets."""
    is_approved = measure.plan.state == PlanState.APPROVED
    return {
        "changes": changes.changes_of(measure),
        "extensions": extensions.extensions_of(measure),
        "can_ask": is_approved and extensions.can_request_extension(current_user, measure),
        "can_decide": is_approved and extensions.can_decide_extension(current_user, measure.plan),
        "can_reassign": is_approved and changes.can_reassign(current_user, measure.plan),
        "decision_form": ExtensionDecisionForm(),
    }


def _extend(target: Measure | Step, measure: Measure) -> Response | str:
    if not (
        extensions.can_request_extension(current_user, target)
        or extensions.can_decide_extension(current_user, measure.plan)
    ):
        abort(403)
    form = DeadlineExtensionForm()
    if form.validate_on_submit():
        data = extensions.ExtensionData(
            deadline_text=form.deadline_text.data or "",
            reason=form.reason.data or "",
            basis=form.basis.data,
            effective_on=form.effective_on.data,
        )
        done: dict[str, DeadlineExtension] = {}

        def action() -> None:
            done["extension"] = extensions.submit_deadline(target, data, actor=current_user)

        if run_service(action):
            from flask import flash

            if done["extension"].state == ExtensionState.REQUESTED:
                flash(_("The request was sent; the deadline changes when it is granted."), "success")
            else:
                flash(_("The new deadline is in force."), "success")
            return redirect(url_for("plans.measure", measure_id=measure.id, _anchor="deadline-history"))
    decides = extensions.can_decide_extension(current_user, measure.plan)
    return render_template(
        "plans/extension_form.html",
        form=form,
        measure=measure,
        target=target,
        plan=measure.plan,
        decides=decides,
    )


@bp.route("/measures/<int:measure_id>/deadline", methods=["GET", "POST"])
@permission_required("plan.view")
def extend_measure(measure_id: int) -> Response | str:
    item = get_measure_or_404(measure_id)
    return _extend(item, item)


@bp.route("/steps/<int:step_id>/deadline", methods=["GET", "POST"])
@permission_required("plan.view")
def extend_step(step_id: int) -> Response | str:
    step = get_step_or_404(step_id)
    return _extend(step, step.measure)


def _load_extension(extension_id: int) -> DeadlineExtension:
    extension = db.get_or_404(DeadlineExtension, extension_id)
    if not can_view_plan(current_user, extension.measure.plan):
        abort(403)
    return extension


def _decide(
    extension_id: int, decide: Callable[[DeadlineExtension, str | None], object], done: str
) -> Response:
    """Grant or refuse a request from the decision form (its comment), then back to the measure."""
    extension = _load_extension(extension_id)
    form = ExtensionDecisionForm()
    if form.validate_on_submit():
        run_service(lambda: decide(extension, form.comment.data), done)
    return redirect(url_for("plans.measure", measure_id=extension.measure_id, _anchor="deadline-history"))


@bp.post("/extensions/<int:extension_id>/grant")
@permission_required("plan.view")
def grant_extension(extension_id: int) -> Response:
    return _decide(
        extension_id,
        lambda extension, comment: extensions.grant_extension(extension, actor=current_user, comment=comment),
        _("The deadline was extended."),
    )


@bp.post("/extensions/<int:extension_id>/refuse")
@permission_required("plan.view")
def refuse_extension(extension_id: int) -> Response:
    return _decide(
        extension_id,
        lambda extension, comment: extensions.refuse_extension(
            extension, actor=current_user, comment=comment or ""
        ),
        _("The request was refused."),
    )


@bp.get("/plans/<int:plan_id>/changes")
@permission_required("plan.view")
def revision_changes(plan_id: int) -> str:
    """What the revision changes against the approved version (for the director, printable)."""
    from tracker.plans.compare import revision_changes as compare

    plan = get_plan_or_404(plan_id)
    return render_template("plans/changes.html", plan=plan, result=compare(plan))
