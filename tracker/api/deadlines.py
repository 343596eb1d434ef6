"""Deadline extensions over the API, on the ``api`` blueprint (routes of :mod:`tracker.api.views`).

``POST /api/v1/measures/<id>/deadline`` and ``POST /api/v1/steps/<id>/deadline`` with JSON
``{"deadline_text", "effective_on" (YYYY-MM-DD, default today), "reason", "basis"}``:

- 201 with the extension when it is in force at once (the caller decides extensions: the
  secretariat, or the director where the organization's policy says so);
- 202 when it waits for a decision (a department responsible for the item asked);
- 403 outside the caller's rights, 400 for bad input, 409 when the plan is not approved.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_login import current_user
from werkzeug import Response

from tracker.api.blueprint import bp
from tracker.api.bodies import domain_error, parse_body
from tracker.api.openapi import documented
from tracker.core.errors import DomainError
from tracker.core.permissions import permission_required
from tracker.plans import extensions
from tracker.plans.access import get_measure_or_404, get_step_or_404
from tracker.plans.models import Measure, Step
from tracker.plans.records import DeadlineExtension, ExtensionState


def extension_json(extension: DeadlineExtension) -> dict[str, Any]:
    return {
        "id": extension.id,
        "measure_id": extension.measure_id,
        "step_id": extension.step_id,
        "state": str(extension.state),
        "from": extension.old_deadline,
        "deadline_text": extension.deadline_text,
        "effective_on": extension.effective_on.isoformat(),
        "reason": extension.reason,
        "basis": extension.basis,
    }


def _submit(target: Measure | Step) -> Response | tuple[Response, int]:
    from tracker.api import workflow_schemas  # pydantic on first use (tracker.api.views)

    body = parse_body(workflow_schemas.DeadlineBody)
    data = extensions.ExtensionData(
        deadline_text=body.deadline_text,
        reason=body.reason,
        basis=body.basis or None,
        effective_on=body.effective_on,
    )
    try:
        extension = extensions.submit_deadline(target, data, actor=current_user)
    except DomainError as exc:
        return domain_error(exc)
    in_force = extension.state != ExtensionState.REQUESTED
    return jsonify(
        extension=extension_json(extension), deadline=target.deadline_json()
    ), 201 if in_force else 202


_DOCUMENTED = {
    "body": "DeadlineBody",
    "responses": {
        201: "ExtensionResponse",
        202: "ExtensionResponse",
        409: "ErrorResponse",
    },
    "tag": "workflow",
}


@bp.post("/measures/<int:measure_id>/deadline")
@permission_required("plan.view")
@documented(summary="Extend a measure's deadline, or ask for it", **_DOCUMENTED)  # type: ignore[arg-type]
def measure_deadline(measure_id: int) -> Response | tuple[Response, int]:
    item = get_measure_or_404(measure_id)
    return _submit(item)


@bp.post("/steps/<int:step_id>/deadline")
@permission_required("plan.view")
@documented(summary="Extend a step's deadline, or ask for it", **_DOCUMENTED)  # type: ignore[arg-type]
def step_deadline(step_id: int) -> Response | tuple[Response, int]:
    step = get_step_or_404(step_id)
    return _submit(step)
