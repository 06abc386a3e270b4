"""What goes on the wire: method, URL, query, headers, bodies; and what comes back."""

from __future__ import annotations

import io
import json
from typing import Any

import httpx
import pytest
from acme_client._runtime import (
    NOT_GIVEN,
    AsyncAPIClient,
    SyncAPIClient,
    build_body,
    build_multipart,
)

from .helpers import (
    API_KEY,
    BASE_URL,
    BOM_ID,
    AsyncClient,
    Client,
    Recorder,
    json_response,
    make_async_client,
    make_client,
    run,
)
from .models import BOM, BOMLine, CreateBOMLine, Status, Tags, UpdateBOM

BOM_JSON = {"id": BOM_ID, "name": "Main board", "status": "draft", "lines": []}


def test_get_builds_url_auth_and_default_headers() -> None:
    rec = Recorder(json_response(200, BOM_JSON))
    client = make_client(rec)
    bom = client.request("get", "/v1/boms/{bom_id}/", path_params={"bom_id": BOM_ID}, cast_to=BOM)
    assert isinstance(bom, BOM) and bom.status is Status.draft
    req = rec.last
    assert req.method == "GET"
    assert str(req.url) == f"{BASE_URL}/v1/boms/{BOM_ID}/"  # trailing slash kept
    assert req.headers["Authorization"] == f"Api-Key {API_KEY}"
    assert req.headers["Accept"] == "application/json"
    assert req.headers["User-Agent"].startswith("acme_client")
    assert req.content == b""


def test_trailing_slash_is_kept_exactly_as_in_the_template() -> None:
    rec = Recorder(json_response(200, {}))
    client = make_client(rec)
    client.request("GET", "/v1/org/")
    client.request("GET", "/v1/no-slash")
    assert [r.url.raw_path for r in rec.requests] == [b"/v1/org/", b"/v1/no-slash"]


def test_base_url_trailing_slash_and_prefix() -> None:
    rec = Recorder(json_response(200, {}))
    client = make_client(rec, base_url="http://127.0.0.1:8000/prefix/")
    client.request("GET", "/v1/org/")
    assert str(rec.last.url) == "http://127.0.0.1:8000/prefix/v1/org/"


def test_query_drops_none_and_not_given_and_writes_booleans() -> None:
    rec = Recorder(json_response(200, {}))
    client = make_client(rec)
    client.request(
        "GET",
        "/v1/boms/",
        query={
            "limit": 10,
            "offset": None,
            "search": NOT_GIVEN,
            "blended": True,
            "archived": False,
            "status": Status.approved,
            "ids": ["a", "b"],
        },
    )
    params = rec.last.url.params
    assert params["limit"] == "10"
    assert "offset" not in params and "search" not in params
    assert params["blended"] == "true" and params["archived"] == "false"
    assert params["status"] == "approved"
    assert params.get_list("ids") == ["a", "b"]


def test_client_org_id_is_default_query_and_call_overrides_it() -> None:
    rec = Recorder(json_response(200, {}))
    client = make_client(rec, org_id="org-1")
    client.request("GET", "/v1/boms/")
    assert rec.last.url.params["org_id"] == "org-1"
    client.request("GET", "/v1/boms/", query={"org_id": "org-2"})
    assert rec.last.url.params.get_list("org_id") == ["org-2"]
    client.request("GET", "/v1/boms/", query={"org_id": NOT_GIVEN, "limit": 1})
    assert rec.last.url.params["org_id"] == "org-1"


def test_headers_drop_none_and_keep_defaults() -> None:
    rec = Recorder(json_response(200, {}))
    client = make_client(rec, default_headers={"X-Team": "core"})
    client.request("GET", "/v1/purchase_orders/", headers={"x-org-id": "o-9", "x-skip": None})
    assert rec.last.headers["x-org-id"] == "o-9"
    assert "x-skip" not in rec.last.headers
    assert rec.last.headers["X-Team"] == "core"
    assert rec.last.headers["Authorization"] == f"Api-Key {API_KEY}"


