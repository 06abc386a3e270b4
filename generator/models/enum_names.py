"""Names of the enums a schema declares inline, for its model rather than only its field.

datamodel-code-generator names an inline enum after its field, and numbers the next of the
same name (`Status`, `Status1`: which status is which?). Each such enum is renamed here, where
the class is made, after the model that holds it: `AsyncJob.status` -> `AsyncJobStatus`,
`WebhookEvent.event_type` -> `WebhookEventType`. An enum it shares between models (the same
values under the same field name: `line_type` of a line, and of its create and update bodies)
stays one class and keeps the field's name (`LineType`), so a value read from one model can be
sent in another; it takes its first model's name only when that name is taken.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from typing import Any

from ..ir.naming import MAX_NAME_LENGTH, class_name, schema_class_names, suffixed
from .defaults import replace_nodes

_ENUM_BASES = frozenset({"Enum", "StrEnum", "IntEnum"})


def enum_names(source: str, tree: ast.Module, schemas: dict[str, Any]) -> str:
    """`source` (the models module, `tree` parsed) with its inline enums renamed (see the
    module's docstring). Deterministic: the names depend on the module's classes alone."""
    classes = [node for node in tree.body if isinstance(node, ast.ClassDef)]
    components = set(schema_class_names(schemas).values())
    inline = sorted(
        node.name
        for node in classes
        if node.name not in components
        and any(isinstance(base, ast.Name) and base.id in _ENUM_BASES for base in node.bases)
    )
    if not inline:
        return source
    users: dict[str, set[str]] = defaultdict(set)  # enum -> the models whose fields use it
    fields: dict[str, set[str]] = defaultdict(set)  # enum -> the names of those fields' models
    for node in classes:
        names = _field_names(node)
        for statement in node.body:
            if isinstance(statement, ast.AnnAssign):
                for name in ast.walk(statement.annotation):
                    if isinstance(name, ast.Name) and name.id in inline:
                        users[name.id].add(node.name)
                        fields[name.id] |= names
    taken = {node.name for node in classes} - set(inline)
    renamed: dict[str, str] = {}
    for enum in inline:
        field = re.sub(r"\d+$", "", enum) or enum  # `Status1` is the field's `Status`
        models = sorted(users[enum] - {enum})
        # A class named as a field of a model that uses it is that field's default (None)
        # where the model's annotations are read: `Method: Method | None` cannot be built.
        blocked = taken | fields[enum]
        alone = len(models) == 1 or (models and (field in taken or class_name(field) in blocked))
        new = _joined(models[0], field) if alone else field
        new = class_name(new)  # a reserved name (`Field`) gets `Model`, as a schema's would
        if len(new) > MAX_NAME_LENGTH - 2:  # room for a number: keep the tool's own name
            new = enum
        renamed[enum] = suffixed(new, blocked)  # `JobStatus2` beside a schema `JobStatus`
        taken.add(renamed[enum])
    return _rename(source, tree, {old: new for old, new in renamed.items() if old != new})


def _field_names(model: ast.ClassDef) -> set[str]:
    """The names `model`'s class body binds to its fields."""
    return {
        statement.target.id
        for statement in model.body
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name)
    }


def _joined(model: str, field: str) -> str:
    """`model` + `field`, with words the model ends with and the field starts with written once
    (`WebhookEvent` + `EventType` -> `WebhookEventType`)."""
    for size in range(len(field) - 1, 0, -1):
        if field[size].isupper() and model.endswith(field[:size]):
            return model + field[size:]
    return model + field


def _rename(source: str, tree: ast.Module, renamed: dict[str, str]) -> str:
    """Every use of each class as a name (never a field, a string or a docstring) renamed."""
    if not renamed:
        return source
    edits: list[tuple[ast.expr | ast.stmt, str]] = []
    targets = {
        id(statement.target) for statement in ast.walk(tree) if isinstance(statement, ast.AnnAssign)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in renamed and id(node) not in targets:
            edits.append((node, renamed[node.id]))
        elif isinstance(node, ast.ClassDef) and node.name in renamed:
            start = node.col_offset + len("class ")
            name = ast.Name(
                id=node.name,
                lineno=node.lineno,
                col_offset=start,
                end_lineno=node.lineno,
                end_col_offset=start + len(node.name.encode()),
            )
            edits.append((name, renamed[node.name]))
    return replace_nodes(source, edits)
