"""Reporting progress, reviewing "done" claims and downloading evidence."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug import Response

from tracker.core.forms import EmptyForm, to_choices
from tracker.core.permissions import permission_required
from tracker.core.templating import show_date
from tracker.core.web import run_service
from tracker.core.xlsx import wants_xlsx, xlsx_download
from tracker.execution import files, services
from tracker.execution.forms import ReturnClaimForm, ReviewForm, StatusUpdateForm
from tracker.execution.models import Attachment, StatusUpdate
from tracker.extensions import db
from tracker.plans.access import can_review, can_update_status, can_view_plan
from tracker.plans.models import Measure, Step
from tracker.plans.views import load_measure, load_step

bp = Blueprint("execution", __name__)


def status_page(target: Measure | Step, *, periods: list[date] | None = None) -> Response | str:
    """The status form for a measure or step; with ``periods``, a report for one period of a
    recurring obligation (the reminders feature's period reports use this too)."""
    measure = target.measure if isinstance(target, Step) else target
    if not can_update_status(current_user, measure):
        abort(403)
    is_controller = current_user.has_permission("status.review")
    if not is_controller and services.pending_claim(target) is not None:
        # Nothing to fill in until the secretariat answers; the measure page offers to withdraw.
        flash(_("Your report that this item is done is waiting for review."), "info")
        return redirect(url_for("plans.measure", measure_id=measure.id))
    form = StatusUpdateForm()
    form.set_statuses(is_controller=is_controller)
    if periods is not None:
        form.period_due_on.choices = to_choices((d.isoformat(), show_date(d, "short")) for d in periods)
    if not form.is_submitted():
        form.status.data = target.status if target.status in {c.value for c in form.status.choices} else None
        form.lock_version.data = str(target.lock_version)
        wanted = request.args.get("on", "")
        if periods is not None and wanted in {d.isoformat() for d in periods}:
            form.period_due_on.data = wanted
    if form.validate_on_submit():
        period = _chosen_period(form, periods)
        if periods is not None and period is None:
            form.period_due_on.errors = [_("Choose the period the report is for.")]
        else:
            uploads = [
                files.IncomingFile(f.filename or "", f.read())
                for f in form.files.data or []
                if f and f.filename
            ]
            raw_version = form.lock_version.data or ""
            version = int(raw_version) if raw_version.isascii() and raw_version.isdigit() else None
            if period is not None:
                message = _("Your report for the period is saved.")
            elif form.status.data == "done_claimed":
                message = _("Your report is sent to the secretariat for review.")
            else:
                message = _("Your report is saved.")
            if run_service(
                lambda: services.submit_status_update(
                    target,
                    status=form.status.data,
                    note=form.note.data,
                    actor=current_user,
                    attachments=uploads,
                    expected_version=version,
                    period_due_on=period,
                    effective_on=form.effective_on.data,
                    effective_reason=form.effective_reason.data,
                    is_internal=bool(form.is_internal.data),
                ),
                message,
            ):
                return redirect(url_for("plans.measure", measure_id=measure.id))
    return render_template(
        "execution/status_form.html",
        form=form,
        target=target,
        measure=measure,
        step=target if isinstance(target, Step) else None,
        pending=services.pending_claim(target),
    )


def _chosen_period(form: StatusUpdateForm, periods: list[date] | None) -> date | None:
    if periods is None:
        return None
    try:
        chosen = date.fromisoformat(form.period_due_on.data or "")
    except ValueError:
        return None
    return chosen if chosen in periods else None


@bp.route("/measures/<int:measure_id>/status", methods=["GET", "POST"])
@permission_required("status.update")
def update_measure_status(measure_id: int) -> Response | str:
    return status_page(load_measure(measure_id))


@bp.route("/steps/<int:step_id>/status", methods=["GET", "POST"])
@permission_required("status.update")
def update_step_status(step_id: int) -> Response | str:
    return status_page(load_step(step_id))


def _load_update(update_id: int) -> StatusUpdate:
    update = db.get_or_404(StatusUpdate, update_id)
    if not can_review(current_user, update.measure.plan):
        abort(403)
    return update


@bp.get("/reviews")
@permission_required("status.review")
def reviews() -> str | Response:
    claims = services.claims_awaiting_review(current_user)
    if wants_xlsx(request.args):
        rows = [
            [
                u.measure.plan.title,
                f"{u.measure.number}.{u.step.number}" if u.step else u.measure.number,
                u.step.text if u.step else u.measure.title,
                u.note,
                u.author.name if u.author else "",
                show_date(u.created_at),
            ]
            for u in claims
        ]
        headers = [_("Plan"), "№", _("Measure"), _("Report"), _("From"), _("When")]
        return xlsx_download(_("Reports to review"), headers, rows, "reviews.xlsx")
    return render_template(
        "execution/reviews.html",
        claims=claims,
        accept_form=ReviewForm(formdata=None),
        return_form=ReturnClaimForm(formdata=None),
    )


@bp.post("/updates/<int:update_id>/accept")
@permission_required("status.review")
def accept(update_id: int) -> Response:
    update = _load_update(update_id)
    form = ReviewForm()
    if form.validate_on_submit():
        run_service(
            lambda: services.accept_claim(update, actor=current_user, comment=form.comment.data),
            _("Accepted: the item is done."),
        )
    return redirect(url_for("plans.measure", measure_id=update.measure_id))


@bp.post("/updates/<int:update_id>/return")
@permission_required("status.review")
def return_claim(update_id: int) -> Response:
    update = _load_update(update_id)
    form = ReturnClaimForm()
    if form.validate_on_submit():
        run_service(
            lambda: services.return_claim(update, actor=current_user, reason=form.reason.data),
            _("Returned to the unit with your reason."),
        )
    else:
        flash(_("Say why the report is returned."), "danger")
    return redirect(url_for("plans.measure", measure_id=update.measure_id))


@bp.post("/updates/<int:update_id>/withdraw")
@permission_required("status.update")
def withdraw_claim(update_id: int) -> Response:
    update = db.get_or_404(StatusUpdate, update_id)
    if not can_view_plan(current_user, update.measure.plan):
        abort(403)
    if EmptyForm().validate_on_submit():
        run_service(
            lambda: services.withdraw_claim(update, actor=current_user),
            _("Your report is withdrawn; you can send a new one."),
        )
    return redirect(url_for("plans.measure", measure_id=update.measure_id))


@bp.get("/attachments/<int:attachment_id>")
@permission_required("plan.view")
def download(attachment_id: int) -> Response:
    attachment = db.get_or_404(Attachment, attachment_id)
    if not can_view_plan(current_user, attachment.status_update.measure.plan):
        abort(403)
    path = files.storage_path(attachment.sha256)
    if not path.exists():
        abort(404)
    # Always a download, never rendered inline: the file came from a user.
    return send_file(
        path,
        mimetype=attachment.mime_type,
        as_attachment=True,
        download_name=attachment.original_name,
        max_age=0,
    )
