"""The OpenAPI 3.1 description of /api/v1, generated from the routes and their pydantic models.

Each API view carries :func:`documented` (summary, the names of its body model and of its
response models per status, resolved by :func:`model` when the document is built);
:func:`build` walks the URL map, so a route without a description is noticed (the test suite
fails on it) and every schema comes from the same models that validate requests. pydantic
writes JSON Schema 2020-12, which is what OpenAPI 3.1 uses.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from flask import Flask

if TYPE_CHECKING:
    from pydantic import BaseModel
    from pydantic.json_schema import JsonSchemaMode

F = TypeVar("F", bound=Callable[..., Any])
ATTR = "_openapi"
REF = "#/components/schemas/{model}"
_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
#: Where the models that :func:`documented` names live.
MODEL_MODULES = ("tracker.api.schemas", "tracker.api.workflow_schemas")


def model(name: str) -> type[BaseModel]:
    """The pydantic model ``name`` of :data:`MODEL_MODULES` (imported now, if not yet)."""
    from pydantic import BaseModel

    for module_name in MODEL_MODULES:
        found = getattr(importlib.import_module(module_name), name, None)
        if isinstance(found, type) and issubclass(found, BaseModel):
            return found
    raise LookupError(f"no API model named {name!r}")


def documented(
    *,
    summary: str,
    responses: dict[int, str],
    body: str | None = None,
    query: list[dict[str, Any]] | None = None,
    tag: str = "tracker",
    description: str | None = None,
    multipart: bool = False,
) -> Callable[[F], F]:
    """Attach the operation's description to a view (read by :func:`build`); ``responses`` and
    ``body`` name models of :data:`MODEL_MODULES`."""

    def decorator(view: F) -> F:
        setattr(
            view,
            ATTR,
            {
                "summary": summary,
                "responses": responses,
                "body": body,
                "query": query or [],
                "tag": tag,
                "description": description,
                "multipart": multipart,
            },
        )
        return view

    return decorator


def query_param(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def _path_of(rule: str) -> tuple[str, list[dict[str, Any]]]:
    params = []
    for converter, name in _PARAM.findall(rule):
        schema = {"type": "integer", "minimum": 1} if converter == "int" else {"type": "string"}
        params.append({"name": name, "in": "path", "required": True, "schema": schema})
    return _PARAM.sub(lambda m: "{" + m.group(2) + "}", rule), params


def _models(app: Flask) -> tuple[list[tuple[str, str, Any]], list[tuple[type[BaseModel], JsonSchemaMode]]]:
    operations: list[tuple[str, str, Any]] = []
    models: list[tuple[type[BaseModel], JsonSchemaMode]] = [(model("ErrorResponse"), "serialization")]
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api."):
            continue
        meta = getattr(app.view_functions[rule.endpoint], ATTR, None)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            operations.append((rule.rule, method, meta))
        if meta is None:
            continue
        models += [(model(name), "serialization") for name in meta["responses"].values()]
        if meta["body"] is not None:
            models.append((model(meta["body"]), "validation"))
    return operations, list(dict.fromkeys(models))


def undocumented(app: Flask) -> list[str]:
    """API routes that carry no description (the test suite requires none)."""
    return [f"{method} {rule}" for rule, method, meta in _models(app)[0] if meta is None]


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def _operation(
    rule: str, method: str, meta: dict[str, Any], refs: dict[Any, dict[str, Any]]
) -> dict[str, Any]:
    path, params = _path_of(rule)
    error = refs[(model("ErrorResponse"), "serialization")]
    responses: dict[str, Any] = {}
    for code, name in meta["responses"].items():
        response = model(name)
        summary = response.__doc__.strip().splitlines()[0] if response.__doc__ else response.__name__
        responses[str(code)] = {"description": summary} | _json(refs[(response, "serialization")])
    defaults = {"401": "Not signed in, or the token is wrong or revoked", "403": "Not allowed"}
    if params:
        defaults["404"] = "No such object"
    # Any request may be refused at the edge (a NUL byte, a malformed parameter): 400 everywhere.
    defaults["400"] = "Bad input: the message says what, in the caller's language"
    if method != "GET":
        defaults["413"] = "The request is larger than the server accepts"
    for code, text in defaults.items():
        responses.setdefault(code, {"description": text} | _json(error))
    operation: dict[str, Any] = {
        "summary": meta["summary"],
        "operationId": f"{method.lower()}_{re.sub(r'[^a-z0-9]+', '_', path.lower()).strip('_')}",
        "tags": [meta["tag"]],
        "parameters": params + meta["query"],
        "responses": responses,
    }
    if meta["description"]:
        operation["description"] = meta["description"]
    if meta["body"] is not None:
        schema = refs[(model(meta["body"]), "validation")]
        content = {"application/json": {"schema": schema}}
        if meta["multipart"]:
            content["multipart/form-data"] = {"schema": schema}
        operation["requestBody"] = {"required": True, "content": content}
    return operation


def build(app: Flask) -> dict[str, Any]:
    """The whole OpenAPI 3.1 document for /api/v1."""
    from pydantic.json_schema import models_json_schema

    operations, models = _models(app)
    refs, definitions = models_json_schema(models, ref_template=REF)
    paths: dict[str, dict[str, Any]] = {}
    for rule, method, meta in operations:
        if meta is None:
            continue
        path, _params = _path_of(rule)
        paths.setdefault(path, {})[method.lower()] = _operation(rule, method, meta, refs)
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "tracker API",
            "version": "1",
            "description": "Work plans, their execution and the workflow between people (docs/api.md).",
        },
        "servers": [{"url": "/"}],
        "security": [{"bearerToken": []}, {"session": []}],
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": definitions.get("$defs", {}),
            "securitySchemes": {
                "bearerToken": {"type": "http", "scheme": "bearer", "description": "A personal token, trk_…"},
                "session": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": "session",
                    "description": "The browser session; changes also need the X-CSRFToken header",
                },
            },
        },
    }
