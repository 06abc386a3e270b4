"""Lists that keep their records one level deep inside an object property of their answer,
driven through the generated client: a HAL list (`{"_embedded": {"members": [...], "owner":
{...}}}`) and a `{"data": {"items": [...], "cursor": ...}}` page; and what the corpus round trip
(bench/corpus/roundtrip.py) makes of them. The stub finds the records' place by the list's
schema, not by the name of the property."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from bench.corpus import roundtrip
from generator import pipeline

from .documents import document, json_content, ok, path_param
from .harness import running

pytestmark = pytest.mark.slow

MEMBER = {
    "type": "object",
    "required": ["name"],
    "properties": {"key": {"type": "string", "readOnly": True}, "name": {"type": "string"}},
}
_MEMBER = {"$ref": "#/components/schemas/Member"}
TAG = {
    "type": "object",
    "required": ["label"],
    "properties": {"id": {"type": "string", "readOnly": True}, "label": {"type": "string"}},
}
_TAG = {"$ref": "#/components/schemas/Tag"}
_LINK = {"type": "object", "properties": {"href": {"type": "string"}}}
NESTED = document(
    {"Member": MEMBER, "Tag": TAG},
    {
        "/{account}/members": {
            "parameters": [path_param("account")],
            "post": {
                "operationId": "createMember",
                "tags": ["members"],
                "requestBody": {"content": json_content(_MEMBER)},
                "responses": ok(_MEMBER),
            },
            "get": {
                "operationId": "listMembers",
                "tags": ["members"],
                "responses": ok(
                    {
                        "type": "object",
                        "properties": {
                            "_links": {"type": "object", "properties": {"self": _LINK}},
                            "_embedded": {
                                "type": "object",
                                "properties": {
                                    "owner": _MEMBER,
                                    "members": {"type": "array", "items": _MEMBER},
                                },
                            },
                        },
                    }
                ),
            },
        },
        "/{account}/members/{member_key}": {
            "parameters": [path_param("account"), path_param("member_key")],
            "patch": {
                "operationId": "updateMember",
                "tags": ["members"],
                "requestBody": {"content": json_content(_MEMBER)},
                "responses": ok(_MEMBER),
            },
        },
        "/tags": {
            "post": {
                "operationId": "createTag",
                "tags": ["tags"],
                "requestBody": {"content": json_content(_TAG)},
                "responses": ok(_TAG, "201"),
            },
            "get": {
                "operationId": "listTags",
                "tags": ["tags"],
                "responses": ok(
                    {
                        "type": "object",
                        "required": ["data"],
                        "properties": {
                            "data": {
                                "type": "object",
                                "required": ["items", "cursor"],
                                "properties": {
                                    "items": {"type": "array", "items": _TAG},
                                    "cursor": {"type": "string"},
                                },
                            }
                        },
                    }
                ),
            },
        },
        "/tags/{id}": {
            "parameters": [path_param("id")],
            "delete": {
                "operationId": "deleteTag",
                "tags": ["tags"],
                "responses": {"204": {"description": "gone"}},
            },
        },
    },
)


def test_a_list_answers_its_records_one_level_deep_where_its_schema_keeps_them(
    tmp_path: Path,
) -> None:
    with running(tmp_path, NESTED, "nested_lists") as api, api.client() as client:
        client.members.create_member("acme", name="ada")
        client.members.create_member("acme", name="bo")
        embedded = client.members.list_members("acme").field_embedded
        assert embedded is not None and embedded.members is not None
        assert [m.name for m in embedded.members] == ["ada", "bo"]
        first, second = client.tags.create_tag(label="red"), client.tags.create_tag(label="blue")
        page = client.tags.list_tags().data
        assert [(t.id, t.label) for t in page.items] == [(first.id, "red"), (second.id, "blue")]
        assert isinstance(page.cursor, str)


def test_the_corpus_round_trip_finds_records_one_level_deep_in_a_list(tmp_path: Path) -> None:
    spec = tmp_path / "nested.json"
    spec.write_text(json.dumps(NESTED))
    pipeline.generate(spec, tmp_path / "out", package_name="nested")
    result = roundtrip.run(tmp_path / "out", "nested", timeout=300)
    assert (result["outcome"], result["failed"], result["collections_ok"]) == ("round-trip", {}, 2)


def test_an_object_property_with_an_identifier_is_a_record_not_a_list_envelope() -> None:
    from tests.runtime_stub.runtime import PACKAGE

    schemas = importlib.import_module(PACKAGE + "._runtime.schemas")
    envelopes = importlib.import_module(PACKAGE + "._runtime.envelopes")
    tools = schemas.SchemaTools({})
    tag = {"type": "object", "properties": {"label": {"type": "string"}}}
    inner = {"tags": {"type": "array", "items": tag}, "cursor": {"type": "string"}}
    envelope = {"type": "object", "properties": {"page": {"type": "object", "properties": inner}}}
    assert envelopes.list_path(tools, envelope) == ("page", "tags")
    record = {"file_id": {"type": "string"}, **inner}
    one_file = {
        "type": "object",
        "properties": {"result": {"type": "object", "properties": record}},
    }
    assert envelopes.list_path(tools, one_file) is None
