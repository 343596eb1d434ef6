"""The search page: one box, filters, results from every plan the user may see."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug import Response

from tracker.core.params import arg_page
from tracker.core.permissions import permission_required
from tracker.core.status import STATUS_LABELS, Status
from tracker.core.time import today
from tracker.core.xlsx import wants_xlsx, xlsx_download
from tracker.extensions import db
from tracker.orgs.queries import unit_names
from tracker.plans.access import visible_plans_query
from tracker.plans.models import Plan
from tracker.search.index import register_listeners
from tracker.search.queries import OPEN, Hit, filters_from_args, search

bp = Blueprint("search", __name__)
bp.record_once(lambda _state: register_listeners())

PAGE_SIZE = 50
#: The Excel download holds the ranked results, as far as the pages go.
XLSX_LIMIT = 1000


def status_choices() -> list[tuple[str, Any]]:
    return [
        ("", _("All statuses")),
        (OPEN, _("Not done yet")),
        *((s.value, STATUS_LABELS[s]) for s in Status),
    ]


def _results_xlsx(hits: list[Hit]) -> Response:
    kinds = {"measure": _("Measure"), "step": _("Step"), "note": _("Status note"), "plan": _("Plan")}
    rows = []
    for hit in hits:
        item = hit.item
        number = (
            (f"{hit.measure.number}.{hit.step.number}" if hit.step else hit.measure.number)
            if hit.measure
            else ""
        )
        text = (
            hit.note.note
            if hit.note
            else (hit.step.text if hit.step else (hit.measure.title if hit.measure else ""))
        )
        rows.append(
            [
                str(kinds.get(hit.kind, hit.kind)),
                hit.plan.title,
                number,
                text,
                str(STATUS_LABELS[Status(item.status)]) if item is not None else "",
                item.due_on if item is not None else None,
            ]
        )
    headers = [_("Kind"), _("Plan"), "№", _("Text"), _("Status"), _("Deadline")]
    return xlsx_download(_("Search"), headers, rows, "search.xlsx")


@bp.get("/search")
@permission_required("plan.view")
def index() -> str | Response:
    filters = filters_from_args(request.args)
    page = arg_page()
    query = (request.args.get("q") or "").strip()[:200]
    if wants_xlsx(request.args):
        everything = search(current_user, query, filters, today(), limit=XLSX_LIMIT, offset=0)
        return _results_xlsx(everything.hits)
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
        units=unit_names(current_user.organization_id),
        status_choices=status_choices(),
        today=today(),
    )
