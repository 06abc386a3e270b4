"""Ctrl-C in the CLI: always the one line and exit 130, never a traceback.

Python's own SIGINT handler raises KeyboardInterrupt wherever the main thread is, and in a
few places that goes wrong:
- in a finaliser (a weakref callback, which importlib runs after each import; a `__del__`),
  where Python prints "Exception ignored in ..." with a traceback and carries on: the Ctrl-C
  is lost;
- inside a library, which may turn it into an error of its own (a pyo3 extension panics
  when it lands in its import: `pyo3_runtime.PanicException`, a BaseException, after Rust has
  printed its own report).
`install` replaces that handler by one that notes the Ctrl-C before raising it, and silences
the finaliser's report. So the CLI knows an error came from a Ctrl-C (`received`), and one that
was swallowed is raised again at the next `raise_if_swallowed` (before the write, and when the
command is done). `held` keeps Ctrl-C out of a pyo3 extension's import.
"""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Iterator
from types import FrameType

_received = False


def install() -> None:
    signal.signal(signal.SIGINT, _note_and_raise)
    previous_hook = sys.unraisablehook

    def hide_interrupts(unraisable: sys.UnraisableHookArgs) -> None:
        if not issubclass(unraisable.exc_type, KeyboardInterrupt):
            previous_hook(unraisable)

    sys.unraisablehook = hide_interrupts


def _note_and_raise(signum: int, frame: FrameType | None) -> None:
    global _received
    _received = True
    raise KeyboardInterrupt


def received() -> bool:
    """Has a Ctrl-C come (whatever became of its KeyboardInterrupt)?"""
    return _received


def raise_if_swallowed() -> None:
    """Called where a KeyboardInterrupt that propagated would not be: one has come all the
    same, so it was swallowed on its way."""
    if _received:
        raise KeyboardInterrupt


@contextlib.contextmanager
def held() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) back meanwhile: one that comes arrives when the block ends."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - not POSIX
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
