"""Stage 5: ruff, in one pinned configuration, over every rendered Python file: its import
sorting (isort's rules, `I`), then its formatter (black's style).

Ruff runs as two processes over the whole tree at once, written to a private directory: its
formatter is black's style at a fraction of black's cost, which is what keeps a large
document's generation near datamodel-code-generator's own pace (`make bench`). The
configuration is all on the command line (`--isolated`): no ruff settings of the user's
project or home, and no cache, reach the output.

Copied runtime modules are formatted by hand already and pass through untouched. A file whose
rendered text is unchanged since the last run reuses the formatted bytes already on disk (the
manifest records both hashes), so a regeneration formats only what changed.
"""

from __future__ import annotations

import hashlib
import subprocess
import tempfile
from collections.abc import Mapping
from functools import cache
from importlib import metadata
from pathlib import Path

from .errors import FormatError

LINE_LENGTH = 100
_SETTINGS = ("--isolated", "--no-cache", f"--line-length={LINE_LENGTH}", "--target-version=py311")


def formatter_identity() -> str:
    """What formatted output depends on besides its input text (cheap: runs no formatter)."""
    return f"ruff=={metadata.version('ruff')} line_length={LINE_LENGTH} target=py311 select=I"


@cache
def _ruff() -> str:
    from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]

    return str(find_ruff_bin())


def rendered_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def format_files(files: Mapping[str, str]) -> dict[str, str]:
    """Each file's imports sorted, then laid out. Text ruff cannot parse (a template bug) is a
    `FormatError` naming the first such file."""
    if not files:
        return {}
    with tempfile.TemporaryDirectory(prefix="cofactr-format-") as scratch:
        root = Path(scratch)
        for path, text in files.items():
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.encode("utf-8"))
        names = sorted(files)
        # Import sorting leaves a file it cannot parse alone; the formatter then names it.
        _run(["check", "--select=I", "--fix", "--exit-zero", "--silent", "--", *names], root)
        if _run(["format", "--silent", "--", *names], root).returncode != 0:
            raise _first_parse_error(files)
        return {path: (root / path).read_bytes().decode("utf-8") for path in files}


def _run(
    arguments: list[str], cwd: Path, text: str | None = None
) -> subprocess.CompletedProcess[str]:
    command = [_ruff(), arguments[0], *_SETTINGS, *arguments[1:]]
    return subprocess.run(
        command, cwd=cwd, input=text, capture_output=True, text=True, encoding="utf-8", check=False
    )


def _first_parse_error(files: Mapping[str, str]) -> FormatError:
    """The first file (by path) ruff refuses, with ruff's reason. Ruff over the tree says only
    that one failed; each file alone on stdin says which and why."""
    with tempfile.TemporaryDirectory(prefix="cofactr-format-") as scratch:
        for path in sorted(files):
            refused = _run(["format", f"--stdin-filename={path}", "-"], Path(scratch), files[path])
            if refused.returncode != 0:
                reason = refused.stderr.strip().splitlines() or [f"exit {refused.returncode}"]
                return FormatError(path, reason[0].removeprefix("error: "), files[path])
    raise RuntimeError("ruff refused the tree but none of its files alone")


def format_tree(
    files: dict[str, str],
    *,
    skip_prefixes: tuple[str, ...] = (),
    reusable: Mapping[str, tuple[str, bytes]] | None = None,
) -> tuple[dict[str, str], dict[str, str]]:
    """Format every rendered Python file (but those under `skip_prefixes`).

    `reusable` maps a path to (hash of its rendered text last time, formatted bytes on disk).
    Returns the formatted tree and, for the manifest, the rendered-text hash of each file
    that went through the formatter.
    """
    reusable = reusable or {}
    formatted: dict[str, str] = {}
    to_format: dict[str, str] = {}
    rendered_hashes: dict[str, str] = {}
    for path, text in files.items():
        if not path.endswith(".py") or path.startswith(skip_prefixes):
            formatted[path] = text
            continue
        digest = rendered_hash(text)
        rendered_hashes[path] = digest
        previous = reusable.get(path)
        if previous is not None and previous[0] == digest:
            formatted[path] = previous[1].decode("utf-8")
        else:
            to_format[path] = text
    formatted.update(format_files(to_format))
    return {path: formatted[path] for path in files}, rendered_hashes
