"""The pipeline's background work (validation's last round, the model generator) runs in
forked child processes, each talking to the parent over a pipe."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from typing import Any

_CAN_BLOCK = hasattr(signal, "pthread_sigmask")


@contextlib.contextmanager
def interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) back while children are forked (or a pyo3 extension is imported).

    A child forked meanwhile starts with it blocked, and only unblocks it once it has set it
    to be ignored (`ignore_interrupts`): a Ctrl-C in between cannot make it print a
    traceback. One that comes to this process meanwhile arrives when the block ends.
    """
    if not _CAN_BLOCK:
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def ignore_interrupts() -> None:
    """Called first in each child. A Ctrl-C reaches every process in the terminal's
    foreground group; the parent handles it (stops its children, says so in one line), so a
    child ignores it rather than print its own traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if _CAN_BLOCK:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # held by the fork


def stop_child(process: Any, connection: Any) -> None:
    """Stop a child that still runs and close the parent's end of its pipe (either may be
    None: not started, or stopped already)."""
    if process is not None:
        if process.is_alive():
            process.terminate()
        process.join()
    if connection is not None:
        connection.close()
