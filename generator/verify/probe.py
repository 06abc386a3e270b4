"""Asking the live API, politely: at most `max_requests` requests, at most `rate` a second,
waiting as long as a 429 or 503's `Retry-After` says (up to a minute) before asking again, and
stopping everything at the first 401. The key goes into its header and nowhere else.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

RETRY_STATUSES = (429, 503)
MAX_WAIT = 60.0
ATTEMPTS = 3


class Unauthorized(Exception):
    """The API answered 401: the key is missing, wrong or revoked. Nothing more is asked."""


class OutOfBudget(Exception):
    """`--max-requests` requests have been made."""


class Unreachable(Exception):
    """No HTTP answer at all (refused, unknown host, timeout)."""


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes
    retry_after: str | None = None

    def json(self) -> tuple[bool, Any]:
        """(True, the body as JSON) when it is JSON; (False, None) otherwise."""
        if not self.body.strip():
            return False, None
        try:
            return True, json.loads(self.body)
        except ValueError:
            return False, None


class Prober:
    def __init__(
        self,
        *,
        header: str,
        credential: str,
        max_requests: int,
        rate: float,
        timeout: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._header = header
        self._credential = credential
        self.max_requests = max_requests
        self.made = 0
        self._interval = 1.0 / rate if rate > 0 else 0.0
        self._timeout = timeout
        self._sleep = sleep
        self._clock = clock
        self._last: float | None = None

    def __repr__(self) -> str:  # never the credential
        return f"Prober(made={self.made}, max_requests={self.max_requests})"

    def get(self, url: str) -> Answer:
        return self.send("GET", url)

    def send(self, method: str, url: str, body: Any = None) -> Answer:
        """One call (`body` sent as JSON when not None), asked again after a 429 or 503: such
        an answer means the server did not act, so a write is safe to repeat."""
        for attempt in range(ATTEMPTS):
            answer = self._once(method, url, body)
            if answer.status == 401:
                raise Unauthorized()
            if answer.status not in RETRY_STATUSES or attempt == ATTEMPTS - 1:
                return answer
            self._sleep(min(self._wait_of(answer), MAX_WAIT))
        raise AssertionError("unreachable")

    def _wait_of(self, answer: Answer) -> float:
        value = answer.retry_after
        if value is None:
            return 1.0
        try:
            return max(float(value), 0.0)
        except ValueError:
            try:
                when = parsedate_to_datetime(value).timestamp()
            except (TypeError, ValueError):
                return 1.0
            return max(when - time.time(), 0.0)

    def _once(self, method: str, url: str, body: Any = None) -> Answer:
        if self.made >= self.max_requests:
            raise OutOfBudget()
        if self._last is not None and self._interval:
            wait = self._last + self._interval - self._clock()
            if wait > 0:
                self._sleep(wait)
        self.made += 1
        self._last = self._clock()
        headers = {self._header: self._credential, "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:
                return Answer(
                    response.status,
                    response.headers.get("Content-Type", ""),
                    response.read(),
                    response.headers.get("Retry-After"),
                )
        except urllib.error.HTTPError as error:
            with error:
                return Answer(
                    error.code,
                    error.headers.get("Content-Type", ""),
                    error.read(),
                    error.headers.get("Retry-After"),
                )
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise Unreachable(f"{url.split('?', 1)[0]}: {reason}") from None
