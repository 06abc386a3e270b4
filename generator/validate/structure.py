"""Round 3 of validation: structure, against the OpenAPI JSON Schema. Each error is narrowed
to its most specific JSON pointer and said in one short sentence."""

from __future__ import annotations

import re
from typing import Any

from ..document import (
    pointer,
    resolve_pointer,
)
from ..errors import Diagnostic
from ..load import LoadedSpec
from . import fast
from .common import MAX_DIAGNOSTICS, TOO_DEEP, enum_message, narrow, short


def structure_errors(spec: LoadedSpec) -> list[Diagnostic]:
    """Validate against the OpenAPI JSON Schema: jsonschema-rs first (`fast`), then, only when
    something is wrong, the Python validator, whose errors carry the context to pinpoint each
    one."""
    v31 = spec.data["openapi"].startswith("3.1")
    fast_validator = fast.document_validator("3.1" if v31 else "3.0")
    try:
        if fast_validator is not None and fast_validator.is_valid(spec.data):
            return []
    except Exception:
        pass  # fall through to the Python validator
    from jsonschema.exceptions import best_match
    from openapi_spec_validator.schemas import schema_v30, schema_v31
    from openapi_spec_validator.schemas.backend.jsonschema import create_validator

    validator = create_validator(schema_v31 if v31 else schema_v30)
    problems = []
    try:
        for error in validator.iter_errors(spec.data):
            narrowed = narrow(error, best_match)
            conditional = "then" in narrowed.schema_path or "else" in narrowed.schema_path
            problems.append((_structure_diagnostic(spec, narrowed), conditional))
            if len(problems) > 4 * MAX_DIAGNOSTICS:
                break
    except RecursionError:
        problems.append((spec.diagnostic(TOO_DEEP), False))
    # An if/then rule (`responses` needs `default` when it has no valid status code) is noise
    # next to a more specific error inside the same object.
    return [
        d
        for d, conditional in problems
        if not conditional
        or not any(o.pointer.startswith(d.pointer + "/") for o, _ in problems if o is not d)
    ]


def _structure_diagnostic(spec: LoadedSpec, error: Any) -> Diagnostic:
    path = list(error.absolute_path)
    validator = error.validator
    message = str(error.message)
    if validator == "required":
        match = re.match(r"^'?(.*?)'? is a required property$", message)
        message = f"missing required field {match.group(1)!r}" if match else message
    elif validator in ("additionalProperties", "unevaluatedProperties"):
        extra = _unexpected_keys(error)
        if len(extra) == 1:
            path.append(extra[0])
        message = _unexpected_message(path, extra)
    elif validator == "propertyNames" or _is_key_error(spec, path, error):
        if isinstance(error.instance, str):
            path.append(error.instance)
        message = (
            f"name {error.instance!r} is not allowed: component names may contain only "
            "ASCII letters, digits, '.', '_' and '-'"
        )
    elif validator == "type" and path and path[-1] == "type" and isinstance(error.instance, list):
        message = (
            "`type` must be one string in OpenAPI 3.0 (a list of types needs OpenAPI "
            "3.1; for null use `nullable: true`)"
        )
    elif validator in ("oneOf", "anyOf"):
        kinds = [_definition_name(s) for s in (error.validator_value or []) if isinstance(s, dict)]
        kinds = [k for k in kinds if k]
        what = " or ".join(kinds) + " object" if kinds else "any of the allowed forms"
        message = f"not a valid {what}"
        if (path and path[-1] == "schema") or path[:2] == ["components", "schemas"]:
            message += " (check its keywords and their types)"
    elif validator == "enum":
        message = enum_message(error)
    elif validator == "type":
        message = f"{short(repr(error.instance), 40)} is not of type {error.validator_value!r}"
    elif validator == "pattern":
        message = f"{short(repr(error.instance), 60)} does not match {error.validator_value!r}"
    ptr = pointer(*path)
    return spec.diagnostic(f"invalid OpenAPI: {short(message, 200)}", ptr)


def _is_key_error(spec: LoadedSpec, path: list[Any], error: Any) -> bool:
    """A propertyNames failure: reported at the mapping, about one of its keys."""
    if not isinstance(error.instance, str) or error.validator not in ("pattern", "propertyNames"):
        return False
    try:
        node = resolve_pointer(spec.data, "#" + pointer(*path))
    except KeyError:
        return False
    return isinstance(node, dict) and error.instance in node


def _unexpected_keys(error: Any) -> list[str]:
    instance = error.instance if isinstance(error.instance, dict) else {}
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "additionalProperties":
        known = schema.get("properties") or {}
        patterns = list(schema.get("patternProperties") or {})
        return [
            k
            for k in instance
            if k not in known and not any(re.search(p, str(k)) for p in patterns)
        ]
    found = re.findall(r"'([^']*)'", str(error.message).split("(", 1)[-1])
    return [k for k in found if k in instance] or found


def _unexpected_message(path: list[Any], extra: list[str]) -> str:
    listed = ", ".join(repr(k) for k in extra) or "some field"
    parent = path[-2] if len(extra) == 1 and len(path) >= 2 else (path[-1] if path else "")
    if parent == "paths":
        return f"path {listed} must start with '/'"
    if parent == "responses":
        return (
            f"response code {listed} is not a status code (100-599), a range (1XX-5XX) or default"
        )
    return f"unexpected field {listed} (not allowed here; extensions start with 'x-')"


def _definition_name(schema: dict[str, Any]) -> str:
    ref = schema.get("$ref")
    if isinstance(ref, str):
        return re.sub(r"(?<!^)(?=[A-Z])", " ", ref.rsplit("/", 1)[-1]).lower()
    return ""
