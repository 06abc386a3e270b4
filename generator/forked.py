"""The pipeline's background work (validation's last round, the model generator) runs in
forked child processes, each talking to the parent over a pipe."""

from __future__ import annotations

from typing import Any


def stop_child(process: Any, connection: Any) -> None:
    """Stop a child that still runs and close the parent's end of its pipe (either may be
    None: not started, or stopped already)."""
    if process is not None:
        if process.is_alive():
            process.terminate()
        process.join()
    if connection is not None:
        connection.close()
