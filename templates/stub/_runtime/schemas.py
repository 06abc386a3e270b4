"""JSON Schema tools over the spec dict: ``$ref`` lookup, validation, DRF error bodies.

Every schema is validated with Draft 2020-12 (OpenAPI 3.1's dialect) against the spec's own
components: one validator has the whole spec as its root resource, and each schema's
validator is that one evolved to the schema, so a local ``#/components/schemas/X`` in it
resolves against the spec, as it does in the document, without copying anything and without
first finding where in the spec the schema is (a walk of the whole spec at start).

Formats are checked by small stdlib functions, not by jsonschema's optional extras, so the
result does not depend on which extra packages happen to be installed.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime
from typing import Any, cast
from urllib.parse import urlsplit

# Typed where types-jsonschema is installed, untyped elsewhere: clean under mypy either way.
from jsonschema import (  # type: ignore[import-untyped, unused-ignore]
    Draft202012Validator,
    FormatChecker,
    ValidationError,
)
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

Schema = Mapping[str, Any]

_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")

SPEC_URI = "urn:stub:spec"
REQUIRED_MESSAGE = "This field is required."
NULL_MESSAGE = "This field may not be null."


def _is_uuid(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        return False
    return str(parsed) == value.lower()


def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE_TIME.match(value):
        return False
    try:
        datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _is_email(value: object) -> bool:
    return not isinstance(value, str) or bool(_EMAIL.match(value))


def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if any(ch.isspace() for ch in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return bool(parts.scheme) and bool(parts.netloc or parts.path)


def _fits_in(bits: int) -> Callable[[object], bool]:
    """OpenAPI's `int32` / `int64`: a signed integer of that many bits (JSON Schema alone does
    not bound them, so 2**31 would pass as an int32)."""
    low, high = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1

    def check(value: object) -> bool:
        return not isinstance(value, int) or isinstance(value, bool) or low <= value <= high

    return check


def format_checker() -> FormatChecker:
    """uuid, date-time, date, email, uri, int32 and int64, checked without optional packages."""
    checker = FormatChecker(formats=())
    for name, func in (
        ("uuid", _is_uuid),
        ("date-time", _is_date_time),
        ("date", _is_date),
        ("email", _is_email),
        ("uri", _is_uri),
        ("int32", _fits_in(32)),
        ("int64", _fits_in(64)),
    ):
        checker.checks(name)(func)
    return checker


class SchemaTools:
    """Resolves refs and validates values against schemas that live inside ``spec``."""

    def __init__(self, spec: Mapping[str, Any]) -> None:
        self.spec = spec
        resource: Resource[Any] = Resource.from_contents(spec, default_specification=DRAFT202012)
        self._registry: Registry[Any] = Registry().with_resource(SPEC_URI, resource)
        # Its resolver's base is the spec: what each schema's validator is evolved from.
        self._root = Draft202012Validator(
            spec, registry=self._registry, format_checker=format_checker()
        )
        # Keyed by id(); the schema is kept alongside so its id cannot be reused.
        self._validators: dict[int, tuple[Any, Draft202012Validator]] = {}

    def resolve(self, schema: Any) -> Any:
        """Follow ``$ref`` chains (local refs only) to the schema they name."""
        seen = 0
        while isinstance(schema, Mapping) and isinstance(schema.get("$ref"), str):
            seen += 1
            if seen > 50:
                break
            schema = self.pointer(schema["$ref"])
        return schema

    def pointer(self, ref: str) -> Any:
        """The value at a local reference such as ``#/components/schemas/Bom``."""
        if not ref.startswith("#"):
            return {}
        node: Any = self.spec
        for raw in ref[1:].split("/")[1:]:
            part = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, Mapping) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return {}
        return node

    def validator(self, schema: Any) -> Draft202012Validator:
        """A cached validator for a schema object of the spec."""
        found = self._validators.get(id(schema))
        if found is not None and found[0] is schema:
            return found[1]
        root = schema if isinstance(schema, Mapping | bool) else {}
        validator = cast(Draft202012Validator, self._root.evolve(schema=root))
        self._validators[id(schema)] = (schema, validator)
        return validator

    def is_valid(self, value: Any, schema: Any) -> bool:
        """Whether ``value`` validates against ``schema``."""
        valid: bool = self.validator(schema).is_valid(value)
        return valid

    def properties(self, schema: Any, depth: int = 0) -> dict[str, Any]:
        """Properties of an object schema, with ``allOf`` parts merged (refs resolved)."""
        schema = self.resolve(schema)
        if not isinstance(schema, Mapping) or depth > 10:
            return {}
        props: dict[str, Any] = {}
        for part in schema.get("allOf") or []:
            props.update(self.properties(part, depth + 1))
        props.update(schema.get("properties") or {})
        return props

    def required(self, schema: Any, depth: int = 0) -> set[str]:
        """The names an object schema requires, with ``allOf`` parts merged (refs resolved)."""
        schema = self.resolve(schema)
        if not isinstance(schema, Mapping) or depth > 10:
            return set()
        names = {name for name in schema.get("required") or [] if isinstance(name, str)}
        for part in schema.get("allOf") or []:
            names |= self.required(part, depth + 1)
        return names

    def read_only(self, schema: Any, depth: int = 0) -> bool:
        """Whether a property's schema (refs resolved) is marked ``readOnly``, itself or in
        any of its ``allOf`` members (``allOf: [{$ref: Id}]`` beside a description)."""
        resolved = self.resolve(schema)
        if not isinstance(resolved, Mapping) or depth > 10:
            return False
        if resolved.get("readOnly") is True:
            return True
        return any(self.read_only(part, depth + 1) for part in resolved.get("allOf") or [])

    def errors(self, value: Any, schema: Any) -> Iterator[ValidationError]:
        """Every validation error of ``value``."""
        return cast(Iterator[ValidationError], self.validator(schema).iter_errors(value))


