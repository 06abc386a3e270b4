"""readOnly properties are never demanded by a create: not a keyword argument the client
requires, nor a field its stub requires, wherever the schema says readOnly (on a base model of
an `allOf`, or on a schema a property names through `allOf: [{$ref}]` beside a description),
and the stub fills them in."""

from __future__ import annotations

import inspect
import typing
from pathlib import Path
from typing import Any

import pytest

from .harness import KEY_A, running

pytestmark = pytest.mark.slow


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Bundles", "version": "1.0.0"},
    "components": {
        "schemas": {
            "Base": {
                "type": "object",
                "required": ["BundleID"],
                "properties": {"BundleID": {"type": "string", "readOnly": True}},
            },
            "Stamp": {"type": "string", "readOnly": True},
            "Bundle": {
                "allOf": [
                    _ref("Base"),
                    {
                        "type": "object",
                        "required": ["Name", "Stamp"],
                        "properties": {
                            "Name": {"type": "string"},
                            "Stamp": {"allOf": [_ref("Stamp")], "description": "When."},
                        },
                    },
                ]
            },
        }
    },
    "paths": {
        "/bundles": {
            "post": {
                "operationId": "createBundle",
                "tags": ["bundles"],
                "requestBody": {"required": True, "content": _json(_ref("Bundle"))},
                "responses": {"201": {"description": "ok", "content": _json(_ref("Bundle"))}},
            }
        },
        "/bundles/{id}": {
            "get": {
                "operationId": "getBundle",
                "tags": ["bundles"],
                "parameters": [
                    {
                        "name": "id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "responses": {"200": {"description": "ok", "content": _json(_ref("Bundle"))}},
            }
        },
    },
}


def test_read_only_fields_are_not_demanded_and_are_filled_in(tmp_path: Path) -> None:
    with (
        running(tmp_path, SPEC, "read_only") as api,
        api.client(api_key=KEY_A) as client,
    ):
        fields = typing.get_overloads(type(client.bundles).create_bundle)[0]
        assert inspect.signature(fields).parameters["stamp"].default is not inspect._empty
        made = client.bundles.create_bundle(name="first")
        wire = made.model_dump(mode="json", by_alias=True)
        assert wire["Name"] == "first" and wire["BundleID"] and "Stamp" in wire
        assert client.bundles.get_bundle(made.BundleID).Name == "first"
