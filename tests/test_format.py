"""The format stage's shortcuts change how fast black runs, never what it writes.

Three shortcuts: a module whose last class mirrors an earlier one (the async twin of a sync
client class) is shown to black without the twin's methods (`twins.py`); and two keep black
to one pass over the models (`prepare(..., foreign=True)`): `_as_black_writes` puts
datamodel-code-generator's output in black's quotes and blank lines, and `_format_long_blocks`
formats each statement or top-level block with a line too long before black's pass over the
whole file. Here each is held to the plain route, black after isort on the raw text: on
hand-made corner cases and on our specs here, on every public document of the corpus in
test_public_corpus.py.
"""

# ruff: noqa: E501 (the corner cases have lines too long on purpose)

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from generator import format as formatter
from generator.errors import SpecError
from generator.load import load_spec
from generator.models import generate as models
from generator.normalise import normalise_document
from generator.validate import validate_structure

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.filterwarnings("ignore:format of:UserWarning")

# Corners of string quoting, docstrings and block cutting, each next to its neighbours.
CORNERS = '''from __future__ import annotations
from typing import Annotated
from pydantic import BaseModel, Field
import os
LONG_AFTER_IMPORTS: dict[str, str] = {'key': 'a value', 'another key': 'another value', 'third': 'x'}  # a comment
SHORT = 1


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
    """A long attribute docstring stays as it is, a long attribute docstring stays as it is, as it is."""
    commented: Annotated[str | None, Field(max_length=255, min_length=1, title='Another long title')] = None  # why
    x = 1; y: Annotated[str | None, Field(max_length=255, min_length=1, title='Two statements on a row')] = None
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
    assert all(
        len(line) <= 100
        for line in prepared.splitlines()
        if "'x' * 200" not in line and "docstring stays" not in line
    )
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


# -- A class and its async twin (twins.py) -----------------------------------------------------


def _client_module(method: str, returned: str = "Page") -> str:
    """A sync class and its async twin as our client templates lay them out, with one method
    named `method` returning `{Sync,Async}{returned}`."""

    def one(is_async: bool) -> str:
        prefix = "Async" if is_async else "Sync"
        run = "async def" if is_async else "def"
        call = "return await" if is_async else "return"
        return f'''class {"Async" if is_async else ""}Resource:
    """{"Async r" if is_async else "R"}esource."""

    def __init__(self, client: {prefix}Client) -> None:
        self._client = client

    {run} {method}(
        self,
        *,
        value: int = 1,
    ) -> {prefix}{returned}:
        """Call it.

        Args:
            value: a value.
        """
        {call} self._client.request(
            "GET",
            value=value,
        )

    {run} short_{method}(self) -> {prefix}{returned}:
        {call} self._client.request("GET")
