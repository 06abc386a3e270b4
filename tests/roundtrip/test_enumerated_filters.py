"""A get whose item parameter is an enum (trakt's `GET /sync/collection/{type}`, movies or
shows) is a filter, not a read of the record a create made: the corpus round trip does not
read the record back there (it asked for `/sync/collection/<uuid>` and the stub rightly
answered 400); with no list either, the collection is not checkable, saying why."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.corpus import roundtrip

from .documents import document, json_content, ok, path_param
from .harness import running

pytestmark = pytest.mark.slow

ITEM = {
    "type": "object",
    "properties": {"id": {"type": "string", "readOnly": True}, "title": {"type": "string"}},
}
_ITEM = {"$ref": "#/components/schemas/Item"}
COLLECTION = document(
    {"Item": ITEM},
    {
        "/collection": {
            "post": {
                "operationId": "addToCollection",
                "tags": ["collection"],
                "requestBody": {"required": True, "content": json_content(_ITEM)},
                "responses": ok(_ITEM, "201"),
            },
        },
        "/collection/{type}": {
            "parameters": [path_param("type", {"type": "string", "enum": ["movies", "shows"]})],
            "get": {
                "operationId": "getCollection",
                "tags": ["collection"],
                "responses": ok({"type": "array", "items": _ITEM}),
            },
        },
    },
)


def test_a_get_by_an_enum_is_no_read_of_a_created_record(tmp_path: Path) -> None:
    with running(tmp_path, COLLECTION, "collection"):
        pass
    result = roundtrip.run(tmp_path / "collection", "collection", timeout=300)
    assert result["failed"] == {}, result
    assert result["unchecked"] == {
        "/collection/": (
            "its get takes one of a fixed set of values (an enum) where a record's identifier "
            "goes, and there is no list"
        )
    }
