"""A create whose body schema admits no object, as e-conomic's `/employees` does
(`Employee`: `additionalProperties: false`, yet requiring `canApprove` and `canInvoice`,
which its `properties` do not declare): the corpus round trip reports the collection as not
checkable, with the reason and the JSON pointer of the schema, and counts it in a line of
its own, instead of failing the document. Proved from the schema alone (bench/corpus/
empty_bodies.py), never by trying values; the stub is not bent to accept such a body."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from bench.corpus import empty_bodies, roundtrip

from .documents import document, json_content, ok, path_param
from .harness import running

EMPLOYEE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "canApprove", "canInvoice"],
    "properties": {"id": {"type": "integer", "readOnly": True}, "name": {"type": "string"}},
}
NOTE = {
    "type": "object",
    "required": ["text"],
    "properties": {"id": {"type": "integer", "readOnly": True}, "text": {"type": "string"}},
}


def _collection(name: str, record: str, body: dict[str, Any]) -> dict[str, Any]:
    ref = {"$ref": f"#/components/schemas/{record}"}
    return {
        f"/{name}": {
            "post": {
                "operationId": f"create{record}",
                "tags": [name],
                "requestBody": {"required": True, "content": json_content(body)},
                "responses": ok(ref, "201"),
            },
        },
        f"/{name}/{{id}}": {
            "parameters": [path_param("id", {"type": "integer"})],
            "get": {"operationId": f"get{record}", "tags": [name], "responses": ok(ref)},
        },
    }


OFFICE = document(
    {"Employee": EMPLOYEE, "Note": NOTE},
    {
        **_collection(
            "employees", "Employee", {"allOf": [{"$ref": "#/components/schemas/Employee"}]}
        ),
        **_collection("notes", "Note", {"$ref": "#/components/schemas/Note"}),
    },
)
WHY = (
    "its create's body admits no object: #/components/schemas/Employee requires canApprove,"
    " canInvoice, not among its properties, under additionalProperties: false"
)


@pytest.mark.slow
def test_a_create_body_that_admits_no_object_is_not_checkable(tmp_path: Path) -> None:
    with running(tmp_path, OFFICE, "office"):
        pass  # generated into tmp_path / "office"
    result = roundtrip.run(tmp_path / "office", "office", timeout=300)
    assert (result["outcome"], result["failed"], result["collections_ok"]) == ("round-trip", {}, 1)
    assert result["unchecked"] == {"/employees/": WHY}
    line = empty_bodies.count_line([{"roundtrip": result}, {"roundtrip": result}])
    assert line.endswith(": 2 in 2 documents")


def _create(body: dict[str, Any], schemas: dict[str, Any]) -> str | None:
    """`empty_bodies.contradiction` for a POST /things taking `body` as JSON."""
    spec = {"components": {"schemas": schemas}}
    raw = {"requestBody": {"content": {"application/json": {"schema": body}}}}
    op = SimpleNamespace(raw=raw, path="/things", method="POST")
    return empty_bodies.contradiction(spec, op, "application/json")


def test_only_a_provable_contradiction_is_reported() -> None:
    closed = {"additionalProperties": False, "properties": {"a": {}}, "required": ["a", "b"]}
    assert _create(closed, {}) == (
        "its create's body admits no object: #/paths/~1things/post/requestBody/content/"
        "application~1json/schema requires b, not among its properties, under"
        " additionalProperties: false"
    )
    # the name declared by a sibling allOf member does not help: each member is closed alone
    siblings = {"allOf": [{"$ref": "#/components/schemas/C"}, {"properties": {"b": {}}}]}
    assert _create(siblings, {"C": closed}) is not None
    assert "#/components/schemas/C requires b" in str(_create(siblings, {"C": closed}))
    # nothing proved: a pattern admits the name, the schema is open, one branch of several
    patterned = {**closed, "patternProperties": {"^b$": {}}}
    assert _create(patterned, {}) is None
    assert _create({**closed, "additionalProperties": True}, {}) is None
    assert _create({"anyOf": [closed, {"type": "object"}]}, {}) is None