'''

    return f"from __future__ import annotations\n\n\n{one(False)}\n\n{one(True)}"


def _black_saw(monkeypatch: pytest.MonkeyPatch, text: str) -> tuple[str, list[str]]:
    """`format_source` of `text`, and every text black was asked to format meanwhile."""
    black, _isort, _mode, _config = formatter._tools()
    seen: list[str] = []
    format_str = black.format_str

    def spy(source: str, **kwargs: Any) -> Any:
        seen.append(source)
        return format_str(source, **kwargs)

    monkeypatch.setattr(black, "format_str", spy)
    result = formatter.format_source("pkg/resource.py", text)
    monkeypatch.setattr(black, "format_str", format_str)
    return result, seen


def test_an_async_twin_is_not_formatted_when_black_leaves_the_rest_as_it_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = _client_module("get_thing")
    assert _plain(text) == text  # laid out as black writes it: the shortcut may apply
    result, seen = _black_saw(monkeypatch, text)
    assert result == text
    assert len(seen) == 1 and "async def" not in seen[0] and "class AsyncResource" in seen[0]


def test_near_the_line_limit_the_twin_is_formatted_as_black_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Rows that fit in the sync class and not in the async one (6 characters longer with
    `async `, 1 with `AsyncPage`, 6 with `await `): black lays those out differently, so the
    whole module goes to black. Method names of every length across the limit, so that
    each shape (one-row signature, signature head and tail, call head) crosses it."""
    shortcuts = 0
    for length in range(60, 100):
        for returned in ("Page", "P" * (length - 50)):
            text = _client_module("m" * length, returned)
            result, seen = _black_saw(monkeypatch, text)
            assert result == _plain(text), (length, returned)
            shortcuts += len(seen) == 1 and "async def" not in seen[0]
    assert 0 < shortcuts < 80  # both routes were taken


def test_what_the_twin_may_not_change_sends_the_module_to_black(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    base = _client_module("get_thing")
    twin_start = base.index("class AsyncResource")
    variants = {
        # a parameter row differs: not one of the shapes black lays out by brackets alone
        "parameter": base[:twin_start]
        + base[twin_start:].replace("value: int = 1", "value: str = 1"),
        # a docstring row differs
        "docstring": base[:twin_start] + base[twin_start:].replace("a value.", "the value."),
        # a comment
        "comment": base[:twin_start]
        + base[twin_start:].replace("self._client = client", "self._client = client  # kept"),
        # a keyword for a name
        "keyword": base[:twin_start]
        + base[twin_start:]
        .replace('request("GET")', 'match("GET")')
        .replace("request(\n", "match(\n"),
        # something after the twin
        "after": base + "\n\nVALUE = 1\n",
        # a method the original does not have
        "extra": base + "\n    def extra(self) -> None:\n        pass\n",
        # the original is not laid out as black writes it
        "unformatted": base.replace("self._client = client", "self._client=client", 1),
    }
    for name, text in variants.items():
        result, seen = _black_saw(monkeypatch, text)
        assert result == _plain(text), name
        assert any("async def" in source for source in seen), name


def test_our_templates_lay_out_code_as_black_writes_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """For our specs, black leaves every rendered module as it is: one pass each (black formats
    a file twice when it changes anything), and the twin shortcut applies to every client
    resource module. (Not a requirement for any spec: black's output is what is written.)"""
    from generator import pipeline, twins

    rendered: dict[str, str] = {}
    format_tree = formatter.format_tree

    def record(files: dict[str, str], **kwargs: Any) -> Any:
        rendered.update(files)
        return format_tree(files, **kwargs)

    monkeypatch.setattr(formatter, "format_tree", record)
    monkeypatch.setattr(models.ModelsJob, "start", lambda self: None)
    black, _isort, mode, _config = formatter._tools()
    fixtures = sorted((ROOT / "tests" / "fixtures" / "specs").glob("*.yaml"))
    twinned = 0
    for index, spec in enumerate([ROOT / "spec" / "cofactr-platform.yaml", *fixtures]):
        rendered.clear()
        pipeline.generate(spec, tmp_path / str(index) / "generated")
        for path, text in sorted(rendered.items()):
            if not path.endswith(".py") or "/_runtime/" in path or path.endswith("/models.py"):
                continue
            prepared = formatter.prepare(text)
            reduced = twins.without_mirrored_methods(prepared, formatter.LINE_LENGTH)
            if "/resources/" in path and not path.endswith("__init__.py"):
                assert reduced is not None, (spec.name, path)
                twinned += 1
            if spec.name == "hostile.yaml" and reduced is None:
                continue  # names longer than a line: black has to split them
            assert black.format_str(reduced or prepared, mode=mode) == (reduced or prepared), (
                spec.name,
                path,
            )
    assert twinned >= 20, twinned


def test_a_twin_shorter_than_its_original_is_formatted_as_black_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The other way round: the async class first, the sync one (6 characters shorter a
    signature) second. Where black split the async signature only because it did not fit,
    the sync one may fit on one row, and black joins it."""
    black, _isort, mode, _config = formatter._tools()
    joined = 0
    for length in range(60, 100):
        original = (
            "class AsyncResource:\n"
            '    """Async resource."""\n\n'
            f"    async def {'m' * length}(self, value: int) -> AsyncPage:\n"
            "        return await self._client.request(\n"
            '            "GET",\n'
            "            value=value,\n"
            "        )\n"
        )
        laid_out = str(black.format_str(original, mode=mode))
        twin = (
            laid_out.replace("class AsyncResource", "class Resource")
            .replace('"""Async resource."""', '"""Resource."""')
            .replace("async def", "def")
            .replace("return await", "return")
            .replace("AsyncPage", "SyncPage")
        )
        text = f"from __future__ import annotations\n\n\n{laid_out}\n\n{twin}"
        result, _seen = _black_saw(monkeypatch, text)
        assert result == _plain(text), length
        joined += _plain(text).count("(self, value: int)") == 1
    assert joined > 0  # some signatures black splits in the original and joins in the twin


def test_black_refusing_a_part_of_the_models_is_reported_like_the_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`prepare` runs black on parts of the models (statements, blocks with long rows); its
    refusal there is the same FormatError as a refusal of the whole file, not a crash."""
    from generator.errors import FormatError

    black, _isort, _mode, _config = formatter._tools()

    def refuse(text: str, black_module: Any, mode: Any) -> str:
        raise black.InvalidInput("Cannot parse for target version Python 3.11: 3:4: x")

    monkeypatch.setattr(formatter, "_format_long_blocks", refuse)
    with pytest.raises(FormatError) as caught:
        formatter.format_source("pkg/models.py", "x = 1\n", foreign=True)
    assert caught.value.path == "pkg/models.py"


def test_string_literals_are_written_in_the_quotes_black_gives_them() -> None:
    """`text.py_string`, which puts every spec string into code (the Literal[...] of enum
    parameters included): the literal means the text, and black leaves it as it is."""
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
