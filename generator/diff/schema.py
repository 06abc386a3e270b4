"""The diff's view of a schema: what it says, with `$ref`s followed, `allOf` merged and null
folded into a flag, so that two spellings of one schema compare equal."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..document import deref


@dataclass
class SchemaView:
    """What a schema says, with `$ref`s followed, `allOf` merged and null folded into a flag."""

    types: frozenset[str] | None = None  # None: any type
    nullable: bool = False
    format: str | None = None
    enum: dict[str, Any] | None = None  # canonical JSON of each value -> the value
    properties: dict[str, Any] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    items: Any = None
    additional: Any = None
    branches: dict[str, dict[str, Any]] = field(default_factory=dict)  # oneOf/anyOf: key -> raw
    read_only: bool = False
    write_only: bool = False


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def shown(value: Any) -> str:
    """An enum value as a user would write it: strings bare, anything else as JSON."""
    return value if isinstance(value, str) else canonical(value)


def deref_or_empty(doc: dict[str, Any], node: Any) -> Any:
    """`node` with its `$ref`s followed; {} for a reference that leads nowhere."""
    try:
        return deref(doc, node)
    except KeyError:
        return {}


def _is_null_schema(doc: dict[str, Any], raw: Any) -> bool:
    node = deref_or_empty(doc, raw)
    return isinstance(node, dict) and (node.get("type") == "null" or node.get("type") == ["null"])


def _branch_key(doc: dict[str, Any], raw: Any, taken: set[str]) -> str:
    """A name for a oneOf/anyOf branch that survives reordering: its $ref name, else its type."""
    if isinstance(raw, dict) and isinstance(raw.get("$ref"), str):
        key = str(raw["$ref"]).rsplit("/", 1)[-1]
    else:
        view = schema_view(doc, raw)
        key = "|".join(sorted(view.types)) if view.types else "any"
    unique, index = key, 2
    while unique in taken:
        unique, index = f"{key}#{index}", index + 1
    taken.add(unique)
    return unique


def schema_view(doc: dict[str, Any], raw: Any, seen: frozenset[int] = frozenset()) -> SchemaView:
    """What the schema `raw` says (`seen`: the schemas being read further up, for recursion)."""
    node = deref_or_empty(doc, raw)
    view = SchemaView()
    if not isinstance(node, dict) or id(node) in seen:
        return view
    seen = seen | {id(node)}
    _read_own_keywords(node, view)
    for part in node.get("allOf") or []:
        _merge(view, schema_view(doc, part, seen))
    for kind in ("oneOf", "anyOf"):
        _read_branches(doc, node, kind, view, seen)
    if view.types is None and view.properties:
        view.types = frozenset({"object"})
    if view.types is None and view.items is not None:
        view.types = frozenset({"array"})
    return view


def _read_own_keywords(node: dict[str, Any], view: SchemaView) -> None:
    raw_type = node.get("type")
    types = {raw_type} if isinstance(raw_type, str) else set(raw_type or [])
    view.nullable = "null" in types or node.get("nullable") is True
    types.discard("null")
    view.types = frozenset(str(t) for t in types) or None
    view.format = node.get("format") if isinstance(node.get("format"), str) else None
    values = node.get("enum") if isinstance(node.get("enum"), list) else None
    if "const" in node:
        values = [node["const"]]
    if values is not None:
        view.nullable = view.nullable or None in values
        view.enum = {canonical(v): v for v in values if v is not None}
    properties = node.get("properties")
    view.properties = dict(properties) if isinstance(properties, dict) else {}
    view.required = frozenset(r for r in node.get("required") or [] if isinstance(r, str))
    view.items = node.get("items") if isinstance(node.get("items"), dict) else None
    additional = node.get("additionalProperties")
    view.additional = additional if isinstance(additional, dict) else None
    view.read_only = node.get("readOnly") is True
    view.write_only = node.get("writeOnly") is True


def _merge(view: SchemaView, part: SchemaView) -> None:
    """Merge an allOf member into `view` (best effort: properties and requirements add up)."""
    if part.types is not None:
        view.types = part.types if view.types is None else (view.types & part.types or view.types)
    view.nullable = view.nullable or part.nullable
    view.format = view.format or part.format
    view.enum = view.enum if view.enum is not None else part.enum
    for name, schema in part.properties.items():
        view.properties.setdefault(name, schema)
    view.required |= part.required
    view.items = view.items if view.items is not None else part.items
    view.additional = view.additional if view.additional is not None else part.additional
    for key, raw in part.branches.items():
        view.branches.setdefault(key, raw)
    view.read_only = view.read_only or part.read_only
    view.write_only = view.write_only or part.write_only


def _read_branches(
    doc: dict[str, Any], node: dict[str, Any], kind: str, view: SchemaView, seen: frozenset[int]
) -> None:
    members = node.get(kind)
    if not isinstance(members, list):
        return
    real = [m for m in members if not _is_null_schema(doc, m)]
    if len(real) < len(members):
        view.nullable = True
    if len(real) == 1 and view.types is None and not view.properties:
        _merge(view, schema_view(doc, real[0], seen))  # `anyOf: [X, {type: null}]` is a nullable X
        return
    taken: set[str] = set()
    for member in real:
        view.branches[f"{kind}:{_branch_key(doc, member, taken)}"] = member


def covers(wide: frozenset[str] | None, narrow: frozenset[str] | None) -> bool:
    """Does a value of any type in `narrow` also fit `wide`? (an integer is a number)"""
    if wide is None:
        return True
    if narrow is None:
        return False
    return all(t in wide or (t == "integer" and "number" in wide) for t in narrow)


def type_label(view: SchemaView) -> str:
    label = " | ".join(sorted(view.types)) if view.types else "any"
    if view.format:
        label += f" ({view.format})"
    return label
