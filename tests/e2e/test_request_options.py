"""Per-request options and `with_options`, through the generated client against the real stub
process: what each option changes is seen in the stub's answer, sync and async."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

from .server import KEY_A, ORG_B, StubProcess

pytestmark = pytest.mark.slow


def async_client(stub: StubProcess, **options: Any) -> Any:
    from cofactr_platform import AsyncCofactrClient

    return AsyncCofactrClient(api_key=KEY_A, base_url=stub.url, max_retries=0, **options)


def test_extra_headers_reach_the_server(client: Any) -> None:
    from cofactr_platform import NotFoundError, PermissionDeniedError

    missing = uuid.uuid4()
    with pytest.raises(NotFoundError):
        client.purchases.get_purchase_order(missing)
    # The stub narrows Purchases calls to the Org in `x-org-id`; another tenant's is refused.
    with pytest.raises(PermissionDeniedError):
        client.purchases.get_purchase_order(missing, extra_headers={"X-Org-Id": ORG_B})
    # An extra header replaces the method's own of the same name, whatever its case.
    with pytest.raises(NotFoundError):
        client.purchases.get_purchase_order(missing, x_org_id=ORG_B, extra_headers={"x-org-id": ""})


def test_extra_query_and_body(client: Any) -> None:
    for name in ("first", "second"):
        client.boms.create_bom(name=name)
    page = client.boms.list_boms(limit=10, extra_query={"limit": 1})
    assert len(page.results) == 1 and page.next is not None
    bom = client.boms.create_bom(name="Extra", extra_body={"part_number": "PN-EXTRA"})
    assert bom.part_number == "PN-EXTRA"
    assert client.boms.get_bom(bom.id).part_number == "PN-EXTRA"


def test_per_request_timeout_fires(stub: StubProcess, client: Any) -> None:
    from cofactr_platform import APITimeoutError

    assert client.timeout.read == 60.0
    client.boms.create_bom(name="Before the timeouts")  # a pooled connection: the timeout
    # below is the read's
    with stub.paused(), pytest.raises(APITimeoutError):
        client.boms.list_boms(timeout=0.2)
    with stub.paused(), pytest.raises(APITimeoutError):
        client.with_options(timeout=0.2).boms.list_boms()
    assert len(client.boms.list_boms(limit=1).results) == 1  # the client still works


def test_with_options_shares_the_pool(stub: StubProcess, client: Any) -> None:
    from cofactr_platform import AuthenticationError

    client.boms.create_bom(name="Pooled")  # this test's own record, whatever ran before
    copy = client.with_options(max_retries=5, timeout=7)
    assert (copy.max_retries, copy.timeout.read) == (5, 7.0)
    assert (client.max_retries, client.timeout.read) == (0, 60.0)
    assert copy._client is client._client  # one connection pool
    assert copy.boms is not client.boms and copy.boms._client is copy
    copy.close()  # the pool is the original's to close
    assert len(copy.boms.list_boms(limit=1).results) == 1
    with pytest.raises(AuthenticationError):
        client.with_options(api_key="wrong-key").boms.list_boms()
    assert "wrong-key" not in repr(client.with_options(api_key="wrong-key"))
    client.boms.list_boms()  # the original keeps its key


def test_async_per_request_options(stub: StubProcess) -> None:
    from cofactr_platform import APITimeoutError, NotFoundError, PermissionDeniedError

    async def scenario() -> None:
        async with async_client(stub) as client:
            missing = uuid.uuid4()
            with pytest.raises(NotFoundError):
                await client.purchases.get_purchase_order(missing)
            with pytest.raises(PermissionDeniedError):
                await client.purchases.get_purchase_order(
                    missing, extra_headers={"x-org-id": ORG_B}
                )
            bom = await client.boms.create_bom(
                name="Async extra", extra_body={"part_number": "PN-ASYNC"}
            )
            assert bom.part_number == "PN-ASYNC"
            page = await client.boms.list_boms(extra_query={"limit": 1})
            assert len(page.results) == 1
            copy = client.with_options(max_retries=3)
            assert copy._client is client._client and copy.max_retries == 3
            with stub.paused(), pytest.raises(APITimeoutError):
                await client.boms.list_boms(timeout=0.2)
            with stub.paused(), pytest.raises(APITimeoutError):
                await client.with_options(timeout=0.2).boms.get_bom(bom.id)

    asyncio.run(scenario())
