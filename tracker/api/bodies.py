"""Reading request bodies: a JSON object (or a form) validated by its model, else a 400 in words."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from flask import jsonify, request
from flask_babel import gettext as _
from werkzeug import Response

from tracker.core.errors import DomainError, InvalidTransition, PermissionDenied, StaleEdit
from tracker.extensions import db

if TYPE_CHECKING:
    from pydantic import BaseModel

M = TypeVar("M", bound="BaseModel")


class BadBody(Exception):
    """The body is not what the operation documents; ``response`` is the 400 to send."""

    def __init__(self, response: tuple[Response, int]) -> None:
        super().__init__("bad request body")
        self.response = response


def error(status: int, message: str, problems: list[dict[str, str]] | None = None) -> tuple[Response, int]:
    payload: dict[str, Any] = {"code": status, "message": message}
    if problems:
        payload["errors"] = problems
    return jsonify(error=payload), status


def _raw(allow_form: bool) -> Any:
    if request.is_json or not allow_form:
        if not request.get_data(cache=True):
            return {}
        data = request.get_json(silent=True)
        if data is None:
            raise BadBody(error(400, _("The request body is not valid JSON.")))
        return data
    return {key: request.form.get(key) for key in request.form}


def parse_body(model: type[M], *, allow_form: bool = False) -> M:
    """The request body as ``model``; raises :class:`BadBody` with a translated 400."""
    from pydantic import ValidationError  # loaded with ``model`` already (tracker.api.views)

    data = _raw(allow_form)
    if not isinstance(data, dict):
        raise BadBody(error(400, _("The request body must be a JSON object.")))
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [
            {"field": ".".join(str(p) for p in e["loc"]) or "body", "problem": e["type"]}
            for e in exc.errors()
        ]
        raise BadBody(error(400, " ".join(dict.fromkeys(_say(e) for e in exc.errors())), problems)) from None


def _say(problem: Any) -> str:
    """One field's problem in the caller's language (pydantic's own words are English only)."""
    field = ".".join(str(p) for p in problem["loc"]) or "body"
    kind = problem["type"]
    context = problem.get("ctx") or {}
    if kind in ("enum", "literal_error"):
        return _("%(field)s must be one of: %(values)s.", field=field, values=context.get("expected", ""))
    if kind == "missing":
        return _("%(field)s is required.", field=field)
    if kind == "extra_forbidden":
        return _("%(field)s is not a field of this request.", field=field)
    if kind.startswith("int") or kind in ("greater_than_equal", "less_than_equal"):
        return _("%(field)s must be a whole number in range.", field=field)
    if kind.startswith("string") and "too_long" in kind:
        return _("%(field)s is too long.", field=field)
    if kind.startswith("string"):
        return _("%(field)s must be text.", field=field)
    if kind.startswith("date"):
        return _("%(field)s must be a date written YYYY-MM-DD.", field=field)
    if kind.startswith("list") or kind == "too_long":
        return _("%(field)s must be a short list.", field=field)
    return _("%(field)s is not valid.", field=field)


def domain_error(exc: DomainError) -> tuple[Response, int]:
    """A refused service call as JSON: 403 not allowed, 409 wrong state or stale, 400 bad input."""
    db.session.rollback()
    if isinstance(exc, PermissionDenied):
        return error(403, exc.message)
    if isinstance(exc, InvalidTransition | StaleEdit):
        return error(409, exc.message)
    return error(400, exc.message)
