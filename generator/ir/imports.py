"""What a resource module imports: the names its operations mention, imported on use.

A resource module (one per tag) imports the model classes its operations' annotations name,
the other names those annotations use (from where models.py imports them, or `typing` and
`uuid`), and the runtime helpers its operations need, so that ruff finds no unused import.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .types import Operation

if TYPE_CHECKING:
    from ..models import ModelsModule

_KNOWN_MODULES = {"Any": "typing", "Literal": "typing", "UUID": "uuid", "cast": "typing"}
# Names annotations take from the runtime (`runtime_imports`), not from models.py or typing.
_RUNTIME_HINTS = frozenset({"FileTypes"})


def _names_in(hint: str) -> set[str]:
    return set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", re.sub(r"'[^']*'|\"[^\"]*\"", "", hint)))


def annotation_imports(
    operations: Iterable[Operation], models: ModelsModule
) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """(model classes, other (module, `name` or `name as alias`) imports) the operations'
    annotations mention, each sorted."""
    hints: list[str] = []
    other: set[tuple[str, str]] = set()
    for op in operations:
        hints += [p.type_hint for p in (*op.path_params, *op.keyword_params)]
        hints += [op.response.type_hint, op.response.cast_to]
        if op.body is not None:
            hints.append(op.body.type_hint)
            hints += [f.type_hint for f in op.body.fields]
            if op.body.model:
                hints.append(op.body.model)
            if op.body.required_fields:  # the method is overloaded
                other.add(("typing", "overload"))
    used = set().union(*(_names_in(h) for h in hints)) if hints else set()
    model_names = tuple(sorted(used & models.classes))
    for name in used - models.classes - _RUNTIME_HINTS:
        module, original = models.imports.get(name) or (_KNOWN_MODULES.get(name), name)
        if module and module != "__future__":
            other.add((module, name if original == name else f"{original} as {name}"))
    return model_names, tuple(sorted(other))


# What every method's per-request options (the runtime's `_options`) are annotated with, and
# the wrappers of `with_raw_response` / `with_streaming_response` (`_response`).
_REQUEST_OPTIONS = (
    "NOT_GIVEN",
    "ExtraBody",
    "ExtraHeaders",
    "ExtraQuery",
    "NotGiven",
    "RequestTimeout",
    "async_to_raw_response_wrapper",
    "async_to_streamed_response_wrapper",
    "to_raw_response_wrapper",
    "to_streamed_response_wrapper",
)


def runtime_imports(operations: Iterable[Operation]) -> tuple[str, ...]:
    """The runtime names a resource module uses, in the order ruff sorts them."""
    names = {"AsyncAPIClient", "SyncAPIClient", *_REQUEST_OPTIONS}
    for op in operations:
        if op.body is not None:
            if op.body.kind in ("multipart", "form"):
                names.add("build_multipart")
            elif op.body.kind == "json":
                names.add("build_body")
            if op.body.kind in ("form", "text"):
                names.add(f"encode_{op.body.kind}")
            if any("FileTypes" in _names_in(f.type_hint) for f in op.body.fields):
                names.add("FileTypes")
        if op.cookie_params:
            names.add("cookie_header")
        if op.response.page_item:
            names.update(("AsyncPaginator", "SyncPage"))
        if op.poll is not None:
            names.update(("apoll_until", "poll_until"))
    # isort's order-by-type: CONSTANTS, then Classes, then functions.
    return tuple(sorted(names, key=lambda n: (not n.isupper(), not n[:1].isupper(), n)))
