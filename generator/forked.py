"""The pipeline's background work (validation's last round, the model generator) runs in
forked child processes, each talking to the parent over a pipe."""

from __future__ import annotations

import signal
from typing import Any


def ignore_interrupts() -> None:
    """Called first in each child. A Ctrl-C reaches every process in the terminal's
    foreground group; the parent handles it (stops its children, says so in one line), so a
    child ignores it rather than print its own traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def stop_child(process: Any, connection: Any) -> None:
    """Stop a child that still runs and close the parent's end of its pipe (either may be
    None: not started, or stopped already)."""
    if process is not None:
        if process.is_alive():
            process.terminate()
        process.join()
    if connection is not None:
        connection.close()
