"""The search page: one box, filters, results from every plan the user may see."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from tracker.core.params import arg_page
from tracker.core.permissions import permission_required
from tracker.core.status import STATUS_LABELS, Status
from tracker.core.time import today
from tracker.extensions import db
from tracker.plans.access import visible_plans_query
from tracker.plans.models import Plan
from tracker.plans.queries import organization_units
from tracker.search.index import register_listeners
from tracker.search.queries import OPEN, filters_from_args, search

bp = Blueprint("search", __name__)
bp.record_once(lambda _state: register_listeners())

PAGE_SIZE = 50


def status_choices() -> list[tuple[str, Any]]:
    return [
        ("", _("All statuses")),
        (OPEN, _("Not done yet")),
        *((s.value, STATUS_LABELS[s]) for s in Status),
    ]


@bp.get("/search")
@permission_required("plan.view")
def index() -> str:
    filters = filters_from_args(request.args)
    page = arg_page()
    query = (request.args.get("q") or "").strip()[:200]
    result = search(current_user, query, filters, today(), limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    plans = db.session.execute(
        visible_plans_query(current_user).with_only_columns(Plan.id, Plan.title).order_by(Plan.title)
    ).all()
    return render_template(
        "search/index.html",
        result=result,
        filters=filters,
        page=page,
        # Only the ranked candidates can be paged through (docs/search.md, "Speed").
        pages=max((min(result.total, result.ranked or result.total) + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        plans=plans,
        units=organization_units(current_user.organization_id),
        status_choices=status_choices(),
        today=today(),
    )
