"""POST /plans/<id>/grid: the deadlines-and-units grid of a draft made from a proposal."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import exists, select
from sqlalchemy.orm import selectinload
from werkzeug import Response

from tracker.core.errors import DomainError, PermissionDenied
from tracker.core.forms import EmptyForm
from tracker.core.permissions import permission_required
from tracker.extensions import db
from tracker.orgs.queries import organization_units
from tracker.plans.access import get_plan_or_404
from tracker.plans.grid import GridRow, fill_grid, measures_missing_details
from tracker.plans.models import Measure, Plan

bp = Blueprint("plan_grid", __name__)


@bp.app_template_global("proposal_grid")
def proposal_grid(plan: Plan) -> dict[str, object] | None:
    """What the plan page's grid shows: for a draft holding measures from a proposal."""
    # Asked of every draft's page: a draft revised from a large plan holds thousands of
    # measures, so ask the database rather than load them all to find none from a proposal.
    if plan.state != "draft" or not _has_proposal_measures(plan):
        return None
    measures = list(
        db.session.scalars(
            select(Measure)
            .where(Measure.plan_id == plan.id, Measure.deleted_at.is_(None))
            .order_by(Measure.position, Measure.id)
            .options(selectinload(Measure.responsibles))
        )
    )
    return {
        "measures": measures,
        "missing": {m.id for m in measures_missing_details(measures)},
        "units": organization_units(plan.organization_id),
        "form": EmptyForm(),
    }


def _has_proposal_measures(plan: Plan) -> bool:
    """Whether a measure of the plan has content (only measures from a proposal have)."""
    with_content = exists().where(
        Measure.plan_id == plan.id,
        Measure.deleted_at.is_(None),
        Measure.content.is_not(None),
        Measure.content != "",
    )
    return bool(db.session.scalar(select(with_content)))


@bp.post("/plans/<int:plan_id>/grid")
@permission_required("plan.edit")
def save(plan_id: int) -> Response:
    plan = get_plan_or_404(plan_id, need="edit")
    if not EmptyForm().validate_on_submit():
        abort(400)
    rows = []
    for measure in plan.measures:
        unit = request.form.get(f"unit-{measure.id}", "")
        if unit and not unit.isdigit():
            abort(400)
        rows.append(
            GridRow(measure.id, request.form.get(f"deadline-{measure.id}", ""), int(unit) if unit else None)
        )
    try:
        changed = fill_grid(plan, rows, actor=current_user)
    except PermissionDenied:
        db.session.rollback()
        abort(403)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for("plans.show", plan_id=plan.id, _anchor="grid"))
    db.session.commit()
    flash(_("Deadlines and units saved for %(n)s measures.", n=changed), "success")
    return redirect(url_for("plans.show", plan_id=plan.id, _anchor="grid"))
