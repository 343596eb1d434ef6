"""Reporting progress, reviewing "done" claims and downloading evidence."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug import Response

from tracker.core.drawn_rows import RowMemo
from tracker.core.links import id_url
from tracker.core.permissions import permission_required
from tracker.core.templating import show_date
from tracker.core.web import run_service, run_when_confirmed
from tracker.core.xlsx import wants_xlsx, xlsx_download
from tracker.execution import files, services
from tracker.execution.access import get_update_or_404
from tracker.execution.forms import ReturnClaimForm, ReviewForm
from tracker.execution.models import Attachment, StatusUpdate
from tracker.execution.status_form import status_page
from tracker.extensions import db
from tracker.plans.access import (
    can_review,
    can_view_plan,
    get_measure_or_404,
    get_step_or_404,
)

bp = Blueprint("execution", __name__)


@bp.route("/measures/<int:measure_id>/status", methods=["GET", "POST"])
@permission_required("status.update")
def update_measure_status(measure_id: int) -> Response | str:
    return status_page(get_measure_or_404(measure_id))


@bp.route("/steps/<int:step_id>/status", methods=["GET", "POST"])
@permission_required("status.update")
def update_step_status(step_id: int) -> Response | str:
    return status_page(get_step_or_404(step_id))


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
                u.plan_title,
                f"{u.measure_number}.{u.step_number}" if u.step_id else u.measure_number,
                u.item_text,
                u.note,
                u.author_name or "",
                show_date(u.created_at),
            ]
            for u in claims
        ]
        headers = [_("Plan"), "№", _("Measure"), _("Report"), _("From"), _("When")]
        return xlsx_download(_("Reports to review"), headers, rows, "reviews.xlsx")
    return render_template(
        "execution/reviews.html",
        claims=claims,
        rows=RowMemo("reviews"),
        measure_url=id_url("plans.measure", "measure_id"),
        accept_form=ReviewForm(formdata=None),
        return_form=ReturnClaimForm(formdata=None),
    )


def _decided(
    update: StatusUpdate, form: FlaskForm, decide: Callable[[], object], success: str, invalid: str = ""
) -> Response:
    """A review decision from its form, then back to the measure page (``invalid``: what to say
    when the form does not validate)."""
    if form.validate_on_submit():
        run_service(decide, success)
    elif invalid:
        flash(invalid, "danger")
    return redirect(url_for("plans.measure", measure_id=update.measure_id))


@bp.post("/updates/<int:update_id>/accept")
@permission_required("status.review")
def accept(update_id: int) -> Response:
    update = _load_update(update_id)
    form = ReviewForm()
    return _decided(
        update,
        form,
        lambda: services.accept_claim(update, actor=current_user, comment=form.comment.data),
        _("Accepted: the item is done."),
    )


@bp.post("/updates/<int:update_id>/return")
@permission_required("status.review")
def return_claim(update_id: int) -> Response:
    update = _load_update(update_id)
    form = ReturnClaimForm()
    return _decided(
        update,
        form,
        lambda: services.return_claim(update, actor=current_user, reason=form.reason.data),
        _("Returned to the unit with your reason."),
        invalid=_("Say why the report is returned."),
    )


@bp.post("/updates/<int:update_id>/withdraw")
@permission_required("status.update")
def withdraw_claim(update_id: int) -> Response:
    update = get_update_or_404(update_id)
    run_when_confirmed(
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
    return files.send_attachment(attachment)
