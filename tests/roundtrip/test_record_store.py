"""The stub keeps and finds records however a real document lays its resource out, driven
through the generated client: one resource declared as two paths (`POST /widgets`,
`GET /widgets/`), identifiers whose schema only a patterned value fits (`^WG[0-9a-f]{32}$`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .documents import document, json_content, ok, path_param
from .harness import running

pytestmark = pytest.mark.slow

WIDGET = {
    "type": "object",
    "required": ["name"],
    "properties": {"id": {"type": "string", "readOnly": True}, "name": {"type": "string"}},
}
_WIDGET = {"$ref": "#/components/schemas/Widget"}
TWO_PATHS = document(
    {"Widget": WIDGET},
    {
        "/widgets": {
            "post": {
                "operationId": "createWidget",
                "tags": ["widgets"],
                "requestBody": {"required": True, "content": json_content(_WIDGET)},
                "responses": ok(_WIDGET, "201"),
            },
        },
        "/widgets/": {
            "get": {
                "operationId": "listWidgets",
                "tags": ["widgets"],
                "responses": ok({"type": "array", "items": _WIDGET}),
            },
        },
        "/widgets/{id}": {
            "parameters": [path_param("id")],
            "get": {"operationId": "getWidget", "tags": ["widgets"], "responses": ok(_WIDGET)},
        },
    },
)


def test_a_resource_declared_as_two_paths_takes_both_methods(tmp_path: Path) -> None:
    with running(tmp_path, TWO_PATHS, "widgets_two_paths") as api, api.client() as client:
        made = client.widgets.create_widget(name="first")
        assert [w.name for w in client.widgets.list_widgets()] == ["first"]
        assert client.widgets.get_widget(made.id).name == "first"