def drf_errors(errors: Iterable[ValidationError], prefix: str = "") -> dict[str, list[str]]:
    """Turn jsonschema errors into DRF's ``{"field.path": ["message"]}`` body.

    A missing required property is named itself; errors about the value as a whole go to
    ``prefix`` (a parameter name) or ``non_field_errors``.
    """
    out: dict[str, list[str]] = {}
    for error in errors:
        for name, message in _flatten(error):
            path = ".".join(part for part in (prefix, name) if part)
            out.setdefault(path or "non_field_errors", [])
            if message not in out[path or "non_field_errors"]:
                out[path or "non_field_errors"].append(message)
    return out


def request_errors(errors: Iterable[ValidationError], tools: SchemaTools) -> list[ValidationError]:
    """The errors that count in a request: a missing ``readOnly`` property is the server's to
    fill (OpenAPI: such a property is required in responses only), so a ``required`` error
    naming only those is dropped."""
    kept: list[ValidationError] = []
    for error in errors:
        if error.validator == "required" and isinstance(error.instance, Mapping):
            props = tools.properties(error.schema)
            missing = [
                name
                for name in cast(list[Any], error.validator_value)
                if name not in error.instance
            ]
            if missing and all(tools.read_only(props.get(name)) for name in missing):
                continue
        kept.append(error)
    return kept


def _flatten(error: ValidationError) -> list[tuple[str, str]]:
    base = ".".join(str(part) for part in error.absolute_path)
    if error.validator == "required" and isinstance(error.instance, Mapping):
        missing = [
            str(name)
            for name in cast(list[Any], error.validator_value)
            if name not in error.instance
        ]
        return [(".".join(p for p in (base, name) if p), REQUIRED_MESSAGE) for name in missing]
    if error.validator in {"anyOf", "oneOf"} and error.context:
        # Report the branch that got furthest, as a person would read it.
        deepest = max(error.context, key=lambda e: len(e.absolute_path))
        if len(deepest.absolute_path) > len(error.absolute_path):
            return _flatten(deepest)
    if error.instance is None and error.validator == "type":
        return [(base, NULL_MESSAGE)]
    return [(base, error.message)]


def coerce_text(raw: str, schema: Any, tools: SchemaTools) -> Any:
    """Convert a query/path/header/form string to the schema's type, when it parses.

    A value that does not parse is returned unchanged so validation names the field: so are
    numbers JSON cannot carry (``1e400``, ``nan``, integers of more than 4300 digits).
    """
    schema = tools.resolve(schema)
    if not isinstance(schema, Mapping):
        return raw
    types = _types_of(schema, tools)
    if "string" in types and not types & {"integer", "number", "boolean"}:
        return raw
    if types & {"integer", "number"}:
        number = _number(raw, integer_only="number" not in types)
        if number is not None:
            return number
    if "boolean" in types:
        lowered = raw.strip().lower()
        if lowered in {"true", "1", "yes", "on"}:
            return True
        if lowered in {"false", "0", "no", "off"}:
            return False
    if "null" in types and raw in {"", "null"}:
        return None
    return raw


def _number(raw: str, integer_only: bool) -> int | float | None:
    """The number a parameter's text spells, if JSON can carry it."""
    try:
        if re.fullmatch(r"[+-]?\d+", raw.strip()):
            return int(raw)
        value = None if integer_only else float(raw)
    except ValueError:  # not a number, or an integer of more than 4300 digits
        return None
    return value if value is not None and math.isfinite(value) else None


def _types_of(schema: Mapping[str, Any], tools: SchemaTools) -> set[str]:
    declared = schema.get("type")
    if isinstance(declared, str):
        return {declared}
    if isinstance(declared, list):
        return {str(t) for t in declared}
    found: set[str] = set()
    for key in ("anyOf", "oneOf", "allOf"):
        for branch in schema.get(key, []) or []:
            branch = tools.resolve(branch)
            if isinstance(branch, Mapping):
                found |= _types_of(branch, tools)
    return found


def schema_types(schema: Any, tools: SchemaTools) -> set[str]:
    """The JSON types a schema names (through refs and combinators)."""
    schema = tools.resolve(schema)
    return _types_of(schema, tools) if isinstance(schema, Mapping) else set()
