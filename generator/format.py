"""Stage 5: isort then black, in-process, in one pinned mode, over every rendered Python file.

Copied runtime modules are already formatted by hand and pass through untouched. Formatting is
most of the cost of a run, so two things keep it small: a file whose rendered text is unchanged
since the last run reuses the formatted bytes already on disk (the manifest records both
hashes), and the rest is spread over the machine's cores.
"""

from __future__ import annotations

import ast
import gc
import hashlib
import io
import itertools
import multiprocessing
import os
import threading
import time
import tokenize
from collections.abc import Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from functools import cache
from importlib import metadata
from typing import Any

from .errors import FormatError
from .forked import ignore_interrupts, interrupts_held
from .text import double_quoted
from .twins import without_mirrored_methods

LINE_LENGTH = 100
# Below this much text, starting worker processes costs more than it saves.
_PARALLEL_MIN_BYTES = 150_000


def formatter_identity() -> str:
    """What formatted output depends on besides its input text (cheap: imports neither tool)."""
    return (
        f"black=={metadata.version('black')} isort=={metadata.version('isort')} "
        f"line_length={LINE_LENGTH} target=py311 profile=black"
    )


@cache
def _tools() -> tuple[Any, Any, Any, Any]:
    import black
    import isort
    from black.mode import Mode, TargetVersion

    mode = Mode(target_versions={TargetVersion.PY311}, line_length=LINE_LENGTH)
    # Import order as ruff's isort rules want it (datamodel-code-generator leaves its own unsorted).
    config = isort.Config(profile="black", line_length=LINE_LENGTH, known_first_party=frozenset())
    return black, isort, mode, config


def rendered_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def format_source(path: str, text: str, *, foreign: bool = False) -> str:
    """isort, then black: what `prepare` gives, formatted.

    A module whose last class mirrors an earlier one (an async client class) is shown to
    black without the mirrored methods first (`twins`): when black leaves that as it is, it
    leaves the whole module as it is, and the twin costs nothing to format.
    """
    black, _isort, mode, _config = _tools()
    try:
        prepared = prepare(text, foreign=foreign)  # (which runs black on parts of the models)
        reduced = without_mirrored_methods(prepared, LINE_LENGTH)
        if reduced is not None and black.format_str(reduced, mode=mode) == reduced:
            return prepared
        return str(black.format_str(prepared, mode=mode))
    except black.InvalidInput as exc:
        raise FormatError(path, str(exc).splitlines()[0], text) from None


def prepare(text: str, *, foreign: bool = False) -> str:
    """The text black formats last: sorted by isort and, for a `foreign` file (one our
    templates did not lay out: the models), in black's quotes and blank lines
    (`_as_black_writes`) with each statement or top-level block that has a line too long
    already formatted (`_format_long_blocks`).

    black formats a text a second time whenever its first pass changed anything; the
    templates lay out code as black writes it, and these steps do it for the rest, so that
    pass finds nothing to do.
    """
    black, isort, mode, config = _tools()
    text = isort.code(text, config=config)
    return _format_long_blocks(_as_black_writes(text), black, mode) if foreign else text


def _as_black_writes(source: str) -> str:
    """The source with what black will do done already: string literals in double quotes,
    one blank line after a class docstring, one newline at the end.

    black formats a file a second time whenever its first pass changed anything, and
    datamodel-code-generator writes single quotes and no such blank line, so its models cost
    black two passes (the second 0.3-0.4 s on the real spec). Each change here is one black makes
    itself, so the formatted output is the same; where a case is not covered (a string with
    quotes inside), black still does it, only in two passes.
    """
    try:
        requoted, blank_after = _black_edits(source)
    except (tokenize.TokenError, SyntaxError):
        return source  # black will say what is wrong with it
    lines = source.splitlines(keepends=True)
    out = []
    for number, line in enumerate(lines, start=1):
        for start, end, text in sorted(requoted.get(number, ()), reverse=True):
            line = line[:start] + text + line[end:]
        out.append(line)
        if number in blank_after and number < len(lines) and lines[number].strip():
            out.append("\n")
    return "".join(out).rstrip("\n") + "\n"  # black ends a file with one newline


