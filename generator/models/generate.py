"""Running datamodel-code-generator over the prepared schemas, in-process, with the options
that give pydantic v2 models in our style, and the key that says when its output can be
reused."""

from __future__ import annotations

import ast
import contextlib
import gc
import hashlib
import json
import multiprocessing
from pathlib import Path
from typing import Any

from ..errors import Diagnostic, SpecError
from ..forked import ignore_interrupts, interrupts_held, stop_child
from ..ir.naming import class_name
from .defaults import typed_defaults
from .describe import ModelsModule, describe_models
from .prepare import prepare_schemas, stand_in_names


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
    typed = typed_defaults(source, tree, schemas, spec_path)
    if typed != source:
        source, tree = typed, ast.parse(typed)
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
    from importlib import metadata  # not before the fork: the model process imports its own

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
