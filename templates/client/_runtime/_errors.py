"""Exceptions raised by the client.

One ``except APIError`` catches everything that went wrong talking to the API; narrower
classes let callers react to one status (e.g. ``NotFoundError``) without reading codes.
Mistakes made before any request is sent are ``ValueError`` subclasses, as is usual in Python::

    Exception
     +-- APIError                         message, request, body
     |    +-- APIConnectionError          no usable response (DNS, refused, reset, ...)
     |    |    +-- APITimeoutError        connect/read/write/pool timeout
     |    +-- APIStatusError              non-2xx answer: status_code, response, body
     |    |    +-- BadRequestError              400
     |    |    +-- AuthenticationError          401
     |    |    +-- PermissionDeniedError        403
     |    |    +-- NotFoundError                404
     |    |    +-- ConflictError                409
     |    |    +-- PayloadTooLargeError         413
     |    |    +-- UnprocessableEntityError     422
     |    |    +-- RateLimitError               429 (retry_after)
     |    |    +-- InternalServerError          >= 500
     |    +-- ResponseValidationError     2xx body that does not match the schema (strict mode)
     |    +-- PollTimeoutError            poll_until() ran out of time (last_value)
     +-- ValueError
          +-- APIKeyMissingError          no api_key argument and no environment variable
          +-- WebhookParseError           a webhook payload that cannot be understood

No message built here ever contains the API key: the key is only sent in a header, headers
are never quoted, and status-error messages are scrubbed of the key as a last resort in case
a server echoes it back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIKeyMissingError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "PollTimeoutError",
    "RateLimitError",
    "ResponseValidationError",
    "UnprocessableEntityError",
    "WebhookParseError",
    "make_status_error",
]

_MAX_DETAIL_CHARS = 500


class APIError(Exception):
    """Base class of every error raised while talking to the API."""

    message: str
    request: httpx.Request | None
    body: object

    def __init__(
        self, message: str, *, request: httpx.Request | None = None, body: object = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
        self.body = body


class APIConnectionError(APIError):
    """The request got no HTTP response (connection refused or reset, DNS failure, ...)."""

    def __init__(
        self, message: str = "Connection error.", *, request: httpx.Request
    ) -> None:
        super().__init__(message, request=request)


class APITimeoutError(APIConnectionError):
    """The request timed out (connecting, writing, waiting for a pooled connection or reading)."""

    def __init__(
        self, message: str = "Request timed out.", *, request: httpx.Request
    ) -> None:
        super().__init__(message, request=request)


class APIStatusError(APIError):
    """The API answered with a non-2xx status; ``body`` is the decoded JSON (or text)."""

    status_code: int
    response: httpx.Response
    request: httpx.Request

    def __init__(self, message: str, *, response: httpx.Response, body: object) -> None:
        super().__init__(message, request=response.request, body=body)
        self.response = response
        self.status_code = response.status_code


class BadRequestError(APIStatusError):
    """400: the request was invalid; ``body`` maps field names to lists of messages."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing, wrong or revoked."""


class PermissionDeniedError(APIStatusError):
    """403: the key is valid but may not do this (e.g. another organisation's record)."""


class NotFoundError(APIStatusError):
    """404: no such record (or not visible to this key)."""


class ConflictError(APIStatusError):
    """409: the request conflicts with the record's current state."""


class PayloadTooLargeError(APIStatusError):
    """413: the request body (e.g. an upload) is too large."""


class UnprocessableEntityError(APIStatusError):
    """422: the request was well formed but could not be processed."""


class RateLimitError(APIStatusError):
    """429: too many requests; ``retry_after`` is the server's hint in seconds, if any."""

    retry_after: float | None

    def __init__(self, message: str, *, response: httpx.Response, body: object) -> None:
        super().__init__(message, response=response, body=body)
        value = response.headers.get("retry-after")
        try:
            self.retry_after = float(value) if value is not None else None
        except ValueError:
            self.retry_after = None


class InternalServerError(APIStatusError):
    """>= 500: the server failed; idempotent requests were already retried."""


class ResponseValidationError(APIError):
    """A successful response whose body does not match the expected type (strict parsing)."""

    response: httpx.Response | None
    errors: Sequence[Mapping[str, Any]]

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response | None,
        body: object,
        errors: Sequence[Mapping[str, Any]] = (),
    ) -> None:
        request = response.request if response is not None else None
        super().__init__(message, request=request, body=body)
        self.response = response
        self.errors = errors

    @property
    def status_code(self) -> int | None:
        return self.response.status_code if self.response is not None else None


class PollTimeoutError(APIError):
    """``poll_until`` gave up; ``last_value`` is the last thing ``fetch`` returned."""

    def __init__(
        self, message: str, *, last_value: object, timeout: float, attempts: int
    ) -> None:
        super().__init__(message)
        self.last_value = last_value
        self.timeout = timeout
        self.attempts = attempts


class APIKeyMissingError(ValueError):
    """No ``api_key`` was passed and the environment variable named by the client is unset."""

    def __init__(self, env_var: str) -> None:
        super().__init__(
            f"No API key: pass api_key=... to the client or set the {env_var} "
            "environment variable."
        )
        self.env_var = env_var


class WebhookParseError(ValueError):
    """A webhook payload is not JSON, or lacks ``event_type``/``record_type``/``id``/``data``."""


_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: PayloadTooLargeError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def decode_error_body(response: httpx.Response) -> object:
    """The response body as JSON if it parses, else as text, else ``None`` when empty."""
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return response.text


def _join(messages: object) -> str:
    if isinstance(messages, list | tuple):
        return " ".join(
            str(m) if not isinstance(m, dict | list) else _describe(m) for m in messages
        )
    if isinstance(messages, dict):
        return _describe(messages)
    return str(messages)


def _describe(body: object) -> str:
    """A one-line summary of a DRF error body: ``detail``, else ``field: messages; ...``."""
    if isinstance(body, dict):
        detail = body.get("detail")
        if isinstance(detail, str):
            return detail
        parts = []
        for key, value in body.items():
            if key == "code":
                continue
            text = _join(value)
            parts.append(
                text if key in ("non_field_errors", "detail") else f"{key}: {text}"
            )
        return "; ".join(parts)
    if isinstance(body, list):
        return _join(body)
    return str(body).strip()


def make_status_error(
    response: httpx.Response, *, redact: Callable[[str], str] | None = None
) -> APIStatusError:
    """Build the ``APIStatusError`` subclass for ``response`` (whose body must be read)."""
    status = response.status_code
    body = decode_error_body(response)
    cls = _STATUS_ERRORS.get(status)
    if cls is None:
        cls = InternalServerError if status >= 500 else APIStatusError
    request = response.request
    message = f"{status} {response.reason_phrase} for {request.method} {request.url}"
    detail = _describe(body) if body is not None else ""
    if detail:
        if len(detail) > _MAX_DETAIL_CHARS:
            detail = detail[:_MAX_DETAIL_CHARS] + "..."
        message = f"{message}: {detail}"
    if redact is not None:
        message = redact(message)
    return cls(message, response=response, body=body)
