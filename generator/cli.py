"""The command line: parse arguments, call the pipeline, print results, choose the exit code.

Exit codes: 0 success; 1 drift found by `check`; 2 bad input (message, no traceback).
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from pathlib import Path
from typing import NoReturn, TextIO

from . import diff, interrupts, pipeline
from .errors import FormatError, GenerationLockedError, OutputDirectoryError, SpecError
from .ir.naming import package_name_problem


def _package_name(value: str) -> str:
    problem = package_name_problem(value)
    if problem is not None:
        raise argparse.ArgumentTypeError(f"{value!r} {problem}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cofactr-codegen",
        description="Generate models, a typed client and a stub server from an OpenAPI 3 spec.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (
        ("generate", "regenerate the output directory from the spec"),
        ("check", "exit 1 if the output directory differs from what the spec produces"),
    ):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("--spec", type=Path, default=pipeline.DEFAULT_SPEC)
        command.add_argument("--out", type=Path, default=pipeline.DEFAULT_OUT)
        command.add_argument(
            "--package-name",
            type=_package_name,
            default=pipeline.DEFAULT_PACKAGE,
            help="name of the client package; the stub is <name>_stub",
        )
    diff.add_parser(commands)
    return parser


def _warnings_as_lines(subject: str) -> None:
    """Show a warning a stage raises (datamodel-code-generator's "format of 'url' not
    understood", say) as one line about the spec, not as Python's file:line and source."""

    def show(
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: TextIO | None = None,
        line: str | None = None,
    ) -> None:
        text = " ".join(str(message).split())
        print(f"{subject}: warning: {text}", file=sys.stderr)

    warnings.showwarning = show


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    with warnings.catch_warnings():
        _warnings_as_lines(str(getattr(args, "spec", None) or "cofactr-codegen"))
        return _run(args)


def run() -> NoReturn:
    """The command's entry point: `main`, then an exit with its code.

    `os._exit`, not `sys.exit`: once a Ctrl-C's KeyboardInterrupt has passed through code run
    by `exec` (dataclasses and named tuples are made so, at import), CPython ends the process
    by SIGINT at exit whatever code it is given, though the interrupt was caught and answered
    with the one line: the exit code would not be 130 (`__main__` exits the same way). All the
    run made is written and closed by now; the standard streams are flushed here.
    """
    try:
        code = main()
    except KeyboardInterrupt:  # while the arguments were read: `_run` handles the rest
        code = _interrupted(command=None)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader went away (`| head`): nothing more to say
        pass
    os._exit(code)


def _interrupted(command: str | None) -> int:
    if command == "generate":
        outcome = "the output is the old tree or the new one, never a mix"
    else:
        outcome = "nothing written"
    print(f"cofactr-codegen: interrupted; {outcome}", file=sys.stderr)
    return 130


def _run(args: argparse.Namespace) -> int:
    diff_code, files, result = 0, {}, None
    try:
        if args.command == "diff":
            diff_code = diff.run(args)
        elif args.command == "generate":
            files = pipeline.generate(args.spec, args.out, package_name=args.package_name)
        else:
            result = pipeline.check(args.spec, args.out, package_name=args.package_name)
        interrupts.raise_if_swallowed()
    except SpecError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic.format(), file=sys.stderr)
        print(f"cofactr-codegen: {len(exc.diagnostics)} error(s); nothing written", file=sys.stderr)
        return 2
    except (GenerationLockedError, FormatError, OutputDirectoryError) as exc:
        print(f"cofactr-codegen: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl-C: the stages' cleanup has stopped every child by now
        return _interrupted(args.command)
    except Exception as exc:  # input no check foresaw: a message, never a traceback
        if interrupts.received():  # a library made the Ctrl-C an error of its own
            return _interrupted(args.command)
        spec = getattr(args, "spec", "cofactr-codegen")
        print(
            f"{spec}: error: cannot generate from this spec: {type(exc).__name__}: "
            f"{str(exc)[:500]}",
            file=sys.stderr,
        )
        print(
            "cofactr-codegen: nothing written (this is an unsupported construct or a "
            "generator bug; please report it with the spec)",
            file=sys.stderr,
        )
        return 2
    except BaseException:
        if interrupts.received():  # as above, when that error is no Exception (a pyo3 panic)
            return _interrupted(args.command)
        raise
    if args.command == "diff":
        return diff_code
    if result is None:
        print(f"cofactr-codegen: wrote {len(files)} files to {args.out}")
        return 0
    if result.ok:
        print(f"cofactr-codegen: {args.out} is up to date")
        return 0
    sys.stdout.write(result.diff)
    for label, paths in (
        ("changed", result.changed),
        ("missing", result.missing),
        ("stray", result.stray),
    ):
        for path in paths:
            print(f"{label}: {args.out / path}")
    for note in result.notes:
        print(f"note: {note}")
    print(
        f"cofactr-codegen: {args.out} has drifted from {args.spec} "
        f"({len(result.changed)} changed, {len(result.missing)} missing, "
        f"{len(result.stray)} stray); run `make generate`"
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
