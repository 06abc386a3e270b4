"""The command line: read the settings, call the pipeline, print results, choose the exit code.

Settings come from flags over the `[tool.cofactr-codegen]` table of the nearest pyproject.toml
(see `settings`). Exit codes: 0 success; 1 drift found by `check` (or a breaking change with
`diff --fail-on-breaking`); 2 bad input or settings, or a broken installation (a message, no
traceback); 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn, TextIO

from . import diff, interrupts, pipeline, settings, verify
from .errors import (
    Diagnostic,
    FormatError,
    GenerationLockedError,
    InstallationError,
    OutputDirectoryError,
    SettingsError,
    SpecError,
)

_DESCRIPTION = """\
Generate pydantic models, a typed client and a stub server from an OpenAPI 3 spec, and keep
them honest: `check` fails when the output differs from what the spec makes.
"""
_SETTINGS_HELP = """\
Settings: flags override the [tool.cofactr-codegen] table of the nearest pyproject.toml above
the working directory (keys spec, out, package-name, client-class, api-key-env, overlays;
paths relative to that file). Without a table, `check` takes what flags leave open from the
output's manifest.
"""
_EPILOG = """\
exit codes: 0 success; 1 drift (check), a breaking change (diff --fail-on-breaking), or
an operation verify did not confirm;
2 bad input (an error, or a warning with --strict), bad settings or a broken installation,
nothing written; 130 interrupted.
"""


class _VersionAction(argparse.Action):
    """`--version`: the installed distribution's version, looked up only when asked for."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help="print the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> NoReturn:
        from importlib import metadata

        try:
            version = metadata.version("cofactr-codegen")
        except metadata.PackageNotFoundError:
            version = "(not installed)"
        print(f"cofactr-codegen {version}")
        parser.exit()


def _setting(key: str) -> Callable[[str], str]:
    """An argparse type that checks a naming flag as the table's key is checked."""

    def parse(value: str) -> str:
        try:
            return settings.checked(key, value)
        except SettingsError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return parse


def _add_settings(command: argparse.ArgumentParser) -> None:
    example = settings.DEFAULT_PACKAGE
    command.add_argument(
        "--spec",
        type=Path,
        metavar="FILE",
        help=f"the OpenAPI 3.0/3.1 document, YAML or JSON (default: {settings.DEFAULT_SPEC})",
    )
    command.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help=f"the output directory; it belongs to the generator (default: {settings.DEFAULT_OUT})",
    )
    command.add_argument(
        "--package-name",
        type=_setting("package-name"),
        metavar="NAME",
        help=f"the client package; the stub server's is NAME_stub (default: {example})",
    )
    command.add_argument(
        "--client-class",
        type=_setting("client-class"),
        metavar="CLASS",
        help="the client class; the async one is AsyncCLASS (default: the package name's "
        f"first word + Client: {settings.default_client_class(example)})",
    )
    command.add_argument(
        "--api-key-env",
        type=_setting("api-key-env"),
        metavar="VAR",
        help="the environment variable the client reads its API key from (default: the "
        f"package name's first word + _API_KEY: {settings.default_api_key_env(example)})",
    )
    command.add_argument(
        "--strict",
        action="store_true",
        help="make warnings fatal: a spec that deviates anywhere exits 2 and nothing is "
        "written (for CI)",
    )
    add_overlay_flag(command)


