"""The format stage: isort then black over each rendered Python file, reusing what is on disk."""

from __future__ import annotations

import ast
import signal
import subprocess
from pathlib import Path

import pytest

from generator import format as formatter
from generator import format_workers
from generator.errors import FormatError


def test_a_file_is_sorted_by_isort_then_laid_out_by_black() -> None:
    text = "import sys\nimport os\nx = {'a':1}\n"
    assert formatter.format_source("pkg/a.py", text) == 'import os\nimport sys\n\nx = {"a": 1}\n'


def test_rendered_code_black_cannot_parse_is_a_format_error_naming_the_file() -> None:
    """black's refusal of rendered code (a template bug) is the FormatError the CLI reports,
    with the unformatted text kept for debugging."""
    files = {"pkg/fine.py": "x = 1\n", "pkg/broken.py": "def broken(:\n    pass\n"}
    with pytest.raises(FormatError) as caught:
        formatter.format_tree(files)
    assert caught.value.path == "pkg/broken.py"
    assert caught.value.source == files["pkg/broken.py"]
    assert "does not parse" in str(caught.value)


def test_only_python_files_outside_the_skipped_folders_are_formatted() -> None:
    files = {"a.py": "x=1\n", "runtime/b.py": "y=2\n", "c.json": "{ }\n"}
    formatted, hashes = formatter.format_tree(files, skip_prefixes=("runtime/",))
    assert formatted == {"a.py": "x = 1\n", "runtime/b.py": "y=2\n", "c.json": "{ }\n"}
    assert hashes == {"a.py": formatter.rendered_hash("x=1\n")}


def test_a_file_rendered_as_last_time_is_taken_from_disk_and_the_rest_formatted() -> None:
    """`reusable` maps a path to the hash of its rendered text last time and the bytes on
    disk: those bytes are reused only when the rendering is the same."""
    files = {"same.py": "x=1\n", "changed.py": "y=2\n"}
    on_disk = {
        "same.py": (formatter.rendered_hash("x=1\n"), b"x = 1  # as written last time\n"),
        "changed.py": (formatter.rendered_hash("y=1\n"), b"y = 1\n"),
    }
    formatted, _hashes = formatter.format_tree(files, reusable=on_disk)
    assert formatted == {"same.py": "x = 1  # as written last time\n", "changed.py": "y = 2\n"}


def test_string_literals_are_written_in_the_quotes_black_gives_them() -> None:
    """`text.py_string` puts every spec string into code, docstrings included, where black
    does not requote: the literal means the text, in the quotes black gives code."""
    from generator.text import py_string

    black, _isort, mode, _config = formatter._tools()
    values = [
        "plain",
        'say "hi"',
        "it's",
        'it\'s "x" "y"',
        'both \' and ""',
        'back\\slash "q"',
        "tab\there\nnewline",
        "nul\x00 and del\x7f",
        "nul\x00 it's",
        "café ☕",
        "",
    ]
    for value in values:
        literal = py_string(value)
        assert ast.literal_eval(literal) == value, literal
        line = f"x = {literal}\n"
        assert black.format_str(line, mode=mode) == line, literal


def test_a_large_tree_formats_in_worker_processes_to_the_same_bytes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past `PARALLEL_CHARS` the files go to worker processes (if there is more than one CPU):
    the tree, its order and the hashes are what one process gives."""
    files = {f"pkg/m{i}.py": f"import sys\nimport os\nx{i} = {{'a':{i}}}\n" for i in range(5)}
    files["pkg/data.json"] = "{ }\n"
    alone = formatter.format_tree(files)
    monkeypatch.setattr(format_workers, "PARALLEL_CHARS", 0)
    monkeypatch.setattr(format_workers, "_cpus", lambda: 2)
    started: list[int] = []
    start = format_workers._start

    def counted(count: int, workers: list[subprocess.Popen[bytes]]) -> None:
        started.append(count)
        start(count, workers)

    monkeypatch.setattr(format_workers, "_start", counted)
    together = formatter.format_tree(files)
    assert started == [1]  # and this process formats a lane itself
    assert together == alone
    assert list(together[0]) == list(files)


def test_a_format_error_in_a_worker_is_the_same_format_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(format_workers, "PARALLEL_CHARS", 0)
    monkeypatch.setattr(format_workers, "_cpus", lambda: 2)
    files = {"pkg/fine.py": "x = 1\n", "pkg/broken.py": "def broken(:\n    pass\n"}
    with pytest.raises(FormatError) as caught:
        formatter.format_tree(files)
    assert caught.value.path == "pkg/broken.py"
    assert caught.value.source == files["pkg/broken.py"]
    assert "does not parse" in str(caught.value)


def test_files_are_dealt_biggest_first_to_the_least_loaded_worker() -> None:
    files = {"a.py": "x" * 50, "b.py": "x" * 40, "c.py": "x" * 30, "d.py": "x" * 20}
    lanes = format_workers._deal(files, 2)
    assert [sorted(lane) for lane in lanes] == [["a.py", "d.py"], ["b.py", "c.py"]]


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_format_workers_ignore_ctrl_c_from_their_start(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Ctrl-C reaches every process of the terminal's group: the workers must leave it to
    the caller (no traceback of theirs, no half answer), from before their first instruction."""
    monkeypatch.setattr(format_workers, "PARALLEL_CHARS", 0)
    monkeypatch.setattr(format_workers, "_cpus", lambda: 2)
    dispositions: list[bool] = []
    answer = format_workers._answer

    def look_first(worker: subprocess.Popen[bytes]) -> dict[str, tuple[str, str | None]]:
        status = Path(f"/proc/{worker.pid}/status").read_text(encoding="utf-8")
        masks = dict(line.split(":\t") for line in status.splitlines() if line.startswith("Sig"))
        sigint = 1 << (signal.SIGINT - 1)
        dispositions.append(bool(int(masks["SigIgn"], 16) & sigint))
        return answer(worker)

    monkeypatch.setattr(format_workers, "_answer", look_first)
    formatter.format_tree({"a.py": "x=1\n", "b.py": "y=2\n"})
    assert dispositions == [True]


def test_a_ctrl_c_while_workers_format_ends_every_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(format_workers, "PARALLEL_CHARS", 0)
    monkeypatch.setattr(format_workers, "_cpus", lambda: 2)
    started: list[subprocess.Popen[bytes]] = []
    start = format_workers._start

    def keep(count: int, workers: list[subprocess.Popen[bytes]]) -> None:
        start(count, workers)
        started.extend(workers)

    def interrupted(worker: subprocess.Popen[bytes]) -> dict[str, tuple[str, str | None]]:
        raise KeyboardInterrupt

    monkeypatch.setattr(format_workers, "_start", keep)
    monkeypatch.setattr(format_workers, "_answer", interrupted)
    with pytest.raises(KeyboardInterrupt):
        formatter.format_tree({"a.py": "x=1\n" * 5000, "b.py": "y=2\n" * 5000})
    assert len(started) == 1
    assert all(worker.returncode is not None for worker in started)
