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
import contextlib
import copy
import gc
import hashlib
import json
import multiprocessing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .document import pointer
from .errors import Diagnostic, SpecError
from .forked import ignore_interrupts, interrupts_held, stop_child
from .ir.naming import class_name
from .text import black_quoted, wrap_text

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


_SCHEMA_REF = "#/components/schemas/"


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
    refs = {_SCHEMA_REF + name: _SCHEMA_REF + stand_in for name, stand_in in stand_ins.items()}
    prepared = {
        stand_ins.get(name, name): _prepare(schemas[name], refs) for name in sorted(schemas)
    }
    return {
        "openapi": openapi_version,
        "info": {"title": "models", "version": "0"},
        "paths": {},
        "components": {"schemas": prepared},
    }


def _prepare(value: Any, refs: dict[str, str]) -> Any:
    if isinstance(value, list):
        return [_prepare(v, refs) for v in value]
    if not isinstance(value, dict):
        return value
    result: dict[str, Any] = {}
    for key in sorted(value):
        if key.startswith("x-"):
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
    return result


class ModelsJob:
    """`generate_models`, in a forked process once `start()` is called, else in this one.

    datamodel-code-generator takes over half a second to import and set itself up before it
    reads a schema, about as long as it then takes on the real spec. Started before the spec
    is loaded, the child pays that while this process loads and validates, and then only has
    the work left. When fork is unavailable, the child dies, or it fails for a reason other
    than the input (a bug: this process reruns to show it), the models are made here, the
    same.
    """

    def __init__(self) -> None:
        self._process: Any = None
        self._pipe: Any = None
        self._request: tuple[str, dict[str, Any], str] | None = None

    def start(self) -> None:
        if self._process is not None or "fork" not in multiprocessing.get_all_start_methods():
            return
        context = multiprocessing.get_context("fork")
        self._pipe, child_end = context.Pipe()
        self._process = context.Process(
            target=_models_child, args=(child_end, self._pipe), daemon=True
        )
        with interrupts_held():
            self._process.start()
        child_end.close()  # a dead child then reads as EOF here

    def submit(self, openapi_version: str, schemas: dict[str, Any], spec_path: str) -> None:
        """Ask for the models; the child starts as soon as it is set up."""
        self._request = (openapi_version, schemas, spec_path)
        if self._pipe is not None:
            try:
                self._pipe.send(self._request)
            except OSError:
                self.close()  # the child is gone: `result` makes them here

    def result(self) -> ModelsModule:
        """The models asked for with `submit`."""
        if self._request is None:
            raise RuntimeError("ModelsJob.result() before submit()")
        answer: tuple[ModelsModule | SpecError | None] | None = None
        if self._pipe is not None:
            with contextlib.suppress(EOFError, OSError):
                answer = self._pipe.recv()
            self.close()
        if answer is not None:
            if isinstance(answer[0], SpecError):
                raise answer[0]
            if isinstance(answer[0], ModelsModule):
                return answer[0]
        return generate_models(*self._request)

    def close(self) -> None:
        stop_child(self._process, self._pipe)
        self._process = self._pipe = None


_WARM_UP_SCHEMAS = {"Warm": {"type": "object", "properties": {"up": {"type": "string"}}}}


def _models_child(pipe: Any, parents_end: Any) -> None:
    """Set datamodel-code-generator up (imports, its lazily built config) on a one-field
    schema while the parent loads the spec, then make the models it asks for."""
    ignore_interrupts()
    parents_end.close()  # else a parent killed meanwhile would not read as EOF here
    # This process lives for one run of the model generator, which allocates heavily: the
    # cyclic collector would rescan the same live objects many times over for nothing it
    # could free before the process ends (in-process runs: 0.1-0.15 s of ~1.3 s of CPU).
    gc.disable()
    generate_models("3.1.0", _WARM_UP_SCHEMAS, "warm-up")
    gc.freeze()
    try:
        request = pipe.recv()
    except (EOFError, OSError):
        return  # the parent is gone, or needs nothing
    answer: tuple[ModelsModule | SpecError | None]
    try:
        answer = (generate_models(*request),)
    except SpecError as exc:
        answer = (exc,)
    except Exception:
        answer = (None,)  # not the input's fault: the parent reruns it to show the error
    with contextlib.suppress(OSError):  # the parent is gone
        pipe.send(answer)


