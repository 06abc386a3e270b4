"""A record whose identifier the server assigns, driven through the generated client: vRNI's
data sources are read at `/data-sources/vcenters/{id}`, and the record names itself by
`entity_id`, neither readOnly nor required, beside `proxy_id`, which the client sends. The
create's body does not send `entity_id`: the stub names the record by it (not by an `id` the
schema does not show, answering `entity_id: null`), and the corpus round trip reads it back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.corpus import roundtrip
from generator import pipeline

from .documents import document, json_content, ok, path_param
from .harness import running

pytestmark = pytest.mark.slow

_FIELDS = {
    "enabled": {"type": "boolean", "default": True},
    "nickname": {"type": "string"},
    "proxy_id": {"type": "string"},
}
SOURCE = {
    "type": "object",
    "properties": {"entity_id": {"type": "string"}, **_FIELDS},
}
SOURCE_REQUEST = {"type": "object", "required": ["proxy_id", "nickname"], "properties": _FIELDS}
_SOURCE = {"$ref": "#/components/schemas/Source"}
SOURCES = document(
    {"Source": SOURCE, "SourceRequest": SOURCE_REQUEST},
    {
        "/data-sources/vcenters": {
            "post": {
                "operationId": "addVcenter",
                "tags": ["sources"],
                "requestBody": {
                    "required": True,
                    "content": json_content({"$ref": "#/components/schemas/SourceRequest"}),
                },
                "responses": ok(_SOURCE, "201"),
            },
        },
        "/data-sources/vcenters/{id}": {
            "parameters": [path_param("id")],
            "get": {"operationId": "getVcenter", "tags": ["sources"], "responses": ok(_SOURCE)},
        },
    },
)


def test_a_record_is_named_by_the_only_identifier_its_create_does_not_send(
    tmp_path: Path,
) -> None:
    with running(tmp_path, SOURCES, "sources_assigned") as api, api.client() as client:
        made = client.sources.add_vcenter(nickname="vc1", proxy_id="proxy-1")
        other = client.sources.add_vcenter(nickname="vc2", proxy_id="proxy-1")
        assert made.entity_id and other.entity_id and made.entity_id != other.entity_id
        found = client.sources.get_vcenter(made.entity_id)
        assert (found.entity_id, found.nickname, found.proxy_id) == (
            made.entity_id,
            "vc1",
            "proxy-1",
        )


def test_the_corpus_round_trip_reads_back_a_record_the_server_names(tmp_path: Path) -> None:
    spec = tmp_path / "sources.json"
    spec.write_text(json.dumps(SOURCES))
    pipeline.generate(spec, tmp_path / "out", package_name="sources")
    result = roundtrip.run(tmp_path / "out", "sources", timeout=300)
    assert (result["outcome"], result["failed"], result["collections_ok"]) == ("round-trip", {}, 1)
