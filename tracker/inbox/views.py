"""The inbox: each person's first page, by role, with every count linking to its list."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug import Response

from tracker.core.permissions import Role, login_only, permission_required
from tracker.core.time import today
from tracker.core.web import run_service
from tracker.extensions import db
from tracker.inbox import queries, services
from tracker.inbox.forms import BulkReviewForm
from tracker.notifications.services import escalations_of
from tracker.notifications.text import describe_all
from tracker.orgs.models import Unit
from tracker.plans.access import visible_plans_query
from tracker.plans.models import Plan

bp = Blueprint("inbox", __name__)


def _int_arg(name: str, low: int = 0, high: int = 10**9) -> int | None:
    value = request.args.get(name, type=int)
    return value if value is not None and low <= value <= high else None


def review_filters() -> queries.ReviewFilters:
    return queries.ReviewFilters(
        plan_id=_int_arg("plan", 1), unit_id=_int_arg("unit", 1), min_age_days=_int_arg("age", 1, 3650)
    )


def inbox_data(user: Any, now: Any, filters: queries.ReviewFilters) -> dict[str, Any]:
    """Every section the user's roles call for (shared by the page and ``GET /api/v1/inbox``)."""
    data: dict[str, Any] = {}
    if user.unit_id is not None and (user.has_role(Role.EXECUTOR) or user.has_role(Role.UNIT_HEAD)):
        data["unit"] = {
            "due_soon": queries.due_soon(user, now),
            "overdue": queries.overdue_for_unit(user, now),
            "returned": queries.returned_to_unit(user),
            "waiting": queries.waiting_for_review_of_unit(user),
        }
    if user.has_permission("status.review"):
        data["controller"] = {
            "reviews": queries.claims_to_review(user, filters, now),
            "returned_plans": queries.plans_returned(user),
        }
    if user.has_permission("plan.approve"):
        data["director"] = {
            "awaiting": queries.plans_awaiting_approval(user),
            "escalations": escalations_of(user),
        }
    if "controller" in data or "director" in data:
        data["overdue_by_unit"] = queries.overdue_by_unit(user, now)
    return data


@bp.get("/inbox")
@login_only
def index() -> str:
    now = today()
    filters = review_filters()
    data = inbox_data(current_user, now, filters)
    extra: dict[str, Any] = {}
    if "controller" in data:
        extra["plans"] = list(db.session.scalars(visible_plans_query(current_user).order_by(Plan.title)))
        extra["units"] = list(
            db.session.scalars(
                select(Unit).where(Unit.organization_id == current_user.organization_id).order_by(Unit.name)
            )
        )
        extra["bulk_form"] = BulkReviewForm(formdata=None)
    if "director" in data:
        escalations = data["director"]["escalations"]
        extra["escalations"] = list(zip(escalations, describe_all(escalations), strict=True))
        # The change summary of a revision against its approved version (issue 10), when present.
        extra["changes_endpoint"] = next(
            (e for e in ("plans.revision_changes",) if e in current_app.view_functions), None
        )
    return render_template("inbox/index.html", data=data, filters=filters, today=now, **extra)


@bp.post("/inbox/reviews")
@permission_required("status.review")
def review_many() -> Response:
    form = BulkReviewForm()
    if form.validate_on_submit():
        decision = "return" if form.send_back.data else "accept"
        ids = form.update_ids.data or []
        message = (
            _("Accepted: %(n)s reports.", n=len(ids))
            if decision == "accept"
            else _("Returned: %(n)s reports.", n=len(ids))
        )
        run_service(
            lambda: services.review_many(
                ids, decision=decision, comment=form.comment.data, actor=current_user
            ),
            message,
        )
    return redirect(url_for("inbox.index", **request.args) + "#reviews")


@bp.get("/inbox/overdue")
@permission_required("plan.view")
def overdue() -> str:
    unit_id = _int_arg("unit", 0)
    offset = _int_arg("offset", 0) or 0
    items = queries.overdue_list(current_user, today(), unit_id, offset=offset)
    unit = db.session.get(Unit, unit_id) if unit_id else None
    if unit is not None and unit.organization_id != current_user.organization_id:
        unit = None
    return render_template("inbox/overdue.html", items=items, unit=unit, unit_id=unit_id, offset=offset)