def test_owned_client_sends_the_same_headers() -> None:
    rec = Recorder(json_response(200, {}))
    client = Client(api_key=API_KEY, default_headers={"X-Team": "core"})
    client._client = httpx.Client(  # swap the transport, keep what the client configured
        transport=httpx.MockTransport(rec), headers=client._client.headers
    )
    client.request("GET", "/v1/org/", headers={"x-org-id": "o-1"})
    assert rec.last.headers["X-Team"] == "core"
    assert rec.last.headers["x-org-id"] == "o-1"
    assert rec.last.headers["Authorization"] == f"Api-Key {API_KEY}"
    assert rec.last.headers["User-Agent"].startswith("acme_client")


def test_patch_sends_only_the_fields_that_were_set() -> None:
    rec = Recorder(json_response(200, BOM_JSON))
    client = make_client(rec)
    client.request(
        "PATCH",
        "/v1/boms/{bom_id}/",
        path_params={"bom_id": BOM_ID},
        json=UpdateBOM(name="New name"),
        cast_to=BOM,
    )
    assert rec.json() == {"name": "New name"}
    assert rec.last.headers["Content-Type"] == "application/json"
    client.request(
        "PATCH",
        "/v1/boms/{bom_id}/",
        path_params={"bom_id": BOM_ID},
        json=UpdateBOM(description=None),
    )
    assert rec.json() == {"description": None}  # explicitly set to null is sent


def test_json_bodies_models_by_alias_lists_and_plain_data() -> None:
    rec = Recorder(json_response(201, {}))
    client = make_client(rec)
    client.request("POST", "/v1/x/", json=CreateBOMLine(mpn="R1", quantity=2, customId="c-1"))
    assert rec.json() == {"mpn": "R1", "quantity": 2, "customId": "c-1"}
    client.request(
        "PATCH",
        "/v1/x/",
        json=[
            UpdateBOM(name="a"),
            {"id": 1, "nested": UpdateBOM(status=Status.approved)},
        ],
    )
    assert rec.json() == [{"name": "a"}, {"id": 1, "nested": {"status": "approved"}}]
    client.request("POST", "/v1/x/", json={"query": "select 1", "n": None})
    assert rec.json() == {"query": "select 1", "n": None}


def test_build_body_from_fields_or_body() -> None:
    assert build_body(UpdateBOM, NOT_GIVEN, {"name": "x", "description": NOT_GIVEN}) == {
        "name": "x"
    }
    body = UpdateBOM(name="y")
    assert build_body(UpdateBOM, body, {"name": NOT_GIVEN}) is body
    assert build_body([1, 2], {}) == [1, 2]
    with pytest.raises(TypeError):
        build_body(UpdateBOM, body, {"name": "z"})


def test_multipart_upload_with_file_and_fields() -> None:
    rec = Recorder(json_response(201, {"id": "doc-1"}))
    client = make_client(rec)
    fields = build_multipart(
        NOT_GIVEN,
        {
            "file": ("datasheet.pdf", io.BytesIO(b"%PDF-1.7 data"), "application/pdf"),
            "title": "Datasheet",
            "is_public": False,
            "notes": None,
        },
    )
    result = client.request("POST", "/v1/stock_documents/", multipart=fields)
    assert result == {"id": "doc-1"}
    req = rec.last
    assert req.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    body = rec.bodies[-1]
    assert b'name="file"; filename="datasheet.pdf"' in body
    assert b"%PDF-1.7 data" in body
    assert b'name="title"\r\n\r\nDatasheet' in body
    assert b'name="is_public"\r\n\r\nfalse' in body
    assert b'name="notes"' not in body


def test_binary_content_body() -> None:
    rec = Recorder(json_response(200, {}))
    client = make_client(rec)
    client.request("PUT", "/v1/blob/", content=io.BytesIO(b"\x00\x01raw"))
    assert rec.bodies[-1] == b"\x00\x01raw"
    assert rec.last.headers["Content-Type"] == "application/octet-stream"


