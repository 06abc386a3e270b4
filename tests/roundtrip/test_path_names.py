"""A path parameter whose name is no Python identifier (`{note-id}`, `{v.1}`): the client
fills it in from its keyword argument, percent-encoded, and the stub reads it back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

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
