"""The open-data JSON schema (docs/open-data.schema.json) and a small validator for the part of
JSON Schema it uses; the export tests and the import tests check documents against it."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "open-data.schema.json").read_text())


# -- a small validator for the part of JSON Schema the schema uses --------------------------------

_TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "integer": int,
    "boolean": bool,
    "null": type(None),
}


def validate(value, schema, path="$"):
    """Errors of ``value`` against ``schema`` ($ref, type, enum, required, properties, items, format)."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        return validate(value, SCHEMA["$defs"][name], path)
    errors = []
    types = schema.get("type")
    if types is not None:
        allowed = [types] if isinstance(types, str) else types
        ok = any(
            isinstance(value, _TYPES[t]) and not (t == "integer" and isinstance(value, bool)) for t in allowed
        )
        if not ok:
            return [f"{path}: {type(value).__name__} is not {allowed}"]
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: {value!r} not in {schema['enum']}")
    if schema.get("format") == "date" and isinstance(value, str):
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            errors.append(f"{path}: {value!r} is not an ISO date")
        else:
            date.fromisoformat(value)
    if isinstance(value, dict):
        errors += [f"{path}: {key} is required" for key in schema.get("required", []) if key not in value]
        for key, sub in schema.get("properties", {}).items():
            if key in value:
                errors += validate(value[key], sub, f"{path}.{key}")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            errors += validate(item, schema["items"], f"{path}[{index}]")
    return errors
