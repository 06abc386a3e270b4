"""A collection whose item paths disagree on the shape of its records' identifier (1Password
Connect: 26 characters at `/items/{itemUuid}`, a uuid at `/items/{itemUuid}/files`): no id
fits both, and the stub named a new record by a uuid its own get refuses, so the get answered
404. A new record now takes an id its own item paths accept."""

from __future__ import annotations

from pathlib import Path

import pytest

from .documents import document, json_content, ok, path_param
from .harness import running

pytestmark = pytest.mark.slow

_ID = {"type": "string", "pattern": "^[\\da-z]{26}$"}
ITEM = {"type": "object", "properties": {"id": _ID, "title": {"type": "string"}}}
_ITEM = {"$ref": "#/components/schemas/Item"}
ITEMS = document(
    {"Item": ITEM},
    {
        "/items": {
            "post": {
                "operationId": "createItem",
                "tags": ["items"],
                "requestBody": {"required": True, "content": json_content(_ITEM)},
                "responses": ok(_ITEM),
            },
        },
        "/items/{itemUuid}": {
            "parameters": [path_param("itemUuid", _ID)],
            "get": {"operationId": "getItem", "tags": ["items"], "responses": ok(_ITEM)},
        },
        "/items/{itemUuid}/files": {
            "parameters": [path_param("itemUuid", {"type": "string", "format": "uuid"})],
            "get": {
                "operationId": "listFiles",
                "tags": ["items"],
                "responses": ok({"type": "array", "items": {"type": "string"}}),
            },
        },
    },
)


def test_a_new_record_takes_an_id_its_own_item_paths_accept(tmp_path: Path) -> None:
    with running(tmp_path, ITEMS, "items") as api, api.client() as client:
        made = client.items.create_item(title="t")
        assert made.id is not None and len(made.id) == 26, made
        assert client.items.get_item(made.id).title == "t"
