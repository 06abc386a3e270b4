"""The format stage on several CPUs, for large trees.

Black formats one file at a time on one core, and on a large document it is most of a cold
run. Past `PARALLEL_CHARS` characters to format, the files are dealt in lanes, one a CPU
(biggest file first, each to the least loaded lane): this process formats one lane and a worker
process each other one. That buys wall time on large documents (`make bench`'s
large-document rows) for the memory of the workers. Smaller trees stay in the calling process,
where starting workers (each imports black and isort) would cost more than it saves.

The workers are plain interpreters fed JSON on stdin, not a multiprocessing pool: a pool's
named semaphores outlive a Ctrl-C (`os._exit`) and its resource tracker then prints a warning.
They ignore SIGINT from their first instruction: a Ctrl-C is the caller's to report, and it
ends them.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from . import interrupts
from .errors import FormatError

PARALLEL_CHARS = 2_000_000
_PACKAGE_PARENT = str(Path(__file__).resolve().parents[1])
# `-P` and the explicit path: the worker imports this generator, never a `generator` package
# that happens to be in the working directory.
_WORKER = [sys.executable, "-P", "-c", "from generator.format_workers import work; work()"]


def worth_it(files: dict[str, str]) -> bool:
    return _cpus() > 1 and len(files) > 1 and sum(map(len, files.values())) >= PARALLEL_CHARS


def format_all(files: dict[str, str]) -> dict[str, str]:
    """`format.format_source` over `files`, this process taking one lane and a worker process
    each other; the same result, the same FormatError for text black cannot parse."""
    own, *others = _deal(files, min(len(files), _cpus()))
    workers: list[subprocess.Popen[bytes]] = []
    try:
        _start(len(others), workers)
        for worker, lane in zip(workers, others, strict=True):
            assert worker.stdin is not None
            worker.stdin.write(json.dumps(lane).encode("utf-8"))
            worker.stdin.close()
        answers = [_format_lane(own), *(_answer(worker) for worker in workers)]
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
            worker.wait()
    formatted: dict[str, str] = {}
    for answer in answers:
        for path, (text, failure) in answer.items():
            if failure is not None:
                raise FormatError(path, failure, files[path])
            formatted[path] = text
    return {path: formatted[path] for path in files}


def _deal(files: dict[str, str], lanes: int) -> list[dict[str, str]]:
    """Biggest file first, each to the lane with the fewest characters so far."""
    dealt: list[dict[str, str]] = [{} for _ in range(lanes)]
    load = [0] * lanes
    for path, text in sorted(files.items(), key=lambda item: (-len(item[1]), item[0])):
        lightest = load.index(min(load))
        dealt[lightest][path] = text
        load[lightest] += len(text)
    return dealt


def _start(count: int, workers: list[subprocess.Popen[bytes]]) -> None:
    """Start `count` workers into `workers` (the caller's, so that it ends those started even
    if a Ctrl-C comes in the middle)."""
    paths = (_PACKAGE_PARENT, os.environ.get("PYTHONPATH", ""))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path for path in paths if path)}

    def start_all() -> None:
        for _ in range(count):
            workers.append(
                subprocess.Popen(_WORKER, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
            )

    if threading.current_thread() is not threading.main_thread():
        start_all()  # only the main thread handles signals
        return
    # An ignored signal stays ignored across exec; SIGINT is held back meanwhile, so one that
    # comes now reaches this process's handler when it is back.
    with interrupts.held():
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            start_all()
        finally:
            signal.signal(signal.SIGINT, previous)


def _answer(worker: subprocess.Popen[bytes]) -> dict[str, tuple[str, str | None]]:
    assert worker.stdout is not None
    output = worker.stdout.read()
    if worker.wait() != 0:
        raise RuntimeError(f"a format worker ended with exit code {worker.returncode}")
    answer: dict[str, tuple[str, str | None]] = {
        path: (text, failure) for path, (text, failure) in json.loads(output).items()
    }
    return answer


def work() -> None:
    """A worker: {path: rendered text} on stdin, {path: [formatted text, failure]} on stdout."""
    received = sys.stdin.buffer.read()
    if not received:
        return  # the caller ended before giving work (a Ctrl-C): nothing to say
    sys.stdout.buffer.write(json.dumps(_format_lane(json.loads(received))).encode("utf-8"))


def _format_lane(lane: dict[str, str]) -> dict[str, tuple[str, str | None]]:
    """Each file formatted, or the reason black refused it (a FormatError does not survive
    pickling or JSON, so it travels as its message)."""
    from .format import format_source

    answer: dict[str, tuple[str, str | None]] = {}
    for path, text in lane.items():
        try:
            answer[path] = (format_source(path, text), None)
        except FormatError as exc:
            answer[path] = ("", exc.message)
    return answer


def _cpus() -> int:
    """The CPUs this process may run on (all of them where the OS cannot say)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
