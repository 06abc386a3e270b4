"""Records whose schema is composed: an `allOf` of a base schema beside properties of its own
(Azure's `IntentClassifier`: `allOf: [ModelInfo]` with `customPrebuiltDomainName` beside it).
The stub fits every answer to its schema; it must keep the base's properties and their
required names, not only the properties written beside the `allOf`, nor only those of the
`oneOf` branch a record takes (intellifi's `SpotSet`: `allOf: [SpotSetBase, {oneOf: [...]}]`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench.corpus import roundtrip
from generator import pipeline

from .documents import document, json_content, ok, path_param
from .harness import running

pytestmark = pytest.mark.slow

MODEL_INFO = {
    "type": "object",
    "required": ["id", "readableType"],
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "name": {"type": "string"},
        "readableType": {"type": "string", "enum": ["Entity Extractor", "Intent Classifier"]},
    },
}
INTENT = {
    "type": "object",
    "allOf": [{"$ref": "#/components/schemas/ModelInfo"}],
    "properties": {"domainName": {"type": "string"}},
}
_INTENT = {"$ref": "#/components/schemas/Intent"}
COMPOSED: dict[str, Any] = document(
    {"ModelInfo": MODEL_INFO, "Intent": INTENT},
    {
        "/intents": {
            "post": {
                "operationId": "addIntent",
                "requestBody": {
                    "required": True,
                    "content": json_content(
                        {"type": "object", "properties": {"name": {"type": "string"}}}
                    ),
                },
                "responses": ok({"type": "string", "format": "uuid"}, "201"),
            },
            "get": {
                "operationId": "listIntents",
                "responses": ok({"type": "array", "items": _INTENT}),
            },
        },
        "/intents/{intentId}": {
            "parameters": [path_param("intentId", {"type": "string", "format": "uuid"})],
            "get": {"operationId": "getIntent", "responses": ok(_INTENT)},
        },
    },
)


def test_a_record_of_a_composed_schema_keeps_its_base_properties(tmp_path: Path) -> None:
    with running(tmp_path, COMPOSED, "composed") as api, api.client() as client:
        made = str(client.intents.add_intent(name="greet"))
        found = client.intents.get_intent(made)
        assert (str(found.id), found.name, found.readableType) == (
            made,
            "greet",
            "Entity Extractor",
        )
        assert [(str(i.id), i.name) for i in client.intents.list_intents()] == [(made, "greet")]


SPOT_SET = {
    "allOf": [
        {
            "type": "object",
            "properties": {
                "id": {"type": "string", "readOnly": True},
                "setid": {"type": "integer", "minimum": 0, "maximum": 255},
            },
        },
        {
            "oneOf": [
                {"type": "object", "properties": {"type": {"type": "string", "enum": ["any"]}}},
                {
                    "type": "object",
                    "properties": {
                        "type": {"type": "string", "enum": ["areacode"]},
                        "area_code": {"type": "integer", "minimum": 1},
                    },
                },
            ]
        },
    ]
}
_SPOT_SET = {"$ref": "#/components/schemas/SpotSet"}
BRANCHED: dict[str, Any] = document(
    {"SpotSet": SPOT_SET},
    {
        "/spotsets": {
            "post": {
                "operationId": "postSpotsets",
                "requestBody": {"required": True, "content": json_content(_SPOT_SET)},
                "responses": ok(
                    {
                        "type": "object",
                        "properties": {
                            "resource": {
                                "type": "object",
                                "properties": {"id": {"type": "string", "readOnly": True}},
                            }
                        },
                    },
                    "201",
                ),
            },
        },
        "/spotsets/{id}": {
            "parameters": [path_param("id")],
            "get": {"operationId": "getSpotset", "responses": ok(_SPOT_SET)},
        },
    },
)


def test_a_record_of_an_all_of_with_branches_keeps_the_base_properties(tmp_path: Path) -> None:
    spec = tmp_path / "branched.json"
    spec.write_text(json.dumps(BRANCHED))
    pipeline.generate(spec, tmp_path / "out", package_name="branched")
    result = roundtrip.run(tmp_path / "out", "branched", timeout=300)
    assert (result["outcome"], result["failed"], result["collections_ok"]) == ("round-trip", {}, 1)
