"""Checked by `mypy --strict` (tests/client/test_typing.py), never run: what the generated
client's types say to a user's type checker. `assert_type` states a type; a
`# type: ignore[code]` marks an expected error (strict mode warns about an unused ignore, so
an error that stops happening fails the check too)."""

from __future__ import annotations

from typing import assert_type

from cofactr_platform import (
    APIResponse,
    AsyncAPIResponse,
    AsyncCofactrClient,
    AsyncPage,
    AsyncPaginator,
    CofactrClient,
    SyncPage,
)
from cofactr_platform.models import Bom


def sync_client(client: CofactrClient) -> None:
    page = client.boms.list_boms(timeout=5, extra_query={"limit": 1}, extra_headers={"X": "1"})
    assert_type(page, SyncPage[Bom])
    assert_type(client.with_options(max_retries=0, timeout=None), CofactrClient)
    raw = client.boms.with_raw_response.get_bom("id", extra_body={"a": 1})
    assert_type(raw, APIResponse[Bom])
    assert_type(raw.parse(), Bom)
    assert_type(raw.status_code, int)
    with client.boms.with_streaming_response.get_bom("id") as streamed:
        assert_type(streamed, APIResponse[Bom])
    client.boms.list_boms(timeot=5)  # type: ignore[call-arg]
    client.boms.list_boms(extra_headers={"X": 1})  # type: ignore[dict-item]


async def async_client(client: AsyncCofactrClient) -> None:
    assert_type(client.boms.list_boms(), AsyncPaginator[Bom])
    assert_type(await client.boms.list_boms(limit=1), AsyncPage[Bom])
    async for bom in client.boms.list_boms():
        assert_type(bom, Bom)
    raw = await client.boms.with_raw_response.get_bom("id")
    assert_type(raw, AsyncAPIResponse[Bom])
    assert_type(await raw.parse(), Bom)
    async with client.boms.with_streaming_response.get_bom("id") as streamed:
        assert_type(streamed, AsyncAPIResponse[Bom])
    assert_type(client.with_options(base_url="http://127.0.0.1:8000"), AsyncCofactrClient)
