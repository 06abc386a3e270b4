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
