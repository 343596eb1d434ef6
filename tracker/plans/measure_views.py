"""Measure and step pages of a plan: view a measure, add, edit, delete and reorder measures and steps.

They register on the ``plans`` blueprint; a change sends the user back to the plan page that
holds the measure (the table is paged).
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug import Response

from tracker.core.permissions import permission_required
from tracker.core.web import run_service, run_when_confirmed
from tracker.execution.services import measure_timeline
from tracker.orgs.queries import unit_names
from tracker.plans import services
from tracker.plans.access import (
    can_edit_plan,
    can_review,
    can_update_status,
    get_measure_or_404,
    get_plan_or_404,
    get_step_or_404,
)
from tracker.plans.blueprint import bp
from tracker.plans.forms import MeasureForm, StepForm
from tracker.plans.loading import (
    form_version,
    locked_redirect,
    measure_in_plan_url,
    next_number,
)
from tracker.plans.models import Measure, Plan
from tracker.plans.queries import measure_numbers

# -- measures -----------------------------------------------------------------------------------


@bp.get("/measures/<int:measure_id>")
@permission_required("plan.view")
def measure(measure_id: int) -> str:
    item = get_measure_or_404(measure_id)
    if item.deleted_at is not None:
        abort(404)
    return render_template(
        "plans/measure.html",
        measure=item,
        plan=item.plan,
        history=measure_timeline(item),
        can_update=can_update_status(current_user, item),
        can_edit=can_edit_plan(current_user, item.plan),
        can_review=can_review(current_user, item.plan),
    )


def _measure_form(plan: Plan, obj: Measure | None = None) -> MeasureForm:
    form = MeasureForm(obj=obj)
    form.set_units([(u.id, u.name) for u in unit_names(plan.organization_id)])
    if obj is not None and request.method == "GET":
        lead = obj.lead
        form.lead_unit_id.data = lead.unit_id if lead and lead.unit_id else 0
        form.co_unit_ids.data = [r.unit_id for r in obj.responsibles if r.unit_id and not r.is_lead]
        form.other_responsible.data = "\n".join(
            r.name for r in obj.responsibles if r.unit_id is None and r.name
        )
        form.lock_version.data = str(obj.lock_version)
    return form


@bp.route("/plans/<int:plan_id>/measures/new", methods=["GET", "POST"])
@permission_required("plan.edit")
def create_measure(plan_id: int) -> Response | str:
    plan = get_plan_or_404(plan_id, need="edit")
    if (locked := locked_redirect(plan)) is not None:
        return locked
    form = _measure_form(plan)
    if request.method == "GET":
        form.number.data = next_number(measure_numbers(plan))
    created: list[Measure] = []
    if form.validate_on_submit() and run_service(
        lambda: created.append(services.add_measure(plan, form.measure_data(), actor=current_user)),
        _("The measure is added."),
    ):
        return redirect(measure_in_plan_url(created[0]))
    return render_template("plans/measure_form.html", form=form, plan=plan, measure=None)


@bp.route("/measures/<int:measure_id>/edit", methods=["GET", "POST"])
@permission_required("plan.edit")
def edit_measure(measure_id: int) -> Response | str:
    item = get_measure_or_404(measure_id, need="edit")
    if (locked := locked_redirect(item.plan)) is not None:
        return locked
    form = _measure_form(item.plan, item)
    if form.validate_on_submit() and run_service(
        lambda: services.update_measure(
            item, form.measure_data(), actor=current_user, expected_version=form_version(form.lock_version)
        ),
        _("The measure is saved."),
    ):
        return redirect(measure_in_plan_url(item))
    return render_template("plans/measure_form.html", form=form, plan=item.plan, measure=item)


@bp.post("/measures/<int:measure_id>/delete")
@permission_required("plan.edit")
def delete_measure(measure_id: int) -> Response:
    item = get_measure_or_404(measure_id, need="edit")
    plan_id = item.plan_id
    run_when_confirmed(
        lambda: services.delete_measure(item, actor=current_user), _("The measure is deleted.")
    )
    return redirect(url_for("plans.show", plan_id=plan_id))


@bp.post("/measures/<int:measure_id>/move/<any(up,down):direction>")
@permission_required("plan.edit")
def move_measure(measure_id: int, direction: str) -> Response:
    item = get_measure_or_404(measure_id, need="edit")
    run_when_confirmed(
        lambda: services.move_measure(item, actor=current_user, offset=-1 if direction == "up" else 1)
    )
    return redirect(measure_in_plan_url(item))


# -- steps --------------------------------------------------------------------------------------


def _step_data(form: StepForm) -> services.StepData:
    return services.StepData(
        number=form.number.data,
        text=form.text.data,
        deadline_text=form.deadline_text.data or None,
        due_on=form.due_on.data,
    )


@bp.route("/measures/<int:measure_id>/steps/new", methods=["GET", "POST"])
@permission_required("plan.edit")
def create_step(measure_id: int) -> Response | str:
    item = get_measure_or_404(measure_id, need="edit")
    if (locked := locked_redirect(item.plan)) is not None:
        return locked
    form = StepForm()
    if request.method == "GET":
        form.number.data = next_number([s.number for s in item.steps])
    if form.validate_on_submit() and run_service(
        lambda: services.add_step(item, _step_data(form), actor=current_user), _("The step is added.")
    ):
        return redirect(url_for("plans.measure", measure_id=item.id))
    return render_template("plans/step_form.html", form=form, measure=item, step=None)


@bp.route("/steps/<int:step_id>/edit", methods=["GET", "POST"])
@permission_required("plan.edit")
def edit_step(step_id: int) -> Response | str:
    step = get_step_or_404(step_id, need="edit")
    if (locked := locked_redirect(step.measure.plan)) is not None:
        return locked
    form = StepForm(obj=step)
    if request.method == "GET":
        form.lock_version.data = str(step.lock_version)
    if form.validate_on_submit() and run_service(
        lambda: services.update_step(
            step, _step_data(form), actor=current_user, expected_version=form_version(form.lock_version)
        ),
        _("The step is saved."),
    ):
        return redirect(url_for("plans.measure", measure_id=step.measure_id))
    return render_template("plans/step_form.html", form=form, measure=step.measure, step=step)


@bp.post("/steps/<int:step_id>/delete")
@permission_required("plan.edit")
def delete_step(step_id: int) -> Response:
    step = get_step_or_404(step_id, need="edit")
    measure_id = step.measure_id
    run_when_confirmed(lambda: services.delete_step(step, actor=current_user), _("The step is deleted."))
    return redirect(url_for("plans.measure", measure_id=measure_id))


@bp.post("/steps/<int:step_id>/move/<any(up,down):direction>")
@permission_required("plan.edit")
def move_step(step_id: int, direction: str) -> Response:
    step = get_step_or_404(step_id, need="edit")
    run_when_confirmed(
        lambda: services.move_step(step, actor=current_user, offset=-1 if direction == "up" else 1)
    )
    return redirect(url_for("plans.measure", measure_id=step.measure_id))
