"""Retries: only when the request cannot have been applied (or is idempotent)."""

from __future__ import annotations

import asyncio
import email.utils
import io
import time

import httpx
import pytest
from acme_client._runtime import (
    APIConnectionError,
    APITimeoutError,
    BadRequestError,
    InternalServerError,
    RateLimitError,
)
from acme_client._runtime._retry import backoff_delay, parse_retry_after

from .helpers import Recorder, json_response, make_async_client, make_client, run

OK = json_response(200, {"ok": True})


def unavailable(retry_after: str | None = None) -> httpx.Response:
    headers = {"Retry-After": retry_after} if retry_after is not None else None
    return json_response(503, {"detail": "Service unavailable"}, headers)


def sleeps_of(client: object) -> list[float]:
    delays: list[float] = []
    client._sleep = delays.append  # type: ignore[attr-defined]
    return delays


def test_get_is_retried_on_503_without_retry_after() -> None:
    rec = Recorder(unavailable(), unavailable(), OK)
    client = make_client(rec)
    assert client.request("GET", "/v1/boms/") == {"ok": True}
    assert len(rec.requests) == 3


@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_post_and_patch_are_not_retried_on_503_without_retry_after(method: str) -> None:
    rec = Recorder(unavailable(), OK)
    client = make_client(rec)
    with pytest.raises(InternalServerError) as info:
        client.request(method, "/v1/boms/{bom_id}/lines/", path_params={"bom_id": "b"}, json={})
    assert info.value.status_code == 503
    assert len(rec.requests) == 1


def test_post_is_retried_on_503_with_retry_after_and_waits_that_long() -> None:
    rec = Recorder(unavailable("2"), OK)
    client = make_client(rec)
    delays = sleeps_of(client)
    client.request("POST", "/v1/boms/", json={"name": "x"})
    assert len(rec.requests) == 2
    assert delays == [2.0]
    assert rec.bodies[0] == rec.bodies[1] == b'{"name":"x"}'


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_429_is_retried_for_any_method_honouring_retry_after(method: str) -> None:
    rec = Recorder(json_response(429, {"detail": "slow down"}, {"Retry-After": "3"}), OK)
    client = make_client(rec)
    delays = sleeps_of(client)
    client.request(method, "/v1/boms/")
    assert len(rec.requests) == 2 and delays == [3.0]


def test_retries_stop_at_max_retries_and_raise_the_last_error() -> None:
    rec = Recorder(json_response(429, {"detail": "slow down"}, {"Retry-After": "1"}))
    client = make_client(rec, max_retries=3)
    with pytest.raises(RateLimitError) as info:
        client.request("POST", "/v1/boms/", json={})
    assert len(rec.requests) == 4
    assert info.value.retry_after == 1.0
    assert info.value.body == {"detail": "slow down"}


def test_max_retries_zero_means_one_attempt() -> None:
    rec = Recorder(unavailable())
    client = make_client(rec, max_retries=0)
    with pytest.raises(InternalServerError):
        client.request("GET", "/v1/boms/")
    assert len(rec.requests) == 1


@pytest.mark.parametrize("status", [500, 502, 504])
def test_idempotent_methods_are_retried_on_server_errors(status: int) -> None:
    for method in ["GET", "PUT", "DELETE"]:
        rec = Recorder(json_response(status, {}), OK)
        make_client(rec).request(method, "/v1/x/")
        assert len(rec.requests) == 2, method


@pytest.mark.parametrize("status", [500, 502, 504])
def test_post_is_not_retried_on_server_errors(status: int) -> None:
    rec = Recorder(json_response(status, {"detail": "boom"}), OK)
    with pytest.raises(InternalServerError):
        make_client(rec).request("POST", "/v1/boms/{bom_id}/lines/", path_params={"bom_id": "b"})
    assert len(rec.requests) == 1


def test_client_errors_are_never_retried() -> None:
    rec = Recorder(json_response(400, {"name": ["required"]}), OK)
    with pytest.raises(BadRequestError):
        make_client(rec).request("GET", "/v1/x/")
    assert len(rec.requests) == 1


def test_post_is_not_retried_after_a_read_timeout() -> None:
    rec = Recorder(httpx.ReadTimeout("read timed out"), OK)
    client = make_client(rec)
    with pytest.raises(APITimeoutError) as info:
        client.request("POST", "/v1/boms/", json={"name": "x"})
    assert len(rec.requests) == 1
    assert isinstance(info.value, APIConnectionError)
    assert isinstance(info.value.__cause__, httpx.ReadTimeout)


def test_get_is_retried_after_a_read_timeout() -> None:
    rec = Recorder(httpx.ReadTimeout("read timed out"), OK)
    assert make_client(rec).request("GET", "/v1/boms/") == {"ok": True}
    assert len(rec.requests) == 2


@pytest.mark.parametrize(
    "error",
    [
        httpx.ConnectError("connection refused"),
        httpx.ConnectTimeout("connect timed out"),
        httpx.PoolTimeout("no connection available"),
    ],
)
def test_post_is_retried_when_the_connection_was_never_made(error: Exception) -> None:
    rec = Recorder(error, OK)
    assert make_client(rec).request("POST", "/v1/boms/", json={"n": 1}) == {"ok": True}
    assert len(rec.requests) == 2


def test_post_is_not_retried_after_a_broken_connection() -> None:
    rec = Recorder(httpx.ReadError("connection reset"), OK)
    with pytest.raises(APIConnectionError):
        make_client(rec).request("POST", "/v1/boms/", json={})
    assert len(rec.requests) == 1


