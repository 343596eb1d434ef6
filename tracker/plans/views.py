"""Plan pages: the list, the official table, editing drafts and the approval workflow."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import extract, or_
from werkzeug import Response

from tracker.core.forms import EmptyForm, to_choices
from tracker.core.params import arg_choice, arg_int, arg_year
from tracker.core.permissions import permission_required
from tracker.core.status import STATUS_LABELS, Status
from tracker.core.time import today
from tracker.core.web import run_service
from tracker.core.xlsx import wants_xlsx, xlsx_download
from tracker.execution.services import measure_timeline
from tracker.extensions import db
from tracker.orgs.queries import organization_units
from tracker.plans import services
from tracker.plans.access import (
    can_approve_plan,
    can_edit_plan,
    can_review,
    can_update_status,
    can_view_plan,
    visible_plans_query,
)
from tracker.plans.blueprint import bp
from tracker.plans.forms import (
    ApproveForm,
    MeasureFilterForm,
    MeasureForm,
    PlanFilterForm,
    PlanForm,
    ReturnPlanForm,
    StepForm,
)
from tracker.plans.models import Measure, Plan, PlanKind, PlanState, PlanVersion, Step
from tracker.plans.queries import (
    MeasureFilters,
    PlanCounts,
    counts_by_plan,
    plan_measures,
)

# -- loading and authorising ---------------------------------------------------------------------


def load_plan(plan_id: int) -> Plan:
    plan = db.get_or_404(Plan, plan_id)
    if not can_view_plan(current_user, plan):
        abort(403)
    return plan


def load_measure(measure_id: int) -> Measure:
    measure = db.get_or_404(Measure, measure_id)
    if not can_view_plan(current_user, measure.plan):
        abort(403)
    return measure


def load_step(step_id: int) -> Step:
    step = db.get_or_404(Step, step_id)
    if not can_view_plan(current_user, step.measure.plan):
        abort(403)
    return step


def _require(allowed: bool) -> None:
    if not allowed:
        abort(403)


def _locked(plan: Plan) -> Response | None:
    """Before showing an edit form: a plan that is not a draft cannot change, so say so now."""
    if plan.is_editable:
        return None
    if plan.state == PlanState.APPROVED:
        flash(_("This plan is approved and locked. Start a new version to change it."), "warning")
    else:
        flash(_("This plan cannot be changed while it is %(state)s.", state=plan.state_label), "warning")
    return redirect(url_for("plans.show", plan_id=plan.id))


def _version(form_field: Any) -> int | None:
    try:
        return int(form_field.data)
    except (TypeError, ValueError):
        return None


# -- list ---------------------------------------------------------------------------------------


@bp.get("/plans")
@permission_required("plan.view")
def index() -> str | Response:
    filters = PlanFilterForm(request.args)
    query = visible_plans_query(current_user)
    if filters.kind.data in set(PlanKind):
        query = query.where(Plan.kind == filters.kind.data)
    if filters.state.data in set(PlanState):
        query = query.where(Plan.state == filters.state.data)
    year = arg_year()
    if year:
        query = query.where(
            or_(extract("year", Plan.period_start) == year, extract("year", Plan.period_end) == year)
        )
    plans = list(db.session.scalars(query.order_by(Plan.period_start.desc().nulls_last(), Plan.id.desc())))
    counts = counts_by_plan([p.id for p in plans], today())
    if wants_xlsx(request.args):
        return _plans_xlsx(plans, counts)
    return render_template(
        "plans/index.html",
        plans=plans,
        counts=counts,
        filters=filters,
        can_create=current_user.has_permission("plan.edit"),
    )


def _plans_xlsx(plans: list[Plan], counts: dict[int, Any]) -> Response:
    empty = PlanCounts()
    rows = [
        [
            p.title,
            str(p.kind_label),
            p.period_start,
            p.period_end,
            str(p.state_label),
            counts.get(p.id, empty).total,
            counts.get(p.id, empty).done,
            counts.get(p.id, empty).overdue,
            counts.get(p.id, empty).awaiting_review,
        ]
        for p in plans
    ]
    headers = [_("Title"), _("Kind"), _("Period start"), _("Period end"), _("State"), _("Measures")]
    headers += [_("Done"), _("Overdue"), _("Awaiting review")]
    return xlsx_download(_("Plans"), headers, rows, "plans.xlsx")


# -- one plan -----------------------------------------------------------------------------------


@bp.get("/plans/<int:plan_id>")
@permission_required("plan.view")
def show(plan_id: int) -> str:
    plan = load_plan(plan_id)
    units = organization_units(plan.organization_id)
    filter_form = MeasureFilterForm(request.args)
    filter_form.unit.choices = to_choices([(0, _("All units")), *((u.id, u.name) for u in units)])
    filter_form.status.choices = to_choices(
        [("", _("All statuses")), *((s.value, STATUS_LABELS[s]) for s in Status)]
    )
    filter_form.overdue.choices = to_choices(
        [("", _("All")), ("overdue", _("Overdue")), ("on_time", _("Not overdue"))]
    )
    status_value = arg_choice("status", Status)
    filters = MeasureFilters(
        unit_id=arg_int("unit", minimum=0) or None,
        status=Status(status_value) if status_value else None,
        deadline=arg_choice("overdue", ("overdue", "on_time")),
    )
    measures = plan_measures(plan, filters, today())
    return render_template(
        "plans/show.html",
        plan=plan,
        measures=measures,
        filter_form=filter_form,
        is_filtered=filters != MeasureFilters(),
        can_edit=can_edit_plan(current_user, plan),
        can_approve=can_approve_plan(current_user, plan),
        can_review=can_review(current_user, plan),
        approve_form=ApproveForm(
            formdata=None, position=current_user.position, name=current_user.name, approval_date=today()
        ),
        return_form=ReturnPlanForm(formdata=None),
    )


@bp.get("/plans/<int:plan_id>/versions/<int:number>")
@permission_required("plan.view")
def version(plan_id: int, number: int) -> str:
    plan = load_plan(plan_id)
    approved = db.one_or_404(
        db.select(PlanVersion).where(PlanVersion.plan_id == plan.id, PlanVersion.number == number)
    )
    from tracker.plans.snapshot import snapshot_of

    data = snapshot_of(plan, version=approved.number)  # exactly as approved
    return render_template("plans/version.html", plan=plan, version=approved, data=data)


@bp.route("/plans/new", methods=["GET", "POST"])
@permission_required("plan.edit")
def create() -> Response | str:
    form = PlanForm()
    if form.validate_on_submit():
        created: list[Plan] = []
        if run_service(
            lambda: created.append(
                services.create_plan(current_user.organization, _plan_data(form), actor=current_user)
            ),
            _("The plan is created. Now add its measures."),
        ):
            return redirect(url_for("plans.show", plan_id=created[0].id))
    return render_template("plans/plan_form.html", form=form, plan=None)


def _plan_data(form: PlanForm) -> services.PlanData:
    return services.PlanData(
        kind=PlanKind(form.kind.data),
        title=form.title.data,
        period_start=form.period_start.data,
        period_end=form.period_end.data,
        basis=form.basis.data or None,
    )


@bp.route("/plans/<int:plan_id>/edit", methods=["GET", "POST"])
@permission_required("plan.edit")
def edit(plan_id: int) -> Response | str:
    plan = load_plan(plan_id)
    _require(can_edit_plan(current_user, plan))
    if (locked := _locked(plan)) is not None:
        return locked
    form = PlanForm(obj=plan)
    if request.method == "GET":
        form.lock_version.data = str(plan.lock_version)
    if form.validate_on_submit() and run_service(
        lambda: services.update_plan(
            plan, _plan_data(form), actor=current_user, expected_version=_version(form.lock_version)
        ),
        _("The plan is saved."),
    ):
        return redirect(url_for("plans.show", plan_id=plan.id))
    return render_template("plans/plan_form.html", form=form, plan=plan)


def _workflow(
    plan_id: int,
    action: Callable[[Plan], Any],
    message: str,
    permission_check: Callable[..., bool],
    form: Any = None,
) -> Response:
    plan = load_plan(plan_id)
    _require(permission_check(current_user, plan))
    form = form or EmptyForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "danger")
        return redirect(url_for("plans.show", plan_id=plan.id))
    run_service(lambda: action(plan), message)
    return redirect(url_for("plans.show", plan_id=plan.id))


@bp.post("/plans/<int:plan_id>/submit")
@permission_required("plan.edit")
def submit(plan_id: int) -> Response:
    return _workflow(
        plan_id,
        lambda p: services.submit_plan(p, actor=current_user),
        _("The plan is sent to the director for approval."),
        can_edit_plan,
    )


@bp.post("/plans/<int:plan_id>/approve")
@permission_required("plan.approve")
def approve(plan_id: int) -> Response:
    form = ApproveForm()
    return _workflow(
        plan_id,
        lambda p: services.approve_plan(
            p,
            actor=current_user,
            position=form.position.data or None,
            name=form.name.data,
            approval_date=form.approval_date.data,
        ),
        _("The plan is approved."),
        can_approve_plan,
        form,
    )


@bp.post("/plans/<int:plan_id>/return")
@permission_required("plan.approve")
def return_to_draft(plan_id: int) -> Response:
    form = ReturnPlanForm()
    return _workflow(
        plan_id,
        lambda p: services.return_plan(p, actor=current_user, comment=form.comment.data),
        _("The plan is returned to the secretariat with your comment."),
        can_approve_plan,
        form,
    )


@bp.post("/plans/<int:plan_id>/revise")
@permission_required("plan.edit")
def revise(plan_id: int) -> Response:
    return _workflow(
        plan_id,
        lambda p: services.revise_plan(p, actor=current_user),
        _("A new draft version is open. The approved version stays readable."),
        can_edit_plan,
    )


@bp.post("/plans/<int:plan_id>/close")
@permission_required("plan.edit")
def close(plan_id: int) -> Response:
    return _workflow(
        plan_id, lambda p: services.close_plan(p, actor=current_user), _("The plan is closed."), can_edit_plan
    )


# -- measures -----------------------------------------------------------------------------------


@bp.get("/measures/<int:measure_id>")
@permission_required("plan.view")
def measure(measure_id: int) -> str:
    item = load_measure(measure_id)
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
    form.set_units([(u.id, u.name) for u in organization_units(plan.organization_id)])
    if obj is not None and request.method == "GET":
        lead = obj.lead
        form.lead_unit_id.data = lead.unit_id if lead and lead.unit_id else 0
        form.co_unit_ids.data = [r.unit_id for r in obj.responsibles if r.unit_id and not r.is_lead]
        form.other_responsible.data = "\n".join(
            r.name for r in obj.responsibles if r.unit_id is None and r.name
        )
        form.lock_version.data = str(obj.lock_version)
    return form


def _measure_data(form: MeasureForm) -> services.MeasureData:
    return services.MeasureData(
        number=form.number.data,
        title=form.title.data,
        mechanism=form.mechanism.data or None,
        deadline_text=form.deadline_text.data or None,
        due_on=form.due_on.data,
        legal_basis=form.legal_basis.data or None,
        expected_result=form.expected_result.data or None,
        lead_unit_id=form.lead_unit_id.data or None,
        co_unit_ids=list(form.co_unit_ids.data or []),
        other_responsible=(form.other_responsible.data or "").splitlines(),
    )


@bp.route("/plans/<int:plan_id>/measures/new", methods=["GET", "POST"])
@permission_required("plan.edit")
def create_measure(plan_id: int) -> Response | str:
    plan = load_plan(plan_id)
    _require(can_edit_plan(current_user, plan))
    if (locked := _locked(plan)) is not None:
        return locked
    form = _measure_form(plan)
    if request.method == "GET":
        numbers = [m.number for m in plan.measures]
        form.number.data = _next_number(numbers)
    created: list[Measure] = []
    if form.validate_on_submit() and run_service(
        lambda: created.append(services.add_measure(plan, _measure_data(form), actor=current_user)),
        _("The measure is added."),
    ):
        return redirect(url_for("plans.show", plan_id=plan.id, _anchor=f"m{created[0].id}"))
    return render_template("plans/measure_form.html", form=form, plan=plan, measure=None)


def _next_number(numbers: list[str]) -> str:
    whole = [int(n) for n in numbers if n.isdigit()]
    return str(max(whole, default=0) + 1)


@bp.route("/measures/<int:measure_id>/edit", methods=["GET", "POST"])
@permission_required("plan.edit")
def edit_measure(measure_id: int) -> Response | str:
    item = load_measure(measure_id)
    _require(can_edit_plan(current_user, item.plan))
    if (locked := _locked(item.plan)) is not None:
        return locked
    form = _measure_form(item.plan, item)
    if form.validate_on_submit() and run_service(
        lambda: services.update_measure(
            item, _measure_data(form), actor=current_user, expected_version=_version(form.lock_version)
        ),
        _("The measure is saved."),
    ):
        return redirect(url_for("plans.show", plan_id=item.plan_id, _anchor=f"m{item.id}"))
    return render_template("plans/measure_form.html", form=form, plan=item.plan, measure=item)


@bp.post("/measures/<int:measure_id>/delete")
@permission_required("plan.edit")
def delete_measure(measure_id: int) -> Response:
    item = load_measure(measure_id)
    _require(can_edit_plan(current_user, item.plan))
    plan_id = item.plan_id
    if EmptyForm().validate_on_submit():
        run_service(lambda: services.delete_measure(item, actor=current_user), _("The measure is deleted."))
    return redirect(url_for("plans.show", plan_id=plan_id))


@bp.post("/measures/<int:measure_id>/move/<any(up,down):direction>")
@permission_required("plan.edit")
def move_measure(measure_id: int, direction: str) -> Response:
    item = load_measure(measure_id)
    _require(can_edit_plan(current_user, item.plan))
    if EmptyForm().validate_on_submit():
        run_service(
            lambda: services.move_measure(item, actor=current_user, offset=-1 if direction == "up" else 1)
        )
    return redirect(url_for("plans.show", plan_id=item.plan_id, _anchor=f"m{item.id}"))


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
    item = load_measure(measure_id)
    _require(can_edit_plan(current_user, item.plan))
    if (locked := _locked(item.plan)) is not None:
        return locked
    form = StepForm()
    if request.method == "GET":
        form.number.data = _next_number([s.number for s in item.steps])
    if form.validate_on_submit() and run_service(
        lambda: services.add_step(item, _step_data(form), actor=current_user), _("The step is added.")
    ):
        return redirect(url_for("plans.measure", measure_id=item.id))
    return render_template("plans/step_form.html", form=form, measure=item, step=None)


@bp.route("/steps/<int:step_id>/edit", methods=["GET", "POST"])
@permission_required("plan.edit")
def edit_step(step_id: int) -> Response | str:
    step = load_step(step_id)
    _require(can_edit_plan(current_user, step.measure.plan))
    if (locked := _locked(step.measure.plan)) is not None:
        return locked
    form = StepForm(obj=step)
    if request.method == "GET":
        form.lock_version.data = str(step.lock_version)
    if form.validate_on_submit() and run_service(
        lambda: services.update_step(
            step, _step_data(form), actor=current_user, expected_version=_version(form.lock_version)
        ),
        _("The step is saved."),
    ):
        return redirect(url_for("plans.measure", measure_id=step.measure_id))
    return render_template("plans/step_form.html", form=form, measure=step.measure, step=step)


@bp.post("/steps/<int:step_id>/delete")
@permission_required("plan.edit")
def delete_step(step_id: int) -> Response:
    step = load_step(step_id)
    _require(can_edit_plan(current_user, step.measure.plan))
    measure_id = step.measure_id
    if EmptyForm().validate_on_submit():
        run_service(lambda: services.delete_step(step, actor=current_user), _("The step is deleted."))
    return redirect(url_for("plans.measure", measure_id=measure_id))


@bp.post("/steps/<int:step_id>/move/<any(up,down):direction>")
@permission_required("plan.edit")
def move_step(step_id: int, direction: str) -> Response:
    step = load_step(step_id)
    _require(can_edit_plan(current_user, step.measure.plan))
    if EmptyForm().validate_on_submit():
        run_service(
            lambda: services.move_step(step, actor=current_user, offset=-1 if direction == "up" else 1)
        )
    return redirect(url_for("plans.measure", measure_id=step.measure_id))


# Deadline extension and reassignment pages (issue 10) live in their own modules on this blueprint.
from tracker.plans import assign_views, extension_views  # noqa: E402, F401
