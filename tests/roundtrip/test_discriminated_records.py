"""Records of schemas a discriminator names implicitly (Bitbucket's: `object` discriminates
by `type` with no mapping, `project` is `allOf: [object, {...}]`): the generated models
require `type: Literal["project"]`, so the values the stub builds and answers carry the
schema's name, also where the create takes no body at all and for a schema derived from one
(`ssh_account_key` of `ssh_key`: the models inherit `"ssh_key"`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench.corpus import roundtrip
from generator import pipeline

from .documents import document, ok, path_param

pytestmark = pytest.mark.slow

_BASE = {
    "type": "object",
    "required": ["type"],
    "discriminator": {"propertyName": "type"},
    "properties": {"type": {"type": "string"}},
}


def _derived(base: str, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "allOf": [
            {"$ref": f"#/components/schemas/{base}"},
            {"type": "object", "properties": properties},
        ]
    }


def _collection(name: str, schema: str, body: bool) -> dict[str, Any]:
    ref = {"$ref": f"#/components/schemas/{schema}"}
    create: dict[str, Any] = {
        "operationId": f"create_{name}",
        "tags": [name],
        "responses": ok(ref, "201"),
    }
    if body:
        create["requestBody"] = {"content": {"application/json": {"schema": ref}}}
    return {
        f"/{name}": {"post": create},
        f"/{name}/{{id}}": {
            "parameters": [path_param("id")],
            "get": {"operationId": f"get_{name}", "tags": [name], "responses": ok(ref)},
        },
    }


DISCRIMINATED = document(
    {
        "object": _BASE,
        "project": _derived(
            "object",
            {
                "id": {"type": "string"},
                "name": {"type": "string"},
                # a property of the base's type makes the models a union told apart by `type`
                "subject": {"$ref": "#/components/schemas/object"},
            },
        ),
        "ssh_key": _derived("object", {"id": {"type": "string"}, "key": {"type": "string"}}),
        "ssh_account_key": _derived("ssh_key", {"owner": {"type": "string"}}),
    },
    {
        **_collection("projects", "project", body=True),
        **_collection("keys", "ssh_account_key", body=False),
    },
)


def test_records_named_by_an_implicit_discriminator_round_trip(tmp_path: Path) -> None:
    spec = tmp_path / "discriminated.json"
    spec.write_text(json.dumps(DISCRIMINATED))
    pipeline.generate(spec, tmp_path / "out", package_name="discriminated")
    models = (tmp_path / "out" / "discriminated" / "models.py").read_text()
    assert 'Literal["project"]' in models and 'Literal["ssh_key"]' in models
    result = roundtrip.run(tmp_path / "out", "discriminated", timeout=300)
    assert (result["outcome"], result["failed"], result["collections_ok"]) == ("round-trip", {}, 2)
