"""``_BaseClient``: what ``SyncAPIClient`` (``_sync_client``) and ``AsyncAPIClient``
(``_async_client``), the base classes of the generated clients, share.

The generated ``_client.py`` subclasses one of them and sets class attributes
(``api_key_env_var``, ``default_base_url``, ``auth_scheme``, ``package_version``, optionally
``auth_header`` and ``user_agent``) and nothing else; the generated resources call
``request`` / ``request_raw`` / ``request_page``. Everything else lives here:

* building the request (``_encoding``) from a path template, query, headers and a body;
* sending it with the retry rules of ``_retry``, logging each attempt at DEBUG to
  ``"<pkg>.http"`` (method, URL, status, time, attempt; never headers);
* mapping failures to the exceptions of ``_errors``;
* parsing the body into the expected type (``_parsing``), strictly or tolerantly.

Raw responses: ``request_raw(...)`` takes the same arguments as ``request`` minus the
parsing ones and returns the ``httpx.Response`` (body read; errors and retries handled the
same way). ``request(...)`` is exactly ``parse_response(request_raw(...), ...)``, so a caller
that needs headers *and* a typed body can do both steps itself. Pages keep their response
in ``page.response``. There is deliberately no ``client.last_response``: it would be wrong
as soon as two threads or tasks share a client.

Per-request cost is kept small: headers are computed once, path templates are split once,
and tolerant parsing only walks the data when plain validation has failed.
"""

from __future__ import annotations

import logging
import os
import platform
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, Literal, Self, TypeAlias, TypeVar

import httpx
from pydantic import ValidationError

from ._auth import SECURITY_EXTENSION, AuthScheme, Credentials, Security, SecurityAuth
from ._encoding import (
    FileContent,
    build_path,
    encode_headers,
    encode_json,
    encode_multipart,
    encode_multipart_fields,
    encode_query,
)
from ._errors import APIConnectionError, APITimeoutError, ResponseValidationError
from ._logs import PACKAGE_NAME, http_logger
from ._oauth import TOKEN_EXTENSION, TokenSource, shown_token_request
from ._options import (
    ExtraBody,
    ExtraHeaders,
    ExtraQuery,
    RequestTimeout,
    merge_body,
    merge_headers,
    merge_query,
)
from ._pagination import parse_page
from ._parsing import MismatchHook, parse_value, type_name
from ._records import recording
from ._retry import retry_delay, should_retry_error, should_retry_response
from ._secret import Secret, check_api_key, load_api_key
from ._sentinel import NOT_GIVEN, NotGiven

__all__ = ["ResponseKind"]

_T = TypeVar("_T")
_HttpxClientT = TypeVar("_HttpxClientT", httpx.Client, httpx.AsyncClient)

ResponseKind: TypeAlias = Literal["json", "empty", "binary"]
TimeoutArg: TypeAlias = RequestTimeout | NotGiven
_DEBUG = logging.DEBUG


@dataclass(frozen=True, slots=True)
class _PageContext:
    """What a page needs to fetch the next one the same way the first was fetched."""

    method: str
    headers: httpx.Headers | dict[str, str] | None
    json: object
    timeout: Any
    item_type: Any
    strict: bool
    security: Security | None


def _validation_message(
    response: httpx.Response, expected: str, exc: ValidationError
) -> str:
    errors = exc.errors(include_url=False, include_input=False)
    shown = "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or '<root>'}: {e['msg']}"
        for e in errors[:3]
    )
    more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
    request = response.request
    return (
        f"Response to {request.method} {request.url} does not match {expected}: "
        f"{shown}{more}"
    )


def _kept_request(sent: httpx.Request, ours: httpx.Request) -> httpx.Request:
    """The request an answer keeps, and so every error made of it shows. The request sent
    was the auth flow's copy of ours, with the credentials: ours, without them. A token
    request's answer (the token endpoint refused) keeps the token request, without the
    client's id and secret, so the error names the token URL."""
    if sent.extensions.get(TOKEN_EXTENSION):
        return shown_token_request(sent)
    return ours


