"""The format stage: isort then black over each rendered Python file, reusing what is on disk."""

from __future__ import annotations

import ast

import pytest

from generator import format as formatter
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
