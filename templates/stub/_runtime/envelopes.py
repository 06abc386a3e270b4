"""Answers that wrap the record: ``{"SynthesisTask": {...}}``, ``{"ok": true, "chargestation":
{...}}``, ``{"result": {...}, "status_code": 200}``, ``{"status": "ok", "data": {"id": ...}}``.

Many documents answer a get or a create with an envelope around the record instead of the
record itself. The stub must store the record (not the envelope), find its identifier inside
it, and answer the record inside the same envelope; the round trip reads it back the same way.

The rule, by names and schemas only (never by data): an answer's object schema wraps the record
when exactly one of its properties is an object, that property is named for the resource
(``chargestation`` under ``/chargestations/``, by the loose match of ``identifiers``) or with a
usual envelope word (``data``, ``result``, ...), and no property of the answer reads as an
identifier (a record has one: ``{"id", "address": {...}}`` is a record, not an envelope).
"""

from __future__ import annotations

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
    objects = [name for name, prop in props.items() if _is_object(tools, prop)]
    if len(objects) != 1:
        return None
    name = objects[0]
    names = {loose(word) for word in resource_names(collection)} | ENVELOPE_WORDS
    return name if loose(name) in names else None


def _is_object(tools: SchemaTools, schema: Any) -> bool:
    return "object" in schema_types(schema, tools) or bool(tools.properties(schema))