def add_overlay_flag(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--overlay",
        type=Path,
        action="append",
        dest="overlays",
        metavar="FILE",
        help="an OpenAPI Overlay 1.0.0 file applied to the spec before anything else; "
        "repeatable, applied in order (default: the table's `overlays`)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cofactr-codegen",
        description=f"{_DESCRIPTION}\n{_SETTINGS_HELP}",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_VersionAction)
    commands = parser.add_subparsers(
        dest="command",
        required=True,
        metavar="COMMAND",
        help="what to do; `cofactr-codegen COMMAND --help` lists its flags",
    )
    for name, help_text in (
        ("generate", "regenerate the output directory from the spec; say what changed"),
        ("check", "exit 1 if the output directory differs from what the spec makes (drift)"),
    ):
        command = commands.add_parser(
            name,
            help=help_text,
            description=f"cofactr-codegen {name}: {help_text}.\n\n{_SETTINGS_HELP}",
            epilog=_EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        _add_settings(command)
    diff.add_parser(commands)
    verify.add_parser(commands)
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
        _warnings_as_lines("cofactr-codegen")
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
    subject = "cofactr-codegen"  # what an unforeseen error is about: the spec, once known
    try:
        if args.command == "diff":
            spec = settings.for_run(settings.Choices(), cwd=Path.cwd(), from_manifest=False).spec
            code = diff.run(args, default_spec=spec)
        elif args.command == "verify":
            code = verify.run(args)
        else:
            chosen = settings.for_run(
                settings.Choices(
                    spec=args.spec,
                    out=args.out,
                    package_name=args.package_name,
                    client_class=args.client_class,
                    api_key_env=args.api_key_env,
                    overlays=tuple(args.overlays) if args.overlays else None,
                ),
                cwd=Path.cwd(),
                from_manifest=args.command == "check",
            )
            subject = _shown(chosen.spec, args.spec)
            _warnings_as_lines(subject)
            out = _shown(chosen.out, args.out)
            if args.command == "generate":
                code = _generate(chosen, out, args.strict)
            else:
                code = _check(chosen, subject, out, args.strict)
        interrupts.raise_if_swallowed()
    except SpecError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic.format(), file=sys.stderr)
        if exc.strict:
            summary = f"{len(exc.diagnostics)} warning(s), fatal with --strict"
        else:
            summary = f"{len(exc.diagnostics)} error(s)"
        print(f"cofactr-codegen: {summary}; nothing written", file=sys.stderr)
        return 2
    except (GenerationLockedError, FormatError, OutputDirectoryError, SettingsError) as exc:
        print(f"cofactr-codegen: {exc}", file=sys.stderr)
        return 2
    except InstallationError as exc:  # "cofactr-codegen is installed incompletely: ..."
        print(exc, file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl-C: the stages' cleanup has stopped every child by now
        return _interrupted(args.command)
    except Exception as exc:  # input no check foresaw: a message, never a traceback
        if interrupts.received():  # a library made the Ctrl-C an error of its own
            return _interrupted(args.command)
        print(
            f"{subject}: error: cannot generate from this spec: {type(exc).__name__}: "
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
    return code


def _print_warnings(warnings: tuple[Diagnostic, ...]) -> None:
    """Each warning once, in the document's order, then how many (on stderr)."""
    for warning in warnings:
        print(warning.format(), file=sys.stderr)
    if warnings:
        print(
            f"cofactr-codegen: {len(warnings)} warning(s): those parts are read as each says "
            "(--strict makes warnings fatal)",
            file=sys.stderr,
        )


def _generate(chosen: settings.Settings, out: str, chosen_strict: bool) -> int:
    generated = pipeline.generate(
        chosen.spec,
        chosen.out,
        package_name=chosen.package_name,
        client_class=chosen.client_class,
        api_key_env=chosen.api_key_env,
        overlays=chosen.overlays,
        strict=chosen_strict,
    )
    _print_warnings(generated.warnings)
    for change in generated.settings_changed:
        print(f"cofactr-codegen: note: {change}")
    changes = generated.changes
    print(
        f"cofactr-codegen: {len(changes.changed)} changed, {len(changes.added)} added, "
        f"{len(changes.removed)} removed in {out} ({changes.total} files)"
    )
    return 0


def _check(chosen: settings.Settings, spec: str, out: str, strict: bool) -> int:
    """`check`: the first line says what is wrong and how to mend it, the diff comes last."""
    result = pipeline.check(
        chosen.spec,
        chosen.out,
        package_name=chosen.package_name,
        client_class=chosen.client_class,
        api_key_env=chosen.api_key_env,
        overlays=chosen.overlays,
        strict=strict,
    )
    _print_warnings(result.warnings)
    if result.ok:
        print(f"cofactr-codegen: {out} is up to date")
        return 0
    counts = (
        f"{len(result.changed)} changed, {len(result.missing)} missing, {len(result.stray)} stray"
    )
    if result.settings_changed:
        what = f"was made with other settings ({'; '.join(result.settings_changed)}): {counts}"
    else:
        what = f"has drifted from {spec} ({counts})"
    print(f"cofactr-codegen: {out} {what}; regenerate with: {_command(result.command, chosen)}")
    for note in result.notes:
        print(f"note: {note}")
    for label, paths in (
        ("changed", result.changed),
        ("missing", result.missing),
        ("stray", result.stray),
    ):
        for path in paths:
            print(f"{label}: {Path(out, path)}")
    sys.stdout.write(result.diff)
    return 1


def _shown(path: Path, given: Path | None = None) -> str:
    """A path as messages show it: as its flag gave it, or (from a pyproject.toml table, so
    absolute) relative to the working directory when under it."""
    if given is not None:
        return str(given)
    if path.is_absolute() and path.is_relative_to(Path.cwd()):
        return path.relative_to(Path.cwd()).as_posix() or "."
    return str(path)


def _command(command: str, chosen: settings.Settings) -> str:
    """The regenerate command, with where to run it when its paths are not relative to the
    working directory."""
    root = settings.Project.of(chosen.out).root
    if ("--spec" in command or "--out" in command) and root != Path.cwd().resolve():
        return f"{command} (in {_shown(root)})"
    return command


if __name__ == "__main__":
    sys.exit(main())
