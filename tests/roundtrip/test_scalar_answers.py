"""A create that answers a bare value which is not the record's identifier, driven through the
generated client: `POST /entities` answers a uuid while entities are named by an integer `id`
and carry a uuid `token` (as i-cue.solutions' organizations do). The stub answers the new
record's own token, a new one for each record, and the corpus round trip
(bench/corpus/roundtrip.py) finds the record in the list by it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.corpus import roundtrip
from generator import pipeline

from .documents import document, json_content, ok, path_param
from .harness import running

pytestmark = pytest.mark.slow

ENTITY = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "id": {"type": "integer", "format": "int32"},
        "name": {"type": "string", "nullable": True},
        "email": {"type": "string", "nullable": True},
        "token": {"type": "string", "format": "uuid"},
    },
}
NEW_ENTITY = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"name": {"type": "string", "nullable": True}},
}
TOKENS = document(
    {"Entity": ENTITY, "NewEntity": NEW_ENTITY},
    {
        "/entities": {
            "get": {
                "operationId": "listEntities",
                "tags": ["entities"],
                "responses": ok(
                    {"type": "array", "items": {"$ref": "#/components/schemas/Entity"}}
                ),
            },
            "post": {
                "operationId": "createEntity",
                "tags": ["entities"],
                "requestBody": {
                    "content": json_content({"$ref": "#/components/schemas/NewEntity"})
                },
                "responses": ok({"type": "string", "format": "uuid"}),
            },
        },
        "/entities/{id}": {
            "parameters": [path_param("id", {"type": "integer", "format": "int32"})],
            "delete": {
                "operationId": "deleteEntity",
                "tags": ["entities"],
                "responses": {"200": {"description": "gone"}},
            },
        },
    },
)


def test_a_create_answering_a_uuid_answers_the_new_records_uuid_property(
    tmp_path: Path,
) -> None:
    with running(tmp_path, TOKENS, "entity_tokens") as api, api.client() as client:
        first = client.entities.create_entity(name="north")
        second = client.entities.create_entity(name="south")
        assert first != second
        listed = client.entities.list_entities()
        assert [(e.name, str(e.token)) for e in listed] == [
            ("north", str(first)),
            ("south", str(second)),
        ]
        assert len({e.id for e in listed}) == 2


def test_the_corpus_round_trip_finds_the_record_by_the_value_its_create_answered(
    tmp_path: Path,
) -> None:
    spec = tmp_path / "tokens.json"
    spec.write_text(json.dumps(TOKENS))
    pipeline.generate(spec, tmp_path / "out", package_name="tokens")
    result = roundtrip.run(tmp_path / "out", "tokens", timeout=300)
    assert (result["outcome"], result["failed"], result["collections_ok"]) == ("round-trip", {}, 1)


_MESSAGE = {"type": "object", "properties": {"message": {"type": "string"}}}
FLAGGED = document(
    {"Message": _MESSAGE},
    {
        "/messages": {
            "post": {
                "operationId": "saveMessage",
                "tags": ["messages"],
                "requestBody": {"content": json_content({"$ref": "#/components/schemas/Message"})},
                "responses": ok({"type": "boolean"}),
            },
        },
        "/messages/{itemId}": {
            "parameters": [path_param("itemId", {"type": "integer"})],
            "get": {
                "operationId": "getMessage",
                "tags": ["messages"],
                "responses": ok({"$ref": "#/components/schemas/Message"}),
            },
        },
    },
)


def test_a_create_answering_a_boolean_names_no_record(tmp_path: Path) -> None:
    """Magento's gift messages: the create answers `true`, a success flag, not an identifier
    to read the record back by (`GET /messages/False` was tried): not checkable."""
    spec = tmp_path / "flagged.json"
    spec.write_text(json.dumps(FLAGGED))
    pipeline.generate(spec, tmp_path / "out", package_name="flagged")
    result = roundtrip.run(tmp_path / "out", "flagged", timeout=300)
    assert (result["outcome"], result["failed"]) == ("not applicable", {})
    assert list(result["unchecked"]) == ["/messages/"]
