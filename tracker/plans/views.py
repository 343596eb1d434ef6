"""Plan pages: the list, the official table (paged), editing drafts and the approval workflow.

Measures and steps have their own pages in :mod:`tracker.plans.measure_views`, deadline
extensions in :mod:`tracker.plans.extension_views`; both register on this blueprint.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import extract, or_
from sqlalchemy.orm import joinedload
from werkzeug import Response

from tracker.core.drawn_rows import RowMemo
from tracker.core.forms import EmptyForm, to_choices
from tracker.core.links import id_url
from tracker.core.params import arg_choice, arg_int, arg_page, arg_text, arg_year
from tracker.core.permissions import permission_required
from tracker.core.status import STATUS_LABELS, Status
from tracker.core.time import today
from tracker.core.web import run_service
from tracker.core.xlsx import wants_xlsx, xlsx_download
from tracker.extensions import db
from tracker.orgs.queries import unit_names
from tracker.plans import services
from tracker.plans.access import (
    can_approve_plan,
    can_edit_plan,
    can_review,
    get_plan_or_404,
    visible_plans_query,
)
from tracker.plans.blueprint import bp
from tracker.plans.forms import ApproveForm, MeasureFilterForm, PlanFilterForm, PlanForm, ReturnPlanForm
from tracker.plans.loading import form_version, locked_redirect, require
from tracker.plans.models import Plan, PlanKind, PlanState, PlanVersion
from tracker.plans.queries import (
    PLAN_PAGE_SIZE,
    MeasureFilters,
    PlanCounts,
    counts_by_plan,
    find_by_number,
    plan_page,
)

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


#: The page lists the approved versions: their numbers and dates come with the plan in one
#: statement, without their snapshots (the whole plan as approved, megabytes for a large plan).
_PLAN_PAGE_LOADING = (joinedload(Plan.versions).load_only(PlanVersion.number, PlanVersion.approval_date),)


@bp.get("/plans/<int:plan_id>")
@permission_required("plan.view")
def show(plan_id: int) -> str | Response:
    plan = get_plan_or_404(plan_id, options=_PLAN_PAGE_LOADING)
    filter_form = _measure_filter_form(plan)
    status_value = arg_choice("status", Status)
    filters = MeasureFilters(
        unit_id=arg_int("unit", minimum=0) or None,
        status=Status(status_value) if status_value else None,
        deadline=arg_choice("overdue", ("overdue", "on_time")),
    )
    number = arg_text("jump", 40)
    if number:
        return _jump_to(plan, filters, number.strip().rstrip("."))
    shown = plan_page(plan, filters, today(), arg_page())
    can_approve = can_approve_plan(current_user, plan)
    can_edit = can_edit_plan(current_user, plan)
    in_review = can_approve and plan.state == PlanState.IN_REVIEW
    return render_template(
        "plans/show.html",
        plan=plan,
        measures=shown.measures,
        measure_url=id_url("plans.measure", "measure_id"),  # one url_for for the 100 rows
        # Rows with the editor's buttons carry the session's CSRF token: never kept.
        rows=RowMemo("plan", enabled=not (can_edit and plan.state == PlanState.DRAFT)),
        total=shown.total,
        page=shown.number,
        pages=shown.pages,
        page_size=PLAN_PAGE_SIZE,
        filter_form=filter_form,
        is_filtered=filters != MeasureFilters(),
        can_edit=can_edit,
        can_approve=can_approve,
        can_review=can_review(current_user, plan),
        # The approval forms are drawn only while the plan waits for this approver.
        approve_form=ApproveForm(
            formdata=None, position=current_user.position, name=current_user.name, approval_date=today()
        )
        if in_review
        else None,
        return_form=ReturnPlanForm(formdata=None) if in_review else None,
    )


def _measure_filter_form(plan: Plan) -> MeasureFilterForm:
    units = unit_names(plan.organization_id)
    form = MeasureFilterForm(request.args)
    form.unit.choices = to_choices([(0, _("All units")), *((u.id, u.name) for u in units)])
    form.status.choices = to_choices(
        [("", _("All statuses")), *((s.value, STATUS_LABELS[s]) for s in Status)]
    )
    form.overdue.choices = to_choices(
        [("", _("All")), ("overdue", _("Overdue")), ("on_time", _("Not overdue"))]
    )
    return form


def _jump_to(plan: Plan, filters: MeasureFilters, number: str) -> Response:
    """``?jump=12``: the page of the (filtered) table that holds measure № 12, scrolled to it."""
    args: dict[str, Any] = {k: v for k, v in request.args.items() if k not in ("jump", "page")}
    found = find_by_number(plan, filters, today(), number)
    if found is None:
        flash(_("No measure numbered %(number)s in this list.", number=number), "warning")
        return redirect(url_for("plans.show", plan_id=plan.id, **args))
    measure_id, index = found
    page = index // PLAN_PAGE_SIZE + 1
    if page > 1:
        args["page"] = str(page)
    return redirect(url_for("plans.show", plan_id=plan.id, **args, _anchor=f"m{measure_id}"))


@bp.get("/plans/<int:plan_id>/versions/<int:number>")
@permission_required("plan.view")
def version(plan_id: int, number: int) -> str:
    plan = get_plan_or_404(plan_id)
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
    plan = get_plan_or_404(plan_id, need="edit")
    if (locked := locked_redirect(plan)) is not None:
        return locked
    form = PlanForm(obj=plan)
    if request.method == "GET":
        form.lock_version.data = str(plan.lock_version)
    if form.validate_on_submit() and run_service(
        lambda: services.update_plan(
            plan, _plan_data(form), actor=current_user, expected_version=form_version(form.lock_version)
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
    plan = get_plan_or_404(plan_id)
    require(permission_check(current_user, plan))
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


# Measure and step pages, and deadline extension pages (issue 10), live in their own modules.
from tracker.plans import assign_views, extension_views, measure_views  # noqa: E402, F401
