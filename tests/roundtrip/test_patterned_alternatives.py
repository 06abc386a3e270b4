"""Two shapes of the Lucidtech API (webflow.com.json in the corpus), driven through the
generated client against its stub:

- a record named by an identifier that is an `anyOf` of two patterned strings
  (`transitionId`: `^las:transition:[a-f0-9]{32}$` or `^las:transition:commons-...$`): the
  stub names a new record by a fresh value one branch's pattern takes. It named it by a uuid
  the schema refuses, so the answer gave the schema's minimal sample instead (the same for
  every record) and the get by it answered 404;
- a list envelope with two array properties (`{"bundles": [records], "status": [enum
  strings], "nextToken"}`): its records are in the only array of objects. The stub found
  no list property at all and answered placeholders."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest

from bench.corpus import roundtrip

from .documents import document, json_content, ok, path_param
from .harness import running

pytestmark = pytest.mark.slow

_NAME = {"type": "string", "maxLength": 4096, "nullable": True}
TRANSITION_ID = {
    "anyOf": [
        {"type": "string", "pattern": "^las:transition:[a-f0-9]{32}$"},
        {"type": "string", "pattern": "^las:transition:commons-[0-9A-Za-z-]+$"},
    ]
}
TRANSITION = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"transitionId": TRANSITION_ID, "name": _NAME},
}
BUNDLE = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "bundleId": {"type": "string", "pattern": "^las:bundle:[a-f0-9]{32}$"},
        "name": _NAME,
    },
}
NEW = {"type": "object", "additionalProperties": False, "properties": {"name": _NAME}}
_KINDS = {"type": "array", "items": {"type": "string", "enum": ["docker", "manual"]}}


def _listing(name: str, record: str) -> dict[str, Any]:
    """A list envelope: the records, an array of enum strings beside them, a page token."""
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "kinds": _KINDS,
            name: {"type": "array", "items": {"$ref": f"#/components/schemas/{record}"}},
            "nextToken": _NAME,
        },
    }


def _create(operation_id: str, record: str) -> dict[str, Any]:
    return {
        "operationId": operation_id,
        "tags": ["lucid"],
        "requestBody": {
            "required": True,
            "content": json_content({"$ref": "#/components/schemas/New"}),
        },
        "responses": ok({"$ref": f"#/components/schemas/{record}"}),
    }


LUCID = document(
    {
        "Transition": TRANSITION,
        "Bundle": BUNDLE,
        "New": NEW,
        "Transitions": _listing("transitions", "Transition"),
        "Bundles": _listing("bundles", "Bundle"),
    },
    {
        "/transitions": {
            "get": {
                "operationId": "listTransitions",
                "tags": ["lucid"],
                "responses": ok({"$ref": "#/components/schemas/Transitions"}),
            },
            "post": _create("createTransition", "Transition"),
        },
        "/transitions/{transitionId}": {
            "parameters": [path_param("transitionId")],
            "get": {
                "operationId": "getTransition",
                "tags": ["lucid"],
                "responses": ok({"$ref": "#/components/schemas/Transition"}),
            },
        },
        "/bundles": {
            "get": {
                "operationId": "listBundles",
                "tags": ["lucid"],
                "responses": ok({"$ref": "#/components/schemas/Bundles"}),
            },
            "post": _create("createBundle", "Bundle"),
        },
        "/bundles/{bundleId}": {
            "parameters": [path_param("bundleId")],
            "delete": {"operationId": "deleteBundle", "tags": ["lucid"], "responses": ok(NEW)},
        },
    },
)


def test_a_record_named_by_one_of_two_patterns_is_found_by_its_name(tmp_path: Path) -> None:
    with running(tmp_path, LUCID, "lucid_direct") as api, api.client() as client:
        first = client.lucid.create_transition(name="one").model_dump(mode="json")
        second = client.lucid.create_transition(name="two").model_dump(mode="json")
        assert first["transitionId"] != second["transitionId"]
        assert first["transitionId"].startswith("las:transition:")
        found = client.lucid.get_transition(second["transitionId"]).model_dump(mode="json")
        assert (found["transitionId"], found["name"]) == (second["transitionId"], "two")


def test_a_list_keeps_its_records_in_its_only_array_of_objects(tmp_path: Path) -> None:
    with running(tmp_path, LUCID, "lucid_listed") as api, api.client() as client:
        made = client.lucid.create_bundle(name="b1")
        listed = client.lucid.list_bundles()
        assert [(b.bundleId, b.name) for b in listed.bundles or []] == [(made.bundleId, "b1")]


def test_the_corpus_round_trip_reads_both_back(tmp_path: Path) -> None:
    with running(tmp_path, LUCID, "lucid"):
        pass  # generated into tmp_path / "lucid"
    result = roundtrip.run(tmp_path / "lucid", "lucid", timeout=300)
    assert (result["outcome"], result["failed"], result["collections_ok"]) == ("round-trip", {}, 2)


def test_an_array_of_objects_beside_arrays_of_unknown_items_is_not_taken_for_the_list() -> None:
    """Only beside arrays of scalars is the only array of objects the list: OPTIMADE's
    `{"data": anyOf[arrays], "included": anyOf[arrays], "errors": [Error]}` keeps its records
    in `data`, which its schema does not say plainly, not in `errors`."""
    from tests.runtime_stub.runtime import PACKAGE

    schemas = importlib.import_module(PACKAGE + "._runtime.schemas")
    envelopes = importlib.import_module(PACKAGE + "._runtime.envelopes")
    tools = schemas.SchemaTools({})
    error = {"type": "object", "properties": {"detail": {"type": "string"}}}
    either = {
        "anyOf": [
            {"type": "array", "items": {"type": "object", "properties": {"x": {}}}},
            {"type": "array", "items": {"type": "object"}},
        ]
    }
    listing = {
        "type": "object",
        "properties": {"data": either, "errors": {"type": "array", "items": error}},
    }
    assert envelopes.list_path(tools, listing) is None
    listing["properties"] = {"data": {"type": "array", "items": error}, "kinds": _KINDS}
    assert envelopes.list_path(tools, listing) == ("data",)
