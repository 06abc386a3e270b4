"""The format stage's shortcuts change how fast black runs, never what it writes.

Two shortcuts keep black to one pass over the models (`prepare(..., foreign=True)`):
`_as_black_writes` puts datamodel-code-generator's output in black's quotes and blank lines,
and `_format_long_blocks` formats each top-level block with a line too long before black's
pass over the whole file. Here both are held to the plain route, black after isort on the raw text: on
hand-made corner cases and on our fixture specs here, on every public document of the corpus
in test_public_corpus.py.
"""

# ruff: noqa: E501 (the corner cases have lines too long on purpose)

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator import format as formatter
from generator import models
from generator.errors import SpecError
from generator.load import load_spec
from generator.normalise import normalise_document
from generator.validate import validate_structure

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.filterwarnings("ignore:format of:UserWarning")

# Corners of string quoting, docstrings and block cutting, each next to its neighbours.
CORNERS = '''from __future__ import annotations
from typing import Annotated
from pydantic import BaseModel, Field
import os


class Quotes(BaseModel):
    """
    Docstring with 'single' and "double" quotes.
    """
    a: str = 'plain'
    b: str = "didn't"
    c: str = 'say "hi"'
    d: bytes = b'raw'
    e: str = r'\\d+\\.\\d+'
    f: str = f'{os.sep}'
    g: str = 'it\\'s'
    h: str = \'\'\'triple\'\'\'
    i: str = U'upper'
    j: list[str] = ['x', "y", 'z\\n']


class OnlyDocstring(BaseModel):
    """Nothing else."""


class OneLine(BaseModel): pass
"""A string after a one-line class is no class docstring."""
x = 1


class DocstringThenComment(BaseModel):
    """Then a comment."""
    # the comment
    x: int = 1


class Outer(BaseModel):
    """Outer."""
    class Inner:
        """Inner."""
        y: int = 2
    z: int = 3


class Long(BaseModel):
    """A line too long."""
    very_long_field_name_number_one: Annotated[str | None, Field(max_length=255, min_length=1, title='A title that is long')] = None
    short: int = 0
def not_cut_here() -> None:
    value = {'key': 'a value', 'another key': 'another value', 'third key': 'third value, long'}


@staticmethod
def decorated() -> str:
    return 'decorated'


# A comment keeps its block together with what follows.
def commented() -> str:
    return 'x' * 200 + 'a string that makes this line longer than the limit of one hundred characters'
''' + "".join(
    # Plain blocks, so that the long ones are few enough to be worth formatting alone.
    f'\n\nclass Plain{n}(BaseModel):\n    """Plain {n}."""\n    value: int = {n}\n'
    for n in range(40)
)


def _plain(text: str) -> str:
    black, isort, mode, config = formatter._tools()
    return str(black.format_str(isort.code(text, config=config), mode=mode))


def _shortcut(text: str) -> str:
    return formatter.format_source("models.py", text, foreign=True)


def test_corner_cases_format_as_plain_black_does() -> None:
    assert _shortcut(CORNERS) == _plain(CORNERS)


def test_blocks_with_long_lines_are_formatted_before_the_whole_file() -> None:
    black, _isort, mode, _config = formatter._tools()
    prepared = formatter.prepare(CORNERS, foreign=True)
    assert all(len(line) <= 100 for line in prepared.splitlines() if "'x' * 200" not in line)
    assert black.format_str(prepared, mode=mode) == _plain(CORNERS)


def test_when_most_blocks_are_long_the_file_is_left_to_black_whole() -> None:
    """Two passes over the long blocks and one over the file would cost more than black's
    own two passes over the file."""
    long_line = "    x: list[int] = [" + ", ".join(str(n) for n in range(40)) + "]\n"
    text = "".join(f"class Long{n}:\n{long_line}\n\n" for n in range(5)).rstrip() + "\n"
    assert formatter.prepare(text, foreign=True) == text


def test_black_quotes_and_blank_lines_where_black_puts_them() -> None:
    laid_out = formatter._as_black_writes(CORNERS)
    assert 'a: str = "plain"' in laid_out
    assert 'b: str = "didn\'t"' in laid_out  # already double-quoted, and must stay so
    assert "c: str = 'say \"hi\"'" in laid_out  # quotes inside: left to black
    assert "f: str = f'{os.sep}'" in laid_out  # f-strings: left to black
    assert '    """\n    Docstring with' in laid_out
    assert '    """\n\n    a: str' in laid_out  # one blank line after a class docstring


def test_a_file_with_fmt_directives_or_bad_syntax_is_not_cut() -> None:
    off = "# fmt: off\nclass A:\n    x = [1,2,  3]\n\n\nclass B:\n    y = " + "1 + " * 40 + "1\n"
    assert formatter.prepare(off, foreign=True).count("[1,2,  3]") == 1
    assert formatter.format_source("a.py", off, foreign=True) == _plain(off)
    broken = "class A(:\n    " + "x" * 120 + "\n"
    assert formatter.prepare(broken, foreign=True).endswith("x" * 120 + "\n")


def _raw_models(spec_path: Path) -> str | None:
    """datamodel-code-generator's output for the spec, without our layout; None when the
    spec is refused or has no schemas."""
    try:
        spec = load_spec(spec_path)
        validate_structure(spec)
    except SpecError:
        return None
    data: dict[str, Any] = normalise_document(spec)
    schemas = data["components"]["schemas"]
    if not schemas:
        return None
    try:
        return models.generate_models(data["openapi"], schemas, spec.path).source
    except SpecError:
        return None


def test_models_of_our_specs_format_as_plain_black_does() -> None:
    fixtures = sorted((ROOT / "tests" / "fixtures" / "specs").glob("*.yaml"))
    specs = [ROOT / "spec" / "cofactr-platform.yaml", *fixtures]
    checked = 0
    for spec in specs:
        raw = _raw_models(spec)
        if raw is not None:
            assert _shortcut(raw) == _plain(raw), spec.name
            checked += 1
    assert checked == len(specs)


def test_a_template_bug_found_in_a_worker_reaches_the_user_whole() -> None:
    """black's refusal of rendered code (a template bug) crosses from the worker process as
    the FormatError the CLI reports, not as a broken process pool."""
    from generator.errors import FormatError

    files = {"pkg/fine.py": "x = 1\n", "pkg/broken.py": "def broken(:\n    pass\n"}
    workers = formatter.Formatter()
    workers.start()  # in workers even for two small files
    try:
        with pytest.raises(FormatError) as caught:
            formatter.format_tree(files, formatter=workers)
    finally:
        workers.close()
    assert caught.value.path == "pkg/broken.py"
    assert "does not parse" in str(caught.value)
