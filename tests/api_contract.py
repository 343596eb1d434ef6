"""Every /api/v1 response the suite receives is checked against the OpenAPI document.

``IsolatedClient`` (tests/conftest.py) calls :func:`check` after each API request: the status
code must be documented for that operation and the JSON body must match its schema. So the
description is validated against every documented response the suite produces.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from jsonschema import Draft202012Validator
from werkzeug.exceptions import HTTPException

_CACHE: dict[int, dict[str, Any]] = {}
#: Every (method, path template, status) the suite has checked, for the coverage test.
SEEN: set[tuple[str, str, str]] = set()


def spec_of(app: Flask) -> dict[str, Any]:
    if id(app) not in _CACHE:
        from tracker.api.openapi import build

        with app.test_request_context("/"):
            _CACHE[id(app)] = build(app)
    return _CACHE[id(app)]


def _template(app: Flask, method: str, path: str) -> str | None:
    adapter = app.url_map.bind("localhost")
    try:
        rule, _args = adapter.match(path, method=method, return_rule=True)
    except HTTPException:
        return None
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)


def check(app: Flask, method: str, path: str, response: Any) -> None:
    """Fail (AssertionError) when ``response`` is not what the document promises."""
    if not path.startswith("/api/v1/"):
        return
    template = _template(app, method, path)
    if template is None:
        return  # 404/405 for an unknown URL: not an operation
    spec = spec_of(app)
    operation = spec["paths"].get(template, {}).get(method.lower())
    assert operation is not None, f"{method} {template} is not in the OpenAPI document"
    status = str(response.status_code)
    documented = operation["responses"].get(status)
    assert documented is not None, f"{method} {template} answered {status}, which is not documented"
    schema = documented["content"]["application/json"]["schema"]
    body = response.get_json(silent=True)
    assert body is not None, f"{method} {template} {status}: the body is not JSON"
    validator = Draft202012Validator({**schema, "components": spec["components"]})
    problems = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(body)]
    assert not problems, f"{method} {template} {status} does not match its schema: {problems[:5]}"
    SEEN.add((method.upper(), template, status))
