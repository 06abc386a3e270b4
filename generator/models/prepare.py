"""The schemas as datamodel-code-generator is given them: a minimal OpenAPI document whose
content alone decides the output. Keys sorted (so spec key order cannot change the bytes),
`x-` extensions removed (it interprets some of them) with our provenance folded into the
description, descriptions wrapped, and names it would misread replaced by stand-ins."""

from __future__ import annotations

import copy
from typing import Any

from ..document import SCHEMA_REF
from ..text import wrap_text

_SCHEMA_DATA_KEYS = ("default", "example", "examples", "const", "enum")

# Keywords that describe a value without constraining it: an `allOf` of one `$ref` and members
# made only of these is that reference, annotated. (`xml` is not here: it is dropped, as the
# generated code speaks JSON; `default`, `nullable`, `readOnly` and `writeOnly` change the
# field, so an `allOf` beside them is left as written.)
_ANNOTATIONS = frozenset({"description", "title", "example", "examples", "deprecated"})


def stand_in_names(schemas: dict[str, Any]) -> dict[str, str]:
    """Schema name -> the name datamodel-code-generator is given instead, for the names it
    would misread. It reads a dot as a module path (`Result_null.string_` would become class
    `string_` in a module `Result_null`), which the OpenAPI names allow. The class is still
    named from the spec's name (`class_name`), so only the key it sees changes."""
    taken = set(schemas)
    stand_ins: dict[str, str] = {}
    for name in sorted(schemas):
        if "." in name:
            stand_in = name.replace(".", "_")
            while stand_in in taken:
                stand_in += "_"
            taken.add(stand_in)
            stand_ins[name] = stand_in
    return stand_ins


def prepare_schemas(
    openapi_version: str, schemas: dict[str, Any], stand_ins: dict[str, str]
) -> dict[str, Any]:
    """The minimal OpenAPI document datamodel-code-generator needs, normalised for stable output,
    with each schema under its stand-in name (`stand_in_names`), where it has one."""
    refs = {SCHEMA_REF + name: SCHEMA_REF + stand_in for name, stand_in in stand_ins.items()}
    prepared = {
        stand_ins.get(name, name): _prepare(schemas[name], refs, fold=False)
        for name in sorted(schemas)
    }
    return {
        "openapi": openapi_version,
        "info": {"title": "models", "version": "0"},
        "paths": {},
        "components": {"schemas": prepared},
    }


def _prepare(value: Any, refs: dict[str, str], *, fold: bool = True) -> Any:
    """`value` as datamodel-code-generator is given it; a component schema itself is not
    `fold`ed (`Dog: {allOf: [{$ref: Pet}]}` is a subclass of `Pet`, not a reference to it)."""
    if isinstance(value, list):
        return [_prepare(v, refs) for v in value]
    if not isinstance(value, dict):
        return value
    result: dict[str, Any] = {}
    for key in sorted(value):
        if key.startswith("x-") or key == "xml":
            continue
        if key == "$ref" and isinstance(value[key], str):
            result[key] = refs.get(value[key], value[key])
        elif key in _SCHEMA_DATA_KEYS:
            result[key] = copy.deepcopy(value[key])
        elif key == "description" and isinstance(value[key], str):
            # datamodel-code-generator writes descriptions as docstrings, unwrapped.
            result[key] = wrap_text(value[key].strip(), 88)
        elif key == "properties" and isinstance(value[key], dict):
            result[key] = {name: _prepare(value[key][name], refs) for name in sorted(value[key])}
        else:
            result[key] = _prepare(value[key], refs)
    provenance = value.get("x-provenance")
    if isinstance(provenance, str):
        note = f"Provenance: {provenance}"
        source = value.get("x-provenance-source")
        if isinstance(source, str):
            note += f" ({source})"
        description = value.get("description")
        result["description"] = (
            f"{wrap_text(description.strip(), 88)}\n\n{note}" if description else note
        )
    return _folded_reference(result) if fold else result


def _folded_reference(schema: dict[str, Any]) -> dict[str, Any]:
    """`{allOf: [{$ref: X}, {description: D}]}` (how converted documents annotate a property
    whose type is a schema; AWS's have thousands) as `{$ref: X, description: D}`, keys sorted.

    Both mean the same value, but datamodel-code-generator drops the annotations of the first
    (the field loses its docstring) and runs its allOf merge for each one, most of its time on
    such documents. The annotations beside the `allOf` win over those inside it.
    """
    members = schema.get("allOf")
    if not isinstance(members, list) or set(schema) - _ANNOTATIONS - {"allOf"}:
        return schema
    refs = [m for m in members if isinstance(m, dict) and "$ref" in m]
    notes = [m for m in members if not (isinstance(m, dict) and "$ref" in m)]
    if len(refs) != 1 or set(refs[0]) != {"$ref"}:
        return schema
    if not all(isinstance(m, dict) and set(m) <= _ANNOTATIONS for m in notes):
        return schema
    folded = {key: value for key, value in schema.items() if key != "allOf"}
    for note in notes:
        for key, value in note.items():
            folded.setdefault(key, value)
    folded["$ref"] = refs[0]["$ref"]
    return dict(sorted(folded.items()))
