"""Bytes to a text YAML or JSON can be parsed from: encodings, nesting too deep for a parser,
the JSON parser's own reading, and parse errors said with their line."""

from __future__ import annotations

import json
import re
import sys
from itertools import accumulate
from typing import Any

import yaml

from ..errors import Diagnostic, SpecError

# Deeper documents crash parsers (the C YAML parser overflows the C stack far below the
# size of a file anyone writes) and the recursive later stages; real specs nest < 40 levels.
MAX_DEPTH = 100
# A document whose aliases expand to more nodes than this is an alias bomb, not an API.
MAX_NODES = 5_000_000


def decode(raw: bytes, shown: str) -> str:
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
                    f"not a text file: NUL byte at offset {nul}; expected a YAML or JSON document",
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


def check_nesting(text: str, shown: str) -> None:
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


def parse_json(text: str, shown: str, duplicates: list[str]) -> Any:
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
        raise SpecError([number_diagnostic(exc, text, shown)]) from None


def number_diagnostic(exc: ValueError, text: str, shown: str) -> Diagnostic:
    limit = sys.get_int_max_str_digits() or 4300
    match = re.search(r"\d{" + str(limit + 1) + ",}", text)
    line = text.count("\n", 0, match.start()) + 1 if match else None
    if "digits" in str(exc):
        message = f"a number has more than {limit} digits; no API needs that (write it as a string)"
    else:
        message = f"cannot read a value: {exc}"
    return Diagnostic(message, shown, line=line)


def yaml_diagnostic(exc: yaml.YAMLError, text: str, shown: str) -> Diagnostic:
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
