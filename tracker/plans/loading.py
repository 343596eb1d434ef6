"""The small helpers the plan, measure and step pages share (loading is
:func:`tracker.plans.access.get_plan_or_404` and its siblings)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from werkzeug import Response

from tracker.plans.models import Measure, Plan, PlanState
from tracker.plans.queries import PLAN_PAGE_SIZE, position_in_plan


def require(allowed: bool) -> None:
    if not allowed:
        abort(403)


def locked_redirect(plan: Plan) -> Response | None:
    """Before showing an edit form: a plan that is not a draft cannot change, so say so now."""
    if plan.is_editable:
        return None
    if plan.state == PlanState.APPROVED:
        flash(_("This plan is approved and locked. Start a new version to change it."), "warning")
    else:
        flash(_("This plan cannot be changed while it is %(state)s.", state=plan.state_label), "warning")
    return redirect(url_for("plans.show", plan_id=plan.id))


def form_version(form_field: Any) -> int | None:
    try:
        return int(form_field.data)
    except (TypeError, ValueError):
        return None


def next_number(numbers: list[str]) -> str:
    whole = [int(n) for n in numbers if n.isdigit()]
    return str(max(whole, default=0) + 1)


def measure_in_plan_url(measure: Measure) -> str:
    """The plan page that shows ``measure`` (the table is paged), scrolled to its row."""
    page = position_in_plan(measure) // PLAN_PAGE_SIZE + 1
    return url_for(
        "plans.show", plan_id=measure.plan_id, page=page if page > 1 else None, _anchor=f"m{measure.id}"
    )
