"""How a success response's media types decide what a generated client method returns."""

from __future__ import annotations

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
