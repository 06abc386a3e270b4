"""A `multipart/form-data` body given no file (or nothing at all) is still sent as multipart,
with a boundary: httpx alone would send fields without files urlencoded, and an empty body
with no content type, both refused by a stub that takes what the spec declares."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import httpx
import pytest

from .harness import running
from .test_multipart import SPEC

pytestmark = pytest.mark.slow

OPTIONAL = copy.deepcopy(SPEC)
OPTIONAL["components"]["schemas"]["Upload"]["required"] = ["id"]


def test_fields_without_a_file_go_as_multipart(tmp_path: Path) -> None:
    sent: list[httpx.Request] = []
    http = httpx.Client(event_hooks={"request": [sent.append]})
    spec: dict[str, Any] = OPTIONAL
    with (
        running(tmp_path, spec, "multipart_fields") as api,
        api.client(http_client=http) as client,
    ):
        created = client.uploads.create_upload(title='a "quoted"\r\nname')
        assert sent[-1].headers["Content-Type"].startswith("multipart/form-data; boundary=")
        found = client.uploads.get_upload(created.id)
        assert found.title == 'a "quoted"\r\nname'

        bare = client.uploads.create_upload()
        assert sent[-1].headers["Content-Type"].startswith("multipart/form-data; boundary=")
        assert client.uploads.get_upload(bare.id).title is None


RECEIPT = {
    "type": "object",
    "required": ["id"],
    "properties": {"id": {"type": "string", "readOnly": True}, "name": {"type": "string"}},
}
ONE_FILE: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "One file", "version": "1.0.0"},
    "components": {"schemas": {"Receipt": RECEIPT}},
    "paths": {
        "/files": {
            "post": {
                "operationId": "upload_file",
                "tags": ["files"],
                # the whole multipart body is one file, not an object of parts
                "requestBody": {
                    "content": {
                        "multipart/form-data": {"schema": {"type": "string", "format": "binary"}}
                    }
                },
                "responses": {
                    "201": {
                        "description": "stored",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Receipt"}}
                        },
                    }
                },
            }
        }
    },
}


def test_a_multipart_body_declared_as_one_file_is_sent_as_its_part(tmp_path: Path) -> None:
    sent: list[httpx.Request] = []
    http = httpx.Client(event_hooks={"request": [sent.append]})
    with running(tmp_path, ONE_FILE, "one_file") as api, api.client(http_client=http) as client:
        client.files.upload_file(body=b"%PDF-1.7")  # the stub took it: 201
        body = sent[-1].read()
        assert sent[-1].headers["Content-Type"].startswith("multipart/form-data; boundary=")
        assert b'name="file"' in body and b"%PDF-1.7" in body

        with httpx.Client(base_url=api.stub.url) as raw:  # only the declared media type
            octets = {"Content-Type": "application/octet-stream"}
            assert raw.post("/files", content=b"%PDF-1.7", headers=octets).status_code == 415
