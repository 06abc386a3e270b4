"""A short string matching a JSON Schema ``pattern``, so generated values validate.

Walks the stdlib's own parse of the regular expression (``re._parser``, loaded through
importlib because it is private) and takes the shortest choice everywhere: the first
alternative, the first character of a class, the minimum repeat (stretched on request so
``minLength`` can be met). Look-arounds and back-references are skipped; the caller
validates the result and falls back when a pattern is beyond this.
"""

from __future__ import annotations

import importlib
from typing import Any

_parser: Any = importlib.import_module("re._parser")

_CATEGORY_SAMPLES = {
    "CATEGORY_DIGIT": "0",
    "CATEGORY_NOT_DIGIT": "a",
    "CATEGORY_SPACE": " ",
    "CATEGORY_NOT_SPACE": "a",
    "CATEGORY_WORD": "a",
    "CATEGORY_NOT_WORD": "-",
}
_MAX_REPEAT_STRETCH = 64


def sample(pattern: str, stretch: int = 0) -> str | None:
    """A string matching ``pattern`` (best effort); ``stretch`` adds repeats where allowed."""
    try:
        parsed = _parser.parse(pattern)
    except Exception:
        return None
    try:
        return _walk(list(parsed), stretch)
    except (ValueError, TypeError, IndexError):
        return None


def _walk(items: list[Any], stretch: int) -> str:
    out: list[str] = []
    for op, arg in items:
        out.append(_one(str(op), arg, stretch))
    return "".join(out)


def _one(op: str, arg: Any, stretch: int) -> str:
    if op == "LITERAL":
        return chr(arg)
    if op == "NOT_LITERAL":
        return "a" if chr(arg) != "a" else "b"
    if op == "ANY":
        return "a"
    if op == "IN":
        return _in(list(arg))
    if op in {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}:
        low, high, body = arg
        count = low
        if stretch:
            count = min(max(low, stretch), high, max(low, _MAX_REPEAT_STRETCH))
        return "".join(_walk(list(body), 0) for _ in range(count))
    if op in {"SUBPATTERN", "ATOMIC_GROUP"}:
        body = arg[-1] if op == "SUBPATTERN" else arg
        return _walk(list(body), stretch)
    if op == "BRANCH":
        return _walk(list(arg[1][0]), stretch)
    if op in {"AT", "ASSERT", "ASSERT_NOT", "GROUPREF", "GROUPREF_EXISTS"}:
        return ""
    raise ValueError(op)


def _in_class(ch: str, items: list[Any]) -> bool:
    for op, arg in items:
        name = str(op)
        if name == "LITERAL" and chr(arg) == ch:
            return True
        if name == "RANGE" and arg[0] <= ord(ch) <= arg[1]:
            return True
        if name == "CATEGORY" and _CATEGORY_SAMPLES.get(str(arg)) == ch:
            return True
    return False


def _in(items: list[Any]) -> str:
    negate = bool(items) and str(items[0][0]) == "NEGATE"
    if negate:
        return next(ch for ch in "aZ0-_ ." if not _in_class(ch, items[1:]))
    op, arg = items[0]
    name = str(op)
    if name == "LITERAL":
        return chr(arg)
    if name == "RANGE":
        return chr(arg[0])
    if name == "CATEGORY":
        return _CATEGORY_SAMPLES.get(str(arg), "a")
    raise ValueError(name)
