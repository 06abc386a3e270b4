"""An inline model never takes a schema's class name: datamodel-code-generator names an array's
inline items after their property in the singular (`labels` -> `Label`), which would leave the
schema `Label` as `Label1` while the client answers `Label` for it (a string here): its own
stub's answers, valid against the spec, would then fail the client's validation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .harness import KEY_A, running

pytestmark = pytest.mark.slow

_LABEL = {"$ref": "#/components/schemas/Label"}
SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Labels", "version": "1.0.0"},
    "components": {
        "schemas": {
            "AssignLabelsRequest": {
                "type": "object",
                "properties": {
                    "labels": {"type": "array", "items": {"type": "string", "maxLength": 20}}
                },
            },
            "Label": {
                "type": "object",
                "required": ["labelId"],
                "properties": {"labelId": {"type": "string"}, "value": {"type": "string"}},
            },
        }
    },
    "paths": {
        "/labels": {
            "post": {
                "operationId": "addLabel",
                "tags": ["labels"],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/AssignLabelsRequest"}
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": _LABEL}},
                    }
                },
            }
        }
    },
}


def test_a_schema_keeps_its_class_name_beside_inline_items(tmp_path: Path) -> None:
    with running(tmp_path, SPEC, "model_names") as api, api.client(api_key=KEY_A) as client:
        label = client.labels.add_label(labels=["urgent"])
        assert type(label).__name__ == "Label" and isinstance(label.labelId, str)
        assert type(label).model_fields.keys() == {"labelId", "value"}
