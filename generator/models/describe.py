"""Reading generated models back: what classes models.py defines and, for each, its fields
(wire name, attribute, annotation, required), which the client uses for keyword-argument
bodies, and the names models.py imports."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from ..errors import Diagnostic, SpecError
from ..ir.naming import schema_class_names
from ..text import black_quoted


@dataclass(frozen=True)
class ModelField:
    """One field of a generated model, as the client needs it for keyword arguments."""

    wire_name: str
    python_name: str  # the model's attribute, as datamodel-code-generator named it
    annotation: str  # without Annotated[...] metadata, e.g. "str | None"
    required: bool
    names_used: tuple[str, ...]  # identifiers the annotation mentions


@dataclass(frozen=True)
class ModelsModule:
    """The generated models source and what it defines."""

    source: str
    classes: frozenset[str]
    fields: dict[str, tuple[ModelField, ...]]
    # local name -> (module, name there), as models.py imports it: `from datetime import date
    # as date_aliased` (a field named `date`) is "date_aliased" -> ("datetime", "date")
    imports: dict[str, tuple[str, str]]
    schema_classes: dict[str, str]  # component schema name -> class name


def _annotation_parts(node: ast.expr) -> tuple[str, tuple[str, ...]]:
    if (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Name)
        and node.value.id == "Annotated"
        and isinstance(node.slice, ast.Tuple)
    ):
        node = node.slice.elts[0]
    names = tuple(sorted({n.id for n in ast.walk(node) if isinstance(n, ast.Name)}))
    return black_quoted(ast.unparse(node)), names


def alias_of(value: ast.expr | None) -> str | None:
    """The `alias=` of a `Field(...)` inside Annotated metadata or as the default."""
    if value is None:
        return None
    for call in ast.walk(value):
        if (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Name)
            and call.func.id == "Field"
        ):
            for kw in call.keywords:
                if kw.arg == "alias" and isinstance(kw.value, ast.Constant):
                    return str(kw.value.value)
    return None


def describe_models(
    source: str, schemas: dict[str, Any], spec_path: str, tree: ast.Module | None = None
) -> ModelsModule:
    """What models source defines (`tree`: the source parsed, if it was already); raises
    `SpecError` when a schema produced no class."""
    tree = tree or ast.parse(source)
    classes: set[str] = set()
    fields: dict[str, tuple[ModelField, ...]] = {}
    imports: dict[str, tuple[str, str]] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                imports[alias.asname or alias.name] = (node.module, alias.name)
        if not isinstance(node, ast.ClassDef):
            continue
        classes.add(node.name)
        class_fields = []
        for statement in node.body:
            if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                field_name = statement.target.id
                if field_name == "model_config" or field_name == "root":
                    continue
                annotation, names = _annotation_parts(statement.annotation)
                wire = alias_of(statement.annotation) or alias_of(statement.value) or field_name
                class_fields.append(
                    ModelField(
                        wire_name=wire,
                        python_name=field_name,
                        annotation=annotation,
                        required=statement.value is None,
                        names_used=names,
                    )
                )
        fields[node.name] = tuple(class_fields)
    schema_classes = schema_class_names(schemas)
    missing = sorted(n for n, c in schema_classes.items() if c not in classes)
    if missing:
        raise SpecError(
            [
                Diagnostic(
                    f"schema {name!r} produced no model class {schema_classes[name]!r}",
                    spec_path,
                    f"/components/schemas/{name}",
                )
                for name in missing
            ]
        )
    return ModelsModule(
        source=source,
        classes=frozenset(classes),
        fields=fields,
        imports=imports,
        schema_classes=schema_classes,
    )
