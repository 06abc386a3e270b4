"""A record named by the one identifier its list's references carry, driven through the
generated client: vRNI's HP OneView managers are created with a body that is the record
schema itself (`allOf: [SwitchDataSource]`, `entity_id` and `proxy_id` both, neither readOnly
nor required) and listed as references, `{"results": [{"entity_id", "entity_type"}]}`. A list
of references names records by their identifier: the stub names the record by `entity_id`
(not by an `id` the schema does not show, answering `entity_id: null`), assigned when the
create does not send one, and the corpus round trip reads it back."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.corpus import roundtrip

from .documents import document, json_content, ok, path_param
from .harness import running

pytestmark = pytest.mark.slow

_KIND = {"type": "string", "enum": ["HPOneViewManagerDataSource", "VCenterDataSource"]}
MANAGER = {
    "type": "object",
    "properties": {
        "enabled": {"type": "boolean", "default": True},
        "entity_id": {"type": "string"},
        "entity_type": _KIND,
        "nickname": {"type": "string"},
        "proxy_id": {"type": "string"},
    },
}
REFERENCE = {
    "type": "object",
    "properties": {"entity_id": {"type": "string"}, "entity_type": _KIND},
}
LISTING = {
    "type": "object",
    "properties": {
        "results": {"type": "array", "items": {"$ref": "#/components/schemas/Reference"}},
        "total_count": {"type": "integer"},
    },
}
_MANAGER = {"$ref": "#/components/schemas/Manager"}
MANAGERS = document(
    {
        "Manager": MANAGER,
        "ManagerRequest": {"allOf": [_MANAGER]},
        "Reference": REFERENCE,
        "Listing": LISTING,
    },
    {
        "/data-sources/hpov-managers": {
            "get": {
                "operationId": "listManagers",
                "tags": ["sources"],
                "responses": ok({"$ref": "#/components/schemas/Listing"}),
            },
            "post": {
                "operationId": "addManager",
                "tags": ["sources"],
                "requestBody": {
                    "content": json_content({"$ref": "#/components/schemas/ManagerRequest"}),
                },
                "responses": ok(_MANAGER, "201"),
            },
        },
        "/data-sources/hpov-managers/{id}": {
            "parameters": [path_param("id")],
            "get": {"operationId": "getManager", "tags": ["sources"], "responses": ok(_MANAGER)},
        },
    },
)


def test_a_record_is_named_by_the_identifier_its_list_references_carry(tmp_path: Path) -> None:
    with running(tmp_path, MANAGERS, "managers_direct") as api, api.client() as client:
        request = api.module.models.ManagerRequest
        made = client.sources.add_manager(body=request(nickname="ov1", proxy_id="proxy-1"))
        other = client.sources.add_manager(body=request(nickname="ov2", proxy_id="proxy-1"))
        assert made.entity_id and other.entity_id and made.entity_id != other.entity_id
        found = client.sources.get_manager(made.entity_id)
        assert (found.entity_id, found.nickname) == (made.entity_id, "ov1")
        listed = client.sources.list_managers()
        assert [r.entity_id for r in listed.results or []] == [made.entity_id, other.entity_id]


def test_the_corpus_round_trip_reads_back_a_record_named_in_its_list(tmp_path: Path) -> None:
    with running(tmp_path, MANAGERS, "managers"):
        pass  # generated into tmp_path / "managers"
    result = roundtrip.run(tmp_path / "managers", "managers", timeout=300)
    assert (result["outcome"], result["failed"], result["collections_ok"]) == ("round-trip", {}, 1)