def _black_edits(source: str) -> tuple[dict[int, list[tuple[int, int, str]]], set[int]]:
    """(line -> (start column, end column, literal black writes), lines a class docstring
    ends on), found with the tokenizer, so text inside strings is never mistaken for code."""
    requoted: dict[int, list[tuple[int, int, str]]] = {}
    blank_after: set[int] = set()
    statement_start = True  # the next token begins a statement
    # Where a class docstring may be: "header" (`class X(...):`), "indent" (its NEWLINE
    # seen), "first" (the body's first token is next), "docstring" (a string was it).
    class_state = ""
    docstring_end = 0
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        kind, text = token.type, token.string
        if kind in (tokenize.NL, tokenize.COMMENT):
            continue
        if class_state == "header":
            class_state = "indent" if kind == tokenize.NEWLINE else "header"
        elif class_state == "indent":
            class_state = "first" if kind == tokenize.INDENT else ""
        elif class_state == "first":
            is_docstring = kind == tokenize.STRING and text.startswith('"""')
            class_state, docstring_end = ("docstring", token.end[0]) if is_docstring else ("", 0)
        elif class_state == "docstring":
            if kind == tokenize.NEWLINE:
                blank_after.add(docstring_end)
            class_state = ""
        if statement_start and kind == tokenize.NAME and text == "class":
            class_state = "header"
        if kind == tokenize.STRING and not statement_start and token.start[0] == token.end[0]:
            requote = double_quoted(text)
            if requote is not None:
                requoted.setdefault(token.start[0], []).append((*_columns(token), requote))
        statement_start = kind in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT)
    return requoted, blank_after


def _columns(token: tokenize.TokenInfo) -> tuple[int, int]:
    return token.start[1], token.end[1]


def _format_long_blocks(text: str, black: Any, mode: Any) -> str:
    """The module with each statement (`_format_long_statements`), then each top-level block,
    that has a line over the limit formatted alone.

    black formats a whole file a second time whenever its first pass changed anything: for
    datamodel-code-generator's models, whose only lines black would change are too long, that
    is 0.3 s more on the real spec. Formatted first, a block costs its second pass alone, and
    the file's pass finds nothing to change. The output is the same: black lays out each
    statement on its own, and keeps the two blank lines before a top-level class or function
    at which blocks are cut. A file with `fmt:` directives (which can span blocks), or that
    does not parse (black says why), is left to black whole.
    """
    if not _too_long(text.splitlines()) or "fmt:" in text:
        return text
    try:
        text = _format_long_statements(text, ast.parse(text), black, mode)
        if not _too_long(text.splitlines()):
            return text
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return text
    lines = text.splitlines(keepends=True)
    cuts = [0]
    for node in tree.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)]) - 1
            if first >= 3 and not lines[first - 1].strip() and not lines[first - 2].strip():
                cuts.append(first)
    cuts.append(len(lines))
    blocks = ["".join(lines[start:end]) for start, end in itertools.pairwise(cuts)]
    long = [_too_long(block.splitlines()) for block in blocks]
    # Two passes over the long blocks, then one over the file: a saving only while the long
    # blocks are well under half of it.
    if 5 * sum(len(b) for b, is_long in zip(blocks, long, strict=True) if is_long) > 2 * len(text):
        return text
    last = len(blocks) - 1
    return "".join(
        (
            str(black.format_str(block, mode=mode)) + ("\n\n" if index < last else "")
            if is_long
            else block
        )
        for index, (block, is_long) in enumerate(zip(blocks, long, strict=True))
    )


