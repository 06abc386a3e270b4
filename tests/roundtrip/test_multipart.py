"""A `multipart/form-data` body with encoding objects: the generated client sends each part in
the `contentType` its encoding object names (an object part as JSON), and its stub reads the
parts back into the record; a body in any other media type is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from .harness import running

pytestmark = pytest.mark.slow

UPLOAD = {
    "type": "object",
    "required": ["id", "title"],
    "properties": {
        "id": {"type": "string", "readOnly": True},
        "title": {"type": "string"},
        "meta": {
            "type": "object",
            "properties": {"pages": {"type": "integer"}, "lang": {"type": "string"}},
        },
        "file": {"type": "string", "format": "binary"},
    },
}
_REF = {"$ref": "#/components/schemas/Upload"}
SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Uploads", "version": "1.0.0"},
    "components": {"schemas": {"Upload": UPLOAD}},
    "paths": {
        "/uploads": {
            "post": {
                "operationId": "create_upload",
                "tags": ["uploads"],
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": _REF,
                            "encoding": {
                                "meta": {"contentType": "application/json"},
                                "file": {"contentType": "image/png"},
                            },
                        }
                    },
                },
                "responses": {
                    "201": {
                        "description": "created",
                        "content": {"application/json": {"schema": _REF}},
                    }
                },
            }
        },
        "/uploads/{id}": {
            "get": {
                "operationId": "get_upload",
                "tags": ["uploads"],
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {"schema": _REF}}}
                },
            }
        },
    },
}


def _part(body: bytes, name: str) -> bytes:
    """The header block of the part called `name` in a multipart body."""
    marker = f'name="{name}"'.encode()
    start = body.index(marker)
    return body[start : body.index(b"\r\n\r\n", start)]


def test_multipart_parts_go_in_their_encoding_content_type(tmp_path: Path) -> None:
    sent: list[httpx.Request] = []
    http = httpx.Client(event_hooks={"request": [sent.append]})
    with running(tmp_path, SPEC, "multipart_parts") as api, api.client(http_client=http) as client:
        created = client.uploads.create_upload(
            title="scan", meta={"pages": 3, "lang": "en"}, file=b"\x89PNG\r\n"
        )
        body = sent[-1].read()
        assert sent[-1].headers["Content-Type"].startswith("multipart/form-data; boundary=")
        assert b"Content-Type: application/json" in _part(body, "meta")
        assert b"Content-Type: image/png" in _part(body, "file")
        assert b'{"pages":3,"lang":"en"}' in body

        found = client.uploads.get_upload(created.id)
        assert found.title == "scan" and found.meta is not None
        assert found.meta.model_dump() == {"pages": 3, "lang": "en"}

        with httpx.Client(base_url=api.stub.url) as raw:  # only the declared media type
            assert raw.post("/uploads", json={"title": "j"}).status_code == 415
            bad = raw.post(
                "/uploads",
                files={"meta": (None, b"{not json", "application/json")},
                data={"title": "x"},
            )
            assert bad.status_code == 400 and "meta" in bad.text
