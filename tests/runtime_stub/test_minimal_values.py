"""The smallest valid value of an object schema honours `minProperties`: the stub's
placeholders and the corpus round trip's create bodies (AWS AppConfig's `Actions`, a map of
one to five action lists, was sent as `{}` and refused by the stub's own validation)."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from .runtime import RUNTIME

_SPEC: dict[str, Any] = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}


def _builder() -> Any:
    schemas = importlib.import_module(RUNTIME.__name__ + ".schemas")
    values = importlib.import_module(RUNTIME.__name__ + ".values")
    return values.ValueBuilder(schemas.SchemaTools(_SPEC)), schemas.SchemaTools(_SPEC)


@pytest.mark.parametrize(
    "schema",
    [
        {  # a map: entries of its additionalProperties schema
            "type": "object",
            "minProperties": 1,
            "maxProperties": 5,
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
        {  # optional properties first, then map entries
            "type": "object",
            "minProperties": 3,
            "required": ["b"],
            "properties": {"a": {"type": "integer"}, "b": {"type": "string", "minLength": 2}},
            "additionalProperties": {"type": "boolean"},
        },
        {  # no more than the properties can give
            "type": "object",
            "minProperties": 1,
            "properties": {"only": {"type": "string"}},
            "additionalProperties": False,
        },
    ],
)
def test_the_minimal_object_has_its_minimum_of_properties(schema: dict[str, Any]) -> None:
    builder, tools = _builder()
    value = builder.minimal(schema)
    assert len(value) >= schema["minProperties"]
    assert tools.is_valid(value, schema), value


def test_no_minimum_keeps_only_the_required_properties() -> None:
    builder, _tools = _builder()
    schema = {"type": "object", "required": ["b"], "properties": {"a": {}, "b": {"type": "string"}}}
    assert builder.minimal(schema) == {"b": ""}
