"""The compliance view of a plan of standing obligations, and the report of one period."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug import Response

from tracker.core.forms import to_choices
from tracker.core.permissions import permission_required
from tracker.core.time import today
from tracker.core.web import run_service
from tracker.execution import files
from tracker.extensions import db
from tracker.obligations import services
from tracker.obligations.compliance import compliance_view
from tracker.obligations.forms import DutyForm, PeriodReportForm
from tracker.obligations.models import COMPLIANCE_LABELS, ObligationPeriod
from tracker.obligations.services import FREQUENCY_LABELS
from tracker.orgs.queries import unit_names
from tracker.plans.access import can_update_status, can_view_plan, get_plan_or_404
from tracker.plans.models import PlanKind

bp = Blueprint("obligations", __name__)


@bp.get("/plans/<int:plan_id>/compliance")
@permission_required("plan.view")
def compliance(plan_id: int) -> str:
    plan = get_plan_or_404(plan_id)
    if plan.kind != PlanKind.OBLIGATIONS:
        abort(404)
    day = today()
    return render_template(
        "obligations/compliance.html",
        plan=plan,
        view=compliance_view(plan, day),
        labels=COMPLIANCE_LABELS,
        today=day,
    )


@bp.route("/plans/<int:plan_id>/duties/new", methods=["GET", "POST"])
@permission_required("plan.edit")
def new_duty(plan_id: int) -> str | Response:
    plan = get_plan_or_404(plan_id, need="edit")
    if plan.kind != PlanKind.OBLIGATIONS:
        abort(404)
    form = DutyForm()
    form.frequency.choices = to_choices((f.value, label) for f, label in FREQUENCY_LABELS.items())
    form.lead_unit.choices = to_choices(
        [(0, "—"), *((u.id, u.name) for u in unit_names(plan.organization_id))]
    )
    if form.validate_on_submit():
        data = services.DutyData(
            number=form.number.data,
            title=form.title.data,
            deadline_text=form.deadline_text.data,
            frequency=services.Frequency(form.frequency.data),
            starts_on=form.starts_on.data,
            month=form.month.data,
            day=form.day.data,
            lead_unit_id=form.lead_unit.data or None,
            checklist=(form.checklist.data or "").splitlines(),
        )

        def create() -> None:
            services.add_duty(plan, data, actor=current_user)
            services.ensure_periods(today(), plan)

        if run_service(create, _("The duty is added; its periods are generated.")):
            return redirect(url_for("plans.show", plan_id=plan.id))
    return render_template("obligations/duty_form.html", form=form, plan=plan)


@bp.route("/obligations/periods/<int:period_id>/report", methods=["GET", "POST"])
@permission_required("status.update")
def report(period_id: int) -> str | Response:
    period = db.get_or_404(ObligationPeriod, period_id)
    measure = period.measure
    if not can_view_plan(current_user, measure.plan) or not can_update_status(current_user, measure):
        abort(403)
    checklist = services.checklist_of(measure)
    form = PeriodReportForm()
    form.checked.choices = [(item.id, item.label) for item in checklist]
    if not form.is_submitted():
        form.reported_on.data = min(today(), period.due_on)
    if period.reported_on is None and form.validate_on_submit():
        data = services.PeriodReport(
            reported_on=form.reported_on.data,
            note=form.note.data,
            evidence_url=form.evidence_url.data or None,
            letter_number=form.letter_number.data or None,
            checked_item_ids=list(form.checked.data or []),
            attachments=[
                files.IncomingFile(f.filename or "", f.read())
                for f in form.files.data or []
                if f and f.filename
            ],
        )
        if run_service(
            lambda: services.report_period(period, data, actor=current_user, today=today()),
            _("The report for the period is saved."),
        ):
            return redirect(
                url_for("obligations.compliance", plan_id=measure.plan_id, _anchor=f"d{measure.id}")
            )
    return render_template(
        "obligations/report.html",
        form=form,
        period=period,
        measure=measure,
        checklist=checklist,
        state=COMPLIANCE_LABELS[period.compliance(today())],
    )
