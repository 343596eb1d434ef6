"""JSON API v1: the same data and permissions as the pages.

Authenticated by the session cookie or by a personal token (``Authorization: Bearer …``).
Token requests carry no cookie, so CSRF does not apply to them; session requests that
change something must send the CSRF token (``X-CSRFToken``), as forms do.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g, jsonify, request
from flask_login import current_user
from sqlalchemy.orm import selectinload
from werkzeug import Response

from tracker.api.serializers import measure_json, plan_summary, status_update_json
from tracker.auth.loaders import bearer_token, user_from_token
from tracker.core.errors import DomainError, InvalidTransition, PermissionDenied, StaleEdit
from tracker.core.permissions import permission_required
from tracker.core.status import Status
from tracker.execution import files, services
from tracker.extensions import csrf, db
from tracker.plans.access import can_view_plan, visible_plans_query
from tracker.plans.models import Measure, Plan, Step

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.before_request
def _authenticate() -> None:
    """A bearer token, when sent, alone decides who the caller is, and needs no CSRF token.

    The token must not merely sit beside a session cookie: a browser with a session and a
    bogus header would otherwise skip the CSRF check.
    """
    if bearer_token(request) is not None:
        user = user_from_token(request)
        if user is None:
            abort(401)
        g._login_user = user  # Flask-Login's per-request user; the session is left alone
        return
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        if not current_user.is_authenticated:
            abort(401)  # a script that forgot its token should hear so, not about CSRF
        csrf.protect()


def _error(status: int, message: str) -> tuple[Response, int]:
    return jsonify(error={"code": status, "message": message}), status


@bp.get("/plans")
@permission_required("plan.view")
def plans() -> Response:
    query = visible_plans_query(current_user).order_by(Plan.id)
    return jsonify(plans=[plan_summary(p) for p in db.session.scalars(query)])


@bp.get("/plans/<int:plan_id>")
@permission_required("plan.view")
def plan_detail(plan_id: int) -> Response | tuple[Response, int]:
    """The plan in the open-data format (docs/open-data.md); ``?script=cyrl|latn&as_of=YYYY-MM-DD``."""
    from datetime import date

    from tracker.exports.data import SCRIPTS, plan_open_data

    item = db.get_or_404(Plan, plan_id)
    if not can_view_plan(current_user, item):
        abort(403)
    script = request.args.get("script") or None
    if script is not None and script not in SCRIPTS:
        return _error(400, "script must be one of: " + ", ".join(SCRIPTS))
    as_of = None
    if request.args.get("as_of"):
        try:
            as_of = date.fromisoformat(request.args["as_of"])
        except ValueError:
            return _error(400, "as_of must be a date written YYYY-MM-DD")
    return jsonify(plan_open_data(item, script=script, as_of=as_of))


@bp.get("/measures/<int:measure_id>")
@permission_required("plan.view")
def measure(measure_id: int) -> Response:
    item = db.get_or_404(Measure, measure_id, options=[selectinload(Measure.steps)])
    if not can_view_plan(current_user, item.plan) or item.deleted_at is not None:
        abort(403 if item.deleted_at is None else 404)
    return jsonify(measure_json(item))


def _submit(target: Measure | Step) -> tuple[Response, int]:
    payload: Any = request.get_json(silent=True) or request.form.to_dict()
    if not isinstance(payload, dict):  # interim guard until the typed bodies (issue 11) land
        return _error(400, "the body must be a JSON object")
    status = payload.get("status")
    if not isinstance(status, str) or status not in set(Status):
        return _error(400, "status must be one of: " + ", ".join(s.value for s in Status))
    version = payload.get("lock_version")
    if version is not None and not (
        str(version).isascii() and str(version).isdigit() and len(str(version)) < 10
    ):
        return _error(400, "lock_version must be a whole number")
    uploads = [
        files.IncomingFile(f.filename or "", f.read()) for f in request.files.getlist("files") if f.filename
    ]
    try:
        update = services.submit_status_update(
            target,
            status=Status(status),
            note=str(payload.get("note") or ""),
            actor=current_user,
            attachments=uploads,
            expected_version=int(version) if version is not None else None,
        )
    except PermissionDenied as error:
        db.session.rollback()
        return _error(403, error.message)
    except (InvalidTransition, StaleEdit) as error:
        db.session.rollback()
        return _error(409, error.message)
    except DomainError as error:
        db.session.rollback()
        return _error(400, error.message)
    db.session.commit()
    return jsonify(
        update=status_update_json(update), status=target.status, lock_version=target.lock_version
    ), 201


@bp.post("/measures/<int:measure_id>/status")
@permission_required("status.update")
def measure_status(measure_id: int) -> tuple[Response, int]:
    item = db.get_or_404(Measure, measure_id)
    if not can_view_plan(current_user, item.plan):
        abort(403)
    return _submit(item)


@bp.post("/steps/<int:step_id>/status")
@permission_required("status.update")
def step_status(step_id: int) -> tuple[Response, int]:
    step = db.get_or_404(Step, step_id)
    if not can_view_plan(current_user, step.measure.plan):
        abort(403)
    return _submit(step)


@bp.get("/me")
@permission_required("plan.view")
def me() -> Response:
    return jsonify(
        id=current_user.id,
        email=current_user.email,
        name=current_user.name,
        roles=sorted(current_user.roles),
        unit_id=current_user.unit_id,
        organization_id=current_user.organization_id,
        authenticated_by_token=bool(g.get("authenticated_by_token")),
    )


# -- search (issue 7; the rules live in tracker/search/queries.py) --------------------------------


@bp.get("/search")
@permission_required("plan.view")
def search() -> Response:
    """Measures and steps matching ``q`` (any script), best first; filters as on the search page."""
    from tracker.core.time import today
    from tracker.search.models import EntryKind
    from tracker.search.queries import filters_from_args
    from tracker.search.queries import search as run_search

    limit = min(max(request.args.get("limit", 50, type=int) or 50, 1), 200)
    offset = max(request.args.get("offset", 0, type=int) or 0, 0)
    result = run_search(
        current_user,
        (request.args.get("q") or "")[:200],
        filters_from_args(request.args),
        today(),
        kinds=frozenset({EntryKind.MEASURE, EntryKind.STEP}),
        limit=limit,
        offset=offset,
    )
    items = []
    for hit in result.hits:
        item = hit.item
        if item is None or hit.measure is None:
            continue
        items.append(
            {
                "kind": str(hit.kind),
                "id": item.id,
                "plan_id": hit.plan.id,
                "measure_id": hit.measure.id,
                "number": hit.measure.number
                if hit.step is None
                else f"{hit.measure.number}.{hit.step.number}",
                "title": hit.measure.title if hit.step is None else hit.step.text,
                "status": str(item.status),
                "due_on": item.due_on.isoformat() if item.due_on else None,
                "overdue": item.is_overdue,
            }
        )
    return jsonify(query=result.query, tokens=result.tokens, total=result.total, results=items)


# Deadline extensions (issue 10) live in their own module on this blueprint.
from tracker.api import deadlines  # noqa: E402, F401