def test_connect_errors_exhaust_into_api_connection_error() -> None:
    rec = Recorder(httpx.ConnectError("connection refused"))
    with pytest.raises(APIConnectionError, match="connection refused") as info:
        make_client(rec, max_retries=2).request("POST", "/v1/boms/")
    assert not isinstance(info.value, APITimeoutError)
    assert len(rec.requests) == 3


def test_backoff_is_exponential_with_full_jitter_and_capped() -> None:
    rec = Recorder(unavailable())
    client = make_client(rec, max_retries=6)
    delays = sleeps_of(client)
    client._random = lambda: 0.999  # type: ignore[method-assign]
    with pytest.raises(InternalServerError):
        client.request("GET", "/v1/boms/")
    assert delays == pytest.approx([0.4995, 0.999, 1.998, 3.996, 7.992, 7.992])
    assert backoff_delay(3, 0.5) == 2.0  # uniform in [0, 4): a draw of 0.5 is half
    assert backoff_delay(0, 0.0) == 0.0


def test_retry_after_is_capped_at_60_seconds() -> None:
    rec = Recorder(json_response(429, {}, {"Retry-After": "3600"}), OK)
    client = make_client(rec)
    delays = sleeps_of(client)
    client.request("GET", "/v1/x/")
    assert delays == [60.0]


def test_retry_after_http_date() -> None:
    in_30s = email.utils.formatdate(time.time() + 30, usegmt=True)
    rec = Recorder(json_response(429, {}, {"Retry-After": in_30s}), OK)
    client = make_client(rec)
    delays = sleeps_of(client)
    client.request("POST", "/v1/x/")
    assert 28.0 <= delays[0] <= 30.5

    far = email.utils.formatdate(time.time() + 86400, usegmt=True)
    rec = Recorder(unavailable(far), OK)
    client = make_client(rec)
    delays = sleeps_of(client)
    client.request("POST", "/v1/x/")
    assert delays == [60.0]


def test_parse_retry_after() -> None:
    now = 1_700_000_000.0
    assert parse_retry_after("5", now=now) == 5.0
    assert parse_retry_after(" 1.5 ", now=now) == 1.5
    assert parse_retry_after("-3", now=now) == 0.0
    assert parse_retry_after(email.utils.formatdate(now + 12, usegmt=True), now=now) == 12.0
    assert parse_retry_after(email.utils.formatdate(now - 100, usegmt=True), now=now) == 0.0
    assert parse_retry_after("soon", now=now) is None
    assert parse_retry_after(None) is None


def test_unparseable_retry_after_falls_back_to_backoff() -> None:
    rec = Recorder(json_response(429, {}, {"Retry-After": "soon"}), OK)
    client = make_client(rec)
    delays = sleeps_of(client)
    client._random = lambda: 0.5  # type: ignore[method-assign]
    client.request("GET", "/v1/x/")
    assert delays == [0.25]


def test_multipart_file_is_sent_again_on_retry() -> None:
    rec = Recorder(httpx.ConnectError("refused"), OK)
    client = make_client(rec)
    upload = io.BytesIO(b"file-bytes")
    client.request("POST", "/v1/stock_documents/", multipart={"file": ("a.txt", upload)})
    assert len(rec.requests) == 2
    assert b"file-bytes" in rec.bodies[0] and b"file-bytes" in rec.bodies[1]


# -- async ---------------------------------------------------------------------------


def test_async_retries_follow_the_same_rules() -> None:
    async def main() -> None:
        rec = Recorder(unavailable(), OK)
        client = make_async_client(rec)
        assert await client.request("GET", "/v1/boms/") == {"ok": True}
        assert len(rec.requests) == 2

        rec = Recorder(json_response(500, {}), OK)
        client = make_async_client(rec)
        with pytest.raises(InternalServerError):
            await client.request("POST", "/v1/boms/")
        assert len(rec.requests) == 1

        rec = Recorder(httpx.ReadTimeout("slow"), OK)
        client = make_async_client(rec)
        with pytest.raises(APITimeoutError):
            await client.request("PATCH", "/v1/boms/b/", json={})
        assert len(rec.requests) == 1

        rec = Recorder(httpx.ConnectError("refused"), unavailable("1"), OK)
        client = make_async_client(rec)
        delays: list[float] = []

        async def record_sleep(seconds: float) -> None:
            delays.append(seconds)

        client._sleep = record_sleep  # type: ignore[method-assign]
        client._random = lambda: 0.5  # type: ignore[method-assign]
        assert await client.request("POST", "/v1/boms/", json={}) == {"ok": True}
        assert delays == [0.25, 1.0]

    run(main())


def test_async_backoff_does_not_block_the_event_loop() -> None:
    async def main() -> tuple[int, float]:
        rec = Recorder(unavailable(), unavailable(), OK)
        http = httpx.AsyncClient(transport=httpx.MockTransport(rec))
        from .helpers import AsyncClient

        client = AsyncClient(api_key="k", http_client=http)  # the real asyncio.sleep
        client._random = lambda: 0.1  # type: ignore[method-assign]  # waits 0.05 s, then 0.1 s
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0.005)

        task = asyncio.create_task(ticker())
        await asyncio.sleep(0)
        started = time.perf_counter()
        await client.request("GET", "/v1/boms/")
        elapsed = time.perf_counter() - started
        task.cancel()
        return ticks, elapsed

    ticks, elapsed = run(main())
    assert elapsed >= 0.14  # it really waited 0.05 + 0.1 s...
    assert ticks >= 5  # ...while the other task kept running (a blocking sleep gives 1)
