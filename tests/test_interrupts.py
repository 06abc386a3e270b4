"""The CLI's Ctrl-C handler: a Ctrl-C that lands where Python cannot raise it is kept for later
and not printed; nothing else changes."""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator

import pytest

from generator import interrupts


class _Finalised:
    def __init__(self, action: object) -> None:
        self.action = action

    def __del__(self) -> None:
        if isinstance(self.action, BaseException):
            raise self.action
        signal.raise_signal(signal.SIGINT)


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[type[BaseException]]]:
    """`interrupts.install` in this process, undone afterwards; yields what reached the
    previous unraisable hook."""
    reported: list[type[BaseException]] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: reported.append(u.exc_type))
    monkeypatch.setattr(interrupts, "_received", False)
    handler = signal.getsignal(signal.SIGINT)
    try:
        interrupts.install()
        yield reported
    finally:
        signal.signal(signal.SIGINT, handler)


def test_a_ctrl_c_in_a_finaliser_is_kept_and_other_errors_are_reported(
    installed: list[type[BaseException]],
) -> None:
    interrupts.raise_if_swallowed()  # nothing came yet: no-op
    _Finalised(ValueError("not a Ctrl-C"))
    assert installed == [ValueError] and not interrupts.received()
    interrupts.raise_if_swallowed()

    _Finalised("ctrl-c")
    assert installed == [ValueError]  # not printed
    assert interrupts.received()
    with pytest.raises(KeyboardInterrupt):
        interrupts.raise_if_swallowed()


def test_a_ctrl_c_still_raises_where_it_lands(installed: list[type[BaseException]]) -> None:
    with pytest.raises(KeyboardInterrupt):
        signal.raise_signal(signal.SIGINT)
    assert interrupts.received() and installed == []


def test_a_ctrl_c_while_held_arrives_when_the_block_ends() -> None:
    """`held` keeps a Ctrl-C out of a pyo3 extension's import: it is delivered afterwards.
    (In a process of one thread: here pytest's own threads may take the signal instead.)"""
    import os
    import subprocess

    from .conftest import ROOT

    script = (
        "import os, signal\n"
        "from generator import interrupts\n"
        "try:\n"
        "    with interrupts.held():\n"
        "        os.kill(os.getpid(), signal.SIGINT)\n"
        "        print('held', flush=True)\n"
        "except KeyboardInterrupt:\n"
        "    print('then delivered')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert result.stdout.split() == ["held", "then", "delivered"], result.stdout + result.stderr
