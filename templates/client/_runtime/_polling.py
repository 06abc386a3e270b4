"""Waiting for something to finish: ``poll_until`` and its async twin ``apoll_until``.

Async jobs (``AsyncJob``) finish on the server's schedule, so the generated ``wait()``
helpers ask again and again, starting at ``initial_interval`` seconds and growing the
pause by ``backoff`` up to ``max_interval``, until ``is_done`` says yes or ``timeout``
seconds have passed (then ``PollTimeoutError`` carries the last value seen). The clock and
the sleep function are parameters so tests run instantly and deterministically.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from ._errors import PollTimeoutError

__all__ = ["apoll_until", "poll_until"]

_T = TypeVar("_T")


def _check_arguments(
    timeout: float, initial_interval: float, max_interval: float, backoff: float
) -> None:
    if timeout < 0:
        raise ValueError(f"timeout must be >= 0, got {timeout}")
    if initial_interval <= 0 or max_interval <= 0:
        raise ValueError("initial_interval and max_interval must be > 0")
    if backoff < 1:
        raise ValueError(f"backoff must be >= 1, got {backoff}")


def _timeout_error(
    last_value: object, timeout: float, attempts: int
) -> PollTimeoutError:
    return PollTimeoutError(
        f"Condition not met within {timeout:g} s ({attempts} attempts); "
        f"last value: {last_value!r:.200}",
        last_value=last_value,
        timeout=timeout,
        attempts=attempts,
    )


def poll_until(
    fetch: Callable[[], _T],
    is_done: Callable[[_T], bool],
    *,
    timeout: float,
    initial_interval: float = 0.5,
    max_interval: float = 10.0,
    backoff: float = 1.5,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], object] = time.sleep,
) -> _T:
    """Call ``fetch()`` until ``is_done(value)``; return that value.

    ``fetch`` is called at least once, and once more after the last pause, so a job that
    finishes right at the deadline is still seen. Raises ``PollTimeoutError``.
    """
    _check_arguments(timeout, initial_interval, max_interval, backoff)
    deadline = clock() + timeout
    interval = initial_interval
    attempts = 0
    while True:
        value = fetch()
        attempts += 1
        if is_done(value):
            return value
        remaining = deadline - clock()
        if remaining <= 0:
            raise _timeout_error(value, timeout, attempts)
        sleep(min(interval, remaining))
        interval = min(interval * backoff, max_interval)


async def apoll_until(
    fetch: Callable[[], Awaitable[_T]],
    is_done: Callable[[_T], bool],
    *,
    timeout: float,
    initial_interval: float = 0.5,
    max_interval: float = 10.0,
    backoff: float = 1.5,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
) -> _T:
    """Async twin of ``poll_until``: ``fetch`` is awaited, pauses use ``asyncio.sleep``."""
    _check_arguments(timeout, initial_interval, max_interval, backoff)
    deadline = clock() + timeout
    interval = initial_interval
    attempts = 0
    while True:
        value = await fetch()
        attempts += 1
        if is_done(value):
            return value
        remaining = deadline - clock()
        if remaining <= 0:
            raise _timeout_error(value, timeout, attempts)
        await sleep(min(interval, remaining))
        interval = min(interval * backoff, max_interval)
