"""When a failed request may be sent again, and how long to wait first.

Retrying is only safe when it cannot apply a change twice: creating a BOM line twice
doubles its quantity. So the rules depend on the method:

* any method is retried when the server cannot have acted on the request: the connection
  was never made (``httpx.ConnectError``, ``httpx.ConnectTimeout``, ``httpx.PoolTimeout``),
  the server refused it with 429, or with 503 *and* a ``Retry-After`` header;
* idempotent methods (GET, HEAD, OPTIONS, PUT, DELETE) are also retried on 500, 502, 503,
  504, timeouts and broken connections, where the server may or may not have acted.

The wait is "full jitter" exponential backoff (a uniform draw from ``[0, min(8, 0.5 * 2**n))``
seconds before retry ``n + 1``), unless the server sent ``Retry-After`` (seconds or an
HTTP-date), which is obeyed up to 60 seconds.
"""

from __future__ import annotations

import datetime
import email.utils
import math
import time

import httpx

__all__ = [
    "IDEMPOTENT_METHODS",
    "backoff_delay",
    "parse_retry_after",
    "retry_delay",
    "should_retry_error",
    "should_retry_response",
]

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
BACKOFF_BASE = 0.5
BACKOFF_CAP = 8.0
RETRY_AFTER_CAP = 60.0
_RETRY_IDEMPOTENT_STATUS = frozenset({500, 502, 503, 504})
# The request never reached the server: safe to resend whatever the method.
_NOT_SENT_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# The request may have reached the server: resend only idempotent requests.
_MAYBE_SENT_ERRORS = (
    httpx.TimeoutException,
    httpx.NetworkError,
    httpx.RemoteProtocolError,
)


def should_retry_response(method: str, response: httpx.Response) -> bool:
    """Whether a non-2xx ``response`` to ``method`` may be retried."""
    status = response.status_code
    if status == 429:
        return True
    if status == 503 and "retry-after" in response.headers:
        return True
    return status in _RETRY_IDEMPOTENT_STATUS and method in IDEMPOTENT_METHODS


def should_retry_error(method: str, error: Exception) -> bool:
    """Whether a request that raised the httpx ``error`` may be retried."""
    if isinstance(error, _NOT_SENT_ERRORS):
        return True
    return method in IDEMPOTENT_METHODS and isinstance(error, _MAYBE_SENT_ERRORS)


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta-seconds or HTTP-date), or None."""
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:  # "-0000": GMT without a claimed zone
            when = when.replace(tzinfo=datetime.UTC)
        seconds = when.timestamp() - (time.time() if now is None else now)
    if math.isnan(seconds):
        return None
    return max(0.0, seconds)


def backoff_delay(retry_index: int, random_fraction: float) -> float:
    """Full-jitter delay before retry ``retry_index + 1``; ``random_fraction`` is in [0, 1)."""
    return random_fraction * min(BACKOFF_CAP, BACKOFF_BASE * 2.0**retry_index)


def retry_delay(
    retry_index: int, random_fraction: float, response: httpx.Response | None = None
) -> float:
    """The wait before the next attempt: ``Retry-After`` (capped) or jittered backoff."""
    if response is not None:
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        if retry_after is not None:
            return min(retry_after, RETRY_AFTER_CAP)
    return backoff_delay(retry_index, random_fraction)
