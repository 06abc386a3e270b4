"""The line numbers of a JSON document, found only when a message first asks for one.

What it buys: a JSON text is parsed by the JSON parser, and its lines come from composing the
same text as YAML, which is most of the load stage's time on a large document (`make bench`
has the figures); a document that passes every check never asks for a line, so it never pays.
A YAML document's lines come from the walk that reads it and are not deferred.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import yaml

from ..document import pointer
from ..errors import Diagnostic
from .decoding import MAX_DEPTH
from .nodes import NodeWalker, SpecLoader


class JsonLines(Mapping[str, int]):
    """pointer -> line of a JSON text, composed on first use. Messages about the text's YAML
    nodes (duplicate keys, with their lines) are kept for `problems`."""

    def __init__(self, text: str, shown: str) -> None:
        self._text = text
        self._shown = shown
        self._lines: dict[str, int] | None = None
        self._problems: list[Diagnostic] = []

    def _walked(self) -> dict[str, int]:
        if self._lines is None:
            start = len(self._text) - len(self._text.lstrip())
            if "\n" not in self._text.strip():
                # One line (a minified document, as APIs.guru's are): every value is on it.
                self._lines = {"": self._text.count("\n", 0, start) + 1}
        return self._walk()

    def _walk(self) -> dict[str, int]:
        if self._lines is None:
            lines: dict[str, int] = {}
            loader = SpecLoader(self._text)
            try:
                node = loader.get_single_node()
                if node is not None:
                    self._problems = NodeWalker(self._shown, lines).walk(node)
            except yaml.YAMLError:  # valid JSON that YAML 1.1 cannot read (tabs): no lines
                lines = {}
            finally:
                loader.dispose()
            self._lines = lines
        return self._lines

    def problems(self) -> list[Diagnostic]:
        """What the walk of the text's nodes found (duplicate keys, located)."""
        self._lines = None
        self._walk()
        return list(self._problems)

    def __getitem__(self, ptr: str) -> int:
        return self._walked()[ptr]

    def __contains__(self, ptr: object) -> bool:
        return ptr in self._walked()

    def __iter__(self) -> Iterator[str]:
        return iter(self._walked())

    def __len__(self) -> int:
        return len(self._walked())


def too_deep(data: Any, shown: str, lines: Mapping[str, int]) -> list[Diagnostic]:
    """The first value nested more than MAX_DEPTH levels deep, as the YAML walk reports it for
    a YAML document (the JSON parser stops only far deeper)."""
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        value, ptr, depth = stack.pop()
        if depth > MAX_DEPTH:
            message = f"the document is nested more than {MAX_DEPTH} levels deep"
            return [Diagnostic(message, shown, ptr, lines.get(ptr))]
        if isinstance(value, dict):
            children = [(child, ptr + pointer(key), depth + 1) for key, child in value.items()]
        elif isinstance(value, list):
            children = [(child, ptr + pointer(i), depth + 1) for i, child in enumerate(value)]
        else:
            continue
        stack.extend(reversed(children))
    return []
