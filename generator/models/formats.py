"""Formats the generated code does not know, said where they are.

datamodel-code-generator reads a `format` it has no type for (`int64` on a string, Google's
`google-datetime`, `uint32`) as its type's plain value, and says so with a Python warning that
names neither the file's place nor how often: printed as one line about the whole document,
only on a run that made the models (a run that reuses them from disk said nothing), and not
counted by `--strict`. Here each such (type, format) is one located warning, from the document
itself, on every run; the library's own line is silenced (`quiet`).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from ..document import iter_schema_dicts
from ..errors import Diagnostic
from ..load import LoadedSpec

_PLAIN = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
_LIBRARY_LINE = r"format of .* not understood for .*"


@cache
def _known() -> dict[str, frozenset[str]]:
    """Each JSON type's formats, as datamodel-code-generator reads them for OpenAPI."""
    from datamodel_code_generator.parser.schema_version import get_data_formats

    return {kind: frozenset(formats) for kind, formats in get_data_formats(is_openapi=True).items()}


def unknown_formats(spec: LoadedSpec) -> list[Diagnostic]:
    """A warning for each (type, format) the generated code reads as the type's plain value,
    at the first of its places by pointer (so the key order of the document does not move it),
    with how many schemas have it."""
    known = _known()
    places: dict[tuple[str, str], list[str]] = {}
    for ptr, node in iter_schema_dicts(spec.data, ""):
        given = node.get("format")
        kinds = node.get("type")
        if not isinstance(given, str):
            continue
        for kind in kinds if isinstance(kinds, list) else [kinds]:
            if kind in _PLAIN and kind in known and given not in known[kind]:
                places.setdefault((kind, given), []).append(ptr)
    found = []
    for (kind, given), pointers in sorted(places.items()):
        count = f"{len(pointers)} schemas have it" if len(pointers) > 1 else "the only one"
        message = (
            f"format {given!r} is not one the generated code knows for type {kind!r}: such "
            f"values are a plain {_PLAIN[kind]} ({count})"
        )
        found.append(spec.warning(message, min(pointers)))
    return found


@contextmanager
def quiet() -> Iterator[None]:
    """datamodel-code-generator without its unlocated line for each unknown format."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=_LIBRARY_LINE)
        yield
