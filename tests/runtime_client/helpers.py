"""Test helpers: a recording mock transport and client factories."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Coroutine, Iterable
from typing import Any, ClassVar, TypeVar

import httpx
from acme_client._runtime import AsyncAPIClient, SyncAPIClient

API_KEY = "sk-SECRET-123"
BASE_URL = "https://api.example.test"
BOM_ID = "5b7d2a5e-39a4-4a7e-9a38-1f2f4f0c0e11"
LINE_ID = "0f6a8a4a-6c1e-4d0a-8f55-2c5d7d1e9b21"

Reply = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]
T = TypeVar("T")


class Client(SyncAPIClient):
    api_key_env_var: ClassVar[str] = "ACME_API_KEY"
    default_base_url: ClassVar[str] = BASE_URL
    auth_scheme: ClassVar[str] = "Api-Key"


class AsyncClient(AsyncAPIClient):
    api_key_env_var: ClassVar[str] = "ACME_API_KEY"
    default_base_url: ClassVar[str] = BASE_URL
    auth_scheme: ClassVar[str] = "Api-Key"


def json_response(
    status: int, body: object, headers: dict[str, str] | None = None
) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)


class Recorder:
    """A handler for ``httpx.MockTransport``: records requests, replays scripted replies.

    Each reply is a response, an exception to raise, or a function of the request; the
    last reply repeats when the script runs out.
    """

    def __init__(self, *replies: Reply) -> None:
        self.replies: list[Reply] = list(replies) or [json_response(200, {})]
        self.requests: list[httpx.Request] = []
        self.bodies: list[bytes] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.bodies.append(request.read())
        index = min(len(self.requests) - 1, len(self.replies) - 1)
        reply = self.replies[index]
        if isinstance(reply, Exception):
            raise reply
        if isinstance(reply, httpx.Response):
            # A fresh copy each time: a response object can only be sent once.
            return httpx.Response(reply.status_code, headers=reply.headers, content=reply.content)
        return reply(request)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]

    def json(self, index: int = -1) -> Any:
        return json.loads(self.bodies[index])


def make_client(recorder: Recorder, **kwargs: Any) -> Client:
    kwargs.setdefault("api_key", API_KEY)
    http = httpx.Client(transport=httpx.MockTransport(recorder))
    client = Client(http_client=http, **kwargs)
    client._sleep = lambda seconds: None  # type: ignore[method-assign]
    return client


def make_async_client(recorder: Recorder, **kwargs: Any) -> AsyncClient:
    kwargs.setdefault("api_key", API_KEY)
    http = httpx.AsyncClient(transport=httpx.MockTransport(recorder))
    client = AsyncClient(http_client=http, **kwargs)

    async def no_sleep(seconds: float) -> None:
        return None

    client._sleep = no_sleep  # type: ignore[method-assign]
    return client


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


def page(results: Iterable[object], next_url: str | None, count: int = 5) -> dict[str, Any]:
    return {
        "count": count,
        "next": next_url,
        "previous": None,
        "results": list(results),
    }
