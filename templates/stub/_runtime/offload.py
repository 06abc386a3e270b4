"""Work that must not run on the event loop, and how much of it may run at once.

The stub answers every request on one event loop. Work that can take a CPU for seconds (a
customer SQL query: copying the caller's rows, running the query, fetching the result) runs
in a worker thread instead, so other callers keep being answered meanwhile. A
:class:`WorkerPool` admits at most ``per_key`` such jobs per API key and ``total`` in all; a
job over either cap is refused at once (:class:`Busy`) rather than queued, so a caller can
neither stall the server nor build up a backlog that other callers would wait behind.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


class Busy(Exception):
    """A job was refused: its key (``per_key`` true) or the whole pool is at its cap."""

    def __init__(self, per_key: bool, limit: int) -> None:
        super().__init__(f"at most {limit} jobs {'per key' if per_key else 'in all'}")
        self.per_key = per_key
        self.limit = limit


class Closed(Exception):
    """The pool is closing: the app is shutting down."""


class WorkerPool:
    """Threads for off-loop jobs, with admission per key and in total.

    ``closing`` is set by :meth:`close`; long jobs check it (with their deadline) and stop,
    so shutting the stub down never waits for a query to use up its time limit.
    """

    def __init__(self, total: int, per_key: int) -> None:
        self.total = total
        self.per_key = per_key
        self.closing = threading.Event()
        self._lock = threading.Lock()
        self._running: Counter[str] = Counter()
        self._executor: ThreadPoolExecutor | None = None

    def submit(self, key: str, job: Callable[[], T]) -> Future[T]:
        """Start ``job`` in a worker thread for ``key``; :class:`Busy` when over a cap,
        :class:`Closed` once the pool is closing."""
        with self._lock:
            if self.closing.is_set():
                raise Closed()
            if self._running[key] >= self.per_key:
                raise Busy(per_key=True, limit=self.per_key)
            if sum(self._running.values()) >= self.total:
                raise Busy(per_key=False, limit=self.total)
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    self.total, thread_name_prefix="stub-worker", initializer=_yield_the_cpu
                )
            self._running[key] += 1
            executor = self._executor

        try:
            future = executor.submit(job)
        except RuntimeError:  # the pool was closed meanwhile
            self._release(key)
            raise Closed() from None
        # Released when the job ends, or when it is cancelled before it started.
        future.add_done_callback(lambda _: self._release(key))
        return future

    def _release(self, key: str) -> None:
        with self._lock:
            self._running[key] -= 1
            if self._running[key] <= 0:
                del self._running[key]

    def close(self) -> None:
        """Tell running jobs to stop, and wait until they have."""
        self.closing.set()
        with self._lock:
            executor = self._executor
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)


def _yield_the_cpu() -> None:
    """Run this worker thread at the lowest CPU priority (Linux nice values are per thread).

    Buys: while queries burn every core, the event loop thread still gets the CPU whenever it
    has a request to answer, so other callers barely notice them (``make bench``: "other
    org's GET while SQL burns"). Elsewhere a thread id is no process id, so it does nothing.
    """
    if sys.platform.startswith("linux"):
        # A sandbox may refuse: the thread then keeps the normal priority.
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
