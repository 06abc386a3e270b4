"""Answers recorded elsewhere, for `verify --from-records FILE.jsonl`.

A record names its operation either by `operation_id` (hand-written or exported records) or
by `method` and the request's `path` relative to the base URL, as the generated client's
`MismatchRecorder` and most traffic logs have it: `{"method": "GET", "path": "/v1/boms/b1/",
"status": 200, "body": {...}}`. A path is matched against the spec's path templates the way
a router would: a literal segment beats a parameter, and a path two operations could own is
an error that asks for `operation_id`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from ..document import route_path
from ..errors import Diagnostic, SpecError
from .walk import Op, Walk

_EXPECTED = (
    'expected {"operation_id": STRING, "status": INTEGER, "body": JSON} or '
    '{"method": STRING, "path": STRING, "status": INTEGER, "body": JSON}'
)


def read_records(path: Path, walk: Walk) -> list[tuple[str, int, Any]]:
    """The records of a JSON-lines file as `(operation_id, status, body)`; `SpecError` at
    the first bad line (file:line)."""
    shown = str(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError([Diagnostic(f"cannot read the records: {exc}", shown)]) from None
    known = {op.operation_id for op in walk.ops}
    records: list[tuple[str, int, Any]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            raise SpecError([Diagnostic(f"not JSON: {exc}", shown, line=number)]) from None
        if not isinstance(record, dict) or not isinstance(record.get("status"), int):
            raise SpecError([Diagnostic(_EXPECTED, shown, line=number)])
        if "body" not in record:
            raise SpecError([Diagnostic(_EXPECTED, shown, line=number)])
        operation_id = record.get("operation_id")
        if operation_id is None:
            operation_id = _owner(walk.ops, record, shown, number)
        elif not isinstance(operation_id, str):
            raise SpecError([Diagnostic(_EXPECTED, shown, line=number)])
        if operation_id not in known:
            message = f"the spec has no operation {operation_id!r}"
            raise SpecError([Diagnostic(message, shown, pointer="/operation_id", line=number)])
        records.append((operation_id, record["status"], record["body"]))
    return records


def _owner(ops: list[Op], record: dict[str, Any], shown: str, number: int) -> str:
    """The operation whose method and path template match the record's request."""
    method, path = record.get("method"), record.get("path")
    if not isinstance(method, str) or not isinstance(path, str):
        raise SpecError([Diagnostic(_EXPECTED, shown, line=number)])
    segments = [unquote(s) for s in route_path(path).split("/")]
    ranked = sorted(
        (_literal_count(op), op.operation_id)
        for op in ops
        if op.method.upper() == method.upper() and _matches(op, segments)
    )
    if not ranked:
        message = f"the spec has no operation for {method.upper()} {path}"
        raise SpecError([Diagnostic(message, shown, pointer="/path", line=number)])
    best = [operation_id for literals, operation_id in ranked if literals == ranked[-1][0]]
    if len(best) > 1:
        message = (
            f"{method.upper()} {path} matches operations {', '.join(best)}; "
            "name one with operation_id"
        )
        raise SpecError([Diagnostic(message, shown, pointer="/path", line=number)])
    return best[0]


def _template_segments(op: Op) -> list[str]:
    return route_path(op.path).split("/")


def _matches(op: Op, segments: list[str]) -> bool:
    template = _template_segments(op)
    if len(template) != len(segments):
        return False
    for pattern, segment in zip(template, segments, strict=True):
        if "{" in pattern:
            parts = re.split(r"\{[^{}]+\}", pattern)
            regex = ".+".join(re.escape(part) for part in parts)
            if not segment or not re.fullmatch(regex, segment, re.DOTALL):
                return False
        elif pattern != segment:
            return False
    return True


def _literal_count(op: Op) -> int:
    return sum(1 for segment in _template_segments(op) if "{" not in segment)
