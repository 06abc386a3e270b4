"""Creates that take a batch, as BBC's personalisation API does: `POST /my/favourites` sends an
array of favourites and answers the list's envelope (`{"total", "results": [...]}`), the same
as `GET /my/favourites`; `GET /my/favourites/{type}` lists those of one type (a collection of
its own: `/my/favourites/{type}/{id}` names one of them), it is not the get of a favourite.
The stub stores each record of the batch and answers them in the envelope; the corpus round
trip sends a batch of one and finds it in the list, by the values it sent when the create
answers none of the records (`POST /my/follows`), but the `id` it sent: the stub names
records itself (a favourite's schema gives no sign that the client does)."""

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

FAVOURITE = {
    "type": "object",
    "required": ["id", "type", "action"],
    "properties": {
        "id": {"type": "string"},
        "type": {"type": "string"},
        "action": {"type": "string"},
    },
}
_FAVOURITE = {"$ref": "#/components/schemas/Favourite"}
PAGE = {
    "type": "object",
    "required": ["total", "results"],
    "properties": {"total": {"type": "integer"}, "results": {"type": "array", "items": _FAVOURITE}},
}
_PAGE = {"$ref": "#/components/schemas/Page"}
# what a batch of follows answers: when it was done, none of the records
_REPLY = {"type": "object", "properties": {"method": {"type": "string"}}}
BATCHES: dict[str, Any] = document(
    {"Favourite": FAVOURITE, "Page": PAGE},
    {
        "/my/favourites": {
            "get": {"operationId": "getFavourites", "tags": ["my"], "responses": ok(_PAGE)},
            "post": {
                "operationId": "postFavouritesBatch",
                "tags": ["my"],
                "requestBody": {
                    "required": True,
                    "content": json_content({"type": "array", "items": _FAVOURITE}),
                },
                "responses": ok(_PAGE),
            },
        },
        "/my/favourites/{type}": {
            "parameters": [path_param("type")],
            "get": {"operationId": "getFavouritesByType", "tags": ["my"], "responses": ok(_PAGE)},
        },
        "/my/follows": {
            "get": {"operationId": "getFollows", "tags": ["my"], "responses": ok(_PAGE)},
            "post": {
                "operationId": "postFollowsBatch",
                "tags": ["my"],
                "requestBody": {
                    "required": True,
                    "content": json_content({"type": "array", "items": _FAVOURITE}),
                },
                "responses": ok(_REPLY),
            },
        },
        "/my/favourites/{type}/{id}": {
            "parameters": [path_param("type"), path_param("id")],
            "get": {"operationId": "getFavourite", "tags": ["my"], "responses": ok(_PAGE)},
        },
    },
)


def test_each_record_of_a_batch_is_stored_and_answered_in_the_lists_envelope(
    tmp_path: Path,
) -> None:
    with running(tmp_path, BATCHES, "batches") as api, api.client() as client:
        sent = [
            {"id": "t1", "type": "track", "action": "like"},
            {"id": "c1", "type": "clip", "action": "like"},
        ]
        made = client.my.post_favourites_batch(body=sent)
        assert [(f.type, f.action) for f in made.results] == [("track", "like"), ("clip", "like")]
        listed = client.my.get_favourites()
        assert [f.id for f in listed.results] == [f.id for f in made.results]


def test_the_corpus_round_trip_sends_a_batch_of_one(tmp_path: Path) -> None:
    spec = tmp_path / "batches.json"
    spec.write_text(json.dumps(BATCHES))
    pipeline.generate(spec, tmp_path / "out", package_name="batches_rt")
    result = roundtrip.run(tmp_path / "out", "batches_rt", timeout=300)
    assert (result["outcome"], result["failed"], result["collections_ok"]) == ("round-trip", {}, 2)
