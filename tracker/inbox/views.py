"""The inbox: each person's first page, by role, with every count linking to its list."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug import Response

from tracker.core.drawn_rows import RowMemo
from tracker.core.permissions import login_only, permission_required
from tracker.core.time import today
from tracker.core.web import run_service
from tracker.extensions import db
from tracker.inbox import queries, services
from tracker.inbox.forms import BulkReviewForm
from tracker.inbox.links import RowLinks
from tracker.inbox.sections import inbox_data, int_arg, review_filters
from tracker.notifications.text import describe_all
from tracker.orgs.models import Unit
from tracker.orgs.queries import unit_names
from tracker.plans.access import visible_plans_query
from tracker.plans.models import Plan

bp = Blueprint("inbox", __name__)


@bp.get("/inbox")
@login_only
def index() -> str:
    now = today()
    filters = review_filters()
    data = inbox_data(current_user, now, filters)
    extra: dict[str, Any] = {}
    if "controller" in data:
        # Ids and titles for the filter, as plain rows (a controller may see hundreds of plans).
        extra["plans"] = db.session.execute(
            visible_plans_query(current_user).with_only_columns(Plan.id, Plan.title).order_by(Plan.title)
        ).all()
        extra["units"] = unit_names(current_user.organization_id, include_inactive=True)
        extra["bulk_form"] = BulkReviewForm(formdata=None)
        # The claims to review: each row shows how many days it waits, so the day is in its key.
        extra["claim_rows"] = RowMemo("inbox-claims", context=now)
    if "director" in data:
        escalations = data["director"]["escalations"]
        extra["escalations"] = list(zip(escalations, describe_all(escalations), strict=True))
        # The change summary of a revision against its approved version (issue 10), when present.
        extra["changes_endpoint"] = next(
            (e for e in ("plans.revision_changes",) if e in current_app.view_functions), None
        )
    return render_template(
        "inbox/index.html",
        data=data,
        filters=filters,
        today=now,
        links=RowLinks(),
        waiting_days=_waiting_days(),
        **extra,
    )


def _waiting_days() -> Callable[[int], str]:
    """The "waiting N days" of the review rows, translated once per distinct N (claims share ages)."""
    return functools.cache(lambda days: _("waiting %(n)s days", n=days))


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
    args: dict[str, Any] = request.args.to_dict()
    return redirect(url_for("inbox.index", **args) + "#reviews")


@bp.get("/inbox/overdue")
@permission_required("plan.view")
def overdue() -> str:
    unit_id = int_arg("unit", 0)
    offset = int_arg("offset", 0) or 0
    items = queries.overdue_list(current_user, today(), unit_id, offset=offset)
    unit = db.session.get(Unit, unit_id) if unit_id else None
    if unit is not None and unit.organization_id != current_user.organization_id:
        unit = None
    return render_template(
        "inbox/overdue.html", items=items, unit=unit, unit_id=unit_id, offset=offset, links=RowLinks()
    )
