"""Walking DRF pages: every item of every page, through the same client."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest
from acme_client._runtime import (
    AsyncPage,
    ResponseValidationError,
    SchemaMismatch,
    SyncPage,
)

from .helpers import (
    BASE_URL,
    Recorder,
    json_response,
    make_async_client,
    make_client,
    page,
    run,
)
from .models import Supplier

IDS = [f"00000000-0000-4000-8000-00000000000{i}" for i in range(5)]


def supplier(i: int, **extra: Any) -> dict[str, Any]:
    return {"id": IDS[i], "name": f"Supplier {i}", **extra}


def three_pages() -> Recorder:
    """Answers by offset, like a server would, so pages can be walked more than once."""
    pages = {
        None: page(
            [supplier(0), supplier(1)],
            f"{BASE_URL}/v1/suppliers/?limit=2&offset=2&org_id=o-1",
        ),
        # DRF behind a proxy may link to another origin: the API origin is kept.
        "2": page(
            [supplier(2), supplier(3)],
            "http://internal:8000/v1/suppliers/?limit=2&offset=4&org_id=o-1",
        ),
        "4": page([supplier(4)], None),
    }
    return Recorder(lambda request: json_response(200, pages[request.url.params.get("offset")]))


def test_sync_iteration_walks_all_three_pages() -> None:
    rec = three_pages()
    client = make_client(rec, org_id="o-1")
    first = client.request_page(
        "GET",
        "/v1/suppliers/",
        query={"limit": 2},
        headers={"x-org-id": "o-9"},
        item_type=Supplier,
    )
    assert isinstance(first, SyncPage)
    assert first.count == 5 and len(first.results) == 2 and first.has_next_page()
    assert len(rec.requests) == 1  # lazily
    items = list(first)
    assert [s.name for s in items] == [f"Supplier {i}" for i in range(5)]
    assert all(isinstance(s, Supplier) for s in items)
    assert [str(r.url) for r in rec.requests] == [
        f"{BASE_URL}/v1/suppliers/?limit=2&org_id=o-1",
        f"{BASE_URL}/v1/suppliers/?limit=2&offset=2&org_id=o-1",
        f"{BASE_URL}/v1/suppliers/?limit=2&offset=4&org_id=o-1",
    ]
    for request in rec.requests:  # same auth and headers on every page
        assert request.headers["Authorization"] == "Api-Key sk-SECRET-123"
        assert request.headers["x-org-id"] == "o-9"
    assert [len(p.results) for p in first.iter_pages()] == [2, 2, 1]


def test_relative_next_links_and_page_navigation() -> None:
    rec = Recorder(
        json_response(200, page([supplier(0)], "/v1/suppliers/?offset=1")),
        json_response(200, page([supplier(1)], "?offset=2")),
        json_response(200, page([supplier(2)], None)),
    )
    client = make_client(rec, base_url="https://api.example.test/")
    first = client.request_page("GET", "/v1/suppliers/", item_type=Supplier)
    second = first.get_next_page()
    assert second is not None and second.results[0].name == "Supplier 1"
    third = second.get_next_page()
    assert third is not None and third.get_next_page() is None
    assert str(rec.requests[2].url) == f"{BASE_URL}/v1/suppliers/?offset=2"
    # the request the page keeps is the one sent, less the credential the auth flow added
    assert third.response.request.url == rec.requests[2].url
    assert "Authorization" in rec.requests[2].headers
    assert "Authorization" not in third.response.request.headers


def test_retries_apply_to_following_pages() -> None:
    rec = Recorder(
        json_response(200, page([supplier(0)], f"{BASE_URL}/v1/suppliers/?offset=1")),
        json_response(503, {}),
        json_response(200, page([supplier(1)], None)),
    )
    client = make_client(rec)
    assert len(list(client.request_page("GET", "/v1/suppliers/", item_type=Supplier))) == 2
    assert len(rec.requests) == 3


def test_pagination_stops_on_a_loop(caplog: pytest.LogCaptureFixture) -> None:
    loop = f"{BASE_URL}/v1/suppliers/?offset=1"
    rec = Recorder(json_response(200, page([supplier(0)], loop)))
    client = make_client(rec)
    caplog.set_level(logging.WARNING)
    assert len(list(client.request_page("GET", "/v1/suppliers/", item_type=Supplier))) == 2
    assert any("already fetched" in r.getMessage() for r in caplog.records)


def test_lenient_items_report_their_page_location() -> None:
    found: list[SchemaMismatch] = []
    rec = Recorder(json_response(200, page([supplier(0), supplier(1, rating=5)], None)))
    client = make_client(rec, on_schema_mismatch=found.append)
    first = client.request_page("GET", "/v1/suppliers/", item_type=Supplier)
    assert all(isinstance(s, Supplier) for s in first.results)
    assert [(m.model, m.location) for m in found] == [("Supplier", "results.1.rating")]


def test_bare_list_is_accepted_leniently_and_rejected_strictly() -> None:
    rec = Recorder(json_response(200, [supplier(0), supplier(1)]))
    found: list[SchemaMismatch] = []
    client = make_client(rec, on_schema_mismatch=found.append)
    first = client.request_page("GET", "/v1/suppliers/", item_type=Supplier)
    assert first.count == 2 and first.next is None and len(list(first)) == 2
    assert len(found) == 1
    with pytest.raises(ResponseValidationError):
        client.request_page("GET", "/v1/suppliers/", item_type=Supplier, strict=True)


def test_strict_page_item_error() -> None:
    rec = Recorder(json_response(200, page([{"id": IDS[0], "name": None}], None)))
    with pytest.raises(ResponseValidationError, match=r"results\.0\.name"):
        make_client(rec).request_page("GET", "/v1/suppliers/", item_type=Supplier, strict=True)


def test_async_iteration_walks_all_three_pages() -> None:
    async def main() -> None:
        rec = three_pages()
        client = make_async_client(rec, org_id="o-1")
        first = await client.request_page(
            "GET", "/v1/suppliers/", query={"limit": 2}, item_type=Supplier
        )
        assert isinstance(first, AsyncPage)
        names = [s.name async for s in first]
        assert names == [f"Supplier {i}" for i in range(5)]
        assert len(rec.requests) == 3
        assert rec.requests[2].url.host == "api.example.test"
        sizes = [len(p.results) async for p in first.iter_pages()]
        assert sizes == [2, 2, 1]
        second = await first.get_next_page()
        assert second is not None and second.results[0].name == "Supplier 2"

    run(main())


def test_page_repr_is_short() -> None:
    rec = Recorder(json_response(200, page([supplier(0)], None, count=1)))
    first = make_client(rec).request_page("GET", "/v1/suppliers/", item_type=Supplier)
    assert repr(first) == "SyncPage(count=1, results=<1 items>, next=None)"
    assert isinstance(first.response, httpx.Response)
