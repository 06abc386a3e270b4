"""Stage 1: read the spec file once, keeping a line number for every JSON pointer.

YAML is read with the C loader when available, with implicit timestamps disabled (a date in a
description or example must stay a string: the spec is JSON data). Duplicate mapping keys, which
YAML parsers silently collapse, are reported.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Diagnostic, SpecError, pointer

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _SpecLoader(_BaseLoader):  # type: ignore[misc]
    """SafeLoader without the timestamp resolver; everything else is YAML 1.1 as usual."""


_SpecLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class LoadedSpec:
    """The parsed document plus where each node came from."""

    path: str
    data: dict[str, Any]
    raw: bytes
    lines: dict[str, int] = field(default_factory=dict)

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


def _walk(node: yaml.Node, ptr: str, lines: dict[str, int], problems: list[tuple[str, str, int]]) -> None:
    lines[ptr] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            child = ptr + pointer(key)
            if key in seen:
                problems.append((f"duplicate key {key!r}", child, key_node.start_mark.line + 1))
            seen.add(key)
            _walk(value_node, child, lines, problems)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, ptr + pointer(index), lines, problems)


def load_spec(path: str | Path, *, display_path: str | None = None) -> LoadedSpec:
    """Read a YAML or JSON OpenAPI document; raise `SpecError` with a location on failure."""
    path = Path(path)
    shown = display_path or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SpecError([Diagnostic(f"cannot read spec: {exc.strerror or exc}", shown)]) from None
    return parse_spec(raw, shown)


def parse_spec(raw: bytes, shown: str) -> LoadedSpec:
    """Parse spec bytes (YAML or JSON) into a `LoadedSpec`."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpecError([Diagnostic(f"not UTF-8 text (byte {exc.start})", shown)]) from None
    if not text.strip():
        raise SpecError([Diagnostic("the file is empty; expected an OpenAPI document", shown)])

    if text.lstrip().startswith(("{", "[")):
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            raise SpecError(
                [Diagnostic(f"invalid JSON: {exc.msg} (column {exc.colno})", shown, line=exc.lineno)]
            ) from None

    loader = _SpecLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        reason = exc.problem or exc.context or "syntax error"
        raise SpecError([Diagnostic(f"invalid YAML: {reason}", shown, line=line)]) from None
    except yaml.YAMLError as exc:
        raise SpecError([Diagnostic(f"invalid YAML: {exc}", shown)]) from None
    finally:
        loader.dispose()

    if not isinstance(data, dict):
        kind = type(data).__name__ if data is not None else "nothing"
        raise SpecError(
            [Diagnostic(f"expected an OpenAPI document (a mapping), found {kind}", shown, line=1)]
        )
    lines: dict[str, int] = {}
    problems: list[tuple[str, str, int]] = []
    _walk(node, "", lines, problems)
    if problems:
        raise SpecError([Diagnostic(msg, shown, ptr, line) for msg, ptr, line in problems])
    _check_keys_are_strings(data, "", shown, lines)
    return LoadedSpec(path=shown, data=data, raw=raw, lines=lines)


def _check_keys_are_strings(value: Any, ptr: str, shown: str, lines: dict[str, int]) -> None:
    """JSON has only string keys; YAML allows `200:` or `true:`. Status codes are normalised."""
    if isinstance(value, dict):
        for key in list(value):
            if not isinstance(key, str):
                if isinstance(key, int) and not isinstance(key, bool):
                    value[str(key)] = value.pop(key)
                else:
                    raise SpecError(
                        [Diagnostic(f"mapping key {key!r} is not a string", shown, ptr, lines.get(ptr))]
                    )
        for key, child in value.items():
            _check_keys_are_strings(child, ptr + pointer(key), shown, lines)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            _check_keys_are_strings(child, ptr + pointer(index), shown, lines)