def _keep_our_requests(response: httpx.Response, ours: httpx.Request) -> None:
    """``_kept_request`` for an answer and for every answer before it in the auth flow
    (``history``: a token answer, a 401 replayed with a fresh token)."""
    for answer in (*response.history, response):
        answer.request = _kept_request(answer.request, ours)


class _BaseClient(Generic[_HttpxClientT]):
    """Configuration, request building and response parsing shared by both clients."""

    api_key_env_var: ClassVar[str] = ""
    """Environment variable read when no ``api_key`` is passed."""
    base_url_env_var: ClassVar[str] = ""
    """Environment variable read when no ``base_url`` is passed (empty: none)."""
    default_base_url: ClassVar[str] = ""
    """Base URL used when neither ``base_url`` nor that variable is given."""
    auth_header: ClassVar[str] = "Authorization"
    """Header that carries the API key."""
    auth_scheme: ClassVar[str] = "Bearer"
    """Word before the key in that header (``<auth_header>: <scheme> <key>``); may be empty."""
    auth_schemes: ClassVar[Mapping[str, AuthScheme] | None] = None
    """The spec's security schemes by name; ``None``: one key in ``auth_header`` (above)."""
    security: ClassVar[Security | None] = None
    """The document's requirement (see ``_auth``); ``None``: that one key."""
    operation_security: ClassVar[Mapping[tuple[str, str], Security]] = {}
    """Requirements of the operations that override the document's, by method and path."""
    package_version: ClassVar[str] = ""
    """The generated package's ``__version__``, which the default ``User-Agent`` names."""
    user_agent: ClassVar[str | None] = None
    """``User-Agent`` header; ``None`` means ``"<pkg>/<version> (python <v>; httpx <v>)"``."""

    _client: _HttpxClientT
    _owns_client: bool
    _request_headers: httpx.Headers | None
    """Headers to send with each request; None when our own httpx client carries them."""

    def _schemes(self) -> tuple[Mapping[str, AuthScheme], Security]:
        if self.auth_schemes is None or self.security is None:
            return {"": AuthScheme("apiKey", "header", self.auth_header, self.auth_scheme)}, (
                ("",),
            )
        return self.auth_schemes, self.security

    def _check_credentials(self, credentials: Credentials) -> None:
        """``APIKeyMissingError`` when every alternative of the document's requirement needs
        a key the client lacks (and no operation could be called); ``ValueError`` for a key
        that cannot travel in a header."""
        schemes, security = self._schemes()
        if credentials.key.reveal():
            check_api_key(credentials.key, self.api_key_env_var)
        needs_key = [
            any(
                name in schemes
                and schemes[name].kind != "basic"
                and not credentials.fetches_token(schemes[name])
                for name in alternative
            )
            for alternative in security
        ]
        if needs_key and all(needs_key) and not credentials.key.reveal():
            check_api_key(credentials.key, self.api_key_env_var)

    def _security_for(self, method: str, path_template: str) -> Security | None:
        return self.operation_security.get((method.upper(), path_template))

    def _configure(
        self,
        *,
        api_key: Secret,
        login: tuple[Secret, Secret],
        oauth: tuple[Secret, Secret],
        token_url: str | None,
        base_url: str | None,
        org_id: str | None,
        timeout: float | httpx.Timeout | None,
        max_retries: int,
        default_headers: Mapping[str, str] | None,
        on_schema_mismatch: MismatchHook | None,
    ) -> dict[str, str]:
        """Set up everything but the httpx client; return the headers every request gets."""
        self._settings: dict[str, Any] = {
            "api_key": api_key,
            "login": login,
            "oauth": oauth,
            "token_url": token_url,
            "base_url": base_url,
            "org_id": org_id,
            "timeout": timeout,
            "max_retries": max_retries,
            "default_headers": default_headers,
            "on_schema_mismatch": on_schema_mismatch,
        }
        self._api_key = api_key
        self._credentials = Credentials(api_key, *login, *oauth)
        self._check_credentials(self._credentials)
        if base_url is None and self.base_url_env_var:
            base_url = os.environ.get(self.base_url_env_var) or None
        url = (base_url if base_url is not None else self.default_base_url).rstrip("/")
        if not url:
            raise ValueError(f"{type(self).__name__} needs a base_url")
        parsed = httpx.URL(url)
        if parsed.scheme not in ("http", "https") or not parsed.host:
            raise ValueError(f"base_url must be an absolute http(s) URL, got {url!r}")
        schemes, security = self._schemes()
        tokens = {
            name: TokenSource(
                str(parsed.join(token_url or scheme.token_url)), *oauth
            )
            for name, scheme in schemes.items()
            if self._credentials.fetches_token(scheme)
        }
        self._auth = SecurityAuth(schemes, security, self._credentials, tokens)
        self._base_url = url
        self._org_id = org_id
        self._default_query: dict[str, str] | None = (
            {"org_id": org_id} if org_id else None
        )
        if max_retries < 0:
            raise ValueError(f"max_retries must be >= 0, got {max_retries}")
        self._max_retries = max_retries
        self._timeout = (
            timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        )
        self._on_schema_mismatch = on_schema_mismatch
        product = f"{PACKAGE_NAME}/{self.package_version}" if self.package_version else PACKAGE_NAME
        user_agent = self.user_agent or (
            f"{product} (python {platform.python_version()}; httpx {httpx.__version__})"
        )
        headers = {"Accept": "application/json", "User-Agent": user_agent}
        if default_headers:
            headers.update(default_headers)
        return headers

    def with_options(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        org_id: str | NotGiven | None = NOT_GIVEN,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
        on_schema_mismatch: MismatchHook | NotGiven | None = NOT_GIVEN,
        username: str | None = None,
        password: str | None = None,
    ) -> Self:
        """A copy of this client with the given settings changed (the others kept), which
        shares this client's connection pool: cheap to make per call or per task, as in
        ``client.with_options(timeout=5, max_retries=0).boms.list_boms()``.

        The arguments are those of the constructor; ``default_headers`` are added to this
        client's. Closing the copy leaves the pool open: it stays this client's to close.
        """
        settings = dict(self._settings)
        if api_key is not None:
            settings["api_key"] = load_api_key(api_key, self.api_key_env_var)
        old_user, old_password = settings["login"]
        settings["login"] = (
            old_user if username is None else Secret(username),
            old_password if password is None else Secret(password),
        )
        del api_key, username, password  # only the redacted wrappers from here on
        given = {
            "base_url": base_url,
            "max_retries": max_retries,
            "org_id": org_id,
            "timeout": timeout,
            "on_schema_mismatch": on_schema_mismatch,
        }
        settings.update(
            (name, value)
            for name, value in given.items()
            if not isinstance(value, NotGiven)
            and (value is not None or name in ("org_id", "timeout", "on_schema_mismatch"))
        )
        if default_headers:
            settings["default_headers"] = {
                **(settings["default_headers"] or {}),
                **default_headers,
            }
        clone = object.__new__(type(self))
        headers = clone._configure(**settings)
        if base_url is None:  # the same token URLs: share the fetched tokens, not refetch
            clone._auth.tokens = self._auth.tokens
        clone._client = self._client
        clone._owns_client = False
        clone._request_headers = httpx.Headers(headers)
        return clone

    @property
    def base_url(self) -> str:
        return self._base_url

    @property
    def org_id(self) -> str | None:
        return self._org_id

    @property
    def max_retries(self) -> int:
        return self._max_retries

    @property
    def timeout(self) -> httpx.Timeout:
        return self._timeout

    def __repr__(self) -> str:
        # getattr: also called on a half-built client, e.g. for a traceback's locals.
        base_url = getattr(self, "_base_url", None)
        org_id = getattr(self, "_org_id", None)
        return f"{type(self).__name__}(base_url={base_url!r}, org_id={org_id!r}, api_key='***')"

    # -- building requests ------------------------------------------------------------

    def _merge_headers(
        self, headers: Mapping[str, object] | None
    ) -> httpx.Headers | dict[str, str] | None:
        call_headers = encode_headers(headers)
        if self._request_headers is None:
            return call_headers
        if not call_headers:
            return self._request_headers
        merged = self._request_headers.copy()
        merged.update(call_headers)
        return merged

    def _build(
        self,
        method: str,
        url: str,
        *,
        params: dict[str, Any] | None,
        headers: httpx.Headers | dict[str, str] | None,
        json: object,
        multipart: Mapping[str, object] | None,
        content: FileContent | NotGiven,
        timeout: TimeoutArg,
        security: Security | None = None,
    ) -> httpx.Request:
        data = files = None
        body: object = None
        raw: bytes | None = None
        if multipart is not None:
            data, files = encode_multipart(multipart)
            if not files:  # httpx would send fields alone urlencoded, or nothing
                raw, media = encode_multipart_fields(data)
                data = files = None
                headers = httpx.Headers(headers)  # a copy: never touch the shared defaults
                headers["Content-Type"] = media
        elif not isinstance(content, NotGiven):
            # Read streams up front: a retry must be able to send the same bytes again.
            raw = (
                content
                if isinstance(content, bytes)
                else bytes(
                    content if isinstance(content, bytearray) else content.read()
                )
            )
            headers = httpx.Headers(headers)  # a copy: never touch the shared defaults
            headers.setdefault("Content-Type", "application/octet-stream")
        elif not isinstance(json, NotGiven):
            body = encode_json(json)
        return self._client.build_request(
            method,
            url,
            params=params,
            headers=headers,
            content=raw,
            json=body,
            data=data,
            files=files,
            timeout=self._timeout if isinstance(timeout, NotGiven) else timeout,
            extensions=None if security is None else {SECURITY_EXTENSION: security},
        )

    def _build_request(
        self,
        method: str,
        path_template: str,
        *,
        path_params: Mapping[str, object] | None,
        query: Mapping[str, object] | None,
        headers: Mapping[str, object] | None,
        json: object,
        multipart: Mapping[str, object] | None,
        content: FileContent | NotGiven,
        timeout: TimeoutArg,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> httpx.Request:
        json, multipart = merge_body(json, multipart, content, extra_body)
        return self._build(
            method.upper(),
            self._base_url + build_path(path_template, path_params),
            params=encode_query(merge_query(query, extra_query), self._default_query),
            headers=self._merge_headers(merge_headers(headers, extra_headers)),
            json=json,
            multipart=multipart,
            content=content,
            timeout=timeout,
            security=self._security_for(method, path_template),
        )

    def _page_request(
        self,
        method: str,
        path_template: str,
        *,
        path_params: Mapping[str, object] | None,
        query: Mapping[str, object] | None,
        headers: Mapping[str, object] | None,
        json: object,
        item_type: Any,
        strict: bool,
        timeout: TimeoutArg,
        extra_headers: ExtraHeaders | None,
        extra_query: ExtraQuery | None,
        extra_body: ExtraBody | None,
    ) -> tuple[_PageContext, httpx.Request]:
        """The first page's request, and what the following pages are fetched with."""
        json, _ = merge_body(json, None, NOT_GIVEN, extra_body)
        merged_headers = self._merge_headers(merge_headers(headers, extra_headers))
        context = _PageContext(
            method.upper(),
            merged_headers,
            json,
            timeout,
            item_type,
            strict,
            self._security_for(method, path_template),
        )
        request = self._build(
            context.method,
            self._base_url + build_path(path_template, path_params),
            params=encode_query(merge_query(query, extra_query), self._default_query),
            headers=merged_headers,
            json=json,
            multipart=None,
            content=NOT_GIVEN,
            timeout=timeout,
            security=context.security,
        )
        return context, request

    # -- sending ----------------------------------------------------------------------

    def _log_attempt(
        self,
        request: httpx.Request,
        started: float,
        attempt: int,
        outcome: httpx.Response | Exception,
    ) -> None:
        if isinstance(outcome, httpx.Response):
            result = f"{outcome.status_code} {outcome.reason_phrase}"
        else:
            result = type(outcome).__name__
        http_logger.debug(
            "HTTP %s %s -> %s in %.1f ms (attempt %d of %d)",
            request.method,
            request.url,
            result,
            (time.perf_counter() - started) * 1000.0,
            attempt + 1,
            self._max_retries + 1,
        )

    def _log_retry(
        self, request: httpx.Request, attempt: int, delay: float, why: str
    ) -> None:
        http_logger.info(
            "Retrying %s %s in %.2f s after %s (retry %d of %d)",
            request.method,
            request.url,
            delay,
            why,
            attempt + 1,
            self._max_retries,
        )

    def _connection_error(
        self, request: httpx.Request, exc: Exception
    ) -> APIConnectionError:
        detail = self._auth.redact(str(exc)) or type(exc).__name__
        where = f"{request.method} {request.url}"
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(
                f"Request timed out ({type(exc).__name__}): {where}", request=request
            )
        return APIConnectionError(
            f"Connection error: {where}: {detail}", request=request
        )

    def _retry_after_error(
        self, request: httpx.Request, attempt: int, exc: Exception
    ) -> float | None:
        """Delay before retrying after transport error ``exc``, or None to give up."""
        if attempt < self._max_retries and should_retry_error(request.method, exc):
            delay = retry_delay(attempt, self._random())
            self._log_retry(request, attempt, delay, type(exc).__name__)
            return delay
        return None

    def _retry_after_response(
        self, request: httpx.Request, attempt: int, response: httpx.Response
    ) -> float | None:
        """Delay before retrying after non-2xx ``response``, or None to give up."""
        if attempt < self._max_retries and should_retry_response(
            request.method, response
        ):
            delay = retry_delay(attempt, self._random(), response)
            self._log_retry(request, attempt, delay, f"HTTP {response.status_code}")
            return delay
        return None

    def _random(self) -> float:
        """Jitter source in [0, 1); replace on an instance to make tests deterministic."""
        return random.random()

    # -- parsing ------------------------------------------------------------------------

    def parse_response(
        self,
        response: httpx.Response,
        *,
        cast_to: Any = Any,
        response_kind: ResponseKind = "json",
        strict: bool = False,
    ) -> Any:
        """The body of a successful (already read) ``response`` as ``cast_to``.

        ``"empty"`` -> ``None``; ``"binary"`` -> ``bytes``; ``"json"`` -> the decoded JSON
        parsed as ``cast_to`` (``Any`` keeps it as is). See ``_parsing`` for ``strict``.
        """
        if response_kind == "json":
            data = self._decode_json(response)
            try:
                with recording(
                    self._on_schema_mismatch, response, self._base_url, data
                ) as hook:
                    return parse_value(data, cast_to, strict=strict, on_mismatch=hook)
            except ValidationError as exc:
                raise ResponseValidationError(
                    _validation_message(response, type_name(cast_to), exc),
                    response=response,
                    body=data,
                    errors=exc.errors(include_url=False),
                ) from exc
        if response_kind == "empty":
            return None
        if response_kind == "binary":
            return response.content
        raise ValueError(f"unknown response_kind {response_kind!r}")

    @staticmethod
    def _decode_json(response: httpx.Response) -> Any:
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError as exc:
            request = response.request
            raise ResponseValidationError(
                f"Response to {request.method} {request.url} is not valid JSON: {exc}",
                response=response,
                body=response.text,
            ) from exc

    def _parse_page_body(
        self, response: httpx.Response, item_type: Any, strict: bool
    ) -> tuple[int | None, str | None, str | None, list[Any]]:
        data = self._decode_json(response)
        try:
            with recording(
                self._on_schema_mismatch, response, self._base_url, data
            ) as hook:
                return parse_page(data, item_type, strict=strict, on_mismatch=hook)
        except ValidationError as exc:
            raise ResponseValidationError(
                _validation_message(response, f"page of {type_name(item_type)}", exc),
                response=response,
                body=data,
                errors=exc.errors(include_url=False),
            ) from exc