def generate_models(openapi_version: str, schemas: dict[str, Any], spec_path: str) -> ModelsModule:
    """Run datamodel-code-generator in-process and describe what it produced."""
    if not schemas:  # a spec without schemas: datamodel-code-generator refuses empty input
        empty = "from __future__ import annotations\n"
        return ModelsModule(
            empty, frozenset(), {}, {"annotations": ("__future__", "annotations")}, {}
        )
    # Imported here: the parent process of a `ModelsJob` never needs it.
    from datamodel_code_generator import generate
    from datamodel_code_generator.enums import DataModelType, DefaultValueType, InputFileType
    from datamodel_code_generator.format import PythonVersion

    stand_ins = stand_in_names(schemas)
    document = prepare_schemas(openapi_version, schemas, stand_ins)
    originals = {stand_in: name for name, stand_in in stand_ins.items()}
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
            custom_class_name_generator=lambda name: class_name(originals.get(name, name)),
            type_mappings=["string+email=string"],
            deserialize_default_values=[DefaultValueType.Decimal],  # the rest: _typed_defaults
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
    tree = ast.parse(source)
    typed = _typed_defaults(source, tree, schemas, spec_path)
    if typed != source:
        source, tree = typed, ast.parse(typed)
    return _describe(source, schemas, spec_path, tree)


# Types datamodel-code-generator gives a string (or number) schema for its `format`, whose
# default it still writes as the JSON value (`url: AnyUrl | None = "about:blank"`): a type
# error, and at run time the default would stay a string (pydantic does not validate defaults).
_CONVERTED_TYPES = {
    "datetime": frozenset({"date", "datetime", "time", "timedelta"}),
    "ipaddress": frozenset(
        f"IPv{version}{kind}" for version in (4, 6) for kind in ("Address", "Interface", "Network")
    ),
    "pydantic": frozenset({"AnyUrl", "AwareDatetime", "NaiveDatetime"}),
    "uuid": frozenset({"UUID"}),
}


def _typed_defaults(
    source: str, tree: ast.Module, schemas: dict[str, Any], spec_path: str
) -> str:
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
    classes = {class_name(name): name for name in schemas}
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
    return _replace_nodes(source, edits)


def _replace_nodes(source: str, edits: list[tuple[ast.expr | ast.stmt, str]]) -> str:
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
    import importlib

    from pydantic import TypeAdapter, ValidationError

    module, name = origin
    try:
        TypeAdapter(getattr(importlib.import_module(module), name)).validate_python(default)
    except ValidationError as exc:
        field = statement.target.id if isinstance(statement.target, ast.Name) else "?"
        wire = _alias_of(statement.annotation) or field
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


def models_key(openapi_version: str, schemas: dict[str, Any]) -> str:
    """What the models depend on: the schemas, datamodel-code-generator's version and our code
    that drives it (preparation, naming, layout). Equal keys give equal models. (The prepared
    schemas are a function of the first and the last, so the raw ones are hashed.)"""
    own = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    document = {"openapi": openapi_version, "schemas": schemas}
    digest.update(json.dumps(document, sort_keys=True, ensure_ascii=False).encode())
    from importlib import metadata  # not before the fork: the model process imports its own

    digest.update(metadata.version("datamodel-code-generator").encode())
    for name in ("models.py", "ir/naming.py", "text.py"):
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
    return black_quoted(ast.unparse(node)), names


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


def _describe(
    source: str, schemas: dict[str, Any], spec_path: str, tree: ast.Module | None = None
) -> ModelsModule:
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
