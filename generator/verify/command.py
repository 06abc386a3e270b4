"""`cofactr-codegen verify`: ask the live API what the spec guessed, and say where it was
wrong; optionally write the overlay that corrects it.

Exit codes: 0 every operation tried is confirmed; 1 otherwise; 2 bad input (spec, overlay,
URL, no key, a 401 from the API).
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import settings
from ..errors import SettingsError

if TYPE_CHECKING:  # the walk, the prober (urllib, ssl) and the rest load when verify runs,
    from .walk import Outcome  # not for every command of the CLI

DEFAULT_MAX_REQUESTS = 200
DEFAULT_RATE = 2.0


def add_parser(commands: Any) -> None:
    command = commands.add_parser(
        "verify",
        help="ask the live API and report where the spec is wrong; write the overlay that mends it",
        description="Call the API at --base-url, read-only unless --allow-writes: every list "
        "operation, then item GETs with ids from the lists. Each operation gets a verdict "
        "(confirmed, mismatch, absent, not-tried). The API key is read from the spec's key "
        "variable (the settings' api-key-env, COFACTR_API_KEY by default) and never printed.",
    )
    command.add_argument("--base-url", metavar="URL", help="the API's root")
    command.add_argument(
        "--from-records",
        type=Path,
        metavar="FILE.jsonl",
        help="judge recorded answers instead of calling the API: one JSON object a line, "
        '{"operation_id": ..., "status": ..., "body": ...} (see docs/verify.md)',
    )
    command.add_argument("--spec", type=Path, metavar="FILE", help="the spec (default: settings)")
    command.add_argument(
        "--overlay",
        type=Path,
        action="append",
        dest="overlays",
        metavar="FILE",
        help="an overlay applied to the spec first; repeatable (default: the table's overlays)",
    )
    command.add_argument(
        "--allow-writes",
        action="store_true",
        help="also try the create/update/delete operations (meant for a sandbox account)",
    )
    command.add_argument("--report", type=Path, metavar="FILE.json", help="write the JSON report")
    command.add_argument(
        "--write-overlay",
        type=Path,
        metavar="FILE.yaml",
        help="write the overlay that makes the spec match what was observed",
    )
    command.add_argument(
        "--max-requests",
        type=_positive_int,
        default=DEFAULT_MAX_REQUESTS,
        metavar="N",
        help=f"ask at most N requests, retries included (default: {DEFAULT_MAX_REQUESTS})",
    )
    command.add_argument(
        "--rate",
        type=float,
        default=DEFAULT_RATE,
        metavar="R",
        help=f"at most R requests a second; 0: no limit (default: {DEFAULT_RATE:g})",
    )
    command.add_argument(
        "--date",
        type=_date,
        metavar="YYYY-MM-DD",
        help="the date the overlay's marks carry (default: today, UTC)",
    )


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {value!r}")
    return number


def _date(value: str) -> str:
    try:
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, not {value!r}") from None


def run(args: argparse.Namespace) -> int:
    """The command; raises `SpecError`/`SettingsError` on bad input (the CLI prints them)."""
    from ..ir.builder import _auth  # the header and word the generated client sends
    from ..load import load_spec
    from ..overlay import load_overlays, validated
    from .probe import Prober, Unauthorized, Unreachable
    from .records import read_records
    from .walk import Walk

    if (args.base_url is None) == (args.from_records is None):
        raise SettingsError("verify: give --base-url URL or --from-records FILE (one of them)")
    if args.base_url is not None and not args.base_url.startswith(("http://", "https://")):
        raise SettingsError(f"--base-url must be an http:// or https:// URL, not {args.base_url!r}")
    chosen = settings.for_run(
        settings.Choices(spec=args.spec, overlays=tuple(args.overlays) if args.overlays else None),
        cwd=Path.cwd(),
        from_manifest=False,
    )
    spec = validated(load_spec(chosen.spec), load_overlays(chosen.overlays))
    if args.from_records is not None:
        walk = Walk(spec.data, "", None)
        outcomes = walk.judge_records(read_records(args.from_records, walk))
        return _finish(args, spec.data, outcomes)
    key = os.environ.get(chosen.api_key_env, "")
    if not key:
        raise SettingsError(f"set {chosen.api_key_env} to the API key verify should use")
    header, word = _auth(spec.data)
    prober = Prober(
        header=header,
        credential=f"{word} {key}" if word else key,
        max_requests=args.max_requests,
        rate=args.rate,
    )
    try:
        outcomes = Walk(spec.data, args.base_url, prober).run(allow_writes=args.allow_writes)
    except Unauthorized:
        print(
            f"cofactr-codegen: verify: the API answered 401 Unauthorized; check "
            f"{chosen.api_key_env}; stopped after {prober.made} request(s)",
            file=sys.stderr,
        )
        return 2
    except Unreachable as exc:
        print(f"cofactr-codegen: verify: cannot reach the API: {exc}", file=sys.stderr)
        return 2
    return _finish(args, spec.data, outcomes)


def _finish(args: argparse.Namespace, data: dict[str, Any], outcomes: list[Outcome]) -> int:
    """Print the table, write the report and the overlay asked for; the exit code."""
    from .correct import overlay_for, overlay_yaml
    from .report import as_json, as_markdown, exit_code

    sys.stdout.write(as_markdown(outcomes))
    if args.report is not None:
        _write(args.report, as_json(outcomes))
    if args.write_overlay is not None:
        date = args.date or datetime.datetime.now(datetime.UTC).date().isoformat()
        overlay = overlay_for(data, outcomes, date)
        if overlay["actions"]:
            _write(args.write_overlay, overlay_yaml(overlay))
        else:
            print(f"cofactr-codegen: verify: nothing to correct; {args.write_overlay} not written")
    return exit_code(outcomes)


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise SettingsError(f"cannot write {path}: {exc.strerror or exc}") from None
