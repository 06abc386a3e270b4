"""Raw and streamed responses next to the typed calls: ``with_raw_response`` and
``with_streaming_response``.

``client.boms.with_raw_response.list_boms(...)`` calls the same method but returns an
``APIResponse``: the status, the headers and the ``httpx.Response``, and ``parse()`` for the
value the plain call returns. ``with_streaming_response`` does the same without reading the
body: use it as a context manager and read the body in chunks (``iter_bytes()``), so a
large download never sits in memory whole; leaving the block closes the connection.

How: the wrappers below set a context variable around the call, and the client's
``request`` / ``request_page`` see it and hand back the response with a parser instead of
the parsed value. A context variable follows the call into an awaited coroutine and no
further, so another thread or task using the same client is unaffected.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from contextvars import ContextVar
from types import TracebackType
from typing import Any, Generic, Literal, ParamSpec, TypeVar, cast

import httpx

__all__ = [
    "APIResponse",
    "AsyncAPIResponse",
    "ResponseMode",
    "async_to_raw_response_wrapper",
    "async_to_streamed_response_wrapper",
    "response_mode",
    "to_raw_response_wrapper",
    "to_streamed_response_wrapper",
]

_P = ParamSpec("_P")
_R = TypeVar("_R")

ResponseMode = Literal["raw", "stream"]
response_mode: ContextVar[ResponseMode | None] = ContextVar("response_mode", default=None)
"""Set while a ``with_raw_response`` / ``with_streaming_response`` call runs."""


class _BaseResponse:
    def __init__(
        self, http_response: httpx.Response, parser: Callable[[httpx.Response], Any]
    ) -> None:
        self.http_response = http_response
        """The ``httpx.Response`` (its ``request`` carries no credential)."""
        self._parser = parser
        self._parsed = False
        self._value: Any = None

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def url(self) -> httpx.URL:
        return self.http_response.url

    def __repr__(self) -> str:
        request = self.http_response.request
        return f"<{type(self).__name__} [{self.status_code}] {request.method} {request.url}>"


class APIResponse(_BaseResponse, Generic[_R]):
    """A response of the blocking client, with ``parse()`` for the typed value."""

    def parse(self) -> _R:
        """The value the plain call returns (the body is read first if streamed); parsed
        once, so a second call neither validates nor reports a mismatch again."""
        if not self._parsed:
            self.http_response.read()
            self._value = self._parser(self.http_response)
            self._parsed = True
        return cast(_R, self._value)

    def read(self) -> bytes:
        return self.http_response.read()

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        """The body in chunks as it arrives (streamed responses: never held whole)."""
        return self.http_response.iter_bytes(chunk_size)

    def close(self) -> None:
        self.http_response.close()


class AsyncAPIResponse(_BaseResponse, Generic[_R]):
    """A response of the asyncio client; ``await response.parse()`` for the typed value."""

    async def parse(self) -> _R:
        if not self._parsed:
            await self.http_response.aread()
            self._value = self._parser(self.http_response)
            self._parsed = True
        return cast(_R, self._value)

    async def read(self) -> bytes:
        return await self.http_response.aread()

    def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        return self.http_response.aiter_bytes(chunk_size)

    async def close(self) -> None:
        await self.http_response.aclose()


def to_raw_response_wrapper(func: Callable[_P, _R]) -> Callable[_P, APIResponse[_R]]:
    """``func`` (a generated method) returning its ``APIResponse`` instead of the value."""

    def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> APIResponse[_R]:
        token = response_mode.set("raw")
        try:
            return cast(APIResponse[_R], func(*args, **kwargs))
        finally:
            response_mode.reset(token)

    return wrapped


def async_to_raw_response_wrapper(
    func: Callable[_P, Awaitable[_R]],
) -> Callable[_P, Awaitable[AsyncAPIResponse[_R]]]:
    """Async twin of ``to_raw_response_wrapper`` (also for list methods' paginators)."""

    async def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> AsyncAPIResponse[_R]:
        token = response_mode.set("raw")
        try:
            return cast(AsyncAPIResponse[_R], await func(*args, **kwargs))
        finally:
            response_mode.reset(token)

    return wrapped


class _Streamed(AbstractContextManager[APIResponse[_R]]):
    def __init__(self, send: Callable[[], APIResponse[_R]]) -> None:
        self._send = send
        self._response: APIResponse[_R] | None = None

    def __enter__(self) -> APIResponse[_R]:
        token = response_mode.set("stream")
        try:
            self._response = self._send()
        finally:
            response_mode.reset(token)
        return self._response

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._response is not None:
            self._response.close()


class _AsyncStreamed(AbstractAsyncContextManager[AsyncAPIResponse[_R]]):
    def __init__(self, send: Callable[[], Awaitable[AsyncAPIResponse[_R]]]) -> None:
        self._send = send
        self._response: AsyncAPIResponse[_R] | None = None

    async def __aenter__(self) -> AsyncAPIResponse[_R]:
        token = response_mode.set("stream")
        try:
            self._response = await self._send()
        finally:
            response_mode.reset(token)
        return self._response

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._response is not None:
            await self._response.close()


def to_streamed_response_wrapper(
    func: Callable[_P, _R],
) -> Callable[_P, AbstractContextManager[APIResponse[_R]]]:
    """``func`` as a context manager around its unread ``APIResponse``: the request is sent
    on entering, the connection released on leaving."""

    def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> AbstractContextManager[APIResponse[_R]]:
        return _Streamed(lambda: cast(APIResponse[_R], func(*args, **kwargs)))

    return wrapped


def async_to_streamed_response_wrapper(
    func: Callable[_P, Awaitable[_R]],
) -> Callable[_P, AbstractAsyncContextManager[AsyncAPIResponse[_R]]]:
    """Async twin of ``to_streamed_response_wrapper``: ``async with``."""

    def wrapped(
        *args: _P.args, **kwargs: _P.kwargs
    ) -> AbstractAsyncContextManager[AsyncAPIResponse[_R]]:
        async def send() -> AsyncAPIResponse[_R]:
            return cast(AsyncAPIResponse[_R], await func(*args, **kwargs))

        return _AsyncStreamed(send)

    return wrapped
