"""The verify report: JSON (a contract, see docs/verify.md) and a Markdown table."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .walk import VERDICTS, Outcome


def as_json(outcomes: Sequence[Outcome]) -> str:
    """`{"operations": [...]}`, one entry per operation, sorted by path then method."""
    operations: list[dict[str, Any]] = []
    for outcome in outcomes:
        operations.append(
            {
                "operation_id": outcome.operation_id,
                "method": outcome.method,
                "path": outcome.path,
                "verdict": outcome.verdict,
                "status": outcome.status,
                "reason": outcome.reason,
                "differences": [
                    {
                        "kind": d.kind,
                        "pointer": d.pointer,
                        "expected": d.expected,
                        "observed": d.observed,
                        "schema": d.schema,
                    }
                    for d in outcome.differences
                ],
            }
        )
    return json.dumps({"operations": operations}, indent=2, ensure_ascii=False) + "\n"


def as_markdown(outcomes: Sequence[Outcome]) -> str:
    counts = {verdict: 0 for verdict in VERDICTS}
    for outcome in outcomes:
        counts[outcome.verdict] += 1
    lines = [
        "## verify: " + ", ".join(f"{n} {verdict}" for verdict, n in counts.items()),
        "",
        "| Operation | Method | Path | Verdict | Status | Differences |",
        "|---|---|---|---|---|---|",
    ]
    for outcome in outcomes:
        if outcome.differences:
            details = "<br>".join(
                f"{d.kind} `{d.pointer or '/'}`: expected {_short(d.expected)}, "
                f"observed {_short(d.observed)}"
                for d in outcome.differences
            )
        else:
            details = outcome.reason
        status = "" if outcome.status is None else str(outcome.status)
        lines.append(
            f"| `{outcome.operation_id}` | {outcome.method} | `{outcome.path}` | "
            f"{outcome.verdict} | {status} | {_cell(details)} |"
        )
    return "\n".join(lines) + "\n"


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= 80 else text[:77] + "..."


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def exit_code(outcomes: Sequence[Outcome]) -> int:
    """0 when every operation tried is confirmed, else 1."""
    tried = [o for o in outcomes if o.verdict != "not-tried"]
    return 0 if all(o.verdict == "confirmed" for o in tried) else 1
