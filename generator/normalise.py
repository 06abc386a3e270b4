"""Stage 3: make a validated document regular, for the models stage and the IR builder.

`normalise_document` returns a copy in which every operation has an operationId, every inline
object schema of a request or response body is hoisted into `components.schemas` under a name
derived from its operationId (so every body has a model), a subclass that retypes its parent's
field is flattened, and 3.1 file strings carry `format: binary` as 3.0 ones do.
"""

from __future__ import annotations

import copy
from typing import Any

from .document import (
    DATA_KEYS,
    SCHEMA_REF,
    escape_pointer_token,
    iter_operations,
    iter_refs,
    pointer,
    pointer_tokens,
    ref_pointer,
    resolve_pointer,
)
from .ir.naming import class_name, default_operation_id, pascal_case, schema_class_names
from .load import LoadedSpec


def normalise_document(spec: LoadedSpec) -> dict[str, Any]:
    """A deep copy of the document with operationIds filled in and body schemas named."""
    data = copy.deepcopy(spec.data)
    components = data.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    taken = set(schema_class_names(schemas).values())
    _hoist_referenced_schemas(data, schemas, taken)

    def hoist(container: dict[str, Any], base: str) -> None:
        schema = container.get("schema")
        if not isinstance(schema, dict) or "$ref" in schema:
            return
        if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
            if "$ref" not in schema["items"] and _is_object_schema(schema["items"]):
                name = _unique(base + "Item", taken)
                schemas[name] = schema["items"]
                schema["items"] = {"$ref": SCHEMA_REF + name}
            return
        if _is_object_schema(schema):
            name = _unique(base, taken)
            schemas[name] = schema
            container["schema"] = {"$ref": SCHEMA_REF + name}

    for path, method, operation, _item in iter_operations(data):
        if not isinstance(operation.get("operationId"), str):
            operation["operationId"] = default_operation_id(method, path)
        base = pascal_case(operation["operationId"])
        body = operation.get("requestBody")
        if isinstance(body, dict) and "$ref" not in body:
            for media in sorted(body.get("content") or {}):
                hoist(body["content"][media], base + "Request")
        for status in sorted(operation.get("responses") or {}):
            response = operation["responses"][status]
            if isinstance(response, dict) and "$ref" not in response:
                for media in sorted(response.get("content") or {}):
                    suffix = "Response" if status.startswith("2") else f"Response{status}"
                    hoist(response["content"][media], base + suffix)
    _flatten_allof_overrides(schemas)
    _mark_raw_binary_strings(data)
    return data


# Tokens of a pointer that say where a schema sits, not what it is: a hoisted schema is named
# after the last token that is none of these.
_STRUCTURAL = {"schema", "items", "allOf", "anyOf", "oneOf", "not", "properties", "content"}
_STRUCTURAL |= {"additionalProperties", "responses", "parameters", "requestBody", "components"}


def _hoist_referenced_schemas(
    data: dict[str, Any], schemas: dict[str, Any], taken: set[str]
) -> None:
    """A schema `$ref` may point at any schema of the document (a parameter's, one inside a
    response: `#/components/parameters/id/schema`); the models know only
    `components.schemas`. Each such target is moved there under a name of its own (deepest
    first, so one inside another stays a `$ref` in its copy), a `$ref` to it left in its place,
    and every `$ref` to it rewritten. Runs before the bodies are hoisted, which moves schemas."""
    targets: set[str] = set()
    for ptr, ref in iter_refs(data):
        target = ref_pointer(ref)
        tokens = pointer_tokens(target)
        holder = pointer_tokens(ptr)
        in_schema = "schema" in holder or holder[:2] == ["components", "schemas"]
        outside = tokens[:2] != ["components", "schemas"] and "schema" in tokens
        if ref.startswith("#/") and in_schema and outside:
            targets.add(target)
    moved: dict[str, str] = {}
    for target in sorted(targets, key=lambda t: (-t.count("/"), t)):
        tokens = pointer_tokens(target)
        parent = resolve_pointer(data, "#" + pointer(*tokens[:-1])) if tokens else None
        key: Any = tokens[-1]
        if isinstance(parent, list) and key.isdigit() and int(key) < len(parent):
            key = int(key)
        elif not (isinstance(parent, dict) and key in parent):
            continue
        if not isinstance(parent[key], dict):
            continue
        words = [t for t in tokens if t not in _STRUCTURAL and not t.isdigit() and "/" not in t]
        name = _unique(words[-1] if words else "Schema", taken)
        schemas[name] = parent[key]
        moved[target] = SCHEMA_REF + escape_pointer_token(name)
        parent[key] = {"$ref": moved[target]}
    if moved:
        _rewrite_refs(data, moved)


