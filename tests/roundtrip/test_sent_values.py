"""The values the round-trip column of `make corpus` (bench/corpus/roundtrip.py) sends in a
create: one the record schema holds too where it is stricter than the body's (iQualify's
offering users: any text sent, an `email` listed), and a text for a required untyped form
field (Twilio Sync's `Data`), which a null would leave out of the form."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench.corpus import roundtrip
from generator import pipeline

from .documents import document, json_content, ok, path_param

pytestmark = pytest.mark.slow

_MEMBER = {
    "type": "object",
    "properties": {
        "id": {"type": "string"},
        "email": {"type": "string", "format": "email"},
        "isMarker": {"type": "boolean", "default": False},
    },
}
_SENT_MEMBER = {
    "type": "object",
    "required": ["email"],
    "properties": {
        "email": {"type": "string", "minLength": 1},
        "isMarker": {"type": "boolean", "default": False},
    },
}
STRICTER_RECORD = document(
    {"Member": _MEMBER},
    {
        "/members": {
            "post": {
                "operationId": "addMembers",
                "tags": ["members"],
                "requestBody": {
                    "required": True,
                    "content": json_content({"type": "array", "items": _SENT_MEMBER}),
                },
                "responses": ok({"type": "array", "items": _SENT_MEMBER}, "201"),
            },
            "get": {
                "operationId": "listMembers",
                "tags": ["members"],
                "responses": ok(
                    {"type": "array", "items": {"$ref": "#/components/schemas/Member"}}
                ),
            },
        },
    },
)
_ITEM = {
    "type": "object",
    "properties": {"key": {"type": "string"}, "data": {"nullable": True}},
}
_FORM_ITEM = {
    "type": "object",
    "required": ["Key", "Data"],
    "properties": {"Key": {"type": "string"}, "Data": {"description": "A JSON string"}},
}
FORM_UNTYPED = document(
    {"Item": _ITEM},
    {
        "/maps/{mapSid}/items": {
            "parameters": [path_param("mapSid")],
            "post": {
                "operationId": "createItem",
                "tags": ["items"],
                "requestBody": {
                    "required": True,
                    "content": {"application/x-www-form-urlencoded": {"schema": _FORM_ITEM}},
                },
                "responses": ok({"$ref": "#/components/schemas/Item"}, "201"),
            },
        },
        "/maps/{mapSid}/items/{key}": {
            "parameters": [path_param("mapSid"), path_param("key")],
            "get": {
                "operationId": "getItem",
                "tags": ["items"],
                "responses": ok({"$ref": "#/components/schemas/Item"}),
            },
        },
    },
)


def _round_trip(tmp_path: Path, spec: dict[str, Any], package: str) -> dict[str, Any]:
    path = tmp_path / f"{package}.json"
    path.write_text(json.dumps(spec))
    pipeline.generate(path, tmp_path / "out", package_name=package)
    result: dict[str, Any] = roundtrip.run(tmp_path / "out", package, timeout=300)
    return result


def test_a_create_sends_a_value_its_stricter_record_holds(tmp_path: Path) -> None:
    """The body takes any email text, the listed record an `email`: `"x"` would be listed
    as null and the member not found by what it was sent."""
    result = _round_trip(tmp_path, STRICTER_RECORD, "stricter_record")
    assert (result["outcome"], result["failed"], result["collections_ok"]) == ("round-trip", {}, 1)


def test_a_required_untyped_form_field_is_sent(tmp_path: Path) -> None:
    """A form cannot send a null: the required untyped `Data` gets a text, else the stub
    answers "Data: This field is required"."""
    result = _round_trip(tmp_path, FORM_UNTYPED, "form_untyped")
    assert (result["outcome"], result["failed"], result["collections_ok"]) == ("round-trip", {}, 1)
