"""A form whose schema requires no field, sent with none: the client sends an empty
`application/x-www-form-urlencoded` body, which is that form's encoding of `{}`, and the stub
takes it as `{}` (truora's continuous checks were answered "No data provided."). A request
with no body and no `Content-Type` at all is still refused, as DRF does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from .harness import running

pytestmark = pytest.mark.slow

_CHECK = {
    "type": "object",
    "properties": {"check_id": {"type": "string"}, "frequency": {"type": "string"}},
}
_RECORD = {
    "type": "object",
    "properties": {"id": {"type": "string", "readOnly": True}, **_CHECK["properties"]},
}
SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Checks", "version": "1.0.0"},
    "paths": {
        "/checks": {
            "post": {
                "operationId": "createCheck",
                "tags": ["checks"],
                "requestBody": {
                    "required": True,
                    "content": {"application/x-www-form-urlencoded": {"schema": _CHECK}},
                },
                "responses": {
                    "201": {
                        "description": "created",
                        "content": {"application/json": {"schema": _RECORD}},
                    }
                },
            },
            "get": {
                "operationId": "listChecks",
                "tags": ["checks"],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"type": "array", "items": _RECORD}}
                        },
                    }
                },
            },
        }
    },
}


def test_an_empty_form_is_the_form_of_no_fields(tmp_path: Path) -> None:
    sent: list[httpx.Request] = []
    http = httpx.Client(event_hooks={"request": [sent.append]})
    with running(tmp_path, SPEC, "empty_forms") as api, api.client(http_client=http) as client:
        created = client.checks.create_check()
        assert sent[-1].headers["Content-Type"] == "application/x-www-form-urlencoded"
        assert sent[-1].content == b""
        assert created.id
        assert [check.id for check in client.checks.list_checks()] == [created.id]
        with httpx.Client(base_url=api.stub.url) as raw:
            refused = raw.post("/checks", content=b"")  # no body, no Content-Type
            assert refused.status_code == 400
            assert refused.json()["non_field_errors"] == ["No data provided."]
