"""How a success response's media types decide what a generated client method returns."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from generator.ir.operations import OperationReader

BINARY = {"type": "string", "format": "binary"}


@pytest.mark.parametrize(
    ("content", "kind", "type_hint"),
    [
        ({"application/json": {"schema": {"type": "object"}}}, "json", "dict[str, Any]"),
        ({"*/*": {"schema": {"type": "object"}}}, "json", "dict[str, Any]"),  # FastAPI's habit
        ({"application/octet-stream": {"schema": BINARY}}, "binary", "bytes"),
        ({"image/png": {}}, "binary", "bytes"),
        # a file of any media type (the download of an upload): bytes, never parsed as JSON
        ({"*/*": {"schema": BINARY}}, "binary", "bytes"),
        (
            {"application/octet-stream": {"schema": BINARY}, "*/*": {"schema": BINARY}},
            "binary",
            "bytes",
        ),
        ({"*/*": {"schema": {"$ref": "#/components/schemas/File"}}}, "binary", "bytes"),
    ],
)
def test_a_response_is_json_or_bytes(content: dict[str, Any], kind: str, type_hint: str) -> None:
    data = {"openapi": "3.1.0", "paths": {}, "components": {"schemas": {"File": BINARY}}}
    operation = {"responses": {"200": {"description": "ok", "content": content}}}
    shape = OperationReader(data, None).response(operation)  # type: ignore[arg-type]
    assert (shape.kind, shape.type_hint) == (kind, type_hint)


@pytest.mark.parametrize(
    ("schema", "type_hint", "cast_to"),
    [
        ({"$ref": "#/components/schemas/Pet"}, "Pet", "Pet"),
        ({"type": "array", "items": {"type": "integer"}}, "list[int]", "list[int]"),
        # a union as a value is a UnionType, which mypy does not take as `type[_T]`
        (
            {"oneOf": [{"type": "integer"}, {"type": "array", "items": {"type": "string"}}]},
            "int | list[str]",
            'cast("type[int | list[str]]", int | list[str])',
        ),
        # a Literal is no class at all: an inline enum is returned as the type of its values
        ({"type": "string", "enum": ["a", "b's"]}, "str", "str"),
        (
            {"anyOf": [{"enum": [1, 2]}, {"enum": ["x"]}]},
            "int | str",
            'cast("type[int | str]", int | str)',
        ),
    ],
)
def test_what_a_json_response_is_parsed_as_is_a_type(
    schema: dict[str, Any], type_hint: str, cast_to: str
) -> None:
    data = {
        "openapi": "3.1.0",
        "paths": {},
        "components": {"schemas": {"Pet": {"type": "object"}}},
    }
    content = {"application/json": {"schema": schema}}
    operation = {"responses": {"200": {"description": "ok", "content": content}}}
    models = SimpleNamespace(schema_classes={"Pet": "Pet"})
    shape = OperationReader(data, models).response(operation)  # type: ignore[arg-type]
    assert (shape.type_hint, shape.cast_to) == (type_hint, cast_to)