def test_response_kinds() -> None:
    rec = Recorder(
        httpx.Response(204),
        httpx.Response(200, content=b"\x89PNG\x00", headers={"Content-Type": "image/png"}),
        json_response(200, ["a", "b"]),
        json_response(200, [BOM_JSON, BOM_JSON]),
        json_response(200, {"anything": [1]}),
    )
    client = make_client(rec)
    assert client.request("DELETE", "/v1/boms/x/", response_kind="empty") is None
    assert client.request("GET", "/v1/d/", response_kind="binary") == b"\x89PNG\x00"
    tags = client.request("GET", "/v1/tags/", cast_to=Tags)
    assert isinstance(tags, Tags) and tags.root == ["a", "b"]
    boms = client.request("GET", "/v1/boms/", cast_to=list[BOM])
    assert [type(b) for b in boms] == [BOM, BOM]
    assert client.request("GET", "/v1/raw/") == {"anything": [1]}


def test_request_raw_returns_the_response_and_parse_response_types_it() -> None:
    rec = Recorder(json_response(200, BOM_JSON, headers={"X-Request-Id": "req-7"}))
    client = make_client(rec)
    response = client.request_raw("GET", "/v1/boms/{bom_id}/", path_params={"bom_id": BOM_ID})
    assert isinstance(response, httpx.Response)
    assert response.headers["X-Request-Id"] == "req-7"
    bom = client.parse_response(response, cast_to=BOM)
    assert isinstance(bom, BOM) and bom.name == "Main board"


def test_nested_models_are_typed() -> None:
    data = dict(
        BOM_JSON,
        lines=[{"id": BOM_ID, "mpn": "R1", "quantity": 3, "status": "approved"}],
    )
    client = make_client(Recorder(json_response(200, data)))
    bom = client.request("GET", "/v1/boms/x/", cast_to=BOM)
    assert isinstance(bom.lines[0], BOMLine) and bom.lines[0].status is Status.approved


def test_injected_http_client_is_not_closed_owned_one_is() -> None:
    http = httpx.Client(transport=httpx.MockTransport(Recorder()))
    with Client(api_key=API_KEY, http_client=http) as client:
        client.request("GET", "/v1/org/")
    assert not http.is_closed
    owned = Client(api_key=API_KEY)
    with owned:
        pass
    assert owned._client.is_closed


def test_async_client_request_and_close() -> None:
    async def main() -> None:
        rec = Recorder(json_response(200, BOM_JSON))
        http = httpx.AsyncClient(transport=httpx.MockTransport(rec))
        async with AsyncClient(api_key=API_KEY, http_client=http, org_id="o-1") as client:
            bom = await client.request(
                "GET", "/v1/boms/{bom_id}/", path_params={"bom_id": BOM_ID}, cast_to=BOM
            )
            assert isinstance(bom, BOM)
            raw = await client.request_raw("GET", "/v1/org/")
            assert raw.status_code == 200
        assert not http.is_closed
        assert rec.requests[0].url.params["org_id"] == "o-1"
        assert rec.requests[0].headers["Authorization"] == f"Api-Key {API_KEY}"
        owned = AsyncClient(api_key=API_KEY)
        async with owned:
            pass
        assert owned._client.is_closed

    run(main())


def test_wrong_http_client_type_is_rejected() -> None:
    with pytest.raises(TypeError):
        Client(api_key=API_KEY, http_client=httpx.AsyncClient())  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        AsyncClient(api_key=API_KEY, http_client=httpx.Client())  # type: ignore[arg-type]


def test_api_key_from_environment_and_missing_key_names_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ACME_API_KEY", "env-key-1")
    rec = Recorder()
    client = Client(http_client=httpx.Client(transport=httpx.MockTransport(rec)))
    client.request("GET", "/v1/org/")
    assert rec.last.headers["Authorization"] == "Api-Key env-key-1"
    monkeypatch.delenv("ACME_API_KEY")
    from acme_client._runtime import APIKeyMissingError

    with pytest.raises(APIKeyMissingError, match="ACME_API_KEY") as info:
        Client()
    assert isinstance(info.value, ValueError)
    with pytest.raises(APIKeyMissingError, match="ACME_API_KEY"):
        AsyncClient(api_key="")


