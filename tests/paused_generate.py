"""`python -m tests.paused_generate STEP N -- <cofactr-codegen arguments>`: the real CLI, which
stops at the N-th time the write stage reaches STEP (see `generator.write.on_step`), says so
on stdout and waits there for ever. A test kills it at that moment with a real SIGKILL, so
the kill lands where the test means it to, on a slow machine as on a fast one."""

from __future__ import annotations

import sys
import threading

from generator import write
from generator.cli import main

PAUSED = "paused"


def pause_at(step: str, count: int) -> None:
    seen = 0

    def on_step(name: str) -> None:
        nonlocal seen
        if name != step:
            return
        seen += 1
        if seen == count:
            print(PAUSED, flush=True)
            threading.Event().wait()

    write.on_step = on_step


if __name__ == "__main__":
    step, count, separator, *arguments = sys.argv[1:]
    assert separator == "--", "usage: python -m tests.paused_generate STEP N -- ARGS..."
    pause_at(step, int(count))
    sys.exit(main(arguments))
