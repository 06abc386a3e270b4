"""Bodies in the media type the spec declares, sent by the generated client and read by its
stub: a form (with its encoding objects), vendor JSON, text, raw bytes, and nothing at all
where an optional body is not given."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest

from .harness import running

pytestmark = pytest.mark.slow

TAGGED = {
    "type": "object",
    "required": ["id", "text"],
    "properties": {
        "id": {"type": "string", "readOnly": True},
        "text": {"type": "string"},
        "count": {"type": "integer"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "labels": {"type": "array", "items": {"type": "string"}},
    },
}
_REF = {"$ref": "#/components/schemas/Tagged"}
_ONE = {"201": {"description": "created", "content": {"application/json": {"schema": _REF}}}}
_MANY = {
    "200": {
        "description": "ok",
        "content": {"application/json": {"schema": {"type": "array", "items": _REF}}},
    }
}


def _collection(name: str, media: str, schema: Any, extra: dict[str, Any] | None = None) -> Any:
    return {
        "get": {"operationId": f"list_{name}", "tags": ["media"], "responses": _MANY},
        "post": {
            "operationId": f"create_{name}",
            "tags": ["media"],
            "requestBody": {
                "required": True,
                "content": {media: {"schema": schema, **(extra or {})}},
            },
            "responses": _ONE,
        },
    }


SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Media", "version": "1.0.0"},
    "components": {"schemas": {"Tagged": TAGGED}},
    "paths": {
        "/forms": _collection(
            "forms",
            "application/x-www-form-urlencoded",
            _REF,
            {"encoding": {"labels": {"style": "pipeDelimited", "explode": False}}},
        ),
        "/vendor": _collection("vendor", "application/vnd.api+json", _REF),
        "/texts": _collection("texts", "text/plain", {"type": "string"}),
        "/images": _collection("images", "image/png", {"type": "string", "format": "binary"}),
        "/forms/{id}/touch": {
            "post": {
                "operationId": "touch_form",
                "tags": ["media"],
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "requestBody": {"content": {"application/json": {"schema": _REF}}},
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {"schema": _REF}}}
                },
            }
        },
    },
}


def test_each_body_goes_in_its_declared_media_type(tmp_path: Path) -> None:
    sent: list[httpx.Request] = []
    http = httpx.Client(event_hooks={"request": [sent.append]})
    with running(tmp_path, SPEC, "media_types") as api, api.client(http_client=http) as client:
        form = client.media.create_forms(text="hi", count=3, tags=["a", "b"], labels=["x", "y"])
        assert (form.text, form.count, form.tags, form.labels) == ("hi", 3, ["a", "b"], ["x", "y"])
        assert sent[-1].headers["Content-Type"] == "application/x-www-form-urlencoded"
        assert parse_qsl(sent[-1].content.decode()) == [
            ("count", "3"),
            ("labels", "x|y"),
            ("tags", "a"),
            ("tags", "b"),
            ("text", "hi"),
        ]
        assert [f.text for f in client.media.list_forms()] == ["hi"]

        vendor = client.media.create_vendor(text="v")
        assert vendor.text == "v"
        assert sent[-1].headers["Content-Type"] == "application/vnd.api+json"
        assert [v.text for v in client.media.list_vendor()] == ["v"]

        client.media.create_texts(body="plain words")
        assert sent[-1].headers["Content-Type"] == "text/plain"
        assert sent[-1].content == b"plain words"

        client.media.create_images(body=b"\x89PNG\r\n")
        assert sent[-1].headers["Content-Type"] == "image/png"
        assert sent[-1].content == b"\x89PNG\r\n"

        touched = client.media.touch_form(form.id)
        assert touched.text == "hi"
        assert sent[-1].content == b"" and "Content-Type" not in sent[-1].headers

        with httpx.Client(base_url=api.stub.url) as raw:  # the stub takes what is declared
            assert raw.post("/forms", json={"text": "j"}).status_code == 415
            assert raw.post("/vendor", json={"text": "j"}).status_code == 415
