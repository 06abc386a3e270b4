"""Minimal JSON values that validate against a spec schema (for mock responses in tests)."""

from __future__ import annotations

from typing import Any

_FORMATS = {
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "date-time": "2024-12-19T01:51:29Z",
    "date": "2024-12-19",
    "email": "user@example.com",
    "uri": "https://example.com/x",
}


def resolve(spec: dict[str, Any], schema: Any) -> Any:
    while isinstance(schema, dict) and "$ref" in schema:
        node: Any = spec
        for part in schema["$ref"][2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        schema = node
    return schema


def minimal(spec: dict[str, Any], schema: Any, depth: int = 0) -> Any:
    schema = resolve(spec, schema)
    if not isinstance(schema, dict) or depth > 8:
        return None
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    for key in ("oneOf", "anyOf"):
        if schema.get(key):
            return minimal(spec, schema[key][0], depth + 1)
    if schema.get("allOf"):
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            value = minimal(spec, part, depth + 1)
            if isinstance(value, dict):
                merged.update(value)
        return merged
    types = schema.get("type")
    if isinstance(types, list):
        if "null" in types:
            return None
        types = types[0]
    if types == "object" or "properties" in schema:
        props = schema.get("properties") or {}
        return {
            name: minimal(spec, props.get(name, {}), depth + 1)
            for name in schema.get("required", [])
        }
    if types == "array":
        return []
    if types == "integer":
        return int(schema.get("minimum", 0))
    if types == "number":
        return float(schema.get("minimum", 0))
    if types == "boolean":
        return False
    if types == "string":
        if schema.get("format") in _FORMATS:
            return _FORMATS[schema["format"]]
        return "x" * max(int(schema.get("minLength", 1)), 1)
    return None
