"""Stage 3a: pydantic v2 models for every component schema, via datamodel-code-generator.

We hand it only `components.schemas`, prepared so that its output is a pure function of the
schemas' content: keys sorted (so spec key order cannot change the bytes), `x-` extensions
removed (it interprets some of them) with our provenance folded into the description, and our
`class_name` as its naming function, so client and stub templates spell every type the same.
The generated source is then read back with `ast` to learn each class's fields and annotations,
which the client uses for keyword-argument bodies.
"""

from __future__ import annotations

import ast
import copy
import hashlib
import json
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from datamodel_code_generator import generate
from datamodel_code_generator.enums import DataModelType, InputFileType
from datamodel_code_generator.format import PythonVersion

from .errors import Diagnostic, SpecError
from .names import class_name
from .text import wrap_text

_SCHEMA_DATA_KEYS = ("default", "example", "examples", "const", "enum")


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


def prepare_schemas(openapi_version: str, schemas: dict[str, Any]) -> dict[str, Any]:
    """The minimal OpenAPI document datamodel-code-generator needs, normalised for stable output."""
    prepared = {name: _prepare(schemas[name]) for name in sorted(schemas)}
    return {
        "openapi": openapi_version,
        "info": {"title": "models", "version": "0"},
        "paths": {},
        "components": {"schemas": prepared},
    }


def _prepare(value: Any) -> Any:
    if isinstance(value, list):
        return [_prepare(v) for v in value]
    if not isinstance(value, dict):
        return value
    result: dict[str, Any] = {}
    for key in sorted(value):
        if key.startswith("x-"):
            continue
        if key in _SCHEMA_DATA_KEYS:
            result[key] = copy.deepcopy(value[key])
        elif key == "description" and isinstance(value[key], str):
            # datamodel-code-generator writes descriptions as docstrings, unwrapped.
            result[key] = wrap_text(value[key].strip(), 88)
        elif key == "properties" and isinstance(value[key], dict):
            result[key] = {name: _prepare(value[key][name]) for name in sorted(value[key])}
        else:
            result[key] = _prepare(value[key])
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
    return result


def generate_models(openapi_version: str, schemas: dict[str, Any], spec_path: str) -> ModelsModule:
    """Run datamodel-code-generator in-process and describe what it produced."""
    if not schemas:  # a spec without schemas: datamodel-code-generator refuses empty input
        empty = "from __future__ import annotations\n"
        return ModelsModule(
            empty, frozenset(), {}, {"annotations": ("__future__", "annotations")}, {}
        )
    document = prepare_schemas(openapi_version, schemas)
    try:
        source: object = generate(
            document,
            input_file_type=InputFileType.OpenAPI,
            output_model_type=DataModelType.PydanticV2BaseModel,
            target_python_version=PythonVersion.PY_311,
            use_annotated=True,
            field_constraints=True,
            disable_timestamp=True,
            use_schema_description=True,
            use_field_description=True,
            use_standard_collections=True,
            use_union_operator=True,
            capitalise_enum_members=True,
            set_default_enum_member=True,
            # `Literal[Kind.A]`, not `Literal["a"]`, where a discriminator field is an enum: a
            # subclass narrowing the base's enum field to a plain string is a type error.
            use_enum_values_in_discriminator=True,
            custom_class_name_generator=class_name,
            type_mappings=["string+email=string"],
            formatters=[],
        )
    except Exception as exc:  # its errors are not a stable API; report them as input errors
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SpecError(
            [Diagnostic(f"model generation failed: {message}", spec_path, "/components/schemas")]
        ) from None
    if not isinstance(source, str):
        raise SpecError(
            [
                Diagnostic(
                    "model generation produced several modules", spec_path, "/components/schemas"
                )
            ]
        )
    source = _strip_tool_header(source)
    return _describe(source, schemas, spec_path)


def models_key(openapi_version: str, schemas: dict[str, Any]) -> str:
    """What the models depend on: the prepared schemas, datamodel-code-generator's version and
    our code that drives it (naming, preparation). Equal keys give equal models."""
    own = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    digest.update(json.dumps(prepare_schemas(openapi_version, schemas), sort_keys=True).encode())
    digest.update(metadata.version("datamodel-code-generator").encode())
    for name in ("models.py", "names.py", "text.py"):
        digest.update((own / name).read_bytes())
    return digest.hexdigest()


def describe_models(source: str, schemas: dict[str, Any], spec_path: str) -> ModelsModule:
    """Describe models source made earlier (read back from a previous output tree)."""
    return _describe(source, schemas, spec_path)


def _strip_tool_header(source: str) -> str:
    """Drop datamodel-code-generator's own header: ours names the spec and says do not edit."""
    lines = source.splitlines(keepends=True)
    while lines and (lines[0].startswith("#") or not lines[0].strip()):
        lines.pop(0)
    return "".join(lines)


def _annotation_parts(node: ast.expr) -> tuple[str, tuple[str, ...]]:
    if (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Name)
        and node.value.id == "Annotated"
        and isinstance(node.slice, ast.Tuple)
    ):
        node = node.slice.elts[0]
    names = tuple(sorted({n.id for n in ast.walk(node) if isinstance(n, ast.Name)}))
    return ast.unparse(node), names


def _alias_of(value: ast.expr | None) -> str | None:
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


def _describe(source: str, schemas: dict[str, Any], spec_path: str) -> ModelsModule:
    tree = ast.parse(source)
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
                wire = _alias_of(statement.annotation) or _alias_of(statement.value) or field_name
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
    schema_classes = {name: class_name(name) for name in schemas}
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
