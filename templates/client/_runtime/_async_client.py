"""``AsyncAPIClient``: the asyncio client the generated async client class subclasses;
what it shares with the blocking one is ``_base_client._BaseClient``.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Mapping
from types import TracebackType
from typing import Any, Literal, Self, cast, overload

import httpx

from ._base_client import (
    _DEBUG,
    _T,
    ResponseKind,
    TimeoutArg,
    _BaseClient,
    _keep_our_requests,
    _PageContext,
)
from ._encoding import FileContent
from ._errors import make_status_error
from ._logs import http_logger
from ._options import ExtraBody, ExtraHeaders, ExtraQuery
from ._pagination import AsyncPage, AsyncPaginator
from ._parsing import MismatchHook
from ._response import AsyncAPIResponse, response_mode
from ._secret import Secret, load_api_key
from ._sentinel import NOT_GIVEN, NotGiven

__all__ = ["AsyncAPIClient"]


class AsyncAPIClient(_BaseClient[httpx.AsyncClient]):
    """Asyncio client. Use as an async context manager, or ``await client.aclose()``."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        org_id: str | None = None,
        timeout: float | httpx.Timeout = 60.0,
        max_retries: int = 2,
        http_client: httpx.AsyncClient | None = None,
        default_headers: Mapping[str, str] | None = None,
        on_schema_mismatch: MismatchHook | None = None,
        username: str | None = None,
        password: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        token_url: str | None = None,
    ) -> None:
        """Create a client; the arguments are those of ``SyncAPIClient``."""
        secret = load_api_key(api_key, self.api_key_env_var)
        login = (Secret(username or ""), Secret(password or ""))
        oauth = (Secret(client_id or ""), Secret(client_secret or ""))
        # only the redacted wrappers may appear in a traceback from here on
        del api_key, username, password, client_id, client_secret
        if http_client is not None and not isinstance(http_client, httpx.AsyncClient):
            raise TypeError(
                f"http_client must be an httpx.AsyncClient, got {type(http_client)!r}"
            )
        headers = self._configure(
            api_key=secret,
            login=login,
            oauth=oauth,
            token_url=token_url,
            base_url=base_url,
            org_id=org_id,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            on_schema_mismatch=on_schema_mismatch,
        )
        self._owns_client = http_client is None
        if http_client is None:
            self._request_headers = None
            self._client = httpx.AsyncClient(headers=headers, timeout=self._timeout)
        else:
            self._request_headers = httpx.Headers(headers)
            self._client = http_client

    async def aclose(self) -> None:
        """Close the underlying httpx client if this client created it."""
        if self._owns_client:
            await self._client.aclose()

    close = aclose
    """Alias of ``aclose``."""

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def _sleep(self, seconds: float) -> None:
        """Wait between retries without blocking the event loop; replaceable for tests."""
        await asyncio.sleep(seconds)

    async def _send(self, request: httpx.Request, stream: bool = False) -> httpx.Response:
        """Send ``request`` with retries; return a 2xx response (its body unread when
        ``stream``) or raise."""
        attempt = 0
        while True:
            started = time.perf_counter()
            try:
                response = await self._client.send(
                    request, auth=self._auth, stream=stream
                )
                _keep_our_requests(response, request)
            except httpx.RequestError as exc:
                if http_logger.isEnabledFor(_DEBUG):
                    self._log_attempt(request, started, attempt, exc)
                delay = self._retry_after_error(request, attempt, exc)
                if delay is None:
                    raise self._connection_error(request, exc) from exc
            else:
                if http_logger.isEnabledFor(_DEBUG):
                    self._log_attempt(request, started, attempt, response)
                if response.is_success:
                    return response
                delay = self._retry_after_response(request, attempt, response)
                if delay is None:
                    if stream:
                        await response.aread()  # the error shows the body
                    raise make_status_error(response, redact=self._auth.redact)
                await response.aclose()
            await self._sleep(delay)
            attempt += 1

    async def request_raw(
        self,
        method: str,
        path_template: str,
        *,
        path_params: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        headers: Mapping[str, object] | None = None,
        json: object = NOT_GIVEN,
        multipart: Mapping[str, object] | None = None,
        content: FileContent | NotGiven = NOT_GIVEN,
        timeout: TimeoutArg = NOT_GIVEN,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> httpx.Response:
        """Send a request and return the raw 2xx ``httpx.Response`` (body already read)."""
        request = self._build_request(
            method,
            path_template,
            path_params=path_params,
            query=query,
            headers=headers,
            json=json,
            multipart=multipart,
            content=content,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )
        return await self._send(request, stream=response_mode.get() == "stream")

    @overload
    async def request(
        self,
        method: str,
        path_template: str,
        *,
        path_params: Mapping[str, object] | None = ...,
        query: Mapping[str, object] | None = ...,
        headers: Mapping[str, object] | None = ...,
        json: object = ...,
        multipart: Mapping[str, object] | None = ...,
        content: FileContent | NotGiven = ...,
        cast_to: object = ...,
        response_kind: Literal["empty"],
        strict: bool = ...,
        timeout: TimeoutArg = ...,
        extra_headers: ExtraHeaders | None = ...,
        extra_query: ExtraQuery | None = ...,
        extra_body: ExtraBody | None = ...,
    ) -> None: ...
    @overload
    async def request(
        self,
        method: str,
        path_template: str,
        *,
        path_params: Mapping[str, object] | None = ...,
        query: Mapping[str, object] | None = ...,
        headers: Mapping[str, object] | None = ...,
        json: object = ...,
        multipart: Mapping[str, object] | None = ...,
        content: FileContent | NotGiven = ...,
        cast_to: object = ...,
        response_kind: Literal["binary"],
        strict: bool = ...,
        timeout: TimeoutArg = ...,
        extra_headers: ExtraHeaders | None = ...,
        extra_query: ExtraQuery | None = ...,
        extra_body: ExtraBody | None = ...,
    ) -> bytes: ...
    @overload
    async def request(
        self,
        method: str,
        path_template: str,
        *,
        path_params: Mapping[str, object] | None = ...,
        query: Mapping[str, object] | None = ...,
        headers: Mapping[str, object] | None = ...,
        json: object = ...,
        multipart: Mapping[str, object] | None = ...,
        content: FileContent | NotGiven = ...,
        cast_to: type[_T],
        response_kind: Literal["json"] = ...,
        strict: bool = ...,
        timeout: TimeoutArg = ...,
        extra_headers: ExtraHeaders | None = ...,
        extra_query: ExtraQuery | None = ...,
        extra_body: ExtraBody | None = ...,
    ) -> _T: ...
    @overload
    async def request(
        self,
        method: str,
        path_template: str,
        *,
        path_params: Mapping[str, object] | None = ...,
        query: Mapping[str, object] | None = ...,
        headers: Mapping[str, object] | None = ...,
        json: object = ...,
        multipart: Mapping[str, object] | None = ...,
        content: FileContent | NotGiven = ...,
        cast_to: Any = ...,
        response_kind: ResponseKind = ...,
        strict: bool = ...,
        timeout: TimeoutArg = ...,
        extra_headers: ExtraHeaders | None = ...,
        extra_query: ExtraQuery | None = ...,
        extra_body: ExtraBody | None = ...,
    ) -> Any: ...
    async def request(
        self,
        method: str,
        path_template: str,
        *,
        path_params: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        headers: Mapping[str, object] | None = None,
        json: object = NOT_GIVEN,
        multipart: Mapping[str, object] | None = None,
        content: FileContent | NotGiven = NOT_GIVEN,
        cast_to: Any = Any,
        response_kind: ResponseKind = "json",
        strict: bool = False,
        timeout: TimeoutArg = NOT_GIVEN,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Any:
        """Async twin of ``SyncAPIClient.request``."""
        response = await self.request_raw(
            method,
            path_template,
            path_params=path_params,
            query=query,
            headers=headers,
            json=json,
            multipart=multipart,
            content=content,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )
        if response_mode.get() is not None:  # with_raw_response / with_streaming_response
            return AsyncAPIResponse(
                response,
                functools.partial(
                    self.parse_response,
                    cast_to=cast_to,
                    response_kind=response_kind,
                    strict=strict,
                ),
            )
        return self.parse_response(
            response, cast_to=cast_to, response_kind=response_kind, strict=strict
        )

    def request_page(
        self,
        method: str,
        path_template: str,
        *,
        path_params: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        headers: Mapping[str, object] | None = None,
        json: object = NOT_GIVEN,
        item_type: type[_T],
        strict: bool = False,
        timeout: TimeoutArg = NOT_GIVEN,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> AsyncPaginator[_T]:
        """A list's first page to ``await``, or ``async for`` over every item of every page
        (see ``AsyncPaginator``); the request is built now, sent when awaited or iterated."""
        context, request = self._page_request(
            method,
            path_template,
            path_params=path_params,
            query=query,
            headers=headers,
            json=json,
            item_type=item_type,
            strict=strict,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )
        return AsyncPaginator(functools.partial(self._page, context, request))

    async def _page(self, context: _PageContext, request: httpx.Request) -> AsyncPage[Any]:
        mode = response_mode.get()
        response = await self._send(request, stream=mode == "stream")
        if mode is not None:  # with_raw_response / with_streaming_response
            parse = functools.partial(self._page_from, context)
            return cast(AsyncPage[Any], AsyncAPIResponse(response, parse))
        return self._page_from(context, response)

    def _page_from(self, context: _PageContext, response: httpx.Response) -> AsyncPage[Any]:
        count, next_url, previous, results = self._parse_page_body(
            response, context.item_type, context.strict
        )
        return AsyncPage(
            count=count,
            next=next_url,
            previous=previous,
            results=results,
            response=response,
            fetch=functools.partial(self._next_page, context),
        )

    async def _next_page(self, context: _PageContext, url: str) -> AsyncPage[Any]:
        request = self._build(
            context.method,
            url,
            params=None,
            headers=context.headers,
            json=context.json,
            multipart=None,
            content=NOT_GIVEN,
            timeout=context.timeout,
            security=context.security,
        )
        return await self._page(context, request)
