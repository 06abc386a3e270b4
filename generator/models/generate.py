"""Running datamodel-code-generator over the prepared schemas, in-process, with the options
that give pydantic v2 models in our style, and the key that says when its output can be
reused."""

from __future__ import annotations

import ast
import hashlib
import json
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from ..document import iter_schema_dicts
from ..errors import Diagnostic, SpecError
from ..ir.naming import class_name, schema_class_names
from .defaults import typed_defaults
from .deferred import deferred_builds
from .describe import ModelsModule, describe_models
from .enum_names import enum_names
from .formats import quiet
from .prepare import prepare_schemas, stand_in_names


def model_options() -> dict[str, Any]:
    """datamodel-code-generator's options that give our models (but the naming function and
    the formatters), also what `make bench` runs it alone with."""
    from datamodel_code_generator.enums import DataModelType, DefaultValueType, InputFileType
    from datamodel_code_generator.format import PythonVersion

    return {
        "input_file_type": InputFileType.OpenAPI,
        "output_model_type": DataModelType.PydanticV2BaseModel,
        "target_python_version": PythonVersion.PY_311,
        "use_annotated": True,
        "field_constraints": True,
        "disable_timestamp": True,
        "use_schema_description": True,
        "use_field_description": True,
        "use_standard_collections": True,
        "use_union_operator": True,
        "capitalise_enum_members": True,
        "set_default_enum_member": True,
        # `Literal[Kind.A]`, not `Literal["a"]`, where a discriminator field is an enum: a
        # subclass narrowing the base's enum field to a plain string is a type error.
        "use_enum_values_in_discriminator": True,
        # Formats whose types need a package the generated code does not depend on (pydantic's
        # EmailStr: email-validator; ULID: python-ulid) are plain strings.
        "type_mappings": ["string+email=string", "string+idn-email=string", "string+ulid=string"],
        "deserialize_default_values": [DefaultValueType.Decimal],  # the rest: typed_defaults
    }


def class_namer(
    classes: dict[str, str], originals: dict[str, str], *, singular_names: bool = True
) -> Callable[[str], str]:
    """The class name datamodel-code-generator gives each name it makes a model for: a
    schema's its own (`classes`, by stand-in through `originals`), an inline schema's from
    the property it sits in, unless that would take a schema's class: it names an array's
    items after the property in the singular (`labels` -> `Label`), and the schema `Label`
    would then have become `Label1` while the client refers to it as `Label`. Such an inline
    model is named `LabelItem` instead. Without `singular_names` (no array of inline models,
    so nothing is named in the singular) the singular is not looked for: inflect is slow to
    load, and datamodel-code-generator loads it only when it singularises."""
    components = set(classes.values())

    def name_for(name: str) -> str:
        original = originals.get(name, name)
        if original in classes:
            return classes[original]
        cls = class_name(name)
        singular = _singular(cls) if singular_names else cls
        if cls in components or singular in components:
            return f"{singular}Items"  # singularised to `...Item` where it is an array's items
        return cls

    return name_for


def has_inline_array_items(document: Any) -> bool:
    """Whether an array's items may be a model of their own (anything but a `$ref` or a bare
    type: an object, an enum, a composition, a constrained string): the only models
    datamodel-code-generator names in the singular."""
    for _, node in iter_schema_dicts(document, ""):
        items = node.get("items")
        if isinstance(items, dict) and "$ref" not in items and set(items) - _PLAIN_KEYS:
            return True
    return False


# The keywords an items schema may have and stay a plain type (an array's own items are
# looked at where they sit).
_PLAIN_KEYS = frozenset(
    {"type", "format", "items", "description", "title", "example", "examples", "default"}
    | {"nullable", "readOnly", "writeOnly", "deprecated"}
)


def _singular(word: str) -> str:
    """`word` in the singular as datamodel-code-generator makes it (inflect), else itself.

    Its own function, not inflect's: it loads inflect without typeguard's instrumentation,
    whose import alone costs about as much as the models of a mid-size document."""
    from datamodel_code_generator.reference import get_singular_name

    return get_singular_name(word, suffix="") or word


def generate_models(openapi_version: str, schemas: dict[str, Any], spec_path: str) -> ModelsModule:
    """Run datamodel-code-generator in-process and describe what it produced."""
    if not schemas:  # a spec without schemas: datamodel-code-generator refuses empty input
        empty = "from __future__ import annotations\n"
        return ModelsModule(
            empty, frozenset(), {}, {"annotations": ("__future__", "annotations")}, {}
        )
    # Imported here: a run that reuses the models on disk never needs it.
    from datamodel_code_generator import generate

    stand_ins = stand_in_names(schemas)
    document = prepare_schemas(openapi_version, schemas, stand_ins)
    originals = {stand_in: name for name, stand_in in stand_ins.items()}
    classes = schema_class_names(schemas)
    try:
        with quiet():  # `unknown_formats` says it, located
            source: object = generate(
                document,
                **model_options(),
                custom_class_name_generator=class_namer(
                    classes, originals, singular_names=has_inline_array_items(document)
                ),
                formatters=[],  # the format stage formats models.py with the other files
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
    tree = ast.parse(source)
    renamed = enum_names(source, tree, schemas)
    if renamed != source:
        source, tree = renamed, ast.parse(renamed)
    typed = typed_defaults(source, tree, schemas, spec_path)
    if typed != source:
        source, tree = typed, ast.parse(typed)
    deferred = deferred_builds(source, tree)
    if deferred != source:
        source, tree = deferred, ast.parse(deferred)
    return describe_models(source, schemas, spec_path, tree)


# Types datamodel-code-generator gives a string (or number) schema for its `format`, whose
# default it still writes as the JSON value (`url: AnyUrl | None = "about:blank"`): a type
# error, and at run time the default would stay a string (pydantic does not validate defaults).
def models_key(openapi_version: str, schemas: dict[str, Any]) -> str:
    """What the models depend on: the schemas, datamodel-code-generator's version and our code
    that drives it (preparation, naming, layout). Equal keys give equal models. (The prepared
    schemas are a function of the first and the last, so the raw ones are hashed.)"""
    generator = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    document = {"openapi": openapi_version, "schemas": schemas}
    digest.update(json.dumps(document, sort_keys=True, ensure_ascii=False).encode())
    digest.update(metadata.version("datamodel-code-generator").encode())
    for path in (*sorted(generator.glob("models/*.py")), generator / "ir" / "naming.py"):
        digest.update(path.read_bytes())
    digest.update((generator / "text.py").read_bytes())
    return digest.hexdigest()


def _strip_tool_header(source: str) -> str:
    """Drop datamodel-code-generator's own header: ours names the spec and says do not edit."""
    lines = source.splitlines(keepends=True)
    while lines and (lines[0].startswith("#") or not lines[0].strip()):
        lines.pop(0)
    return "".join(lines)
