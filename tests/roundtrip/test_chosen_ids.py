"""Creates whose body carries the new record's identifier ("client-chosen id"), driven through
the generated client: a dock created with its `id` (`POST /docks {"id": "catete", ...}`, read at
`/docks/{dockId}`), and a rule created with its type (`POST /tables/{tableId}/rules
{"ruleType": "LIST", ...}`, read at `/tables/{tableId}/rules/{ruleType}`, an enum). The stub
stores the record under the identifier sent, answers a conflict for one that exists, and still
refuses what the path parameter does not allow; the corpus round trip
(bench/corpus/roundtrip.py) sends an identifier the item parameter takes and reads the record
back by it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from bench.corpus import roundtrip
from generator import pipeline

from .documents import document, json_content, ok, path_param
from .harness import running

pytestmark = pytest.mark.slow

DOCK = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
}
_DOCK = {"$ref": "#/components/schemas/Dock"}
TABLE = {
    "type": "object",
    "properties": {
        "tableId": {"type": "string", "format": "uuid", "readOnly": True},
        "name": {"type": "string"},
    },
}
_TABLE = {"$ref": "#/components/schemas/Table"}
_TYPE = {"type": "string", "enum": ["AGGREGATION", "LIST"]}
RULE = {
    "type": "object",
    "required": ["tableId", "type", "policy"],
    "properties": {
        "tableId": {"type": "string", "format": "uuid"},
        "type": _TYPE,
        "policy": {"type": "string"},
    },
}
_ANSWER = {
    "type": "object",
    "required": ["rule"],
    "properties": {"rule": {"$ref": "#/components/schemas/Rule"}},
}
_ERROR = {
    "type": "object",
    "required": ["message"],
    "properties": {"message": {"type": "string"}},
}
CHOSEN = document(
    {"Dock": DOCK, "Table": TABLE, "Rule": RULE},
    {
        "/docks": {
            "post": {
                "operationId": "saveDock",
                "tags": ["docks"],
                "requestBody": {"required": True, "content": json_content(_DOCK)},
                "responses": {"200": {"description": "saved"}},
            },
            "get": {
                "operationId": "listDocks",
                "tags": ["docks"],
                "responses": ok({"type": "array", "items": _DOCK}),
            },
        },
        "/docks/{dockId}": {
            "parameters": [path_param("dockId")],
            "get": {"operationId": "getDock", "tags": ["docks"], "responses": ok(_DOCK)},
        },
        "/tables": {
            "post": {
                "operationId": "createTable",
                "tags": ["tables"],
                "requestBody": {"content": json_content(_TABLE)},
                "responses": ok(_TABLE, "201"),
            },
        },
        "/tables/{tableId}": {
            "parameters": [path_param("tableId")],
            "get": {"operationId": "getTable", "tags": ["tables"], "responses": ok(_TABLE)},
        },
        "/tables/{tableId}/rules": {
            "parameters": [path_param("tableId")],
            "post": {
                "operationId": "createRule",
                "tags": ["tables"],
                "requestBody": {
                    "required": True,
                    "content": json_content(
                        {
                            "type": "object",
                            "required": ["ruleType", "policy"],
                            "properties": {"ruleType": _TYPE, "policy": {"type": "string"}},
                        }
                    ),
                },
                "responses": {
                    **ok(_ANSWER),
                    "409": {"description": "exists", "content": json_content(_ERROR)},
                },
            },
        },
        "/tables/{tableId}/rules/{ruleType}": {
            "parameters": [path_param("tableId"), path_param("ruleType", _TYPE)],
            "get": {"operationId": "getRule", "tags": ["tables"], "responses": ok(_ANSWER)},
        },
    },
)


def _refused(status: int, call: Callable[..., Any], *args: Any, **kwargs: Any) -> httpx.Response:
    """The error response of a client call the stub refuses with `status`."""
    with pytest.raises(Exception) as caught:
        call(*args, **kwargs)
    response: httpx.Response = caught.value.response  # type: ignore[attr-defined]
    assert response.status_code == status, response.text
    return response


def test_a_record_created_with_its_identifier_is_stored_under_it(tmp_path: Path) -> None:
    with running(tmp_path, CHOSEN, "chosen_ids") as api, api.client() as client:
        client.docks.save_dock(id_="catete", name="Loja Catete")
        assert client.docks.get_dock("catete").name == "Loja Catete"
        assert [(d.id, d.name) for d in client.docks.list_docks()] == [("catete", "Loja Catete")]
        again = _refused(400, client.docks.save_dock, id_="catete", name="other")
        assert "already exists" in json.dumps(again.json())
        _refused(404, client.docks.get_dock, "botafogo")

        table = client.tables.create_table(name="sales")
        assert table.tableId is not None
        made = client.tables.create_rule(str(table.tableId), rule_type="LIST", policy="p1")
        assert made.rule.policy == "p1"
        found = client.tables.get_rule(str(table.tableId), "LIST").rule
        assert found.policy == "p1"
        conflict = _refused(
            409, client.tables.create_rule, str(table.tableId), rule_type="LIST", policy="p2"
        )
        assert "already exists" in conflict.json()["message"]
        _refused(404, client.tables.get_rule, str(table.tableId), "AGGREGATION")
        _refused(400, client.tables.get_rule, str(table.tableId), "CUSTOM")  # not in the enum
        # an identifier names a record under its parent: another table has its own LIST rule
        other = str(client.tables.create_table(name="stock").tableId)
        client.tables.create_rule(other, rule_type="LIST", policy="p3")
        assert client.tables.get_rule(other, "LIST").rule.policy == "p3"
        assert client.tables.get_rule(str(table.tableId), "LIST").rule.policy == "p1"


def test_the_corpus_round_trip_sends_an_identifier_the_item_parameter_takes(
    tmp_path: Path,
) -> None:
    spec = tmp_path / "chosen.json"
    spec.write_text(json.dumps(CHOSEN))
    pipeline.generate(spec, tmp_path / "out", package_name="chosen")
    result = roundtrip.run(tmp_path / "out", "chosen", timeout=300)
    assert (result["outcome"], result["failed"], result["collections_ok"]) == ("round-trip", {}, 3)


USER = {
    "type": "object",
    "properties": {
        "id": {"type": "integer", "readOnly": True},
        "login": {"type": "string"},
        "email": {"type": "string", "format": "email"},
    },
}
PATH_NAMED = document(
    {"User": USER},
    {
        "/admin/users": {
            "post": {
                "operationId": "adminCreateUser",
                "tags": ["admin"],
                "requestBody": {
                    "content": json_content(
                        {
                            "type": "object",
                            "required": ["username", "email"],
                            "properties": {
                                "username": {"type": "string"},
                                "email": {"type": "string", "format": "email"},
                            },
                        }
                    )
                },
                "responses": ok({"$ref": "#/components/schemas/User"}, "201"),
            },
            "get": {
                "operationId": "adminSearchUsers",
                "tags": ["admin"],
                "responses": ok({"type": "array", "items": {"$ref": "#/components/schemas/User"}}),
            },
        },
        "/admin/users/{username}": {
            "parameters": [path_param("username")],
            "delete": {"operationId": "adminDeleteUser", "tags": ["admin"], "responses": ok({})},
        },
    },
)


def test_a_record_named_in_the_path_only_is_found_in_the_list_by_what_it_was_sent(
    tmp_path: Path,
) -> None:
    """Gitea's users: created with a `username` the record schema does not show (it names
    the record in `/admin/users/{username}` only), no get: the list cannot show the
    identifier, so the record is found there by the values it was sent that it does show."""
    spec = tmp_path / "path_named.json"
    spec.write_text(json.dumps(PATH_NAMED))
    pipeline.generate(spec, tmp_path / "out", package_name="path_named")
    result = roundtrip.run(tmp_path / "out", "path_named", timeout=300)
    assert (result["outcome"], result["failed"], result["collections_ok"]) == ("round-trip", {}, 1)
