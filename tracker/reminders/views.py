"""Period reports, the reminder panel of the measure page, and the admin pages."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from werkzeug import Response

from tracker.core.permissions import permission_required
from tracker.core.time import today, utcnow
from tracker.core.web import run_service
from tracker.extensions import db
from tracker.plans.access import can_update_status
from tracker.plans.access import get_measure_or_404 as load_measure
from tracker.plans.access import get_step_or_404 as load_step
from tracker.plans.models import Measure, Step
from tracker.reminders import compliance, outbox, settings
from tracker.reminders.forms import HolidayForm, PolicyForm
from tracker.reminders.models import (
    EMAIL_STATE_LABELS,
    REMINDER_KIND_LABELS,
    EmailState,
    Holiday,
    OutboundEmail,
    Reminder,
)
from tracker.reminders.policy import DEFAULT_RULES, is_periodic

bp = Blueprint("reminders", __name__)


def _period_labels() -> dict[str, str]:
    return {
        "on_time": _("Reported on time"),
        "late": _("Reported late"),
        "missing": _("Not reported"),
        "due": _("Due soon"),
        "upcoming": _("Upcoming"),
    }


@bp.app_template_global("reminder_panel")
def reminder_panel(measure: Measure) -> dict[str, Any]:
    """What the measure page shows: each periodic obligation's occurrences and their compliance."""
    now = today()
    rows = []
    targets: list[Measure | Step] = [measure, *measure.steps]
    for target in targets:
        if not is_periodic(target.deadline_kind):
            continue
        rows.append(
            {
                "step": target if isinstance(target, Step) else None,
                "periods": compliance.period_compliance(target, now),
                "can_report": can_update_status(current_user, measure),
            }
        )
    return {"rows": rows, "labels": _period_labels(), "today": now}


# -- reports for one period of a recurring obligation --------------------------------------------


def _period_report(target: Measure | Step) -> Response | str:
    """A report for one period of a recurring obligation: the status form, with the period to pick."""
    from tracker.execution.status_form import status_page

    if not is_periodic(target.deadline_kind):
        abort(404)
    return status_page(target, periods=compliance.occurrences_of(target, today()))


@bp.route("/measures/<int:measure_id>/period-report", methods=["GET", "POST"])
@permission_required("status.update")
def measure_period_report(measure_id: int) -> Response | str:
    return _period_report(load_measure(measure_id))


@bp.route("/steps/<int:step_id>/period-report", methods=["GET", "POST"])
@permission_required("status.update")
def step_period_report(step_id: int) -> Response | str:
    return _period_report(load_step(step_id))


# -- administration -----------------------------------------------------------------------------


@bp.route("/admin/reminders/policy", methods=["GET", "POST"])
@permission_required("admin.manage")
def policy() -> Response | str:
    organization = current_user.organization
    current = settings.policy_for(organization.id)
    form = PolicyForm()
    if not form.is_submitted():
        rules = settings.rules_of(current) if current else DEFAULT_RULES
        form.days_before.data = ", ".join(str(d) for d in rules.days_before)
        form.remind_on_due_day.data = rules.remind_on_due_day
        form.overdue_every_days.data = rules.overdue_every_days
        form.escalate_head_after_days.data = rules.escalate_head_after_days
        form.escalate_director_after_days.data = rules.escalate_director_after_days
        form.continuous_period.data = rules.continuous_period.value
    if form.validate_on_submit():
        data = settings.PolicyData(
            days_before=form.days_before.data,
            remind_on_due_day=bool(form.remind_on_due_day.data),
            overdue_every_days=form.overdue_every_days.data,
            escalate_head_after_days=form.escalate_head_after_days.data or 0,
            escalate_director_after_days=form.escalate_director_after_days.data or 0,
            continuous_period=form.continuous_period.data,
        )
        if run_service(
            lambda: settings.save_policy(organization, data, actor=current_user),
            _("The reminder policy is saved."),
        ):
            return redirect(url_for("reminders.policy"))
    return render_template("reminders/policy.html", form=form, policy=current)


@bp.route("/admin/reminders/holidays", methods=["GET", "POST"])
@permission_required("admin.manage")
def holidays() -> Response | str:
    organization = current_user.organization
    form = HolidayForm()
    if form.validate_on_submit():
        if run_service(
            lambda: settings.add_holiday(organization, form.day.data, form.name.data, actor=current_user),
            _("The holiday is added."),
        ):
            return redirect(url_for("reminders.holidays"))
    return render_template(
        "reminders/holidays.html", form=form, holidays=settings.holidays_of(organization.id)
    )


#: The administered rows that belong to one organization.
OwnRow = TypeVar("OwnRow", Holiday, OutboundEmail)


def _load_own(model: type[OwnRow], row_id: int) -> OwnRow:
    """The row, or 404; 403 when it belongs to another organization than the admin's."""
    row = db.get_or_404(model, row_id)
    if row.organization_id != current_user.organization_id:
        abort(403)
    return row


@bp.post("/admin/reminders/holidays/<int:holiday_id>/delete")
@permission_required("admin.manage")
def delete_holiday(holiday_id: int) -> Response:
    holiday = _load_own(Holiday, holiday_id)
    run_service(lambda: settings.remove_holiday(holiday, actor=current_user), _("The holiday is removed."))
    return redirect(url_for("reminders.holidays"))


DELIVERIES_PAGE = 200


@bp.get("/admin/reminders/deliveries")
@permission_required("admin.manage")
def deliveries() -> str:
    org_id = current_user.organization_id
    state = request.args.get("state") or None
    emails_query = (
        select(OutboundEmail)
        .where(OutboundEmail.organization_id == org_id)
        .options(selectinload(OutboundEmail.attempts_log), selectinload(OutboundEmail.reminders))
        .order_by(OutboundEmail.created_at.desc(), OutboundEmail.id.desc())
        .limit(DELIVERIES_PAGE)
    )
    if state in {s.value for s in EmailState}:
        emails_query = emails_query.where(OutboundEmail.state == state)
    counts = dict(
        db.session.execute(
            select(OutboundEmail.state, func.count(OutboundEmail.id))
            .where(OutboundEmail.organization_id == org_id)
            .group_by(OutboundEmail.state)
        ).all()
    )
    reminders = db.session.scalars(
        select(Reminder)
        .where(Reminder.organization_id == org_id)
        .options(selectinload(Reminder.measure), selectinload(Reminder.step))
        .order_by(Reminder.created_at.desc(), Reminder.id.desc())
        .limit(DELIVERIES_PAGE)
    ).all()
    return render_template(
        "reminders/deliveries.html",
        emails=db.session.scalars(emails_query).all(),
        reminders=reminders,
        counts=counts,
        states=list(EmailState),
        state=state,
        now=utcnow(),
        EMAIL_STATE_LABELS=EMAIL_STATE_LABELS,
        REMINDER_KIND_LABELS=REMINDER_KIND_LABELS,
    )


@bp.post("/admin/reminders/emails/<int:email_id>/retry")
@permission_required("admin.manage")
def retry_email(email_id: int) -> Response:
    email = _load_own(OutboundEmail, email_id)
    run_service(lambda: outbox.requeue(email, actor=current_user), _("The message will be sent again."))
    return redirect(url_for("reminders.deliveries"))
