"""A path parameter whose name is no Python identifier (`{note-id}`, `{book.name}`): the
client fills it in from its keyword argument, percent-encoded, and the stub reads it back; and
one naming a record's property after its resource (`/roles/{role-name}`: its `name`, beside an
`id`), through the round-trip column of `make corpus`, in a document naming no operation
(the stub finds an operation by its route's path then)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench.corpus import roundtrip
from generator import pipeline

from .harness import running

pytestmark = pytest.mark.slow

NOTE = {
    "type": "object",
    "required": ["note-id", "text"],
    "properties": {"note-id": {"type": "string", "readOnly": True}, "text": {"type": "string"}},
}
_REF = {"$ref": "#/components/schemas/Note"}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _param(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Dashed", "version": "1.0.0"},
    "components": {"schemas": {"Note": NOTE}},
    "paths": {
        "/{book.name}/notes": {
            "parameters": [_param("book.name")],
            "get": {
                "operationId": "listNotes",
                "tags": ["notes"],
                "responses": {
                    "200": {"description": "ok", "content": _json({"type": "array", "items": _REF})}
                },
            },
            "post": {
                "operationId": "createNote",
                "tags": ["notes"],
                "requestBody": {"required": True, "content": _json(_REF)},
                "responses": {"201": {"description": "created", "content": _json(_REF)}},
            },
        },
        "/{book.name}/notes/{note-id}": {
            "parameters": [_param("book.name"), _param("note-id")],
            "get": {
                "operationId": "getNote",
                "tags": ["notes"],
                "responses": {"200": {"description": "ok", "content": _json(_REF)}},
            },
        },
    },
}


def test_path_parameters_named_with_any_characters_round_trip(tmp_path: Path) -> None:
    with running(tmp_path, SPEC, "dashed") as run, run.client() as client:
        made = client.notes.create_note("a b?c", text="first")
        ident = made.note_id
        got = client.notes.get_note("a b?c", ident)
        assert (got.note_id, got.text) == (ident, "first")
        assert [n.note_id for n in client.notes.list_notes("a b?c")] == [ident]


ROLE = {
    "type": "object",
    "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
}
_ROLE = {"$ref": "#/components/schemas/Role"}
ROLES: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Roles", "version": "1.0.0"},
    "components": {"schemas": {"Role": ROLE}},
    "paths": {
        "/{realm}/roles": {
            "parameters": [_param("realm")],
            "get": {
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": _json({"type": "array", "items": _ROLE}),
                    }
                },
            },
            "post": {
                "requestBody": {"required": True, "content": _json(_ROLE)},
                "responses": {"201": {"description": "created"}},
            },
        },
        "/{realm}/roles/{role-name}": {
            "parameters": [_param("realm"), _param("role-name")],
            "get": {
                "responses": {"200": {"description": "ok", "content": _json(_ROLE)}},
            },
        },
    },
}


def test_a_record_named_by_a_property_after_its_resource_round_trips(tmp_path: Path) -> None:
    document = tmp_path / "roles.json"
    document.write_text(json.dumps(ROLES))
    out = tmp_path / "out"
    pipeline.generate(document, out, package_name="roles")
    result = roundtrip.run(out, "roles", timeout=300)
    assert result["failed"] == {}
    assert (result["outcome"], result["collections"], result["collections_ok"]) == (
        "round-trip",
        1,
        1,
    )
