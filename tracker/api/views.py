"""JSON API v1: the same data and permissions as the pages.

Authenticated by the session cookie or by a personal token (``Authorization: Bearer …``).
Token requests carry no cookie, so CSRF does not apply to them; session requests that
change something must send the CSRF token (``X-CSRFToken``), as forms do.

The routes name their pydantic models (:func:`~tracker.api.openapi.documented`) and import them
where a body is read: pydantic and the ~50 models load with the first API request that needs
them, not in every process that builds the app (the CLI, the scheduler, a web worker serving
pages): ~10 % of a process's start and ~7 MiB of its memory (issue 17).
"""

from __future__ import annotations

from flask import abort, g, jsonify, request
from flask_login import current_user
from werkzeug import Response

from tracker.api.blueprint import bp
from tracker.api.bodies import BadBody, domain_error, error, parse_body
from tracker.api.openapi import documented, query_param
from tracker.api.serializers import measure_json, plan_summary, status_update_json
from tracker.auth.loaders import bearer_token, user_from_token
from tracker.core.errors import DomainError
from tracker.core.permissions import permission_required, public
from tracker.execution import files, services
from tracker.extensions import csrf, db
from tracker.plans.access import (
    get_measure_or_404,
    get_plan_or_404,
    get_step_or_404,
    visible_plans_query,
)
from tracker.plans.models import Measure, Plan, Step


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
    return error(status, message)


@bp.errorhandler(BadBody)
def _bad_body(exc: BadBody) -> tuple[Response, int]:
    db.session.rollback()
    return exc.response


@bp.get("/openapi.json")
@public
@documented(summary="This description (OpenAPI 3.1)", responses={200: "OpenApiDocument"}, tag="meta")
def openapi() -> Response:
    """The OpenAPI 3.1 description of this API (docs/api.md)."""
    from flask import current_app

    from tracker.api.openapi import build

    return jsonify(build(current_app))


@bp.get("/plans")
@permission_required("plan.view")
@documented(summary="The plans the caller may see", responses={200: "PlanList"}, tag="plans")
def plans() -> Response:
    query = visible_plans_query(current_user).order_by(Plan.id)
    return jsonify(plans=[plan_summary(p) for p in db.session.scalars(query)])


@bp.get("/plans/<int:plan_id>")
@permission_required("plan.view")
@documented(
    summary="One plan in the open-data format (docs/open-data.md)",
    responses={200: "OpenDataPlan"},
    query=[
        query_param("script", {"enum": ["cyrl", "latn"]}, "Write the text in this script"),
        query_param("as_of", {"type": "string", "format": "date"}, "Statuses as of this day"),
    ],
    tag="plans",
)
def plan_detail(plan_id: int) -> Response | tuple[Response, int]:
    """The plan in the open-data format (docs/open-data.md); ``?script=cyrl|latn&as_of=YYYY-MM-DD``."""
    from datetime import date

    from tracker.exports.data import SCRIPTS, plan_open_data

    item = get_plan_or_404(plan_id)
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
@documented(
    summary="A measure with its deadline, responsibles and steps",
    responses={200: "MeasureOut"},
    tag="plans",
)
def measure(measure_id: int) -> Response:
    item = get_measure_or_404(measure_id, live=True)
    return jsonify(measure_json(item))


def _submit(target: Measure | Step) -> tuple[Response, int]:
    from tracker.api import schemas  # pydantic on first use (module docstring)

    body = parse_body(schemas.StatusBody, allow_form=True)
    uploads = [
        files.IncomingFile(f.filename or "", f.read()) for f in request.files.getlist("files") if f.filename
    ]
    try:
        update = services.submit_status_update(
            target,
            status=body.status,
            note=body.note or "",
            actor=current_user,
            attachments=uploads,
            expected_version=body.lock_version,
            is_internal=body.is_internal,
        )
    except DomainError as exc:
        return domain_error(exc)
    db.session.commit()
    return jsonify(
        update=status_update_json(update), status=target.status, lock_version=target.lock_version
    ), 201


_STATUS_DOC = documented(
    summary="Report the status of a measure or a step (JSON, or multipart with evidence files)",
    body="StatusBody",
    multipart=True,
    responses={201: "StatusCreated", 409: "ErrorResponse"},
    tag="execution",
)


@bp.post("/measures/<int:measure_id>/status")
@permission_required("status.update")
@_STATUS_DOC
def measure_status(measure_id: int) -> tuple[Response, int]:
    item = get_measure_or_404(measure_id)
    return _submit(item)


@bp.post("/steps/<int:step_id>/status")
@permission_required("status.update")
@_STATUS_DOC
def step_status(step_id: int) -> tuple[Response, int]:
    step = get_step_or_404(step_id)
    return _submit(step)


@bp.get("/me")
@permission_required("plan.view")
@documented(summary="Who the caller is", responses={200: "Me"}, tag="auth")
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
@documented(
    summary="Measures and steps matching a query, best first",
    responses={200: "SearchResponse"},
    query=[
        query_param("q", {"type": "string", "maxLength": 200}, "Words in either script"),
        query_param("plan", {"type": "integer"}, "Only this plan"),
        query_param("unit", {"type": "integer"}, "Only this responsible unit"),
        query_param("status", {"type": "string"}, "A status, or open"),
        query_param("due_from", {"type": "string", "format": "date"}, "Due on or after"),
        query_param("due_to", {"type": "string", "format": "date"}, "Due on or before"),
        query_param("overdue", {"type": "string"}, "1: overdue only"),
        query_param("limit", {"type": "integer", "minimum": 1, "maximum": 200}, "At most this many"),
        query_param("offset", {"type": "integer", "minimum": 0}, "Skip this many"),
    ],
    tag="search",
)
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
# The deadline-extension (issue 10) and workflow (issue 11) routes join this blueprint.
from tracker.api import deadlines, workflow  # noqa: E402, F401, I001
