"""Small documents for the round-trip tests: one collection of notes, secured as asked."""

from __future__ import annotations

import copy
from typing import Any

NOTE = {
    "type": "object",
    "required": ["id", "text"],
    "properties": {"id": {"type": "string", "readOnly": True}, "text": {"type": "string"}},
}
_REF = {"$ref": "#/components/schemas/Note"}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def notes(
    schemes: dict[str, Any] | None = None,
    security: list[dict[str, list[str]]] | None = None,
    *,
    list_security: list[dict[str, list[str]]] | None = None,
) -> dict[str, Any]:
    """`/notes` (create, list) and `/notes/{id}` (get), under `schemes` and `security`;
    `list_security` overrides the list operation's requirement."""
    listing: dict[str, Any] = {
        "operationId": "listNotes",
        "tags": ["notes"],
        "responses": {
            "200": {"description": "ok", "content": _json({"type": "array", "items": _REF})}
        },
    }
    if list_security is not None:
        listing["security"] = list_security
    spec: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "Notes", "version": "1.0.0"},
        "components": {"schemas": {"Note": copy.deepcopy(NOTE)}},
        "paths": {
            "/notes": {
                "get": listing,
                "post": {
                    "operationId": "createNote",
                    "tags": ["notes"],
                    "requestBody": {"required": True, "content": _json(_REF)},
                    "responses": {"201": {"description": "created", "content": _json(_REF)}},
                },
            },
            "/notes/{id}": {
                "get": {
                    "operationId": "getNote",
                    "tags": ["notes"],
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": {"200": {"description": "ok", "content": _json(_REF)}},
                }
            },
        },
    }
    if schemes:
        spec["components"]["securitySchemes"] = schemes
    if security is not None:
        spec["security"] = security
    return spec


def json_content(schema: dict[str, Any]) -> dict[str, Any]:
    """A `content` of one JSON media type."""
    return {"application/json": {"schema": schema}}


def ok(schema: dict[str, Any], status: str = "200") -> dict[str, Any]:
    """`responses` answering `schema` as JSON with `status`."""
    return {status: {"description": "ok", "content": json_content(schema)}}


def path_param(name: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    """A required path parameter (a string unless `schema` says)."""
    return {"name": name, "in": "path", "required": True, "schema": schema or {"type": "string"}}


def document(schemas: dict[str, Any], paths: dict[str, Any]) -> dict[str, Any]:
    """A document of `paths` with no security scheme."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "Records", "version": "1.0.0"},
        "components": {"schemas": schemas},
        "paths": paths,
    }
