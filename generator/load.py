"""Stage 1: read the spec file once, keeping a line number for every JSON pointer.

YAML is read with the C loader when available, with implicit timestamps disabled (a date in a
description or example must stay a string: the spec is JSON data). Duplicate mapping keys, which
YAML parsers silently collapse, are reported. A JSON file is read by the JSON parser (YAML 1.1
would read `1e5` as a string); YAML only supplies its line numbers.

Every way a file can fail to be a JSON document becomes a `SpecError` with the line where it is
known: bad encodings, binary junk, syntax errors, tabs, nesting deep enough to crash a parser,
alias bombs and recursive aliases, numbers too large for JSON, non-string keys and YAML-only
values (`!!binary`, `!!set`, explicit timestamps).
"""

from __future__ import annotations

import json
import math
import re
import sys
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import Any

import yaml

from .document import pointer
from .errors import Diagnostic, SpecError

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Deeper documents crash parsers (the C YAML parser overflows the C stack far below the
# size of a file anyone writes) and the recursive later stages; real specs nest < 40 levels.
MAX_DEPTH = 100
# A document whose aliases expand to more nodes than this is an alias bomb, not an API.
MAX_NODES = 5_000_000


class _SpecLoader(_BaseLoader):  # type: ignore[misc]
    """SafeLoader without the timestamp resolver; everything else is YAML 1.1 as usual."""


_SpecLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class LoadedSpec:
    """The parsed document plus where each node came from.

    `path` is the file as messages and headers show it; `location` is the real file (for
    resolving relative references), when the spec was read from one.
    """

    path: str
    data: dict[str, Any]
    raw: bytes
    lines: dict[str, int] = field(default_factory=dict)
    location: Path | None = None

    def line_of(self, ptr: str) -> int | None:
        """The line of `ptr`, or of its nearest ancestor that has one."""
        while True:
            if ptr in self.lines:
                return self.lines[ptr]
            if not ptr:
                return None
            ptr = ptr.rsplit("/", 1)[0]

    def diagnostic(self, message: str, ptr: str = "") -> Diagnostic:
        return Diagnostic(message=message, file=self.path, pointer=ptr, line=self.line_of(ptr))


def load_spec(path: str | Path, *, display_path: str | None = None) -> LoadedSpec:
    """Read a YAML or JSON OpenAPI document; raise `SpecError` with a location on failure."""
    path = Path(path)
    shown = display_path or str(path)
    try:
        if path.is_dir():
            raise SpecError([Diagnostic("cannot read spec: it is a directory, not a file", shown)])
        raw = path.read_bytes()
    except OSError as exc:
        raise SpecError([Diagnostic(f"cannot read spec: {exc.strerror or exc}", shown)]) from None
    spec = parse_spec(raw, shown)
    return LoadedSpec(spec.path, spec.data, spec.raw, spec.lines, location=path.resolve())


def parse_spec(raw: bytes, shown: str) -> LoadedSpec:
    """Parse spec bytes (YAML or JSON) into a `LoadedSpec`."""
    text = _decode(raw, shown)
    if not text.strip():
        raise SpecError([Diagnostic("the file is empty; expected an OpenAPI document", shown)])
    _check_nesting(text, shown)

    is_json = text.lstrip().startswith(("{", "["))
    json_data: Any = None
    json_duplicates: list[str] = []
    if is_json:
        json_data = _parse_json(text, shown, json_duplicates)

    loader = _SpecLoader(text)
    lines: dict[str, int] = {}
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError as exc:
            if is_json:  # valid JSON that YAML 1.1 cannot read (tab indentation): no lines
                node = None
            else:
                raise SpecError([_yaml_diagnostic(exc, text, shown)]) from None
        if node is not None:
            problems = _alias_bomb(node, shown) or _Walker(shown, lines).walk(node)
            if problems:
                raise SpecError(_capped(problems, shown))
        if json_duplicates:
            keys = sorted(set(json_duplicates))
            raise SpecError([Diagnostic(f"duplicate key {key!r}", shown) for key in keys])
        if is_json:
            data = json_data
        else:
            try:
                data = loader.construct_document(node) if node is not None else None
            except yaml.YAMLError as exc:
                raise SpecError([_yaml_diagnostic(exc, text, shown)]) from None
            except ValueError as exc:  # int() of a number past Python's digit limit
                raise SpecError([_number_diagnostic(exc, text, shown)]) from None
    finally:
        loader.dispose()

    if not isinstance(data, dict):
        kind = _json_kind(data) if data is not None else "nothing (only comments?)"
        line = node.start_mark.line + 1 if node is not None else None
        message = f"expected an OpenAPI document (a mapping), found {kind}"
        raise SpecError([Diagnostic(message, shown, line=line)])
    problems = _check_values(data, shown, lines)
    if problems:
        raise SpecError(_capped(problems, shown))
    return LoadedSpec(path=shown, data=data, raw=raw, lines=lines)


def _capped(problems: list[Diagnostic], shown: str, limit: int = 20) -> list[Diagnostic]:
    """The first `limit` problems (by line), and a count of the rest."""
    if len(problems) <= limit:
        return problems
    kept = sorted(problems, key=lambda d: (d.line or 0, d.pointer, d.message))[:limit]
    return [
        *kept,
        Diagnostic(f"{len(problems) - limit} more problem(s) not shown; fix these " "first", shown),
    ]


# -- bytes to text ---------------------------------------------------------------------------
def _decode(raw: bytes, shown: str) -> str:
    for bom, encoding in (
        (b"\xff\xfe\x00\x00", "UTF-32"),
        (b"\x00\x00\xfe\xff", "UTF-32"),
        (b"\xff\xfe", "UTF-16"),
        (b"\xfe\xff", "UTF-16"),
    ):
        if raw.startswith(bom):
            raise SpecError(
                [
                    Diagnostic(
                        f"the file is {encoding} text (it starts with a {encoding} byte order "
                        "mark); save it as UTF-8",
                        shown,
                        line=1,
                    )
                ]
            )
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise SpecError(
            [
                Diagnostic(
                    f"not a text file: NUL byte at offset {nul}; expected a YAML or JSON "
                    "document",
                    shown,
                    line=raw.count(b"\n", 0, nul) + 1,
                )
            ]
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start : exc.start + 1].hex()
        raise SpecError(
            [
                Diagnostic(
                    f"not UTF-8 text: byte 0x{bad} at offset {exc.start} is invalid UTF-8; "
                    "save the file as UTF-8",
                    shown,
                    line=raw.count(b"\n", 0, exc.start) + 1,
                )
            ]
        ) from None


def _check_nesting(text: str, shown: str) -> None:
    """Refuse documents nested deeply enough to crash a parser, before any parser sees them.

    Flow collections nest by brackets, block collections by indentation or `- - -`; both are
    measured, generously: the limit here is ten times `MAX_DEPTH`, which the walk of the parsed
    nodes enforces exactly.
    """
    limit = 10 * MAX_DEPTH
    brackets = re.sub(r"[^\[\]{}]+", "", text)
    deepest = max(accumulate(1 if c in "[{" else -1 for c in brackets), default=0)
    indent = max((len(m.group()) for m in re.finditer(r"^[ \t-]+", text, re.MULTILINE)), default=0)
    if deepest > limit or indent > limit:
        raise SpecError(
            [
                Diagnostic(
                    f"the document is nested more than {MAX_DEPTH} levels deep; "
                    "that is not an API description",
                    shown,
                )
            ]
        )


def _parse_json(text: str, shown: str, duplicates: list[str]) -> Any:
    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                duplicates.append(key)
            result[key] = value
        return result

    try:
        return json.loads(text, object_pairs_hook=no_duplicates)
    except json.JSONDecodeError as exc:
        raise SpecError(
            [Diagnostic(f"invalid JSON: {exc.msg} (column {exc.colno})", shown, line=exc.lineno)]
        ) from None
    except RecursionError:
        raise SpecError(
            [Diagnostic(f"the document is nested more than {MAX_DEPTH} levels deep", shown)]
        ) from None
    except ValueError as exc:
        raise SpecError([_number_diagnostic(exc, text, shown)]) from None


def _number_diagnostic(exc: ValueError, text: str, shown: str) -> Diagnostic:
    limit = sys.get_int_max_str_digits() or 4300
    match = re.search(r"\d{" + str(limit + 1) + ",}", text)
    line = text.count("\n", 0, match.start()) + 1 if match else None
    if "digits" in str(exc):
        message = f"a number has more than {limit} digits; no API needs that (write it as a string)"
    else:
        message = f"cannot read a value: {exc}"
    return Diagnostic(message, shown, line=line)


def _yaml_diagnostic(exc: yaml.YAMLError, text: str, shown: str) -> Diagnostic:
    if isinstance(exc, yaml.reader.ReaderError):
        where = text.count("\n", 0, exc.position) + 1
        what = "a byte order mark" if exc.character == 0xFEFF else f"U+{exc.character:04X}"
        return Diagnostic(
            f"invalid YAML: control character {what} is not allowed in YAML text", shown, line=where
        )
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        reason = exc.problem or exc.context or "syntax error"
        if mark is not None and "cannot start any token" in reason:
            lines = text.splitlines()
            row = lines[mark.line] if mark.line < len(lines) else ""
            offending = row[mark.column : mark.column + 1]
            if offending == "\t":
                return Diagnostic(
                    "invalid YAML: a tab character; YAML does not allow tabs for "
                    "indentation, use spaces",
                    shown,
                    line=line,
                )
            if offending:
                reason += f" ({offending!r})"
        if exc.context and exc.problem and exc.context not in reason:
            started = exc.context_mark
            if started is not None and mark is not None and started.line != mark.line:
                reason = f"{reason} ({exc.context} that starts on line {started.line + 1})"
            else:
                reason = f"{reason} ({exc.context})"
        return Diagnostic(f"invalid YAML: {reason}", shown, line=line)
    return Diagnostic(f"invalid YAML: {exc}", shown)


# -- the node graph: lines, duplicates, depth, aliases ---------------------------------------
def _children(node: yaml.Node) -> list[tuple[str, yaml.Node]]:
    if isinstance(node, yaml.MappingNode):
        return [(str(k.value), v) for k, v in node.value]
    if isinstance(node, yaml.SequenceNode):
        return [(str(i), v) for i, v in enumerate(node.value)]
    return []


def _alias_bomb(root: yaml.Node, shown: str) -> list[Diagnostic]:
    """Refuse a document whose aliases expand it past MAX_NODES, in time linear in the file.

    Each distinct node's expanded size is computed once (aliases share node objects), so
    nine levels of nine aliases cost eighty-one steps, not a billion. Cycles are left to the
    walker, which names them.
    """
    sizes: dict[int, int] = {}
    visiting: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if done:
            visiting.discard(id(node))
            sizes[id(node)] = 1 + sum(sizes.get(id(c), 0) for _, c in _children(node))
            continue
        if id(node) in sizes or id(node) in visiting:
            continue
        visiting.add(id(node))
        stack.append((node, True))
        stack.extend((child, False) for _, child in _children(node))
    if sizes.get(id(root), 0) <= MAX_NODES:
        return []
    # Descend to the first key whose own expansion is too big: that is where the bomb is.
    node, ptr = root, ""
    while True:
        big = [(k, c) for k, c in _children(node) if sizes.get(id(c), 0) > MAX_NODES]
        if not big:
            break
        key, node = big[0]
        ptr += pointer(key)
    return [
        Diagnostic(
            f"YAML aliases expand this value to {sizes[id(node)]:,} values, more than "
            f"{MAX_NODES:,} (an alias bomb?)",
            shown,
            ptr,
            node.start_mark.line + 1,
        )
    ]


class _Walker:
    """Walks the composed YAML nodes (before construction: merge keys are still `<<`)."""

    def __init__(self, shown: str, lines: dict[str, int]) -> None:
        self.shown = shown
        self.lines = lines
        self.problems: list[Diagnostic] = []
        self.visits = 0

    def walk(self, root: yaml.Node) -> list[Diagnostic]:
        # Iterative, so a deep document cannot overflow the stack; `on_path` holds the nodes
        # between the root and the current one, to catch an alias that contains itself.
        stack: list[tuple[yaml.Node, str, int, bool]] = [(root, "", 0, False)]
        on_path: set[int] = set()
        while stack:
            node, ptr, depth, leaving = stack.pop()
            if leaving:
                on_path.discard(id(node))
                continue
            line = node.start_mark.line + 1
            if id(node) in on_path:
                return [
                    Diagnostic(
                        "recursive YAML alias: this node contains itself; "
                        "the document would be infinite",
                        self.shown,
                        ptr,
                        line,
                    )
                ]
            if depth > MAX_DEPTH:
                return [
                    Diagnostic(
                        f"the document is nested more than {MAX_DEPTH} levels deep",
                        self.shown,
                        ptr,
                        line,
                    )
                ]
            self.visits += 1
            if self.visits > MAX_NODES:
                return [
                    Diagnostic(
                        f"YAML aliases expand the document to more than {MAX_NODES:,} "
                        "values (an alias bomb?)",
                        self.shown,
                        ptr,
                        line,
                    )
                ]
            self.lines.setdefault(ptr, line)
            if isinstance(node, yaml.MappingNode):
                on_path.add(id(node))
                stack.append((node, ptr, depth, True))
                seen: set[str] = set()
                children = []
                for key_node, value_node in node.value:
                    key = str(key_node.value)
                    child = ptr + pointer(key)
                    if key in seen and key != "<<":
                        self.problems.append(
                            Diagnostic(
                                f"duplicate key {key!r}: only the last one would count",
                                self.shown,
                                child,
                                key_node.start_mark.line + 1,
                            )
                        )
                    seen.add(key)
                    self.lines.setdefault(child, key_node.start_mark.line + 1)  # the key's line
                    children.append((value_node, child, depth + 1, False))
                stack.extend(reversed(children))
            elif isinstance(node, yaml.SequenceNode):
                on_path.add(id(node))
                stack.append((node, ptr, depth, True))
                stack.extend(
                    (item, ptr + pointer(index), depth + 1, False)
                    for index, item in reversed(list(enumerate(node.value)))
                )
        return self.problems


# -- the constructed values -----------------------------------------------------------------
def _json_kind(value: Any) -> str:
    names = {
        dict: "a mapping",
        list: "a list",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
    }
    return names.get(type(value), type(value).__name__)


_YAML_ONLY: dict[type, str] = {bytes: "binary data (!!binary)", set: "a set (!!set)"}


def _key_message(key: Any) -> str:
    if isinstance(key, bool):
        return (
            f"mapping key {key!r} is a boolean: YAML 1.1 reads unquoted yes/no/on/off/"
            "true/false as booleans; quote the key"
        )
    if key is None:
        return "mapping key is null (an empty key, `~` or `null`); quote it or give it a name"
    if isinstance(key, float):
        return f"mapping key {key!r} is a number, not a string; quote it"
    return f"mapping key {key!r} is not a string; quote it"


def _check_values(data: dict[str, Any], shown: str, lines: dict[str, int]) -> list[Diagnostic]:
    """JSON has only string keys, finite numbers and plain values; YAML has more. Integer keys
    (`200:` status codes) become strings; everything else that JSON cannot hold is reported."""
    problems: list[Diagnostic] = []
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack and len(problems) <= 100:
        value, ptr = stack.pop()
        if isinstance(value, dict):
            for key in list(value):
                if isinstance(key, int) and not isinstance(key, bool):
                    if str(key) in value:
                        problems.append(
                            Diagnostic(
                                f"duplicate key {str(key)!r} (once as a number)",
                                shown,
                                ptr,
                                lines.get(ptr),
                            )
                        )
                    value[str(key)] = value.pop(key)
                elif not isinstance(key, str):
                    problems.append(Diagnostic(_key_message(key), shown, ptr, lines.get(ptr)))
            stack.extend((child, ptr + pointer(key)) for key, child in value.items())
        elif isinstance(value, list):
            stack.extend((child, ptr + pointer(index)) for index, child in enumerate(value))
        elif isinstance(value, float) and not math.isfinite(value):
            problems.append(
                Diagnostic(
                    f"number {value!r} cannot be represented in JSON (too large, or .inf/.nan)",
                    shown,
                    ptr,
                    _line_near(lines, ptr),
                )
            )
        elif value is not None and not isinstance(value, str | int | float | bool):
            kind = _YAML_ONLY.get(type(value), f"a YAML {type(value).__name__} value")
            problems.append(
                Diagnostic(
                    f"{kind} has no JSON equivalent; use a string",
                    shown,
                    ptr,
                    _line_near(lines, ptr),
                )
            )
    return problems


def _line_near(lines: dict[str, int], ptr: str) -> int | None:
    while ptr not in lines and ptr:
        ptr = ptr.rsplit("/", 1)[0]
    return lines.get(ptr)
