"""Answers that wrap records: a list's envelope (``{"count", "results": [...]}``, ``{"Items":
[...]}``, ``{"channelCatalogs": {"<id>": {...}}}``) and a record's (``{"SynthesisTask": {...}}``,
``{"ok": true, "chargestation": {...}}``, ``{"result": {...}, "status_code": 200}``,
``{"status": "ok", "data": {"id": ...}}``).

Many documents answer a get or a create with an envelope around the record instead of the
record itself, some with two (YNAB's ``{"data": {"account": {...}}}``), and some send it in one
(``{"account": {...}}``: :func:`request_property`). The stub must store the record (not the
envelope), find its identifier inside it, and answer the record inside the same envelope; the
round trip reads it back the same way.

A list keeps its records in its answer's array, in a property of it (:func:`list_property`),
or one level deeper, inside an object property (HAL's ``{"_embedded": {"members": [...]}}``,
``{"data": {"items": [...], "cursor": ...}}``): :func:`list_path` says where.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .identifiers import is_id_like, loose, resource_names
from .schemas import SchemaTools, schema_types

ENVELOPE_WORDS = frozenset({"data", "result", "item", "record", "resource", "object", "entity"})


def record_property(tools: SchemaTools, schema: Any, collection: str) -> str | None:
    """The property of an answer ``schema`` that holds a record of ``collection``, or None
    when the answer is the record itself (or no object at all)."""
    props = tools.properties(schema)
    if not props or any(is_id_like(name) for name in props):
        return None
    objects = [name for name, prop in props.items() if is_object(tools, prop)]
    # beside other objects (`{"action": {...}, "certificate": {...}}`), the one named
    # after the collection
    named = {loose(word) for word in resource_names(collection)}
    if len(objects) > 1:
        objects = [name for name in objects if loose(name) in named]
    if len(objects) != 1:
        return None
    name = objects[0]
    return name if loose(name) in named | ENVELOPE_WORDS else None


def request_property(tools: SchemaTools, schema: Any, collection: str) -> str | None:
    """The property of a create's or an update's body ``schema`` that wraps the record sent
    (Rails's ``{"account": {...}}`` under ``/accounts/``): its only property, an object named
    for the resource; None when the body is the record itself."""
    props = tools.properties(schema)
    if len(props) != 1:
        return None
    name, prop = next(iter(props.items()))
    named = {loose(word) for word in resource_names(collection)}
    return name if loose(name) in named and is_object(tools, prop) else None


def is_object(tools: SchemaTools, schema: Any) -> bool:
    """Whether a record can be an instance of ``schema``: typed ``object`` or having properties."""
    return "object" in schema_types(schema, tools) or bool(tools.properties(schema))


def list_item_schema(tools: SchemaTools, schema: Any) -> Any:
    """The item schema of a list response (paginated envelope or plain array)."""
    schema = tools.resolve(schema)
    if not isinstance(schema, Mapping):
        return None
    path = list_path(tools, schema)
    if path is not None:
        results = records_schema(tools, schema, path)
        keyed = record_map_schema(tools, results)
        if keyed is not None:
            return keyed
        return tools.resolve(results.get("items")) if isinstance(results, Mapping) else None
    if "items" in schema:
        return tools.resolve(schema["items"])
    return None


def list_path(tools: SchemaTools, schema: Any) -> tuple[str, ...] | None:
    """Where a list answer keeps its records: ``(name,)`` for a property of the answer
    (:func:`list_property`), else ``(outer, inner)`` when exactly one object property of the
    answer keeps, by the same rule, an array of records or a map of records by id, and has no
    identifier of its own (that is a record); None for a plain array or anything else. By
    schemas only, whatever the properties are called."""
    direct = list_property(tools, schema)
    if direct is not None:
        return (direct,)
    found: list[tuple[str, str]] = []
    for outer, prop in tools.properties(schema).items():
        if is_id_like(outer) or not is_object(tools, prop):
            continue
        props = tools.properties(prop)
        if record_map_schema(tools, prop) is not None or any(is_id_like(n) for n in props):
            continue  # a record (``{"file_id", "tags": [...]}``), not an envelope
        inner = list_property(tools, prop)
        if inner is not None and _holds_records(tools, props[inner]):
            found.append((outer, inner))
    return found[0] if len(found) == 1 else None


def records_schema(tools: SchemaTools, schema: Any, path: tuple[str, ...]) -> Any:
    """The schema of the property at ``path`` (:func:`list_path`) in a list answer's
    ``schema``."""
    for name in path:
        schema = tools.resolve(tools.properties(schema).get(name))
    return schema


def _holds_records(tools: SchemaTools, schema: Any) -> bool:
    """Whether ``schema`` is an array of objects or a map of records by id."""
    if record_map_schema(tools, schema) is not None:
        return True
    schema = tools.resolve(schema)
    items = tools.resolve(schema.get("items")) if isinstance(schema, Mapping) else None
    return isinstance(items, Mapping) and is_object(tools, items)


def _of_scalars(tools: SchemaTools, schema: Any) -> bool:
    """Whether ``schema`` is an array whose items are scalars (strings, numbers, booleans)."""
    schema = tools.resolve(schema)
    items = tools.resolve(schema.get("items")) if isinstance(schema, Mapping) else None
    types = schema_types(items, tools) if isinstance(items, Mapping) else set()
    return bool(types) and not types & {"object", "array"} and not tools.properties(items)


def list_property(tools: SchemaTools, schema: Any) -> str | None:
    """The property of a list envelope that holds the records: ``results`` (DRF), else the
    envelope's only array property (``Items``, ``data``, ``feeds``), or its only array of
    objects where the others are arrays of scalars (Lucidtech's ``dataBundles`` beside
    ``status``, an array of enum strings), else, with no array, its only map of records by id
    (:func:`record_map_schema`); None for anything else."""
    props = tools.properties(schema)
    if "results" in props:
        return "results"
    arrays = [name for name, prop in props.items() if "array" in schema_types(prop, tools)]
    records = [name for name in arrays if _holds_records(tools, props[name])]
    if len(records) == 1 and all(_of_scalars(tools, props[n]) for n in arrays if n not in records):
        return records[0]
    if arrays:
        return arrays[0] if len(arrays) == 1 else None
    maps = [name for name, prop in props.items() if record_map_schema(tools, prop) is not None]
    return maps[0] if len(maps) == 1 else None


def record_map_schema(tools: SchemaTools, schema: Any) -> Any:
    """The record schema of a map of records by identifier (``{"type": "object",
    "additionalProperties": {"$ref": ".../channelCatalog"}}``, a list envelope's records keyed
    by id); None for any other schema."""
    schema = tools.resolve(schema)
    if not isinstance(schema, Mapping) or schema.get("properties"):
        return None
    record = tools.resolve(schema.get("additionalProperties"))
    return record if isinstance(record, Mapping) and tools.properties(record) else None
