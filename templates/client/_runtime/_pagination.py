"""Pages of DRF ``LimitOffsetPagination`` results and walking through them.

A list endpoint answers ``{count, next, previous, results}``. ``request_page`` returns the
first page; iterating it (``for item in page`` / ``async for item in page``) yields every
item of that page and of all following ones, fetched lazily by following ``next`` through
the same client (so with the same auth, headers and retries). ``iter_pages()`` yields the
pages themselves. Iterating twice fetches the following pages again.

An async list method returns an ``AsyncPaginator``: ``await`` it for the first page, or
``async for`` over it directly.

``next`` may be absolute (DRF builds it from the request's host) or relative. Either way it
is only used for its path and query: the request goes to the client's own base URL origin,
so a misconfigured proxy (``http://internal-host/...``) can never receive the API key.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator
from typing import Any, Generic, TypeVar

import httpx
from pydantic import BaseModel

from ._logs import http_logger
from ._parsing import MismatchHook, SchemaMismatch, parse_value, report_mismatch

__all__ = ["AsyncPage", "AsyncPaginator", "SyncPage", "parse_page", "resolve_page_url"]

_T = TypeVar("_T")


class _Envelope(BaseModel, Generic[_T]):
    """The DRF page envelope, for strict parsing (errors located like ``results.0.name``). A
    page that leaves out ``next`` or ``previous`` has none (a schema may not require them)."""

    count: int
    next: str | None = None
    previous: str | None = None
    results: list[_T]


class _BasePage(Generic[_T]):
    """Fields shared by ``SyncPage`` and ``AsyncPage``."""

    count: int | None
    """Total number of items across all pages (as reported by the server)."""
    next: str | None
    """URL of the following page, ``None`` on the last page."""
    previous: str | None
    results: list[_T]
    """The items of this page only."""
    response: httpx.Response
    """The raw HTTP response this page was parsed from."""

    def __init__(
        self,
        *,
        count: int | None,
        next: str | None,
        previous: str | None,
        results: list[_T],
        response: httpx.Response,
    ) -> None:
        self.count = count
        self.next = next
        self.previous = previous
        self.results = results
        self.response = response

    def has_next_page(self) -> bool:
        return bool(self.next)

    def _next_url(self) -> str | None:
        if not self.next:
            return None
        return resolve_page_url(self.next, self.response.request.url)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(count={self.count!r}, results=<{len(self.results)} items>, "
            f"next={self.next!r})"
        )


class SyncPage(_BasePage[_T]):
    """One page of a list; iterate it to walk every item of every following page."""

    def __init__(
        self,
        *,
        count: int | None,
        next: str | None,
        previous: str | None,
        results: list[_T],
        response: httpx.Response,
        fetch: Callable[[str], SyncPage[_T]],
    ) -> None:
        super().__init__(
            count=count,
            next=next,
            previous=previous,
            results=results,
            response=response,
        )
        self._fetch = fetch

    def get_next_page(self) -> SyncPage[_T] | None:
        """The following page, or ``None`` when this is the last one."""
        url = self._next_url()
        return self._fetch(url) if url is not None else None

    def iter_pages(self) -> Iterator[SyncPage[_T]]:
        """This page, then each following page."""
        page: SyncPage[_T] | None = self
        seen: set[str] = set()
        while page is not None:
            yield page
            url = page._next_url()
            if url is None or _is_loop(url, seen):
                return
            page = page._fetch(url)

    def __iter__(self) -> Iterator[_T]:
        for page in self.iter_pages():
            yield from page.results


class AsyncPage(_BasePage[_T]):
    """Async twin of ``SyncPage``: ``async for item in page`` walks every following page."""

    def __init__(
        self,
        *,
        count: int | None,
        next: str | None,
        previous: str | None,
        results: list[_T],
        response: httpx.Response,
        fetch: Callable[[str], Awaitable[AsyncPage[_T]]],
    ) -> None:
        super().__init__(
            count=count,
            next=next,
            previous=previous,
            results=results,
            response=response,
        )
        self._fetch = fetch

    async def get_next_page(self) -> AsyncPage[_T] | None:
        """The following page, or ``None`` when this is the last one."""
        url = self._next_url()
        return await self._fetch(url) if url is not None else None

    async def iter_pages(self) -> AsyncIterator[AsyncPage[_T]]:
        """This page, then each following page."""
        page: AsyncPage[_T] | None = self
        seen: set[str] = set()
        while page is not None:
            yield page
            url = page._next_url()
            if url is None or _is_loop(url, seen):
                return
            page = await page._fetch(url)

    async def __aiter__(self) -> AsyncIterator[_T]:
        async for page in self.iter_pages():
            for item in page.results:
                yield item


class AsyncPaginator(Generic[_T]):
    """What an async list method returns, usable both ways the best SDKs allow:
    ``page = await client.x.list_x()`` gives the first ``AsyncPage``, and
    ``async for item in client.x.list_x()`` walks every item of every page.

    Each ``await`` or ``async for`` sends the first request again (as iterating a page twice
    fetches the following pages again): nothing is cached behind the caller's back.
    """

    def __init__(self, first_page: Callable[[], Awaitable[AsyncPage[_T]]]) -> None:
        self._first_page = first_page

    def __await__(self) -> Generator[Any, None, AsyncPage[_T]]:
        return self._first_page().__await__()

    async def __aiter__(self) -> AsyncIterator[_T]:
        page = await self._first_page()
        async for item in page:
            yield item

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: await it for the first page, or async for its items>"


def _is_loop(url: str, seen: set[str]) -> bool:
    if url in seen:
        http_logger.warning(
            "Stopping pagination: next page %s was already fetched", url
        )
        return True
    seen.add(url)
    return False


def resolve_page_url(next_url: str, current: httpx.URL) -> str:
    """Absolute URL for ``next_url``, on the same origin as the ``current`` page.

    Only the path and query of ``next_url`` are used (see the module docstring).
    """
    target = current.join(next_url)
    if target.scheme != current.scheme or target.netloc != current.netloc:
        http_logger.debug(
            "Next page link %s points elsewhere; keeping the API origin", next_url
        )
        target = current.copy_with(raw_path=target.raw_path)
    return str(target)


def _page_mismatch(
    message: str, location: str, value: object, hook: MismatchHook | None
) -> None:
    report_mismatch(SchemaMismatch("Page", location, message, value), hook)


def parse_page(
    data: object, item_type: Any, *, strict: bool, on_mismatch: MismatchHook | None
) -> tuple[int | None, str | None, str | None, list[Any]]:
    """``(count, next, previous, results)`` from a DRF page body.

    Strict mode raises ``pydantic.ValidationError``; lenient mode accepts a bare list (as if
    unpaginated) and reports, rather than fails on, a malformed envelope.
    """
    if strict:
        envelope = _Envelope[item_type].model_validate(data)
        return envelope.count, envelope.next, envelope.previous, envelope.results
    if isinstance(data, list):
        _page_mismatch(
            "Expected a paginated object, got a list", "", "<list>", on_mismatch
        )
        items = parse_value(data, list[item_type], on_mismatch=on_mismatch)
        return len(items), None, None, items
    if not isinstance(data, dict):
        _page_mismatch("Expected a paginated object", "", data, on_mismatch)
        return None, None, None, []
    count = data.get("count")
    if count is not None and (not isinstance(count, int) or isinstance(count, bool)):
        _page_mismatch("Input should be a valid integer", "count", count, on_mismatch)
        count = None
    links: list[str | None] = []
    for key in ("next", "previous"):
        link = data.get(key)
        if link is not None and not isinstance(link, str):
            _page_mismatch("Input should be a valid string", key, link, on_mismatch)
            link = None
        links.append(link)
    raw_results = data.get("results")
    if not isinstance(raw_results, list):
        _page_mismatch(
            "Input should be a valid list", "results", raw_results, on_mismatch
        )
        raw_results = []
    results = parse_value(
        raw_results,
        list[item_type],
        on_mismatch=on_mismatch,
        path=("results",),
    )
    return count, links[0], links[1], results