def _format_long_statements(text: str, tree: ast.Module, black: Any, mode: Any) -> str:
    """The module with each simple statement that has a row too long, at the top level or
    directly in a top-level class (a model's field), formatted apart from the rest.

    For datamodel-code-generator's models this is nearly all there is to change, and a few
    statements cost black far less than the blocks around them (0.1 s less on the real
    spec). The statements of one depth go to black together, one after the other (under a
    `class _:` for those of a class), and come back by position. What is left too long
    (inside a function, say) is formatted by its block. Should a statement come out
    otherwise than black lays it out in place, black's pass over the file puts it right (in
    a second pass: slower, never different).
    """
    lines = text.splitlines(keepends=True)
    found: dict[int, list[tuple[int, int]]] = {0: [], 1: []}  # depth -> row ranges
    for node in tree.body:
        depth, statements = (1, node.body) if isinstance(node, ast.ClassDef) else (0, [node])
        for statement in statements:
            start, end = statement.lineno - 1, statement.end_lineno or statement.lineno
            rows = lines[start:end]
            if _too_long(rows) and _alone_on_its_rows(statement, rows, depth):
                found[depth].append((start, end))
    # Two passes over them, then one over the file: a saving only while they are well under
    # half of it (as for blocks, below).
    size = sum(
        len(lines[row])
        for ranges in found.values()
        for start, end in ranges
        for row in range(start, end)
    )
    if 5 * size > 2 * len(text):
        return text
    edits: list[tuple[int, int, str]] = []
    for depth, ranges in found.items():
        if not ranges:
            continue
        around = "class _:\n" if depth else ""
        source = around + "".join("".join(lines[start:end]) for start, end in ranges)
        formatted = str(black.format_str(source, mode=mode)).splitlines(keepends=True)
        body = ast.parse("".join(formatted)).body
        statements = body[0].body if depth and isinstance(body[0], ast.ClassDef) else body
        if len(statements) != len(ranges):
            continue  # not the statements handed over: leave them to the block
        for (start, end), statement in zip(ranges, statements, strict=True):
            rows = formatted[statement.lineno - 1 : statement.end_lineno]
            edits.append((start, end, "".join(rows)))
    for start, end, replacement in sorted(edits, reverse=True):
        lines[start:end] = [replacement]
    return "".join(lines)


def _alone_on_its_rows(statement: ast.stmt, rows: list[str], depth: int) -> bool:
    """A simple statement (no body, not a string: a docstring's layout depends on where it
    is) that starts its first row at `depth` and shares its rows with no other."""
    if hasattr(statement, "body") or ";" in "".join(rows):
        return False
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
        return False
    indent = "    " * depth
    return statement.col_offset == len(indent) and rows[0].startswith(indent)


def _too_long(lines: list[str]) -> bool:
    return any(len(line) > LINE_LENGTH for line in lines)


def _format_one(job: tuple[str, str, bool]) -> tuple[str, str]:
    """Format one file with the cyclic garbage collector paused, then collect once.

    black allocates heavily, and each automatic collection would rescan everything young
    since the last one; pausing it per file and collecting after (with the rest of the
    process frozen by `format_tree`) took black from 2.6 s to 2.1 s of CPU on the real spec,
    with memory still bounded by one file's garbage.
    """
    path, text, foreign = job
    gc.disable()
    try:
        formatted = format_source(path, text, foreign=foreign)
    finally:
        gc.enable()
    gc.collect()
    return path, formatted


def _worker_count() -> int:
    return min(os.cpu_count() or 1, 4)


def _start_worker(parent: int) -> None:
    """A worker freezes all it inherited (black and isort loaded), so the collections in
    `_format_one` skip it. `parent` is the pid of the process that forked it, taken there:
    a worker asking `getppid()` itself could be too late and get its new parent's."""
    ignore_interrupts()
    _exit_with(parent)
    _tools()
    gc.freeze()


