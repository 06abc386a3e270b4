"""The round-trip column of `make corpus` (bench/corpus/roundtrip.py) on a small document
shaped as real ones are: a collection under a path parameter that names no record
(`/{owner}/notes`), and one whose list answers an envelope other than DRF's
(`{"data": [...]}`) and whose create answers the new identifier alone."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from bench.corpus import roundtrip
from generator import pipeline

from .documents import NOTE

pytestmark = pytest.mark.slow

_NOTE = {"$ref": "#/components/schemas/Note"}
FEED = {
    "type": "object",
    "properties": {"id": {"type": "integer", "readOnly": True}, "title": {"type": "string"}},
}
_FEED = {"$ref": "#/components/schemas/Feed"}


def _ok(schema: dict[str, Any], status: str = "200") -> dict[str, Any]:
    return {status: {"description": "ok", "content": {"application/json": {"schema": schema}}}}


def _param(name: str, kind: str = "string") -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": kind}}


SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Shapes", "version": "1.0.0"},
    "components": {"schemas": {"Note": copy.deepcopy(NOTE), "Feed": FEED}},
    "paths": {
        "/{owner}/notes": {
            "parameters": [_param("owner")],
            "get": {
                "operationId": "listNotes",
                "responses": _ok({"type": "array", "items": _NOTE}),
            },
            "post": {
                "operationId": "createNote",
                "requestBody": {"content": {"application/json": {"schema": _NOTE}}},
                "responses": _ok(_NOTE, "201"),
            },
        },
        "/{owner}/notes/{id}": {
            "parameters": [_param("owner"), _param("id")],
            "get": {"operationId": "getNote", "responses": _ok(_NOTE)},
        },
        "/feeds": {
            "get": {
                "operationId": "listFeeds",
                "responses": _ok(
                    {
                        "type": "object",
                        "required": ["data", "total"],
                        "properties": {
                            "data": {"type": "array", "items": _FEED},
                            "total": {"type": "integer"},
                        },
                    }
                ),
            },
            "post": {
                "operationId": "createFeed",
                "requestBody": {"content": {"application/json": {"schema": _FEED}}},
                "responses": _ok({"type": "integer"}),
            },
        },
        "/feeds/{id}": {
            "parameters": [_param("id", "integer")],
            "delete": {"operationId": "deleteFeed", "responses": {"204": {"description": "gone"}}},
        },
    },
}


def test_created_records_are_read_back_through_the_client(tmp_path: Path) -> None:
    document = tmp_path / "shapes.json"
    document.write_text(json.dumps(SPEC))
    out = tmp_path / "out"
    pipeline.generate(document, out, package_name="shapes")
    result = roundtrip.run(out, "shapes", timeout=300)
    assert result["failed"] == {}
    assert (result["outcome"], result["collections"], result["collections_ok"]) == (
        "round-trip",
        2,
        2,
    )


TASK = {
    "type": "object",
    "required": ["title"],
    "properties": {"taskId": {"type": "integer", "readOnly": True}, "title": {"type": "string"}},
}
_TASK = {"$ref": "#/components/schemas/Task"}
_QUEUED = {"204": {"description": "queued"}}
SILENT: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Silent creates", "version": "1.0.0"},
    "components": {"schemas": {"Task": TASK}},
    "paths": {
        "/tasks": {
            "get": {
                "operationId": "listTasks",
                "responses": _ok({"type": "array", "items": _TASK}),
            },
            "post": {
                "operationId": "createTask",
                "requestBody": {"content": {"application/json": {"schema": _TASK}}},
                "responses": _QUEUED,
            },
        },
        "/tasks/{taskId}": {
            "parameters": [_param("taskId", "integer")],
            "get": {"operationId": "getTask", "responses": _ok(_TASK)},
        },
        "/jobs": {
            "post": {
                "operationId": "createJob",
                "requestBody": {"content": {"application/json": {"schema": _TASK}}},
                "responses": _QUEUED,
            },
        },
        "/jobs/{jobId}": {
            "parameters": [_param("jobId", "integer")],
            "get": {"operationId": "getJob", "responses": _ok(_TASK)},
        },
    },
}


def test_a_create_answering_no_identifier_is_found_by_its_list_else_not_checkable(
    tmp_path: Path,
) -> None:
    document = tmp_path / "silent.json"
    document.write_text(json.dumps(SILENT))
    out = tmp_path / "out"
    pipeline.generate(document, out, package_name="silent")
    result = roundtrip.run(out, "silent", timeout=300)
    assert result["failed"] == {}
    assert result["unchecked"] == {"/jobs/": "create answered no identifier, and there is no list"}
    assert (result["outcome"], result["collections"], result["collections_ok"]) == (
        "round-trip",
        1,
        1,
    )


BARE: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Bare creates", "version": "1.0.0"},
    "paths": {
        "/marks": {
            "get": {
                "operationId": "listMarks",
                "responses": _ok(
                    {
                        "type": "array",
                        "items": {"type": "object", "properties": {"tags": {"type": "array"}}},
                    }
                ),
            },
            "post": {
                "operationId": "createMark",
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {"type": "object", "properties": {"tags": {"type": "array"}}}
                        }
                    }
                },
                "responses": _QUEUED,
            },
        },
    },
}


def test_a_record_with_nothing_to_find_it_by_is_not_checkable(tmp_path: Path) -> None:
    """A create answering nothing, sent no scalar: every record of the list would "match",
    so finding one proves nothing; the collection is counted apart, not as a round trip."""
    document = tmp_path / "bare.json"
    document.write_text(json.dumps(BARE))
    out = tmp_path / "out"
    pipeline.generate(document, out, package_name="bare")
    result = roundtrip.run(out, "bare", timeout=300)
    assert result["failed"] == {}
    assert result["unchecked"] == {
        "/marks/": "neither an identifier nor a value to find the record by"
    }
    assert result["collections_ok"] == 0


_MEETING = {
    "type": "object",
    "properties": {"MeetingId": {"type": "string", "readOnly": True}, "Region": {"type": "string"}},
}
_WITH_ATTENDEES = {
    "type": "object",
    "required": ["Region", "Attendees"],
    "properties": {
        "Region": {"type": "string"},
        "Attendees": {"type": "array", "minItems": 1, "items": {"type": "string"}},
    },
}
FRAGMENTS: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Fragments", "version": "1.0.0"},
    "components": {"schemas": {"Meeting": _MEETING, "WithAttendees": _WITH_ATTENDEES}},
    "paths": {
        "/meetings": {
            "post": {
                "operationId": "CreateMeeting",
                "requestBody": {
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Meeting"}}
                    }
                },
                "responses": _ok({"$ref": "#/components/schemas/Meeting"}, "201"),
            },
        },
        "/meetings#operation=create-attendees": {
            "post": {
                "operationId": "CreateMeetingWithAttendees",
                "parameters": [
                    {
                        "name": "operation",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string", "enum": ["create-attendees"]},
                    }
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/WithAttendees"}
                        }
                    },
                },
                "responses": _ok({"$ref": "#/components/schemas/Meeting"}, "201"),
            },
        },
        "/meetings/{MeetingId}": {
            "parameters": [_param("MeetingId")],
            "get": {
                "operationId": "GetMeeting",
                "responses": _ok({"$ref": "#/components/schemas/Meeting"}),
            },
        },
    },
}


def test_each_operation_is_called_through_its_own_method_when_paths_differ_by_a_fragment(
    tmp_path: Path,
) -> None:
    """`POST /meetings` and `POST /meetings#operation=create-attendees` are sent to the same
    path; the round trip creates a meeting through `create_meeting`, not through the other
    operation's method (whose body it did not build)."""
    document = tmp_path / "fragments.json"
    document.write_text(json.dumps(FRAGMENTS))
    out = tmp_path / "out"
    pipeline.generate(document, out, package_name="fragments")
    result = roundtrip.run(out, "fragments", timeout=300)
    assert result["failed"] == {}
    assert (result["outcome"], result["collections"], result["collections_ok"]) == (
        "round-trip",
        1,
        1,
    )
