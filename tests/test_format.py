"""The format stage: ruff's import sorting then its formatter over each rendered Python file,
reusing what is on disk."""

from __future__ import annotations

import ast
import subprocess
import tempfile
from pathlib import Path

import pytest

from generator import format as formatter
from generator.errors import FormatError


def test_a_file_has_its_imports_sorted_then_is_laid_out() -> None:
    text = "import sys\nimport os\nx = {'a':1}\n"
    formatted = formatter.format_files({"pkg/a.py": text})
    assert formatted == {"pkg/a.py": 'import os\nimport sys\n\nx = {"a": 1}\n'}


def test_rendered_code_that_does_not_parse_is_a_format_error_naming_the_file() -> None:
    """The formatter's refusal of rendered code (a template bug) is the FormatError the CLI reports,
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


def test_string_literals_are_written_in_the_quotes_the_formatter_gives_them() -> None:
    """`text.py_string` puts every spec string into code, docstrings included, where the
    formatter does not requote: the literal means the text, in the quotes code gets."""
    from generator.text import py_string

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
    lines = {f"m{i}.py": f"x = {py_string(value)}\n" for i, value in enumerate(values)}
    for value, line in zip(values, lines.values(), strict=True):
        assert ast.literal_eval(line.removeprefix("x = ")) == value, line
    assert formatter.format_files(lines) == lines


def test_the_output_ignores_ruff_settings_wherever_they_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A user's own ruff settings (line length, quote style) never reach generated code: not
    those of the project around the temporary directory, of the working directory, or of the
    user's home."""
    text = "x = {'a': 1, 'b': 'a string long enough to pass forty characters'}\n"
    expected = formatter.format_files({"pkg/a.py": text})
    settings = "line-length = 40\n[format]\nquote-style = 'single'\n"
    for folder in ("project", "project/tmp", "home/ruff"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "ruff.toml").write_text(settings)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "project" / "tmp"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path / "project")
    assert formatter.format_files({"pkg/a.py": text}) == expected
    assert expected["pkg/a.py"].count("\n") == 1  # one line at the pinned length, double quotes


def test_a_ctrl_c_while_ruff_formats_leaves_no_ruff_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Ctrl-C that lands while ruff runs ends the stage with KeyboardInterrupt, and the ruff
    process with it (subprocess.run kills and reaps its child)."""
    started: list[subprocess.Popen[str]] = []
    real_popen = subprocess.Popen

    class Interrupted(real_popen):  # type: ignore[misc,valid-type]
        def communicate(self, *args: object, **kwargs: object) -> tuple[str, str]:
            started.append(self)
            raise KeyboardInterrupt

    monkeypatch.setattr(subprocess, "Popen", Interrupted)
    with pytest.raises(KeyboardInterrupt):
        formatter.format_files({"a.py": "x=1\n"})
    assert len(started) == 1
    assert started[0].returncode is not None
