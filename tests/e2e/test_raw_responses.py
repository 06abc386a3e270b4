"""`with_raw_response` and `with_streaming_response`, sync and async, through the generated
client against the real stub process (one of its own, taking uploads of a few MiB)."""

from __future__ import annotations

import asyncio
import tracemalloc
from collections.abc import Callable, Iterator

import pytest

from .server import KEY_A, StubProcess

pytestmark = pytest.mark.slow

SIZE = 4 * 1024 * 1024  # a download large enough that holding it whole shows


@pytest.fixture(scope="module")
def big_stub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StubProcess]:
    workdir = tmp_path_factory.mktemp("stub")
    server = StubProcess(workdir, workdir / "stub.sqlite", "--max-body-bytes", str(2 * SIZE))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def document_id(big_stub: StubProcess) -> str:
    from cofactr_platform import CofactrClient

    content = bytes(range(256)) * (SIZE // 256)
    with CofactrClient(api_key=KEY_A, base_url=big_stub.url) as client:
        doc = client.stock_documents.create_stock_document(
            file=("big.bin", content, "application/octet-stream"),
            name="Big",
            document_type="certificate",
        )
    return str(doc.id)


def peak_memory(action: Callable[[], object]) -> int:
    """The most memory Python held at once while `action` ran, above what it held before."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before, _ = tracemalloc.get_traced_memory()
        action()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - before


def test_raw_response_headers_status_and_parse(big_stub: StubProcess) -> None:
    from cofactr_platform import APIResponse, CofactrClient, SyncPage
    from cofactr_platform.models import Bom

    with CofactrClient(api_key=KEY_A, base_url=big_stub.url) as client:
        raw = client.boms.with_raw_response.create_bom(name="Raw")
        assert isinstance(raw, APIResponse) and raw.status_code in (200, 201)
        assert raw.headers["content-type"].startswith("application/json")
        assert raw.http_response.json()["name"] == "Raw"
        bom = raw.parse()
        assert isinstance(bom, Bom) and bom.name == "Raw"
        assert raw.parse() is bom  # parsed once: a second call neither validates nor reports
        assert KEY_A not in str(dict(raw.http_response.request.headers))
        listed = client.boms.with_raw_response.list_boms(limit=1)
        page = listed.parse()
        assert isinstance(page, SyncPage) and len(page.results) == 1
        assert client.boms.get_bom(bom.id).name == "Raw"  # plain calls are plain again


def test_streamed_download_keeps_memory_flat(big_stub: StubProcess, document_id: str) -> None:
    from cofactr_platform import CofactrClient

    with CofactrClient(api_key=KEY_A, base_url=big_stub.url) as client:
        docs = client.stock_documents
        received: list[int] = []

        def streamed() -> None:
            with docs.with_streaming_response.download_stock_document(document_id) as response:
                assert response.status_code == 200
                received.append(sum(len(chunk) for chunk in response.iter_bytes()))

        assert peak_memory(streamed) < SIZE // 4
        assert received == [SIZE]
        # The same download read whole holds it in memory: what the stream avoided.
        assert peak_memory(lambda: docs.download_stock_document(document_id)) >= SIZE


def test_async_raw_and_streaming(big_stub: StubProcess, document_id: str) -> None:
    from cofactr_platform import AsyncAPIResponse, AsyncCofactrClient, AsyncPage
    from cofactr_platform.models import Bom

    async def scenario() -> None:
        async with AsyncCofactrClient(api_key=KEY_A, base_url=big_stub.url) as client:
            raw = await client.boms.with_raw_response.create_bom(name="Async raw")
            assert isinstance(raw, AsyncAPIResponse) and raw.status_code in (200, 201)
            bom = await raw.parse()
            assert isinstance(bom, Bom) and bom.name == "Async raw"
            listed = await client.boms.with_raw_response.list_boms(limit=1)
            assert "content-type" in listed.headers
            page = await listed.parse()
            assert isinstance(page, AsyncPage) and len(page.results) == 1
            download = client.stock_documents.with_streaming_response.download_stock_document
            async with download(document_id) as response:
                total = 0
                async for chunk in response.iter_bytes():
                    total += len(chunk)
                    assert len(chunk) < SIZE
            assert total == SIZE

    asyncio.run(scenario())
