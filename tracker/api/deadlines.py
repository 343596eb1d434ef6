"""Deadline extensions over the API, on the ``api`` blueprint (routes of :mod:`tracker.api.views`).

``POST /api/v1/measures/<id>/deadline`` and ``POST /api/v1/steps/<id>/deadline`` with JSON
``{"deadline_text", "effective_on" (YYYY-MM-DD, default today), "reason", "basis"}``:

- 201 with the extension when it is in force at once (the caller decides extensions: the
  secretariat, or the director where the organization's policy says so);
- 202 when it waits for a decision (a department responsible for the item asked);
- 403 outside the caller's rights, 400 for bad input, 409 when the plan is not approved.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, jsonify, request
from flask_login import current_user
from werkzeug import Response

from tracker.api.views import bp
from tracker.core.errors import DomainError, InvalidTransition, PermissionDenied
from tracker.core.permissions import permission_required
from tracker.extensions import db
from tracker.plans import extensions
from tracker.plans.access import can_view_plan
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


def _error(status: int, message: str) -> tuple[Response, int]:
    return jsonify(error={"code": status, "message": message}), status


def _payload() -> extensions.ExtensionData | str:
    payload: dict[str, Any] = request.get_json(silent=True) or {}
    effective_on = None
    if payload.get("effective_on"):
        try:
            effective_on = date.fromisoformat(str(payload["effective_on"]))
        except ValueError:
            return "effective_on must be a date written YYYY-MM-DD"
    return extensions.ExtensionData(
        deadline_text=str(payload.get("deadline_text") or ""),
        reason=str(payload.get("reason") or ""),
        basis=str(payload.get("basis") or "") or None,
        effective_on=effective_on,
    )


def _submit(target: Measure | Step) -> tuple[Response, int]:
    data = _payload()
    if isinstance(data, str):
        return _error(400, data)
    try:
        extension = extensions.submit_deadline(target, data, actor=current_user)
    except PermissionDenied as error:
        db.session.rollback()
        return _error(403, error.message)
    except InvalidTransition as error:
        db.session.rollback()
        return _error(409, error.message)
    except DomainError as error:
        db.session.rollback()
        return _error(400, error.message)
    db.session.commit()
    in_force = extension.state != ExtensionState.REQUESTED
    return jsonify(
        extension=extension_json(extension), deadline=target.deadline_json()
    ), 201 if in_force else 202


@bp.post("/measures/<int:measure_id>/deadline")
@permission_required("plan.view")
def measure_deadline(measure_id: int) -> tuple[Response, int]:
    item = db.get_or_404(Measure, measure_id)
    if not can_view_plan(current_user, item.plan):
        abort(403)
    return _submit(item)


@bp.post("/steps/<int:step_id>/deadline")
@permission_required("plan.view")
def step_deadline(step_id: int) -> tuple[Response, int]:
    step = db.get_or_404(Step, step_id)
    if not can_view_plan(current_user, step.measure.plan):
        abort(403)
    return _submit(step)
