"""A POST that takes a query and answers a page (`results` beside `count`, `next`,
`previous`) is a search, not a create: botify's `POST /analyses/.../urls` was answered with a
created record, which its client's page model refused (count, next, previous required)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .documents import document, json_content, ok, path_param
from .harness import running

pytestmark = pytest.mark.slow

URL = {"type": "object", "properties": {"url": {"type": "string"}}}
PAGE = {
    "type": "object",
    "properties": {
        "count": {"type": "integer", "readOnly": True},
        "next": {"type": "string", "nullable": True, "readOnly": True},
        "previous": {"type": "string", "nullable": True, "readOnly": True},
        "results": {"type": "array", "items": {"$ref": "#/components/schemas/Url"}},
    },
}
QUERY = {"type": "object", "properties": {"filters": {"type": "object"}}}
SEARCH = document(
    {"Url": URL},
    {
        "/analyses/{analysis}/urls": {
            "parameters": [path_param("analysis")],
            "post": {
                "operationId": "searchUrls",
                "tags": ["urls"],
                "requestBody": {"required": True, "content": json_content(QUERY)},
                "responses": ok(PAGE),
            },
        },
        "/analyses/{analysis}/urls/{url}": {
            "parameters": [path_param("analysis"), path_param("url")],
            "get": {
                "operationId": "getUrl",
                "tags": ["urls"],
                "responses": ok({"$ref": "#/components/schemas/Url"}),
            },
        },
    },
)


def test_a_post_answering_a_page_is_answered_a_page(tmp_path: Path) -> None:
    with running(tmp_path, SEARCH, "search") as api, api.client() as client:
        page = client.urls.search_urls("a1", filters={})
        assert list(page) == []
        assert page.count == 0
