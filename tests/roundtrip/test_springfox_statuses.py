"""Springfox documents every POST with a bare `201 Created` beside the `200` that carries the
answer (mcw.edu's `POST /genes/orthologs`, a map of genes): the client's method returns the
200's model, so the stub answers that status with its body, not an empty 201 the client
cannot parse."""

from __future__ import annotations

from pathlib import Path

import pytest

from .documents import document, json_content, path_param
from .harness import running

pytestmark = pytest.mark.slow

_GENE = {"type": "object", "properties": {"id": {"type": "integer"}, "symbol": {"type": "string"}}}
_GENES = {"type": "array", "items": {"$ref": "#/components/schemas/Gene"}}
SPRINGFOX = document(
    {"Gene": _GENE},
    {
        "/genes/orthologs": {
            "post": {
                "operationId": "getOrthologsByList",
                "tags": ["genes"],
                "requestBody": {
                    "required": True,
                    "content": json_content(
                        {"type": "object", "properties": {"ids": {"type": "array"}}}
                    ),
                },
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {
                            "*/*": {"schema": {"type": "object", "additionalProperties": _GENES}}
                        },
                    },
                    "201": {"description": "Created"},
                },
            }
        },
        "/genes/orthologs/{rgdId}": {
            "parameters": [path_param("rgdId", {"type": "integer"})],
            "get": {
                "operationId": "getGeneOrthologs",
                "tags": ["genes"],
                "responses": {"200": {"description": "OK", "content": {"*/*": {"schema": _GENES}}}},
            },
        },
    },
)


def test_a_post_answers_the_declared_status_with_a_body(tmp_path: Path) -> None:
    with running(tmp_path, SPRINGFOX, "springfox") as api, api.client() as client:
        raw = client.genes.with_raw_response.get_orthologs_by_list(ids=[1])
        assert raw.status_code == 200
        assert client.genes.get_orthologs_by_list(ids=[1]) is not None