def test_constructor_validation() -> None:
    with pytest.raises(ValueError, match="max_retries"):
        Client(api_key=API_KEY, max_retries=-1)
    with pytest.raises(ValueError, match="base_url"):
        Client(api_key=API_KEY, base_url="ftp://example.test")
    with pytest.raises(ValueError, match="base_url"):
        SyncAPIClient(api_key=API_KEY)  # no default_base_url on the bare base class


def test_timeout_is_applied_to_requests() -> None:
    rec = Recorder()
    client = make_client(rec, timeout=5.0)
    client.request("GET", "/v1/org/")
    assert rec.last.extensions["timeout"]["read"] == 5.0
    client.request("GET", "/v1/org/", timeout=httpx.Timeout(1.0, read=30.0))
    assert rec.last.extensions["timeout"]["read"] == 30.0


def test_custom_auth_header_and_scheme() -> None:
    class BearerClient(SyncAPIClient):
        default_base_url = BASE_URL
        auth_header = "X-Api-Key"
        auth_scheme = ""

    rec = Recorder()
    client = BearerClient(
        api_key=API_KEY, http_client=httpx.Client(transport=httpx.MockTransport(rec))
    )
    client.request("GET", "/v1/org/")
    assert rec.last.headers["X-Api-Key"] == API_KEY
    assert "Authorization" not in rec.last.headers


def test_subclass_signature_is_keyword_only() -> None:
    with pytest.raises(TypeError):
        Client(API_KEY)  # type: ignore[misc]


def test_debug_log_of_each_request(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG", logger="acme_client.http")
    client = make_client(Recorder(json_response(503, {}), json_response(200, {})))
    client.request("GET", "/v1/org/", query={"limit": 1})
    lines = [r.getMessage() for r in caplog.records if r.name == "acme_client.http"]
    assert any("GET https://api.example.test/v1/org/?limit=1 -> 503" in m for m in lines)
    assert any("-> 200 OK" in m and "attempt 2 of 3" in m for m in lines)
    assert any(m.startswith("Retrying GET") for m in lines)


def _json(body: Any) -> bytes:
    return json.dumps(body).encode()


def test_async_request_page_and_types_exported() -> None:
    assert issubclass(AsyncClient, AsyncAPIClient)
    client = make_async_client(
        Recorder(json_response(200, {"count": 0, "next": None, "previous": None, "results": []}))
    )

    async def main() -> None:
        page = await client.request_page("GET", "/v1/boms/", item_type=BOM)
        assert page.results == [] and page.count == 0
        assert [item async for item in page] == []

    run(main())


def test_plain_json_values_are_made_json_ready() -> None:
    import datetime
    import decimal
    import uuid

    rec = Recorder(json_response(200, {}))
    make_client(rec).request(
        "POST",
        "/v1/x/",
        json={
            "id": uuid.UUID(int=1),
            "at": datetime.date(2024, 5, 1),
            "status": Status.approved,
            "price": decimal.Decimal("1.50"),
        },
    )
    assert rec.json() == {
        "id": "00000000-0000-0000-0000-000000000001",
        "at": "2024-05-01",
        "status": "approved",
        "price": "1.50",
    }


def test_a_call_without_query_values_hands_httpx_no_params() -> None:
    """httpx re-parses the whole URL to merge even an empty params dict (a fifth of the
    client's per-request cost once measured), so no given value means `None`, not `{}`."""
    from acme_client._runtime._encoding import encode_query

    assert encode_query({"org_id": NOT_GIVEN, "blended": None}) is None
    assert encode_query({}, None) is None
    assert encode_query({"org_id": NOT_GIVEN}, {"org_id": "o-1"}) == {"org_id": "o-1"}
    assert encode_query({"limit": 5, "org_id": NOT_GIVEN}) == {"limit": 5}
