"""Report pages: the form, the PDF itself, the organization summary, and background jobs."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from tracker.core.errors import PermissionDenied
from tracker.core.permissions import permission_required
from tracker.core.time import today
from tracker.core.transaction import after_commit
from tracker.extensions import db
from tracker.orgs.queries import unit_names
from tracker.plans.access import get_plan_or_404
from tracker.plans.models import Plan
from tracker.reports import jobs, prebuild, services
from tracker.reports.data import ReportOptions
from tracker.reports.forms import ReportForm
from tracker.reports.models import ReportJob, ReportKind
from tracker.reports.render import prepare_helpers, print_lines, print_text

bp = Blueprint("reports", __name__)
# reports listen to plan changes (the pre-built report) once the app registers the blueprint
bp.record_once(lambda state: prebuild.connect())


@bp.app_template_filter("print_text")
def _print_text(value: str | None) -> Any:
    return print_text(value)


@bp.app_template_filter("print_lines")
def _print_lines(values: list[str]) -> Any:
    return print_lines(values)


# -- helpers ---------------------------------------------------------------------------------------


def _form(organization_id: int) -> ReportForm:
    args = MultiDict(request.args)
    if not args.get("as_of"):
        args["as_of"] = today().isoformat()
    form = ReportForm(args)
    form.set_choices([(u.id, u.name) for u in unit_names(organization_id)])
    return form


def _options(form: ReportForm) -> ReportOptions:
    as_of: date = form.as_of.data
    return ReportOptions(
        as_of=as_of,
        script=form.script.data,
        unit_id=form.unit.data or None,
        status=form.status.data or None,
        columns=tuple(form.columns.data or ()),
        include_pending=bool(form.include_pending.data),
    )


def _deliver(report: services.ReportRequest) -> ResponseReturnValue:
    """The PDF now (from the cache if there), or, for a large report, a background job and its
    progress page."""
    if services.is_large(report):
        cached = services.cached_report(report)
        if cached is not None:
            return _pdf_response(cached, report.filename())
        try:
            job = services.queue_report(report, actor=current_user)
        except PermissionDenied:
            abort(403)
        job_id = job.id
        after_commit(lambda: jobs.start(job_id))  # the worker must see the committed row
        return redirect(url_for("reports.job", job_id=job.id), code=303)
    return _pdf_response(services.build_report(report), report.filename())


def _pdf_response(result: services.ReportFile, filename: str) -> ResponseReturnValue:
    response = Response(result.path.read_bytes(), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-cache"
    # "hit": served from the content-keyed cache, nothing was laid out for this request
    response.headers["X-Report-Cache"] = "hit" if result.is_cached else "miss"
    response.set_etag(result.key)
    return response.make_conditional(request)


def _form_page(report_form: ReportForm, plan: Plan | None) -> str:
    """The report form of a plan, or of the organization summary (``plan`` None: its viewers
    were checked by the route, so they may see the summary)."""
    if plan is None:
        action, can_see_summary = url_for("reports.summary_pdf"), True
    else:
        action = url_for("reports.plan_pdf", plan_id=plan.id)
        can_see_summary = services.can_view_organization_summary(current_user)
    return render_template(
        "reports/form.html",
        form=report_form,
        plan=plan,
        action=action,
        can_see_summary=can_see_summary,
        threshold=services.background_threshold(),
    )


# -- routes ----------------------------------------------------------------------------------------


@bp.get("/plans/<int:plan_id>/report")
@permission_required("plan.view")
def form(plan_id: int) -> str:
    plan = get_plan_or_404(plan_id)
    prepare_helpers()  # warm by the time the PDF is asked for
    return _form_page(_form(plan.organization_id), plan)


@bp.get("/plans/<int:plan_id>/report.pdf")
@permission_required("plan.view")
def plan_pdf(plan_id: int) -> ResponseReturnValue:
    plan = get_plan_or_404(plan_id)
    report_form = _form(plan.organization_id)
    if not report_form.validate():
        return _form_page(report_form, plan), 400
    report = services.ReportRequest(
        ReportKind(report_form.kind.data), plan.organization_id, plan.id, _options(report_form)
    )
    return _deliver(report)


@bp.get("/reports/summary")
@permission_required("plan.view")
def summary_form() -> str:
    if not services.can_view_organization_summary(current_user):
        abort(403)
    return _form_page(_form(current_user.organization_id), None)


@bp.get("/reports/summary.pdf")
@permission_required("plan.view")
def summary_pdf() -> ResponseReturnValue:
    if not services.can_view_organization_summary(current_user):
        abort(403)
    report_form = _form(current_user.organization_id)
    report_form.kind.data = ReportKind.SUMMARY.value
    if not report_form.validate():
        return _form_page(report_form, None), 400
    report = services.ReportRequest(
        ReportKind.SUMMARY, current_user.organization_id, None, _options(report_form)
    )
    return _deliver(report)


def load_job(job_id: int) -> ReportJob:
    job = db.get_or_404(ReportJob, job_id)
    if not services.can_view_report(current_user, services.request_from_job(job)):
        abort(403)
    return job


@bp.get("/reports/jobs/<int:job_id>")
@permission_required("plan.view")
def job(job_id: int) -> Response:
    report_job = load_job(job_id)
    # the page follows the job by long polling (tracker.js, "report job" section), not by reloading
    return Response(
        render_template(
            "reports/job.html",
            job=report_job,
            plan=report_job.plan,
            is_ready=services.job_file(report_job) is not None,
        )
    )


#: How long a waiting page's request is held before it answers "no change" (and asks again).
DEFAULT_WAIT_SECONDS = 20


def _seen() -> tuple[str, int]:
    """The state and progress the page shows: ``?seen=running:45`` (anything else: nothing seen)."""
    state, _sep, progress = request.args.get("seen", "").partition(":")
    return state, int(progress) if progress.isdigit() and len(progress) <= 3 else -1


@bp.get("/reports/jobs/<int:job_id>/wait")
@permission_required("plan.view")
def wait(job_id: int) -> Response:
    """The job's state as JSON as soon as it differs from ``seen`` (long polling, for the job page)."""
    load_job(job_id)
    seconds = float(current_app.config.get("REPORTS_WAIT_SECONDS", DEFAULT_WAIT_SECONDS))
    report_job = jobs.wait_for_change(job_id, _seen(), seconds)
    if report_job is None:
        abort(404)
    is_ready = services.job_file(report_job) is not None
    response = jsonify(
        state=str(report_job.state),
        progress=report_job.progress,
        finished=report_job.is_finished,
        download=url_for("reports.download", job_id=job_id) if is_ready else None,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/reports/jobs/<int:job_id>/download")
@permission_required("plan.view")
def download(job_id: int) -> ResponseReturnValue:
    report_job = load_job(job_id)
    path = services.job_file(report_job)
    if path is None:
        abort(404, _("This report is not ready."))
    report = services.request_from_job(report_job)
    result = services.ReportFile(path, report_job.result_hash or "", is_cached=True)
    return _pdf_response(result, report.filename())
