"""The round-trip column of `make corpus` (bench/corpus/roundtrip.py) on documents shaped as
real ones are: a create's body that is a `oneOf` of objects told apart by an `enum` only, or an
`anyOf` of branches naming only which of their siblings' properties are required, or a `oneOf`
of two arrays; and a create answering its record beside another object with an identifier
(`{"action": {"id": ...}, "transfer": {"id": ...}}`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench.corpus import roundtrip
from generator import pipeline

pytestmark = pytest.mark.slow


def _ok(schema: dict[str, Any], status: str = "200") -> dict[str, Any]:
    return {status: {"description": "ok", "content": {"application/json": {"schema": schema}}}}


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _mode(kind: str, extra: str) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "amount": {"type": "integer"},
            "payeeType": {"type": "string", "enum": [kind]},
            extra: {"type": "string"},
        },
    }


TRANSFER = {
    "type": "object",
    "properties": {"id": {"type": "integer", "readOnly": True}, "amount": {"type": "integer"}},
}
PLACE = {
    "type": "object",
    "additionalProperties": False,
    "anyOf": [{"required": ["location"]}, {"required": ["zone"]}],
    "properties": {
        "name": {"type": "string"},
        "zone": {"type": "string", "format": "uuid"},
        "location": {
            "type": "object",
            "required": ["lat", "lng"],
            "properties": {"lat": {"type": "number"}, "lng": {"type": "number"}},
        },
    },
}
_DEVICE = {"type": "object", "additionalProperties": False, "required": ["name"]}
DEVICES = {
    "oneOf": [
        {"type": "array", "items": {**_DEVICE, "properties": {"name": {"type": "string"}}}},
        {
            "type": "array",
            "items": {
                **_DEVICE,
                "required": ["serial"],
                "properties": {"serial": {"type": "string"}},
            },
        },
    ]
}
UPLOAD = {"type": "object", "properties": {"id": {"type": "string", "readOnly": True}}}
ACTION = {
    "type": "object",
    "nullable": True,
    "required": ["id", "command"],
    "properties": {"id": {"type": "integer"}, "command": {"type": "string"}},
}


def _collection(name: str, body: dict[str, Any], answer: dict[str, Any], record: Any) -> Any:
    return {
        f"/{name}": {
            "post": {
                "operationId": f"create_{name}",
                "requestBody": _body(body),
                "responses": _ok(answer, "201"),
            },
        },
        f"/{name}/{{id}}": {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": record}],
            "get": {"operationId": f"get_{name}", "responses": _ok(answer)},
        },
    }


SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Bodies", "version": "1.0.0"},
    "paths": {
        **_collection(
            "transfers",
            {"oneOf": [_mode("ACCOUNT", "iban"), _mode("PAYEE", "payeeId")]},
            {
                "type": "object",
                "properties": {"action": ACTION, "transfer": TRANSFER},
                "required": ["transfer"],
            },
            {"type": "integer"},
        ),
        **_collection("places", PLACE, {**TRANSFER}, {"type": "integer"}),
        **_collection("uploads", DEVICES, UPLOAD, {"type": "string"}),
    },
}


def test_bodies_of_one_branch_and_records_beside_other_objects_round_trip(
    tmp_path: Path,
) -> None:
    document = tmp_path / "bodies.json"
    document.write_text(json.dumps(SPEC))
    out = tmp_path / "out"
    pipeline.generate(document, out, package_name="bodies")
    result = roundtrip.run(out, "bodies", timeout=300)
    assert result["failed"] == {}
    assert (result["outcome"], result["collections"], result["collections_ok"]) == (
        "round-trip",
        3,
        3,
    )


REPORT = {"type": "object", "properties": {"id": {"type": "integer", "readOnly": True}}}
QUERIED: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Queried", "version": "1.0.0"},
    "paths": {
        "/reports": {
            "post": {
                "operationId": "createReport",
                "parameters": [
                    {
                        "name": "typeid",
                        "in": "query",
                        "required": True,
                        "style": "form",
                        "explode": False,
                        "schema": {"type": "array", "items": {"type": "integer"}},
                    }
                ],
                "requestBody": _body(REPORT),
                "responses": _ok(REPORT, "201"),
            },
        },
        "/reports/{id}": {
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
            ],
            "get": {"operationId": "getReport", "responses": _ok(REPORT)},
        },
    },
}


def test_a_create_with_a_required_array_query_parameter_round_trips(tmp_path: Path) -> None:
    document = tmp_path / "queried.json"
    document.write_text(json.dumps(QUERIED))
    out = tmp_path / "out"
    pipeline.generate(document, out, package_name="queried")
    result = roundtrip.run(out, "queried", timeout=300)
    assert result["failed"] == {}
    assert (result["outcome"], result["collections"], result["collections_ok"]) == (
        "round-trip",
        1,
        1,
    )


SCOPE = {"type": "object", "properties": {"id": {"type": "string", "readOnly": True}}}
MAPPER = {
    "type": "object",
    "properties": {"id": {"type": "string", "readOnly": True}, "name": {"type": "string"}},
}


def _params(*names: str) -> list[dict[str, Any]]:
    return [
        {"name": n, "in": "path", "required": True, "schema": {"type": "string"}} for n in names
    ]


RENAMED: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Renamed", "version": "1.0.0"},
    "paths": {
        "/scopes": {
            "post": {
                "operationId": "createScope",
                "requestBody": _body(SCOPE),
                "responses": _ok(SCOPE, "201"),
            },
        },
        "/scopes/{id}": {
            "parameters": _params("id"),
            "get": {"operationId": "getScope", "responses": _ok(SCOPE)},
        },
        "/scopes/{id}/mappers": {
            "parameters": _params("id"),
            "post": {
                "operationId": "createMapper",
                "requestBody": _body(MAPPER),
                "responses": _ok(MAPPER, "201"),
            },
        },
        "/scopes/{id1}/mappers/{id2}": {
            "parameters": _params("id1", "id2"),
            "get": {"operationId": "getMapper", "responses": _ok(MAPPER)},
        },
    },
}


def test_a_parent_named_otherwise_by_the_get_than_by_the_create_round_trips(
    tmp_path: Path,
) -> None:
    document = tmp_path / "renamed.json"
    document.write_text(json.dumps(RENAMED))
    out = tmp_path / "out"
    pipeline.generate(document, out, package_name="renamed")
    result = roundtrip.run(out, "renamed", timeout=300)
    assert result["failed"] == {}
    assert (result["outcome"], result["collections"], result["collections_ok"]) == (
        "round-trip",
        2,
        2,
    )
