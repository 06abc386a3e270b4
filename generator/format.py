"""Stage 5: black, in-process, in one pinned mode, over every rendered Python file.

Copied runtime modules are already formatted by hand and pass through untouched. When black
rejects rendered code (a template bug), the unformatted text is kept beside the error so the
problem can be seen.
"""

from __future__ import annotations

import black
import isort

from .errors import FormatError

MODE = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=100)
# Import order as ruff's isort rules expect it (datamodel-code-generator leaves its own unsorted).
ISORT = isort.Config(profile="black", line_length=100, known_first_party=frozenset())


def format_tree(files: dict[str, str], *, skip_prefixes: tuple[str, ...] = ()) -> dict[str, str]:
    formatted = {}
    for path, text in files.items():
        if path.endswith(".py") and not path.startswith(skip_prefixes):
            try:
                text = black.format_str(isort.code(text, config=ISORT), mode=MODE)
            except black.InvalidInput as exc:
                raise FormatError(path, str(exc).splitlines()[0], text) from None
        formatted[path] = text
    return formatted
