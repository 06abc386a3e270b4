"""`cofactr-codegen diff`: its command-line arguments, reading the two specs (from files or a
git revision, validated), and the exit code.

Exit codes: 0 report written; 1 with `--fail-on-breaking` when an ERR change was found;
2 bad input (unreadable or invalid spec, unknown git revision).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..errors import Diagnostic, SpecError
from ..load import LoadedSpec, load_spec, parse_spec
from .differ import compare
from .report import render

DEFAULT_SPEC = Path("spec/cofactr-platform.yaml")


def load_checked(
    path: Path, *, revision: str | None = None, overlays: Sequence[Path] = ()
) -> LoadedSpec:
    """Load and validate a spec from a file, or from a git revision of that file, with the
    overlays applied before it is validated (once)."""
    from ..overlay import load_overlays, validated

    spec = _read_revision(path, revision) if revision else load_spec(path)
    return validated(spec, load_overlays(overlays) if overlays else [])


def _read_revision(path: Path, revision: str) -> LoadedSpec:
    """`git show REV:./NAME`, run in the spec's directory, so any working directory works."""
    shown = f"{revision}:{path}"
    try:
        result = subprocess.run(
            ["git", "show", f"{revision}:./{path.name}"],
            cwd=path.resolve().parent,
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise SpecError([Diagnostic(f"cannot run git: {exc}", shown)]) from None
    if result.returncode != 0:
        reason = result.stderr.decode("utf-8", "replace").strip().splitlines()
        message = reason[-1] if reason else f"git show exited {result.returncode}"
        raise SpecError([Diagnostic(f"cannot read the spec at {revision}: {message}", shown)])
    return parse_spec(result.stdout, shown)


def _load_pair(
    pairs: Iterable[tuple[Path, str | None]], overlays: Sequence[Path] = ()
) -> list[LoadedSpec]:
    """Load every spec, the overlays applied to the last (NEW); report the problems of all
    of them at once."""
    loaded: list[LoadedSpec] = []
    problems: list[Diagnostic] = []
    pairs = list(pairs)
    for index, (path, revision) in enumerate(pairs):
        mine = overlays if index == len(pairs) - 1 else ()
        try:
            loaded.append(load_checked(path, revision=revision, overlays=mine))
        except SpecError as exc:
            problems.extend(exc.diagnostics)
    if problems:
        raise SpecError(problems)
    return loaded


def add_parser(commands: Any) -> None:
    """Register `diff` on the CLI's subparsers."""
    command = commands.add_parser(
        "diff",
        help="report API changes between two specs (breaking or not, suggested version bump)",
        description="Compare two versions of an OpenAPI spec: OLD NEW, or --base GIT_REV "
        f"[SPEC] (SPEC defaults to the settings' spec: {DEFAULT_SPEC} or the `spec` of the "
        "[tool.cofactr-codegen] table of pyproject.toml) to compare it at a git revision with "
        "the working copy.",
    )
    command.add_argument(
        "specs",
        nargs="*",
        type=Path,
        metavar="SPEC",
        help="OLD_SPEC NEW_SPEC, or with --base only SPEC",
    )
    command.add_argument(
        "--base", metavar="GIT_REV", help="compare SPEC at this git revision with the working copy"
    )
    command.add_argument(
        "--format",
        choices=("markdown", "json"),
        default="markdown",
        help="markdown for a pull request (default), json for tools",
    )
    command.add_argument(
        "--overlay",
        type=Path,
        action="append",
        dest="overlays",
        metavar="FILE",
        help="an OpenAPI Overlay 1.0.0 file applied to NEW (the working copy with --base); "
        "repeatable, applied in order: `diff SPEC SPEC --overlay FIX` shows what FIX changes",
    )
    command.add_argument(
        "--fail-on-breaking",
        action="store_true",
        help="exit 1 when a breaking (ERR) change was found",
    )


def run(args: argparse.Namespace, default_spec: Path = DEFAULT_SPEC) -> int:
    """The `diff` command; raises `SpecError` on bad input (the CLI prints it, exit 2).
    `default_spec` is the SPEC of `--base` when none is given (the settings' spec)."""
    specs: list[Path] = list(args.specs)
    overlays: Sequence[Path] = getattr(args, "overlays", None) or ()
    if args.base is not None:
        if len(specs) > 1:
            return _usage("with --base give at most one SPEC (the working copy)")
        spec = specs[0] if specs else default_spec
        old, new = _load_pair([(spec, args.base), (spec, None)], overlays)
    else:
        if len(specs) != 2:
            return _usage("give OLD_SPEC and NEW_SPEC, or --base GIT_REV [SPEC]")
        old, new = _load_pair([(specs[0], None), (specs[1], None)], overlays)
    report = compare(old, new)
    sys.stdout.write(render(report, args.format))
    return 1 if args.fail_on_breaking and report.breaking else 0


def _usage(message: str) -> int:
    print(f"cofactr-codegen diff: error: {message}", file=sys.stderr)
    return 2