def _rewrite_refs(value: Any, moved: dict[str, str]) -> None:
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#") and ref_pointer(ref) in moved:
                node["$ref"] = moved[ref_pointer(ref)]
            stack.extend(v for k, v in node.items() if k not in DATA_KEYS)
        elif isinstance(node, list):
            stack.extend(node)


def _mark_raw_binary_strings(value: Any) -> None:
    """OpenAPI 3.1 writes a file as `{type: string, contentMediaType: ...}` where 3.0 wrote
    `format: binary` (FastAPI does since 0.116): give such a string (one without
    `contentEncoding`, which would make it encoded text) `format: binary`, so the models and
    the client's arguments type it `bytes`, as they do the 3.0 form."""
    if isinstance(value, list):
        for item in value:
            _mark_raw_binary_strings(item)
    elif isinstance(value, dict):
        types = value.get("type")
        if (
            (types == "string" or (isinstance(types, list) and "string" in types))
            and isinstance(value.get("contentMediaType"), str)
            and "contentEncoding" not in value
            and "format" not in value
        ):
            value["format"] = "binary"
        for item in value.values():
            _mark_raw_binary_strings(item)


def _flatten_allof_overrides(schemas: dict[str, Any]) -> None:
    """`Child: {allOf: [{$ref: Parent}, {properties: {x: <another type>}}]}` would become a
    subclass redefining a field with an incompatible type (mypy rejects that); such a schema
    is merged into one flat object instead. Children that only add fields stay subclasses."""
    for name in sorted(schemas):
        schema = schemas[name]
        members = schema.get("allOf") if isinstance(schema, dict) else None
        if not isinstance(members, list) or not all(isinstance(m, dict) for m in members):
            continue
        refs = [m for m in members if "$ref" in m]
        if len(refs) != 1 or not str(refs[0]["$ref"]).startswith(SCHEMA_REF):
            continue
        parent = schemas.get(refs[0]["$ref"][len(SCHEMA_REF) :])
        if not isinstance(parent, dict) or "allOf" in parent:
            continue
        parts = [parent, *(m for m in members if m is not refs[0]), schema]
        own = {k: v for part in parts[1:] for k, v in (part.get("properties") or {}).items()}
        inherited = parent.get("properties") or {}
        if not any(key in inherited and inherited[key] != own[key] for key in own):
            continue
        merged: dict[str, Any] = {"type": "object"}
        for part in parts:
            merged.update(
                {k: v for k, v in part.items() if k not in ("allOf", "properties", "required")}
            )
        merged["properties"] = {**inherited, **own}
        required = [r for part in parts for r in (part.get("required") or [])]
        if required:
            merged["required"] = list(dict.fromkeys(required))
        schemas[name] = merged


def _is_object_schema(schema: dict[str, Any]) -> bool:
    return (
        schema.get("type") == "object"
        or "properties" in schema
        or any(k in schema for k in ("allOf", "oneOf", "anyOf"))
    )


def _unique(name: str, taken: set[str]) -> str:
    candidate = class_name(name)
    index = 2
    while candidate in taken:
        candidate = f"{class_name(name)}{index}"
        index += 1
    taken.add(candidate)
    return candidate
