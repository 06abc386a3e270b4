"""Stage 5: isort then black, in-process, in one pinned mode, over every rendered Python file.

Copied runtime modules are formatted by hand already and pass through untouched. A file whose
rendered text is unchanged since the last run reuses the formatted bytes already on disk (the
manifest records both hashes), so a regeneration formats only what changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import cache
from importlib import metadata
from typing import Any

from . import format_workers
from .errors import FormatError

LINE_LENGTH = 100


def formatter_identity() -> str:
    """What formatted output depends on besides its input text (cheap: imports neither tool)."""
    return (
        f"black=={metadata.version('black')} isort=={metadata.version('isort')} "
        f"line_length={LINE_LENGTH} target=py311 profile=black"
    )


@cache
def _tools() -> tuple[Any, Any, Any, Any]:
    import black
    import isort
    from black.mode import Mode, TargetVersion

    mode = Mode(target_versions={TargetVersion.PY311}, line_length=LINE_LENGTH)
    # Import order as ruff's isort rules want it (datamodel-code-generator leaves its own unsorted).
    config = isort.Config(profile="black", line_length=LINE_LENGTH, known_first_party=frozenset())
    return black, isort, mode, config


def rendered_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def format_source(path: str, text: str) -> str:
    """isort, then black. Black refusing the text (a template bug) is a `FormatError`."""
    black, isort, mode, config = _tools()
    try:
        return str(black.format_str(isort.code(text, config=config), mode=mode))
    except black.InvalidInput as exc:
        raise FormatError(path, str(exc).splitlines()[0], text) from None


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
    if format_workers.worth_it(to_format):
        formatted.update(format_workers.format_all(to_format))
    else:
        formatted.update({path: format_source(path, text) for path, text in to_format.items()})
    return {path: formatted[path] for path in files}, rendered_hashes
