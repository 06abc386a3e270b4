"""The diff's findings (`Change`, `Report`) and their two renderings: Markdown for a pull
request, JSON for tools."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .checks import BUMPS, CHECKS, ERR, INFO, LEVEL_NAMES, LEVEL_RANK, WARN, Check


@dataclass(frozen=True)
class Change:
    """One finding. `operation`, `method` and `path` are None for document-level changes."""

    id: str
    operation: str | None
    method: str | None
    path: str | None
    location: str
    message: str

    @property
    def check(self) -> Check:
        return CHECKS[self.id]

    @property
    def level(self) -> str:
        return self.check.level

    def sort_key(self) -> tuple[int, str, str, str, str, str, str]:
        return (
            LEVEL_RANK[self.level],
            self.operation or "",
            self.path or "",
            self.method or "",
            self.location,
            self.id,
            self.message,
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "level": self.level,
            "operation": self.operation,
            "method": self.method,
            "path": self.path,
            "location": self.location,
            "message": self.message,
        }


@dataclass(frozen=True)
class Report:
    """Every change between two specs, in a deterministic order."""

    old: str
    new: str
    old_version: str | None
    new_version: str | None
    changes: tuple[Change, ...]

    @property
    def breaking(self) -> bool:
        return any(change.level == ERR for change in self.changes)

    @property
    def bump(self) -> str:
        return max((change.check.bump for change in self.changes), key=BUMPS.index, default="none")

    def counts(self) -> dict[str, int]:
        return {level: sum(c.level == level for c in self.changes) for level in LEVEL_RANK}


def render_json(report: Report) -> str:
    document = {
        "old": {"spec": report.old, "version": report.old_version},
        "new": {"spec": report.new, "version": report.new_version},
        "breaking": report.breaking,
        "bump": report.bump,
        "counts": report.counts(),
        "changes": [change.as_json() for change in report.changes],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    fence = "``" if "`" in text else "`"
    pad = " " if "`" in text else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def render_markdown(report: Report) -> str:
    lines = [f"## API changes: {_code(report.old)} → {_code(report.new)}", ""]
    if report.old_version != report.new_version:
        lines += [
            f"Spec version {_code(str(report.old_version))} → {_code(str(report.new_version))}.",
            "",
        ]
    if not report.changes:
        return "\n".join([*lines, "No API changes. Suggested version bump: **none**.", ""])
    counts = report.counts()
    verdict = "**breaking**" if report.breaking else "not breaking"
    lines += [
        f"{verdict}: {counts[ERR]} ERR, {counts[WARN]} WARN, {counts[INFO]} INFO. "
        f"Suggested version bump: **{report.bump}**.",
        "",
    ]
    for level in LEVEL_RANK:
        rows = [c for c in report.changes if c.level == level]
        if rows:
            lines += _markdown_table(f"{LEVEL_NAMES[level]} ({level})", rows)
    return "\n".join(lines)


def _markdown_table(title: str, rows: list[Change]) -> list[str]:
    lines = [f"### {title}", "", "| Operation | Check | Location | Change |", "|---|---|---|---|"]
    for change in rows:
        operation = "—"
        if change.operation is not None:
            operation = f"{_code(change.operation)} {change.method} {_code(change.path or '')}"
        lines.append(
            "| "
            + " | ".join(
                _cell(text)
                for text in (operation, _code(change.id), change.location, change.message)
            )
            + " |"
        )
    return [*lines, ""]


def render(report: Report, output_format: str) -> str:
    return render_json(report) if output_format == "json" else render_markdown(report)
