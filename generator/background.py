"""Run one function in a forked child process and collect its result or its exception.

Used to overlap independent stages on a multi-core machine. Where `fork` is unavailable the
function simply runs inline, so results never depend on it.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Background(Generic[T]):
    """`Background(fn, *args).result()` is `fn(*args)`, computed concurrently when possible."""

    def __init__(self, fn: Callable[..., T], *args: Any) -> None:
        self._inline: tuple[bool, Any] | None = None
        if "fork" not in multiprocessing.get_all_start_methods() or (os.cpu_count() or 1) < 2:
            self._inline = _call(fn, args)
            return
        context = multiprocessing.get_context("fork")
        self._receiver, sender = context.Pipe(duplex=False)
        self._process = context.Process(target=_child, args=(sender, fn, args), daemon=True)
        self._process.start()
        sender.close()

    def result(self) -> T:
        """Wait for the result; re-raise in this process what the function raised."""
        if self._inline is None:
            try:
                ok, value = pickle.loads(self._receiver.recv_bytes())
            except EOFError:
                ok, value = False, RuntimeError("background stage died without an answer")
            finally:
                self._process.join()
                self._receiver.close()
            self._inline = (ok, value)
        ok, value = self._inline
        if not ok:
            raise value
        return value  # type: ignore[no-any-return]


def _call(fn: Callable[..., Any], args: tuple[Any, ...]) -> tuple[bool, Any]:
    try:
        return True, fn(*args)
    except Exception as exc:
        return False, exc


def _child(sender: Any, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    outcome = _call(fn, args)
    try:
        payload = pickle.dumps(outcome)
    except Exception as exc:  # an unpicklable exception still reaches the parent as text
        payload = pickle.dumps((False, RuntimeError(f"{type(exc).__name__}: {outcome[1]}")))
    sender.send_bytes(payload)
    sender.close()
