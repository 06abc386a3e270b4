"""Defaults of typed strings, converted where the class is made.

datamodel-code-generator types a string (or number) schema by its `format` (`AnyUrl`, `date`,
`UUID`, ...) but writes its default as the JSON value (`url: AnyUrl | None = "about:blank"`):
a type error, and at run time the default would stay a string (pydantic does not validate
defaults). Each such default is rewritten as `TypeAdapter(AnyUrl).validate_python(...)`, and
one the type refuses is reported as an error in the spec."""

from __future__ import annotations

import ast
import importlib
from typing import Any

from ..document import pointer
from ..errors import Diagnostic, SpecError
from ..ir.naming import schema_class_names
from .describe import alias_of

_CONVERTED_TYPES = {
    "datetime": frozenset({"date", "datetime", "time", "timedelta"}),
    "ipaddress": frozenset(
        f"IPv{version}{kind}" for version in (4, 6) for kind in ("Address", "Interface", "Network")
    ),
    "pydantic": frozenset({"AnyUrl", "AwareDatetime", "NaiveDatetime"}),
    "uuid": frozenset({"UUID"}),
}


def typed_defaults(source: str, tree: ast.Module, schemas: dict[str, Any], spec_path: str) -> str:
    """Each such default converted where the class is made, by the type's own validator:
    `url: AnyUrl | None = TypeAdapter(AnyUrl).validate_python("about:blank")`. A default the
    type refuses (`format: date, default: "today"`) is an error here, not at import. `tree`
    is `source` parsed."""
    converted: dict[str, tuple[str, Any]] = {}  # local name -> (module, the type)
    pydantic_import: ast.ImportFrom | None = None
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module in _CONVERTED_TYPES:
            pydantic_import = node if node.module == "pydantic" else pydantic_import
            for alias in node.names:
                if alias.name in _CONVERTED_TYPES[node.module]:
                    converted[alias.asname or alias.name] = (node.module, alias.name)
    edits: list[tuple[ast.expr | ast.stmt, str]] = []
    classes = {cls: name for name, cls in schema_class_names(schemas).items()}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        for statement in node.body:
            local = _converted_type(statement, converted)
            if local is None:
                continue
            assert isinstance(statement, ast.AnnAssign)
            assert isinstance(statement.value, ast.Constant)
            default = statement.value.value
            _check_default(converted[local], default, node.name, statement, classes, spec_path)
            edits.append((statement.value, f"TypeAdapter({local}).validate_python({default!r})"))
    if not edits:
        return source
    assert pydantic_import is not None  # every model is a pydantic BaseModel
    names = sorted({alias.name for alias in pydantic_import.names} | {"TypeAdapter"})
    edits.append((pydantic_import, f"from pydantic import {', '.join(names)}"))
    return replace_nodes(source, edits)


def replace_nodes(source: str, edits: list[tuple[ast.expr | ast.stmt, str]]) -> str:
    """`source` with each node's text replaced (ast offsets count UTF-8 bytes)."""
    encoded = source.encode()
    line_starts = [0]
    for line in encoded.splitlines(keepends=True):
        line_starts.append(line_starts[-1] + len(line))
    spans = []
    for node, text in edits:
        assert node.end_lineno is not None and node.end_col_offset is not None
        start = line_starts[node.lineno - 1] + node.col_offset
        spans.append((start, line_starts[node.end_lineno - 1] + node.end_col_offset, text))
    for start, end, text in sorted(spans, reverse=True):
        encoded = encoded[:start] + text.encode() + encoded[end:]
    return encoded.decode()


def _converted_type(statement: ast.stmt, converted: dict[str, tuple[str, Any]]) -> str | None:
    """The local name of the converted type a field's constant default is for, if any: the
    annotation (inside `Annotated[...]`) is that type, or it or None."""
    if not (
        isinstance(statement, ast.AnnAssign)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str | int | float)
        and not isinstance(statement.value.value, bool)
    ):
        return None
    annotation = statement.annotation
    if (
        isinstance(annotation, ast.Subscript)
        and isinstance(annotation.value, ast.Name)
        and annotation.value.id == "Annotated"
        and isinstance(annotation.slice, ast.Tuple)
    ):
        annotation = annotation.slice.elts[0]
    members: list[ast.expr] = []
    while isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        members.append(annotation.right)
        annotation = annotation.left
    members.append(annotation)
    names = {m.id for m in members if isinstance(m, ast.Name)} - {"None"}
    others = [m for m in members if not isinstance(m, ast.Name | ast.Constant)]
    if len(names) == 1 and not others and next(iter(names)) in converted:
        return next(iter(names))
    return None


def _check_default(
    origin: tuple[str, str],
    default: Any,
    class_: str,
    statement: ast.AnnAssign,
    classes: dict[str, str],
    spec_path: str,
) -> None:

    from pydantic import TypeAdapter, ValidationError

    module, name = origin
    try:
        TypeAdapter(getattr(importlib.import_module(module), name)).validate_python(default)
    except ValidationError as exc:
        field = statement.target.id if isinstance(statement.target, ast.Name) else "?"
        wire = alias_of(statement.annotation) or field
        schema = classes.get(class_)
        where = (
            pointer("components", "schemas", schema, "properties", wire, "default")
            if schema
            else "/components/schemas"
        )
        reason = exc.errors()[0]["msg"] if exc.errors() else str(exc)
        raise SpecError(
            [
                Diagnostic(
                    f"the default {default!r} of {class_}.{field} is not a valid {name}: {reason}",
                    spec_path,
                    where,
                )
            ]
        ) from None
