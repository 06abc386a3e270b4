"""Recording the answers that did not fit the schema, for ``verify --from-records``.

Much of the schema is inferred. The code generator's ``verify --from-records FILE`` turns
recorded answers into a report and an overlay that corrects the spec, without calling the
API again. ``MismatchRecorder`` is an ``on_schema_mismatch`` hook that writes those records:
each successful answer whose body did not fit its schema (a tolerant parse that met a
mismatch, or a strict parse that failed) becomes one JSON line,
``{"method": "GET", "path": "/v1/boms/b1/", "status": 200, "body": ...}``. The path is the
request's, relative to the client's base URL, without its query string (where keys may
travel); no header is recorded. A failure to write is logged once and never breaks a call.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from pydantic import ValidationError

from ._logs import schema_logger
from ._parsing import MismatchHook, SchemaMismatch

__all__ = ["MismatchRecorder", "recording"]


class MismatchRecorder:
    """An ``on_schema_mismatch`` hook that appends each answer that did not fit to a
    JSON-lines file (created if missing), and passes every ``SchemaMismatch`` on to ``then``.

    Use: ``Client(on_schema_mismatch=MismatchRecorder("mismatches.jsonl"))``. Safe to share
    between threads and clients; each answer is one ``write`` of one line.
    """

    def __init__(
        self, path: str | os.PathLike[str], *, then: MismatchHook | None = None
    ) -> None:
        self.path = os.fspath(path)
        self._then = then
        self._lock = threading.Lock()
        self._failed = False

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.path!r})"

    def __call__(self, mismatch: SchemaMismatch) -> None:
        if self._then is not None:
            self._then(mismatch)

    def record(self, *, method: str, path: str, status: int, body: Any) -> None:
        """Append one answer; an error writing it is logged (once), not raised."""
        line = json.dumps(
            {"method": method, "path": path, "status": status, "body": body},
            ensure_ascii=False,
        )  # the body's keys in the order they came: verify reports in that order
        with self._lock:
            try:
                with open(self.path, "a", encoding="utf-8") as file:
                    file.write(line + "\n")
            except OSError as exc:
                if not self._failed:
                    self._failed = True
                    schema_logger.warning("cannot record to %s: %s", self.path, exc)


def _relative_path(request: httpx.Request, base_url: str) -> str:
    path = request.url.path
    prefix = httpx.URL(base_url).path.rstrip("/")
    if prefix and (path == prefix or path.startswith(prefix + "/")):
        path = path[len(prefix) :] or "/"
    return path


@contextmanager
def recording(
    hook: MismatchHook | None, response: httpx.Response, base_url: str, body: Any
) -> Iterator[MismatchHook | None]:
    """The hook to parse ``body`` with. When ``hook`` is a ``MismatchRecorder``, the answer
    is recorded if parsing reported a mismatch or raised a ``ValidationError``."""
    if not isinstance(hook, MismatchRecorder):
        yield hook
        return
    recorder = hook
    seen: list[SchemaMismatch] = []

    def record() -> None:
        recorder.record(
            method=response.request.method,
            path=_relative_path(response.request, base_url),
            status=response.status_code,
            body=body,
        )

    def watch(mismatch: SchemaMismatch) -> None:
        seen.append(mismatch)
        recorder(mismatch)

    try:
        yield watch
    except ValidationError:
        record()
        raise
    if seen:
        record()
