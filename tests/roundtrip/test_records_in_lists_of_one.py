"""A get answering its record in a list of one, driven through the generated client:
gotomeeting's `GET /organizers/{organizerKey}` answers an array of one `Organizer`, and its
create answers a list of a short form (`{key, email}`). The stub reads the record schema from
the array's items, as it does for a list, and so stores and lists the values sent; it had
taken the array for the record and listed placeholders, which the corpus round trip could not
find the new record among."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.corpus import roundtrip
from generator import pipeline

from .documents import document, json_content, ok, path_param
from .harness import running

pytestmark = pytest.mark.slow

ORGANIZER = {
    "type": "object",
    "properties": {
        "organizerKey": {"type": "integer", "format": "int64"},
        "email": {"type": "string"},
        "firstName": {"type": "string"},
        "lastName": {"type": "string"},
    },
}
NEW_ORGANIZER = {
    "type": "object",
    "required": ["organizerEmail", "firstName", "lastName"],
    "properties": {
        "organizerEmail": {"type": "string"},
        "firstName": {"type": "string"},
        "lastName": {"type": "string"},
    },
}
SHORT = {
    "type": "object",
    "required": ["key", "email"],
    "properties": {"key": {"type": "integer", "format": "int64"}, "email": {"type": "string"}},
}
_ORGANIZERS = {"type": "array", "items": {"$ref": "#/components/schemas/Organizer"}}
ORGANIZERS = document(
    {"Organizer": ORGANIZER, "NewOrganizer": NEW_ORGANIZER, "OrganizerShort": SHORT},
    {
        "/organizers": {
            "get": {"operationId": "listOrganizers", "tags": ["o"], "responses": ok(_ORGANIZERS)},
            "post": {
                "operationId": "createOrganizer",
                "tags": ["o"],
                "requestBody": {
                    "required": True,
                    "content": json_content({"$ref": "#/components/schemas/NewOrganizer"}),
                },
                "responses": ok(
                    {"type": "array", "items": {"$ref": "#/components/schemas/OrganizerShort"}},
                    "201",
                ),
            },
        },
        "/organizers/{organizerKey}": {
            "parameters": [path_param("organizerKey", {"type": "integer", "format": "int64"})],
            "get": {"operationId": "getOrganizer", "tags": ["o"], "responses": ok(_ORGANIZERS)},
        },
    },
)


def test_a_get_answering_a_list_of_one_answers_the_record_sent(tmp_path: Path) -> None:
    with running(tmp_path, ORGANIZERS, "organizers_listed") as api, api.client() as client:
        client.o.create_organizer(organizer_email="a@example.com", first_name="Ada", last_name="L")
        listed = client.o.list_organizers()
        assert [(o.firstName, o.lastName) for o in listed] == [("Ada", "L")]
        key = listed[0].organizerKey
        assert key is not None
        found = client.o.get_organizer(key)
        assert [(o.organizerKey, o.firstName) for o in found] == [(key, "Ada")]


def test_the_corpus_round_trip_finds_a_record_its_get_answers_in_a_list(tmp_path: Path) -> None:
    spec = tmp_path / "organizers.json"
    spec.write_text(json.dumps(ORGANIZERS))
    pipeline.generate(spec, tmp_path / "out", package_name="organizers")
    result = roundtrip.run(tmp_path / "out", "organizers", timeout=300)
    assert (result["outcome"], result["failed"], result["collections_ok"]) == ("round-trip", {}, 1)
