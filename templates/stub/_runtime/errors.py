"""Errors the stub answers with, in the Django REST Framework shapes the API uses.

Handlers raise :class:`StubError`; the engine turns it into a response with the spec's
``Error`` shape (``{"detail": ...}`` or ``{"<field>": ["message"]}``). Messages are DRF's
own, so clients written against the real service see the same text. A message (or field
name) that quotes a long input is cut in the middle (:func:`clip`): a 100 KB path parameter
is not sent back in full.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

NOT_FOUND = "Not found."
NOT_AUTHENTICATED = "Authentication credentials were not provided."
INVALID_KEY = "Invalid API key."
PERMISSION_DENIED = "You do not have permission to perform this action."
SERVER_ERROR = "Internal server error."
MAX_MESSAGE = 300  # characters of one message or field name, the cut marked in the middle


def clip(text: str, limit: int = MAX_MESSAGE) -> str:
    """``text``, or its start and end with how much was cut between them."""
    if len(text) <= limit:
        return text
    head, tail = (limit * 2) // 3, limit // 5
    return f"{text[:head]}...[{len(text) - head - tail} characters cut]...{text[-tail:]}"


def _clipped(value: Any) -> Any:
    if isinstance(value, str):
        return clip(value)
    if isinstance(value, list):
        return [_clipped(item) for item in value]
    return value


class StubError(Exception):
    """An error response: status, JSON body and extra headers."""

    def __init__(
        self,
        status: int,
        body: Mapping[str, Any],
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.body: dict[str, Any] = {clip(str(k)): _clipped(v) for k, v in body.items()}
        super().__init__(f"{status}: {self.body}")
        self.status = status
        self.headers: dict[str, str] = dict(headers or {})


class StubBug(Exception):
    """The stub was about to send something the spec does not allow."""


def detail(
    status: int,
    message: str,
    headers: Mapping[str, str] | None = None,
    code: str | None = None,
) -> StubError:
    """A DRF ``{"detail": message, "code": code}`` error."""
    body = {"detail": message} if code is None else {"detail": message, "code": code}
    return StubError(status, body, headers)


def not_found() -> StubError:
    """404 for unknown ids and for records of orgs the key does not reach alike."""
    return detail(404, NOT_FOUND, code="not_found")


def permission_denied() -> StubError:
    """403 for narrowing (``org_id``/``x-org-id``) to an org the key does not reach."""
    return detail(403, PERMISSION_DENIED, code="permission_denied")


def field_errors(errors: Mapping[str, list[str]]) -> StubError:
    """400 naming each bad field, DRF style (``non_field_errors`` for the body itself)."""
    return StubError(400, {name: list(msgs) for name, msgs in errors.items()})


def bad_request(field: str, message: str) -> StubError:
    """400 for one field."""
    return field_errors({field: [message]})


def throttled(wait_seconds: int) -> StubError:
    """429 with DRF's throttling message and ``Retry-After``."""
    unit = "second" if wait_seconds == 1 else "seconds"
    return detail(
        429,
        f"Request was throttled. Expected available in {wait_seconds} {unit}.",
        {"Retry-After": str(wait_seconds)},
        code="throttled",
    )


def too_large(limit: int) -> StubError:
    """413 for a body over the limit."""
    return detail(413, f"Request body exceeds the limit of {limit} bytes.", code="too_large")