def _exit_with(parent: int) -> None:
    """End this process soon after `parent` ends. A worker waits for tasks on a queue whose
    writing end it inherited, so it would never see the end of a killed parent."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.25)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


class Formatter:
    """Formats files in worker processes once `start()` is called, else in this process.

    A cold run starts the workers early, while the models are built, and a file handed over
    with `submit` (the models, the longest to format) is formatted while the rest is
    rendered. Workers are forked: where fork is unavailable, or on one core,
    formatting stays in this process. `foreign` names the files our templates did not lay
    out (the models), which `prepare` lays out as black would first.
    """

    def __init__(self, foreign: frozenset[str] = frozenset()) -> None:
        self._foreign = foreign
        self._pool: ProcessPoolExecutor | None = None
        self._submitted: dict[str, tuple[str, Future[tuple[str, str]]]] = {}

    def start(self) -> None:
        workers = _worker_count()
        if self._pool or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return
        # Loaded once here, not once in each worker: this process is only waiting for the
        # models at this point, while every worker's import would take a core's time.
        _tools()
        context = multiprocessing.get_context("fork")
        self._pool = ProcessPoolExecutor(
            workers, mp_context=context, initializer=_start_worker, initargs=(os.getpid(),)
        )
        with interrupts_held():
            self._pool.submit(int)  # the workers are forked on the first task: now

    def submit(self, path: str, text: str) -> None:
        """Start formatting a file now, if the workers run; `format_all` collects it."""
        if self._pool is not None:
            future = self._pool.submit(_format_one, self._job(path, text))
            self._submitted[path] = (text, future)

    def format_all(self, files: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """(path, formatted text) of each (path, text), in order."""
        if self._pool is None:
            return [_format_one(self._job(path, text)) for path, text in files]
        futures = []
        for path, text in files:
            earlier = self._submitted.get(path)
            if earlier is not None and earlier[0] == text:
                futures.append(earlier[1])
            else:
                futures.append(self._pool.submit(_format_one, self._job(path, text)))
        return [future.result() for future in futures]

    def _job(self, path: str, text: str) -> tuple[str, str, bool]:
        return path, text, path in self._foreign

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def format_tree(
    files: dict[str, str],
    *,
    skip_prefixes: tuple[str, ...] = (),
    reusable: Mapping[str, tuple[str, bytes]] | None = None,
    formatter: Formatter | None = None,
) -> tuple[dict[str, str], dict[str, str]]:
    """Format every rendered Python file, with `formatter` (the pipeline's, which may have
    started on some files already) or one made here.

    `reusable` maps a path to (hash of its rendered text last time, formatted bytes on disk).
    Returns the formatted tree and, for the manifest, the rendered-text hash of each file
    that went through the formatter.
    """
    reusable = reusable or {}
    owned = formatter is None  # made here, so closed here
    formatter = formatter or Formatter()
    formatted: dict[str, str] = {}
    rendered_hashes: dict[str, str] = {}
    todo: list[tuple[str, str]] = []
    for path, text in files.items():
        if not path.endswith(".py") or path.startswith(skip_prefixes):
            formatted[path] = text
            continue
        digest = rendered_hash(text)
        rendered_hashes[path] = digest
        previous = reusable.get(path)
        if previous is not None and previous[0] == digest:
            formatted[path] = previous[1].decode("utf-8")
        else:
            todo.append((path, text))
    if sum(len(text) for _, text in todo) >= _PARALLEL_MIN_BYTES:
        formatter.start()
    # Largest first, one file a task: the workers finish together however the sizes fall.
    todo.sort(key=lambda job: (-len(job[1]), job[0]))
    # What the process holds now (the spec, the models, the rendered tree) outlives formatting:
    # frozen, the per-file collections in `_format_one` skip it.
    gc.freeze()
    try:
        formatted.update(formatter.format_all(todo))
    finally:
        gc.unfreeze()
        if owned:
            formatter.close()
    return {path: formatted[path] for path in files}, rendered_hashes
