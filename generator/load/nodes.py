"""The YAML node graph and what it is built into: a line for every JSON pointer, duplicate
keys, alias bombs and recursive aliases, and values JSON cannot hold (non-string keys, numbers
too large, YAML-only types)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import yaml

from ..document import pointer
from ..errors import Diagnostic
from .decoding import MAX_DEPTH, MAX_NODES

# libyaml's loader where PyYAML has it: the same nodes, built faster.
BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class SpecLoader(BaseLoader):  # type: ignore[misc]
    """SafeLoader without the timestamp resolver; everything else is YAML 1.1 as usual."""


SpecLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _children(node: yaml.Node) -> list[tuple[str, yaml.Node]]:
    if isinstance(node, yaml.MappingNode):
        return [(str(k.value), v) for k, v in node.value]
    if isinstance(node, yaml.SequenceNode):
        return [(str(i), v) for i, v in enumerate(node.value)]
    return []


def alias_bomb(root: yaml.Node, shown: str) -> list[Diagnostic]:
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


class NodeWalker:
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


def json_kind(value: Any) -> str:
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


def check_values(data: dict[str, Any], shown: str, lines: Mapping[str, int]) -> list[Diagnostic]:
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


def _line_near(lines: Mapping[str, int], ptr: str) -> int | None:
    while ptr not in lines and ptr:
        ptr = ptr.rsplit("/", 1)[0]
    return lines.get(ptr)
