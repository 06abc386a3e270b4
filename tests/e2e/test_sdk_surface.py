"""What users of the best SDKs reach for, through the generated client against the real stub:
`async for` straight over an async list method, every exception importable from the
package, and no credential on the request an error carries."""

from __future__ import annotations

import ast
import asyncio
import uuid
from typing import Any

import pytest

from .server import GENERATED, KEY_A, StubProcess

pytestmark = pytest.mark.slow


def test_async_for_over_a_list_method_walks_every_page(stub: StubProcess, client: Any) -> None:
    from cofactr_platform import AsyncCofactrClient, AsyncPage

    names = {f"paged-{n}" for n in range(3)}
    for name in sorted(names):
        client.boms.create_bom(name=name)
    expected = [b.id for b in client.boms.list_boms(limit=50)]
    assert len(expected) >= 3

    async def scenario() -> None:
        async with AsyncCofactrClient(api_key=KEY_A, base_url=stub.url) as aclient:
            seen = [bom.id async for bom in aclient.boms.list_boms(limit=2)]
            assert seen == expected  # two per page: several pages walked
            first = await aclient.boms.list_boms(limit=2)
            assert isinstance(first, AsyncPage) and len(first.results) == 2
            assert [b.id async for b in first] == expected

    asyncio.run(scenario())


def test_every_public_exception_is_exported() -> None:
    import cofactr_platform

    source = (GENERATED / "cofactr_platform" / "_runtime" / "_errors.py").read_text()
    classes = {
        node.name
        for node in ast.parse(source).body
        if isinstance(node, ast.ClassDef) and not node.name.startswith("_")
    }
    assert {"PollTimeoutError", "APIKeyMissingError", "WebhookParseError"} <= classes
    assert "ResponseValidationError" in classes
    assert classes <= set(cofactr_platform.__all__)
    for name in classes:
        assert issubclass(getattr(cofactr_platform, name), Exception)


def _shows_key(error: Exception) -> list[str]:
    request = getattr(error, "request", None)
    response = getattr(error, "response", None)
    views = [str(error), repr(error)]
    for req in (request, getattr(response, "request", None)):
        if req is not None:
            views += [str(dict(req.headers)), repr(req.headers), str(req.url)]
    return [view for view in views if KEY_A in view]


def test_errors_carry_no_credential(stub: StubProcess, client: Any) -> None:
    from cofactr_platform import APITimeoutError, AsyncCofactrClient, NotFoundError

    with pytest.raises(NotFoundError) as caught:
        client.boms.get_bom(uuid.uuid4())
    assert caught.value.request is not None and caught.value.response is not None
    assert "authorization" not in {k.lower() for k in dict(caught.value.request.headers)}
    assert _shows_key(caught.value) == []

    async def scenario() -> None:
        async with AsyncCofactrClient(api_key=KEY_A, base_url=stub.url) as aclient:
            with pytest.raises(NotFoundError) as caught:
                await aclient.boms.get_bom(uuid.uuid4())
            assert _shows_key(caught.value) == []
            page = await aclient.boms.list_boms(limit=1)
            assert KEY_A not in str(dict(page.response.request.headers))

    asyncio.run(scenario())
    with stub.paused(), pytest.raises(APITimeoutError) as timed_out:
        client.boms.list_boms(timeout=0.2)
    assert _shows_key(timed_out.value) == []


def test_base_url_from_the_environment(stub: StubProcess, monkeypatch: pytest.MonkeyPatch) -> None:
    from cofactr_platform import AsyncCofactrClient, CofactrClient

    assert CofactrClient.base_url_env_var == "COFACTR_BASE_URL"  # from the package's name
    monkeypatch.setenv("COFACTR_BASE_URL", stub.url)
    with CofactrClient(api_key=KEY_A) as client:
        assert client.base_url == stub.url.rstrip("/")
        assert client.boms.list_boms(limit=1).count is not None  # the stub answered

    async def scenario() -> None:
        async with AsyncCofactrClient(api_key=KEY_A) as aclient:
            assert (await aclient.boms.list_boms(limit=1)).count is not None

    asyncio.run(scenario())
    monkeypatch.setenv("COFACTR_BASE_URL", "http://127.0.0.1:9")  # nothing listens there
    with CofactrClient(api_key=KEY_A, base_url=stub.url) as client:  # the argument wins
        assert client.boms.list_boms(limit=1).count is not None
    monkeypatch.setenv("COFACTR_BASE_URL", "")
    assert CofactrClient(api_key=KEY_A).base_url == CofactrClient.default_base_url.rstrip("/")
