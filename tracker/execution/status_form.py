"""The status form of a measure or step: the page where a unit reports progress.

Shared by the execution views and by the reminders' period reports of a recurring obligation
(so it is not in :mod:`tracker.execution.views`: a feature never imports another's views).
"""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug import Response

from tracker.core.forms import to_choices
from tracker.core.templating import show_date
from tracker.core.web import run_service
from tracker.execution import files, services
from tracker.execution.forms import StatusUpdateForm
from tracker.plans.access import can_update_status
from tracker.plans.models import Measure, Step


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
            message = _saved_message(period, form.status.data)
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


def _saved_message(period: date | None, status: str) -> str:
    if period is not None:
        return _("Your report for the period is saved.")
    if status == "done_claimed":
        return _("Your report is sent to the secretariat for review.")
    return _("Your report is saved.")


def _chosen_period(form: StatusUpdateForm, periods: list[date] | None) -> date | None:
    if periods is None:
        return None
    try:
        chosen = date.fromisoformat(form.period_due_on.data or "")
    except ValueError:
        return None
    return chosen if chosen in periods else None
