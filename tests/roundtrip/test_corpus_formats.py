"""The round-trip column of `make corpus` (bench/corpus/roundtrip.py) on a record with strings
of formats the client's models check by a pattern or a type of their own (`hostname`,
`ipv4`, `ipv6`): the stub's values of them are valid ones, not empty strings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench.corpus import roundtrip
from generator import pipeline

pytestmark = pytest.mark.slow

FORMATS = ("hostname", "idn-hostname", "ipv4", "ipv6")
HOST = {
    "type": "object",
    "required": list(FORMATS),
    "properties": {
        "id": {"type": "integer", "readOnly": True},
        **{name: {"type": "string", "format": name, "nullable": True} for name in FORMATS},
    },
}
_HOST = {"$ref": "#/components/schemas/Host"}


def _ok(schema: dict[str, Any], status: str = "200") -> dict[str, Any]:
    return {status: {"description": "ok", "content": {"application/json": {"schema": schema}}}}


SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Hosts", "version": "1.0.0"},
    "components": {"schemas": {"Host": HOST}},
    "paths": {
        "/hosts": {
            "post": {
                "operationId": "createHost",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _HOST}},
                },
                "responses": _ok(_HOST, "201"),
            },
        },
        "/hosts/{id}": {
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
            ],
            "get": {"operationId": "getHost", "responses": _ok(_HOST)},
        },
    },
}


def test_records_with_formatted_strings_round_trip(tmp_path: Path) -> None:
    document = tmp_path / "hosts.json"
    document.write_text(json.dumps(SPEC))
    out = tmp_path / "out"
    pipeline.generate(document, out, package_name="hosts")
    result = roundtrip.run(out, "hosts", timeout=300)
    assert result["failed"] == {}
    assert (result["outcome"], result["collections"], result["collections_ok"]) == (
        "round-trip",
        1,
        1,
    )
