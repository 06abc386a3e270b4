"""A collection whose "list" answers a single object, as circuitsandbox's replies do (`GET
/spaces/{spaceId}/topic/{topicId}/reply` answers one `SpaceReply`, while `.../reply/{replyId}`
takes a PUT): with no get by an identifier, nothing in the answer's schema can hold the
record created, so the corpus round trip counts the collection as not checkable instead of
failing the document on a list of 0 items. Decided by the list's schema alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.corpus import roundtrip

from .documents import document, json_content, ok, path_param
from .harness import running

pytestmark = pytest.mark.slow

TOPIC = {
    "type": "object",
    "properties": {"id": {"type": "string", "readOnly": True}, "subject": {"type": "string"}},
}
REPLY = {
    "type": "object",
    "properties": {
        "parentTopicId": {"type": "string"},
        "spaceItem": {"type": "object", "properties": {"content": {"type": "string"}}},
    },
}
NEW_REPLY = {"type": "object", "properties": {"content": {"type": "string"}}}
_TOPIC = {"$ref": "#/components/schemas/Topic"}
_REPLY = {"$ref": "#/components/schemas/Reply"}
TOPICS = document(
    {"Topic": TOPIC, "Reply": REPLY, "NewReply": NEW_REPLY},
    {
        "/topics": {
            "post": {
                "operationId": "createTopic",
                "tags": ["topics"],
                "requestBody": {"required": True, "content": json_content(_TOPIC)},
                "responses": ok(_TOPIC),
            },
        },
        "/topics/{topicId}": {
            "parameters": [path_param("topicId")],
            "get": {"operationId": "getTopic", "tags": ["topics"], "responses": ok(_TOPIC)},
        },
        "/topics/{topicId}/reply": {
            "parameters": [path_param("topicId")],
            "get": {"operationId": "getReplies", "tags": ["topics"], "responses": ok(_REPLY)},
            "post": {
                "operationId": "addReply",
                "tags": ["topics"],
                "requestBody": {
                    "content": json_content({"$ref": "#/components/schemas/NewReply"}),
                },
                "responses": ok(_REPLY),
            },
        },
        "/topics/{topicId}/reply/{replyId}": {
            "parameters": [path_param("topicId"), path_param("replyId")],
            "put": {
                "operationId": "updateReply",
                "tags": ["topics"],
                "requestBody": {
                    "content": json_content({"$ref": "#/components/schemas/NewReply"}),
                },
                "responses": ok(_REPLY),
            },
        },
    },
)


def test_a_list_answering_one_object_is_not_checkable(tmp_path: Path) -> None:
    with running(tmp_path, TOPICS, "topics"):
        pass  # generated into tmp_path / "topics"
    result = roundtrip.run(tmp_path / "topics", "topics", timeout=300)
    assert (result["outcome"], result["failed"], result["collections_ok"]) == ("round-trip", {}, 1)
    assert result["unchecked"] == {
        "/topics/{}/reply/": (
            "its list answers no array or map of records, and no get by an identifier"
        )
    }


_MEMBER = {"$ref": "#/components/schemas/Member"}
_UNDECLARED = {"application/json": {}}  # JSON of no declared schema, as orbit.love's answers
NOTES = document(
    {
        "Member": {
            "type": "object",
            "properties": {"id": {"type": "string", "readOnly": True}, "name": {"type": "string"}},
        },
        "Note": {"type": "object", "properties": {"body": {"type": "string"}}},
    },
    {
        "/members": {
            "post": {
                "operationId": "createMember",
                "tags": ["members"],
                "requestBody": {"required": True, "content": json_content(_MEMBER)},
                "responses": ok(_MEMBER, "201"),
            },
            "get": {
                "operationId": "listMembers",
                "tags": ["members"],
                "responses": ok({"type": "array", "items": _MEMBER}),
            },
        },
        "/members/{memberId}": {
            "parameters": [path_param("memberId")],
            "get": {"operationId": "getMember", "tags": ["members"], "responses": ok(_MEMBER)},
        },
        "/members/{memberId}/notes": {
            "parameters": [path_param("memberId")],
            "post": {
                "operationId": "createNote",
                "tags": ["members"],
                "requestBody": {
                    "required": True,
                    "content": json_content({"$ref": "#/components/schemas/Note"}),
                },
                "responses": {"201": {"description": "created", "content": _UNDECLARED}},
            },
            "get": {
                "operationId": "listNotes",
                "tags": ["members"],
                "responses": {"200": {"description": "ok", "content": _UNDECLARED}},
            },
        },
        "/members/{memberId}/notes/{noteId}": {
            "parameters": [path_param("memberId"), path_param("noteId")],
            "put": {
                "operationId": "updateNote",
                "tags": ["members"],
                "requestBody": {"content": json_content({"$ref": "#/components/schemas/Note"})},
                "responses": {"200": {"description": "updated", "content": _UNDECLARED}},
            },
        },
    },
)


def test_a_list_of_no_declared_schema_is_still_read(tmp_path: Path) -> None:
    """Nothing in a list that declares no schema says it cannot hold the records: its answer
    is read (orbit.love's collections round-tripped before the rule above, and must still)."""
    with running(tmp_path, NOTES, "notes"):
        pass
    result = roundtrip.run(tmp_path / "notes", "notes", timeout=300)
    assert (result["outcome"], result["failed"], result["unchecked"]) == ("round-trip", {}, {})
    assert result["collections_ok"] == 2  # the members and their notes
