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

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import Diagnostic, SpecError
from .decoding import check_nesting, decode, number_diagnostic, parse_json, yaml_diagnostic
from .json_lines import JsonLines, too_deep
from .nodes import NodeWalker, SpecLoader, alias_bomb, check_values, json_kind


@dataclass(frozen=True)
class LoadedSpec:
    """The parsed document plus where each node came from.

    `path` is the file as messages and headers show it; `location` is the real file (for
    resolving relative references), when the spec was read from one.
    """

    path: str
    data: dict[str, Any]
    raw: bytes
    lines: Mapping[str, int] = field(default_factory=dict)
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

    def warning(self, message: str, ptr: str = "") -> Diagnostic:
        """A deviation the generator reads its own way: `message` says what the generated
        code does instead."""
        return Diagnostic(message, self.path, ptr, self.line_of(ptr), level="warning")


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
    text = decode(raw, shown)
    if not text.strip():
        raise SpecError([Diagnostic("the file is empty; expected an OpenAPI document", shown)])
    check_nesting(text, shown)
    if text.lstrip().startswith(("{", "[")):
        return _parse_json(raw, text, shown)

    loader = SpecLoader(text)
    lines: dict[str, int] = {}
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError as exc:
            raise SpecError([yaml_diagnostic(exc, text, shown)]) from None
        if node is not None:
            problems = alias_bomb(node, shown) or NodeWalker(shown, lines).walk(node)
            if problems:
                raise SpecError(_capped(problems, shown))
        data: Any = None
        try:
            data = loader.construct_document(node) if node is not None else None
        except yaml.YAMLError as exc:
            raise SpecError([yaml_diagnostic(exc, text, shown)]) from None
        except ValueError as exc:  # int() of a number past Python's digit limit
            raise SpecError([number_diagnostic(exc, text, shown)]) from None
    finally:
        loader.dispose()
    return _checked(LoadedSpec(path=shown, data=data, raw=raw, lines=lines))


def _parse_json(raw: bytes, text: str, shown: str) -> LoadedSpec:
    """A JSON text, read by the JSON parser (YAML 1.1 would read `1e5` as a string); its
    lines are composed only if a message asks for one (`JsonLines`). A JSON text holds no
    anchors or aliases, so there is no alias bomb to look for."""
    duplicates: list[str] = []
    data = parse_json(text, shown, duplicates)
    lines = JsonLines(text, shown)
    if duplicates:
        located = lines.problems()
        keys = sorted(set(duplicates))
        raise SpecError(
            _capped(located, shown)
            if located
            else [Diagnostic(f"duplicate key {key!r}", shown) for key in keys]
        )
    too_deep_here = too_deep(data, shown, lines)  # the YAML walk checks this for YAML
    if too_deep_here:
        raise SpecError(too_deep_here)
    return _checked(LoadedSpec(path=shown, data=data, raw=raw, lines=lines))


def _checked(spec: LoadedSpec) -> LoadedSpec:
    """`spec`, once its data is known to be a mapping JSON can hold."""
    data, shown = spec.data, spec.path
    if not isinstance(data, dict):
        kind = json_kind(data) if data is not None else "nothing (only comments?)"
        message = f"expected an OpenAPI document (a mapping), found {kind}"
        raise SpecError([Diagnostic(message, shown, line=spec.line_of(""))])
    problems = check_values(data, shown, spec.lines)
    if problems:
        raise SpecError(_capped(problems, shown))
    return spec


def _capped(problems: list[Diagnostic], shown: str, limit: int = 20) -> list[Diagnostic]:
    """The first `limit` problems (by line), and a count of the rest."""
    if len(problems) <= limit:
        return problems
    kept = sorted(problems, key=lambda d: (d.line or 0, d.pointer, d.message))[:limit]
    return [
        *kept,
        Diagnostic(f"{len(problems) - limit} more problem(s) not shown; fix these first", shown),
    ]
