"""The types an open-data plan file must have, checked before the parser reads it.

A JSON file can put a list where a text belongs or a number where an object belongs; the
parser would then fail in many places. One pass here names the first wrong place instead.
"""

from __future__ import annotations

from typing import Any

_SCALAR = (str, int, float, bool, type(None))
#: Where each part of an open-data plan must be a text or number (scalar), an object, or a list.
_PLAN_OBJECTS = ("period", "approval")
_MEASURE_TEXT = ("number", "title", "mechanism", "expected_result", "status", "status_note")
_STEP_TEXT = ("number", "text", "status", "status_note")


def json_shape_problem(payload: dict[str, Any]) -> str | None:
    """The first place where the payload's types differ from the open-data schema, or None."""
    for key in _PLAN_OBJECTS:
        value = payload.get(key)
        if value is not None and not (
            isinstance(value, dict) and all(isinstance(v, _SCALAR) for v in value.values())
        ):
            return key
    for key in ("title", "kind", "basis", "as_of"):
        if not isinstance(payload.get(key), _SCALAR):
            return key
    for index, item in enumerate(payload["measures"], start=1):
        where = f"measures[{index}]"
        if not isinstance(item, dict):
            return where
        if any(not isinstance(item.get(k), _SCALAR) for k in _MEASURE_TEXT):
            return where
        for key in ("deadline", "legal_basis"):
            value = item.get(key)
            if not isinstance(value, _SCALAR) and not (
                isinstance(value, dict) and isinstance(value.get("text"), _SCALAR)
            ):
                return f"{where}.{key}"
        responsible = item.get("responsible")
        if responsible is not None and (
            not isinstance(responsible, list)
            or any(
                not isinstance(r, _SCALAR)
                and not (isinstance(r, dict) and isinstance(r.get("name"), _SCALAR))
                for r in responsible
            )
        ):
            return f"{where}.responsible"
        steps = item.get("steps")
        if steps is not None and (not isinstance(steps, list) or any(not _step_ok(step) for step in steps)):
            return f"{where}.steps"
    return None


def _step_ok(step: Any) -> bool:
    if not isinstance(step, dict) or any(not isinstance(step.get(k), _SCALAR) for k in _STEP_TEXT):
        return False
    deadline = step.get("deadline")
    return isinstance(deadline, _SCALAR) or (
        isinstance(deadline, dict) and isinstance(deadline.get("text"), _SCALAR)
    )
