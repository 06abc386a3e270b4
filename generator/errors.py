"""Diagnostics: what is wrong with the input, and where.

Every stage reports problems as `Diagnostic` values and raises one `SpecError` carrying all of
them, so the CLI prints them in one place (file, line, JSON pointer) and exits 2 without a
traceback. Nothing is written when a `SpecError` is raised.

Two levels, as a user reads them: an ERROR means nothing can be generated; a WARNING means one
part of the document deviates from what the generator can honour, and says what the generated
code does instead (the rest generates). `--strict` makes warnings fatal: they are raised as a
`SpecError` too, still at their level.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Level = Literal["error", "warning"]


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in the input spec."""

    message: str
    file: str
    pointer: str = ""
    line: int | None = None
    level: Level = "error"

    def format(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        location = f" at {self.pointer}" if self.pointer else ""
        return f"{where}: {self.level}{location}: {self.message}"


def sorted_diagnostics(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Each problem once, in the order of the document (file, line, pointer, message)."""
    return sorted(set(diagnostics), key=lambda d: (d.file, d.line or 0, d.pointer, d.message))


class SpecError(Exception):
    """The input cannot be turned into code; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = sorted(
            diagnostics, key=lambda d: (d.file, d.line or 0, d.pointer, d.message)
        )
        self.strict = any(d.level == "warning" for d in self.diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))


class FormatError(Exception):
    """Rendered Python the formatter cannot parse: a template bug, never the user's fault."""

    def __init__(self, path: str, message: str, source: str) -> None:
        super().__init__(f"{path}: generated code does not parse: {message}")
        self.path = path
        self.message = message
        self.source = source


class GenerationLockedError(Exception):
    """Another `generate` holds the lock on the output directory."""


class OutputDirectoryError(Exception):
    """The output path cannot be read or written, or is not one `generate` may replace (a
    file, or a directory holding files it did not make): nothing is written."""


class InstallationError(Exception):
    """A file of cofactr-codegen's own package (a template, a runtime module) cannot be found:
    the installation is incomplete, which no change to the user's spec can mend."""

    def __init__(self, problem: str) -> None:
        super().__init__(
            f"cofactr-codegen is installed incompletely: {problem}; reinstall it "
            "(pip install --force-reinstall cofactr-codegen)"
        )


class SettingsError(ValueError):
    """A setting cannot be used: a bad `[tool.cofactr-codegen]` table (file:line and key in the
    message), a bad flag value, or settings the output's manifest cannot supply."""
