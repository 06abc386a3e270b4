"""Known deviations of real documents, read the way peers read them: each is a WARNING that
says what the generated code does instead, and the document is repaired (a copy) so that the
rounds after this one, and the later stages, see the reading.

- `schema: null` on a media type: `schema: {}`, so the body is untyped JSON;
- `type: 'null'` in an OpenAPI 3.0 document (a 3.1 spelling): `nullable: true`;
- a `pattern` that Python's `re` or pydantic-core cannot compile, or (3.0) that is no
  ECMA-262 regular expression (`format: regex`, a lone `}`): not checked by the models;
- a string default that the type of its `format` refuses (`format: uri, default: ''`):
  dropped, as `keywords` drops a default that does not match its schema;
- an `enum` that lists a value twice: each value once, the first of each kept, in order;
- a schema where a type name belongs (`type: {type: string, enum: [...]}`): when `type` is
  all the schema says, it is read as the schema it holds; otherwise `type` is dropped;
- a schema `$ref` to another kind of component (`schema: {$ref: '#/components/responses/X'}`):
  the `$ref` is dropped, so the value is not checked (Any);
- a response `$ref` to a schema (`400: {$ref: '#/components/schemas/BadRequest'}`): a JSON
  response of that schema.

Repairs remove or replace values and never rename keys, so every pointer (and line) of the
document stays valid.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from datetime import date, time, timedelta
from functools import cache
from ipaddress import IPv4Address, IPv6Address
from typing import Any
from uuid import UUID

from ..document import iter_schema_dicts, pointer_tokens, resolve_pointer
from ..errors import Diagnostic
from ..load import LoadedSpec
from .common import short
from .keywords import ecma_problem, portable_regex
from .references import COMPONENT_KINDS, position_kind

# A repair: the pointer of a mapping, and what to do to it.
Repair = tuple[str, Callable[[dict[str, Any]], None]]


def deviations(spec: LoadedSpec) -> Iterator[tuple[Diagnostic, Repair]]:
    """Each deviation of the document: its warning and its repair."""
    v30 = str(spec.data.get("openapi", "")).startswith("3.0")
    for where, node in iter_schema_dicts(spec.data, ""):
        tokens = pointer_tokens(where)
        if "schema" in node and node["schema"] is None and tokens[-2:-1] == ["content"]:
            yield (
                spec.warning(
                    f"`schema: null` on {tokens[-1]} content: the body is untyped JSON (Any)",
                    where + "/schema",
                ),
                (where, _untyped),
            )
        if v30 and node.get("type") == "null":
            yield (
                spec.warning(
                    "`type: 'null'` is OpenAPI 3.1; in this 3.0 document it is read as "
                    "`nullable: true`",
                    where + "/type",
                ),
                (where, _nullable),
            )
        pattern = node.get("pattern")
        # (In 3.1 a pattern that is no ECMA-262 regular expression is an error of its own.)
        if isinstance(pattern, str) and (v30 or portable_regex(pattern)):
            problem = _pattern_problem(pattern)
            if problem is not None:
                problem = f"cannot be compiled ({problem})"
            elif v30 and ecma_problem(pattern) is not None:
                problem = f"is not an ECMA-262 regular expression ({ecma_problem(pattern)})"
            if problem is not None:
                yield (
                    spec.warning(
                        f"`pattern` {short(repr(pattern), 60)} {problem}; "
                        "the models do not check it",
                        where + "/pattern",
                    ),
                    (where, _drop("pattern")),
                )
        enum = node.get("enum")
        twice = _repeated(enum) if isinstance(enum, list) and _is_schema(tokens) else []
        if twice:
            yield (
                spec.warning(
                    f"`enum` lists {short(', '.join(map(repr, twice)), 60)} more than once; "
                    "each value is read once",
                    where + "/enum",
                ),
                (where, _deduplicate),
            )
        if isinstance(node.get("type"), dict) and _is_schema(tokens):
            whole = set(node) <= {"type", *_ANNOTATIONS}
            yield (
                spec.warning(
                    "`type` holds a schema, not a type name; "
                    + (
                        "it is read as that schema"
                        if whole
                        else "it is dropped, so the value is not checked (Any)"
                    ),
                    where + "/type",
                ),
                (where, _inner_schema if whole else _drop("type")),
            )
        other = _other_component(spec.data, tokens, node.get("$ref"))
        if other is not None:
            yield (
                spec.warning(
                    f"$ref {node['$ref']!r} is where a schema belongs, but points to a "
                    f"{other}; it is dropped, so the value is not checked (Any)",
                    where + "/$ref",
                ),
                (where, _drop("$ref")),
            )
        if _schema_for_a_response(spec.data, tokens, node.get("$ref")):
            yield (
                spec.warning(
                    f"$ref {node['$ref']!r} is where a response belongs, but points to a "
                    "schema; it is read as a JSON response of that schema",
                    where + "/$ref",
                ),
                (where, _json_response),
            )
        problem = _format_default_problem(node)
        if problem is not None:
            yield (
                spec.warning(
                    f"default {short(repr(node['default']), 60)} is not a valid "
                    f"`format: {node['format']}` value ({problem}); the default is dropped",
                    where + "/default",
                ),
                (where, _drop("default")),
            )


def repaired(spec: LoadedSpec, repairs: list[Repair]) -> LoadedSpec:
    """A copy of `spec` with the repairs made (the same spec when there are none)."""
    if not repairs:
        return spec
    data = copy.deepcopy(spec.data)
    for where, repair in repairs:
        node = resolve_pointer(data, "#" + where) if where else data
        if isinstance(node, dict):
            repair(node)
    return LoadedSpec(spec.path, data, spec.raw, spec.lines, location=spec.location)


def _drop(key: str) -> Callable[[dict[str, Any]], None]:
    def drop(node: dict[str, Any]) -> None:
        node.pop(key, None)

    return drop


# Keywords that hold a mapping of names to schemas (or to other objects): the token after one
# of them is a name, not a keyword.
_NAMED = frozenset(
    (
        "properties", "patternProperties", "definitions", "$defs", "dependentSchemas",
        "schemas", "paths", "responses", "content", "callbacks", "webhooks", "parameters",
        "requestBodies", "headers", "securitySchemes", "links", "encoding", "pathItems",
        "examples", "mapping", "variables",
    )
)  # fmt: skip
_ANNOTATIONS = frozenset(("description", "title", "deprecated", "readOnly", "writeOnly"))


def _other_component(data: dict[str, Any], tokens: list[str], ref: object) -> str | None:
    """What `ref`, at a schema's place (`tokens`), points to when that is a component of
    another kind (`response`) or a part of one that is no schema, and exists; else None."""
    if not isinstance(ref, str) or not ref.startswith("#/components/"):
        return None
    target = pointer_tokens(ref[1:])
    kind = target[1] if len(target) >= 3 else ""
    if kind not in COMPONENT_KINDS or position_kind(tokens) != "schemas":
        return None
    if position_kind(target) == "schemas" or not _resolves(data, ref):
        return None  # a schema, wherever it sits (a parameter's): normalise moves it
    return COMPONENT_KINDS[kind]


def _schema_for_a_response(data: dict[str, Any], tokens: list[str], ref: object) -> bool:
    """Whether `ref`, at a response's place (`tokens`), points to a schema that exists
    (swaggerhub's `400: {$ref: '#/components/schemas/BadRequest'}`)."""
    if not isinstance(ref, str) or not ref.startswith("#/") or position_kind(tokens) != "responses":
        return False
    return position_kind(pointer_tokens(ref[1:])) == "schemas" and _resolves(data, ref)


def _resolves(data: dict[str, Any], ref: str) -> bool:
    """Whether `ref` leads somewhere (where it does not, the references round says so)."""
    try:
        resolve_pointer(data, ref)
    except KeyError:
        return False
    return True


def _json_response(node: dict[str, Any]) -> None:
    ref = node["$ref"]
    node.clear()
    node.update({"description": "", "content": {"application/json": {"schema": {"$ref": ref}}}})


def _is_schema(tokens: list[str]) -> bool:
    """Whether the mapping at `tokens` is an object of the document (a schema, say), not a
    mapping of names (`properties`, whose member named `type` is a property)."""
    name_next = False
    for token in tokens:
        name_next = False if name_next else token in _NAMED
    return not name_next


def _key(value: Any) -> str:
    """A value as JSON Schema compares enum members: `1` and `1.0` are one, `true` not `1`."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return json.dumps(value, sort_keys=True)


def _repeated(values: list[Any]) -> list[Any]:
    """The members of `values` that an earlier member already lists."""
    seen: set[str] = set()
    repeated = []
    for value in values:
        key = _key(value)
        if key in seen:
            repeated.append(value)
        seen.add(key)
    return repeated


def _deduplicate(node: dict[str, Any]) -> None:
    seen: set[str] = set()
    unique = []
    for value in node["enum"]:
        if _key(value) not in seen:
            unique.append(value)
        seen.add(_key(value))
    node["enum"] = unique


def _inner_schema(node: dict[str, Any]) -> None:
    inner = node.pop("type")
    node.update({k: v for k, v in inner.items() if k not in node or k not in _ANNOTATIONS})


def _untyped(node: dict[str, Any]) -> None:
    node["schema"] = {}


def _nullable(node: dict[str, Any]) -> None:
    del node["type"]
    node["nullable"] = True


@cache
def _pattern_problem(pattern: str) -> str | None:
    """Why the models cannot use `pattern` (Python's `re`, then pydantic-core's own engine, as
    a generated model's `Field(pattern=...)` compiles it at import), or None."""
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        return short(str(exc), 80)
    from pydantic_core import SchemaValidator, core_schema

    try:
        SchemaValidator(core_schema.str_schema(pattern=pattern))
    except Exception as exc:
        return short(str(exc).strip().splitlines()[-1] if str(exc).strip() else "", 80)
    return None


# The types the models give a string of these formats (datamodel-code-generator's, pydantic v2).
_FORMAT_TYPES: dict[str, Any] = {
    "uri": "AnyUrl",
    "date": date,
    "date-time": "AwareDatetime",
    "time": time,
    "duration": timedelta,
    "uuid": UUID,
    "ipv4": IPv4Address,
    "ipv6": IPv6Address,
}


def _format_default_problem(node: dict[str, Any]) -> str | None:
    fmt, default = node.get("format"), node.get("default")
    if not isinstance(fmt, str) or fmt not in _FORMAT_TYPES or not isinstance(default, str):
        return None
    return _value_problem(fmt, default)


@cache
def _value_problem(fmt: str, value: str) -> str | None:
    import pydantic

    kind = _FORMAT_TYPES[fmt]
    try:
        pydantic.TypeAdapter(
            getattr(pydantic, kind) if isinstance(kind, str) else kind
        ).validate_python(value)
    except pydantic.ValidationError as exc:
        errors = exc.errors()
        return short(str(errors[0]["msg"]) if errors else str(exc), 80)
    return None
