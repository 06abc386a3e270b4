"""The stub keeps and finds records however a real document lays its resource out, driven
through the generated client: one resource declared as two paths (`POST /widgets`,
`GET /widgets/`), identifiers whose schema only a patterned value fits (`^WG[0-9a-f]{32}$`,
on the record or on the path parameter of a child collection), records answered inside an
envelope; and what the corpus round trip (bench/corpus/roundtrip.py) makes of such
documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.corpus import roundtrip
from generator import pipeline

from .documents import document, json_content, ok, path_param
from .harness import running

pytestmark = pytest.mark.slow

WIDGET = {
    "type": "object",
    "required": ["name"],
    "properties": {"id": {"type": "string", "readOnly": True}, "name": {"type": "string"}},
}
_WIDGET = {"$ref": "#/components/schemas/Widget"}
TWO_PATHS = document(
    {"Widget": WIDGET},
    {
        "/widgets": {
            "post": {
                "operationId": "createWidget",
                "tags": ["widgets"],
                "requestBody": {"required": True, "content": json_content(_WIDGET)},
                "responses": ok(_WIDGET, "201"),
            },
        },
        "/widgets/": {
            "get": {
                "operationId": "listWidgets",
                "tags": ["widgets"],
                "responses": ok({"type": "array", "items": _WIDGET}),
            },
        },
        "/widgets/{id}": {
            "parameters": [path_param("id")],
            "get": {"operationId": "getWidget", "tags": ["widgets"], "responses": ok(_WIDGET)},
        },
    },
)


def test_a_resource_declared_as_two_paths_takes_both_methods(tmp_path: Path) -> None:
    with running(tmp_path, TWO_PATHS, "widgets_two_paths") as api, api.client() as client:
        made = client.widgets.create_widget(name="first")
        assert [w.name for w in client.widgets.list_widgets()] == ["first"]
        assert client.widgets.get_widget(made.id).name == "first"


_SID = {"type": "string", "pattern": "^WG[0-9a-f]{32}$"}
GROUP = {
    "type": "object",
    "properties": {"sid": {"type": "string", "readOnly": True}, "name": {"type": "string"}},
}
MEMBER = {
    "type": "object",
    "properties": {"sid": {"type": "string", "readOnly": True}, "name": {"type": "string"}},
}
_GROUP = {"$ref": "#/components/schemas/Group"}
_MEMBER = {"$ref": "#/components/schemas/Member"}
PATTERNED = document(
    {"Group": GROUP, "Member": MEMBER},
    {
        "/groups": {
            "post": {
                "operationId": "createGroup",
                "tags": ["groups"],
                "requestBody": {"content": json_content(_GROUP)},
                "responses": ok(_GROUP, "201"),
            },
        },
        "/groups/{sid}": {
            "parameters": [path_param("sid", {"type": "string"})],
            "get": {"operationId": "getGroup", "tags": ["groups"], "responses": ok(_GROUP)},
        },
        "/groups/{groupSid}/members": {
            "parameters": [path_param("groupSid", _SID)],
            "post": {
                "operationId": "createMember",
                "tags": ["groups"],
                "requestBody": {"content": json_content(_MEMBER)},
                "responses": ok(_MEMBER, "201"),
            },
            "get": {
                "operationId": "listMembers",
                "tags": ["groups"],
                "responses": ok({"type": "array", "items": _MEMBER}),
            },
        },
        "/groups/{groupSid}/members/{sid}": {
            "parameters": [
                path_param("groupSid", _SID),
                path_param("sid", {"type": "string", "pattern": "^MB[0-9a-f]{32}$"}),
            ],
            "get": {"operationId": "getMember", "tags": ["groups"], "responses": ok(_MEMBER)},
        },
    },
)


def test_a_new_identifier_fits_the_pattern_of_the_parameter_that_names_it(
    tmp_path: Path,
) -> None:
    with running(tmp_path, PATTERNED, "groups_patterned") as api, api.client() as client:
        first, second = client.groups.create_group(name="a"), client.groups.create_group(name="b")
        assert first.sid != second.sid
        assert client.groups.get_group(first.sid).name == "a"
        member = client.groups.create_member(first.sid, name="ada")
        assert [m.name for m in client.groups.list_members(first.sid)] == ["ada"]
        assert client.groups.get_member(first.sid, member.sid).name == "ada"
        with pytest.raises(Exception, match="404"):
            client.groups.create_member("WG" + "0" * 32, name="nobody")


TASK = {
    "type": "object",
    "properties": {
        "taskId": {"type": "string", "readOnly": True},
        "title": {"type": "string"},
        "owner": {"type": "object", "properties": {"name": {"type": "string"}}},
    },
}
_TASK = {"$ref": "#/components/schemas/Task"}
_STATUS = {"status_code": {"type": "integer"}, "message": {"type": "string"}}
ENVELOPED = document(
    {"Task": TASK},
    {
        "/tasks": {
            "post": {
                "operationId": "createTask",
                "tags": ["tasks"],
                "requestBody": {"content": json_content(_TASK)},
                "responses": ok(
                    {
                        "type": "object",
                        "required": ["status_code"],
                        "properties": {**_STATUS, "task": _TASK},
                    }
                ),
            },
            "get": {
                "operationId": "listTasks",
                "tags": ["tasks"],
                "responses": ok(
                    {
                        "type": "object",
                        "properties": {"tasks": {"type": "array", "items": _TASK}, **_STATUS},
                    }
                ),
            },
        },
        "/tasks/{taskId}": {
            "parameters": [path_param("taskId")],
            "get": {
                "operationId": "getTask",
                "tags": ["tasks"],
                "responses": ok(
                    {"type": "object", "properties": {"result": {"allOf": [_TASK]}, **_STATUS}}
                ),
            },
        },
    },
)


def test_a_record_answered_inside_an_envelope_is_stored_and_found_again(tmp_path: Path) -> None:
    with running(tmp_path, ENVELOPED, "tasks_enveloped") as api, api.client() as client:
        made = client.tasks.create_task(title="write", owner={"name": "ada"})
        assert made.task is not None and made.task.taskId and made.task.title == "write"
        found = client.tasks.get_task(made.task.taskId)
        assert found.result is not None
        assert (found.result.taskId, found.result.title) == (made.task.taskId, "write")
        listed = client.tasks.list_tasks().tasks or []
        assert [(t.taskId, t.owner.name if t.owner else None) for t in listed] == [
            (made.task.taskId, "ada")
        ]


def test_the_corpus_round_trip_reads_a_record_out_of_its_envelope(tmp_path: Path) -> None:
    spec = tmp_path / "enveloped.json"
    spec.write_text(json.dumps(ENVELOPED))
    pipeline.generate(spec, tmp_path / "out", package_name="enveloped")
    result = roundtrip.run(tmp_path / "out", "enveloped", timeout=300)
    assert (result["outcome"], result["failed"], result["collections_ok"]) == ("round-trip", {}, 1)


_DONE = {"200": {"description": "done"}}
SILENT_READS = document(
    {"Task": TASK},
    {
        "/pages": {
            "post": {
                "operationId": "createPage",
                "tags": ["pages"],
                "requestBody": {"content": json_content(_TASK)},
                "responses": ok(_TASK, "201"),
            },
            "get": {"operationId": "listPages", "tags": ["pages"], "responses": _DONE},
        },
        "/pages/{taskId}": {
            "parameters": [path_param("taskId")],
            "get": {"operationId": "getPage", "tags": ["pages"], "responses": _DONE},
        },
        "/boards": {
            "post": {
                "operationId": "createBoard",
                "tags": ["boards"],
                "requestBody": {"content": json_content(_TASK)},
                "responses": _DONE,
            },
        },
        "/boards/{taskId}": {
            "parameters": [path_param("taskId")],
            "get": {"operationId": "getBoard", "tags": ["boards"], "responses": ok(_TASK)},
        },
        "/boards/{taskId}/labels": {
            "parameters": [path_param("taskId")],
            "post": {
                "operationId": "createLabel",
                "tags": ["boards"],
                "requestBody": {"content": json_content(_TASK)},
                "responses": ok(_TASK, "201"),
            },
            "get": {
                "operationId": "listLabels",
                "tags": ["boards"],
                "responses": ok({"type": "array", "items": _TASK}),
            },
        },
    },
)


def test_the_corpus_round_trip_counts_apart_what_the_client_cannot_read_back(
    tmp_path: Path,
) -> None:
    spec = tmp_path / "silent_reads.json"
    spec.write_text(json.dumps(SILENT_READS))
    pipeline.generate(spec, tmp_path / "out", package_name="silent_reads")
    result = roundtrip.run(tmp_path / "out", "silent_reads", timeout=300)
    assert result["unchecked"] == {
        "/boards/": "create answered no identifier, and there is no list",
        "/boards/{}/labels/": "its parent /boards/ was created with no identifier",
        "/pages/": "its get and list declare no body to read a record from",
    }
    assert (result["outcome"], result["collections"]) == ("not applicable", 0)


_AMOUNT = {"amount": {"type": "number"}}
_PAYMENT = {"type": "object", "properties": _AMOUNT}
NUMBERED = document(
    {},
    {
        "/payments": {
            "post": {
                "operationId": "makePayment",
                "tags": ["payments"],
                "requestBody": {"content": json_content(_PAYMENT)},
                "responses": ok(
                    {"type": "object", "properties": {"id": {"type": "string"}, **_AMOUNT}}
                ),
            },
        },
        "/payments/{transId}": {
            "parameters": [path_param("transId")],
            "get": {
                "operationId": "getPayment",
                "tags": ["payments"],
                "responses": ok(
                    {"type": "object", "properties": {"id": {"type": "number"}, **_AMOUNT}}
                ),
            },
        },
    },
)


def test_the_corpus_round_trip_takes_an_identifier_typed_differently_for_the_same(
    tmp_path: Path,
) -> None:
    spec = tmp_path / "numbered.json"
    spec.write_text(json.dumps(NUMBERED))
    pipeline.generate(spec, tmp_path / "out", package_name="numbered")
    result = roundtrip.run(tmp_path / "out", "numbered", timeout=300)
    assert (result["outcome"], result["failed"], result["collections_ok"]) == ("round-trip", {}, 1)


RULE = {
    "type": "object",
    "properties": {"ruleId": {"type": "string"}, "ruleName": {"type": "string"}},
}
LINKED = document(
    {"Rule": RULE},
    {
        "/rules": {
            "post": {
                "operationId": "createRule",
                "tags": ["rules"],
                "requestBody": {
                    "content": json_content(
                        {
                            "type": "object",
                            "required": ["ruleName", "actionName"],
                            "properties": {
                                "ruleName": {"type": "string", "enum": ["nightly"]},
                                "actionName": {"type": "string"},
                            },
                        }
                    )
                },
                "responses": ok(
                    {
                        "type": "object",
                        "required": ["href", "method"],
                        "properties": {"href": {"type": "string"}, "method": {"type": "string"}},
                    },
                    "201",
                ),
            },
            "get": {
                "operationId": "listRules",
                "tags": ["rules"],
                "responses": ok({"type": "array", "items": {"$ref": "#/components/schemas/Rule"}}),
            },
        },
        "/rules/{ruleId}": {
            "parameters": [path_param("ruleId")],
            "delete": {"operationId": "deleteRule", "tags": ["rules"], "responses": _DONE},
        },
    },
)


def test_the_corpus_round_trip_finds_a_record_by_what_it_sent_when_the_create_answers_a_link(
    tmp_path: Path,
) -> None:
    spec = tmp_path / "linked.json"
    spec.write_text(json.dumps(LINKED))
    pipeline.generate(spec, tmp_path / "out", package_name="linked")
    result = roundtrip.run(tmp_path / "out", "linked", timeout=300)
    assert (result["outcome"], result["failed"], result["collections_ok"]) == ("round-trip", {}, 1)


CATALOG = {
    "type": "object",
    "properties": {"catalogId": {"type": "string"}, "name": {"type": "string"}},
}
_CATALOG = {"$ref": "#/components/schemas/Catalog"}
_LINK = {"type": "object", "properties": {"href": {"type": "string"}}}
KEYED = document(
    {"Catalog": CATALOG},
    {
        "/catalogs": {
            "post": {
                "operationId": "createCatalog",
                "tags": ["catalogs"],
                "requestBody": {"content": json_content(_CATALOG)},
                "responses": ok(_CATALOG, "201"),
            },
            "get": {
                "operationId": "listCatalogs",
                "tags": ["catalogs"],
                "responses": ok(
                    {
                        "type": "object",
                        "properties": {
                            "catalogs": {"type": "object", "additionalProperties": _CATALOG},
                            "links": {"type": "object", "properties": {"self": _LINK}},
                        },
                    }
                ),
            },
        },
        "/catalogs/{catalogId}": {
            "parameters": [path_param("catalogId")],
            "delete": {"operationId": "deleteCatalog", "tags": ["catalogs"], "responses": _DONE},
        },
    },
)


def test_a_list_keeping_its_records_in_a_map_by_identifier_answers_them(tmp_path: Path) -> None:
    with running(tmp_path, KEYED, "catalogs_keyed") as api, api.client() as client:
        first = client.catalogs.create_catalog(name="spring")
        second = client.catalogs.create_catalog(name="summer")
        listed = client.catalogs.list_catalogs().catalogs or {}
        assert {key: c.name for key, c in listed.items()} == {
            first.catalogId: "spring",
            second.catalogId: "summer",
        }
    spec = tmp_path / "keyed.json"
    spec.write_text(json.dumps(KEYED))
    pipeline.generate(spec, tmp_path / "out", package_name="keyed")
    result = roundtrip.run(tmp_path / "out", "keyed", timeout=300)
    assert (result["outcome"], result["failed"], result["collections_ok"]) == ("round-trip", {}, 1)


PROJECT = {"properties": {"project_id": {"type": "integer"}, "name": {"type": "string"}}}
ESTIMATE = {
    "type": "object",
    "properties": {
        "estimate_id": {"type": "integer"},
        "title": {"type": "string"},
        "project": {"$ref": "#/components/schemas/Project"},
    },
}
_PROJECT = {"$ref": "#/components/schemas/Project"}
_ESTIMATE = {"$ref": "#/components/schemas/Estimate"}
_PROJECT_ID = path_param("project_id", {"type": "integer"})
UNTYPED_PARENT = document(
    {"Project": PROJECT, "Estimate": ESTIMATE},
    {
        "/projects": {
            "post": {
                "operationId": "createProject",
                "tags": ["projects"],
                "requestBody": {"content": json_content(_PROJECT)},
                "responses": ok(_PROJECT, "201"),
            },
        },
        "/projects/{project_id}": {
            "parameters": [_PROJECT_ID],
            "get": {"operationId": "getProject", "tags": ["projects"], "responses": ok(_PROJECT)},
        },
        "/projects/{project_id}/estimates": {
            "parameters": [_PROJECT_ID],
            "post": {
                "operationId": "createEstimate",
                "tags": ["projects"],
                "requestBody": {"content": json_content(_ESTIMATE)},
                "responses": ok(_ESTIMATE, "201"),
            },
            "get": {
                "operationId": "listEstimates",
                "tags": ["projects"],
                "responses": ok({"type": "array", "items": _ESTIMATE}),
            },
        },
    },
)


def test_a_child_keeps_an_object_field_named_like_its_parent_an_object(tmp_path: Path) -> None:
    """`Estimate.project` is an object schema without `type`: a string validates against it,
    yet it is no place for the parent's id."""
    with running(tmp_path, UNTYPED_PARENT, "projects_untyped") as api, api.client() as client:
        project = client.projects.create_project(name="roof")
        assert project.project_id is not None
        client.projects.create_estimate(project.project_id, title="tiles")
        assert [e.title for e in client.projects.list_estimates(project.project_id)] == ["tiles"]
