"""Inside the app: publishing a plan, withdrawing it, and choosing what of it is public."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug import Response

from tracker.core.forms import EmptyForm, to_choices
from tracker.core.permissions import permission_required
from tracker.core.web import run_service, run_when_confirmed
from tracker.extensions import db
from tracker.open import services
from tracker.open.forms import PublicationForm
from tracker.plans.models import Plan

bp = Blueprint("publishing", __name__)


def _load(plan_id: int) -> Plan:
    plan = db.get_or_404(Plan, plan_id)
    if not services.can_publish(current_user, plan):
        abort(403)
    return plan


@bp.route("/plans/<int:plan_id>/publication", methods=["GET", "POST"])
@permission_required("plan.publish")
def publication(plan_id: int) -> Response | str:
    plan = _load(plan_id)
    current = services.publication_of(plan)
    form = PublicationForm(obj=current) if current else PublicationForm(show_statuses=True, show_steps=True)
    plan_files = services.plan_files(plan)
    form.files.choices = to_choices((f.id, f.original_name) for f in plan_files)
    if not form.is_submitted():
        form.files.data = sorted(current.public_attachment_ids) if current else []
    if form.validate_on_submit():
        choices = services.PublicationChoices(
            show_statuses=form.show_statuses.data,
            show_steps=form.show_steps.data,
            show_evidence=form.show_evidence.data,
            attachment_ids=frozenset(form.files.data or []),
        )
        if run_service(lambda: services.set_choices(plan, choices, actor=current_user), _("Saved.")):
            return redirect(url_for("publishing.publication", plan_id=plan.id))
    return render_template(
        "open/publication.html",
        plan=plan,
        form=form,
        publication=current,
        plan_files={f.id: f for f in plan_files},
        is_publishable=services.is_publishable(plan),
        button_form=EmptyForm(),
    )


@bp.post("/plans/<int:plan_id>/publish")
@permission_required("plan.publish")
def publish(plan_id: int) -> Response:
    plan = _load(plan_id)
    run_when_confirmed(
        lambda: services.publish_plan(plan, actor=current_user),
        _("The plan is public: anyone can see it on the open data pages."),
    )
    return redirect(url_for("publishing.publication", plan_id=plan.id))


@bp.post("/plans/<int:plan_id>/unpublish")
@permission_required("plan.publish")
def unpublish(plan_id: int) -> Response:
    plan = _load(plan_id)
    run_when_confirmed(
        lambda: services.unpublish_plan(plan, actor=current_user),
        _("The plan is withdrawn from the open data pages."),
    )
    return redirect(url_for("publishing.publication", plan_id=plan.id))
