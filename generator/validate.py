"""Stage 2: is this a document we can generate from? Every problem comes back with a location.

Order matters: the version gate and our `$ref` check run before openapi-spec-validator, which
raises (rather than reports) on a dangling reference; our semantic checks run after it, on a
document whose structure is known to be valid.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

from .errors import Diagnostic, SpecError, pointer
from .load import LoadedSpec
from .names import class_name, python_identifier

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Media types the client and stub know how to send and receive.
SUPPORTED_REQUEST_MEDIA = ("application/json", "multipart/form-data", "application/octet-stream")
_MAX_VALIDATOR_ERRORS = 20
_PATH_PARAM_RE = re.compile(r"\{([^{}]+)\}")


def validate(spec: LoadedSpec) -> None:
    """Raise `SpecError` listing every problem found; return quietly for a usable document."""
    _check_version(spec)
    _raise_if(_dangling_refs(spec))
    _raise_if(_validator_errors(spec))
    _raise_if(list(_semantic_errors(spec)))


def _raise_if(diagnostics: list[Diagnostic]) -> None:
    if diagnostics:
        raise SpecError(diagnostics)


def _check_version(spec: LoadedSpec) -> None:
    data = spec.data
    if "swagger" in data:
        raise SpecError(
            [
                spec.diagnostic(
                    f"Swagger {data.get('swagger')} documents are not supported; convert the "
                    "document to OpenAPI 3 first (for example with `npx swagger2openapi`) "
                    "and generate from the result",
                    "/swagger",
                )
            ]
        )
    version = data.get("openapi")
    if version is None:
        raise SpecError(
            [spec.diagnostic("not an OpenAPI document: the `openapi` version field is missing")]
        )
    if not isinstance(version, str) or not re.fullmatch(r"3\.[01]\.\d+", version):
        raise SpecError(
            [
                spec.diagnostic(
                    f"unsupported OpenAPI version {version!r}; supported: 3.0.x and 3.1.x",
                    "/openapi",
                )
            ]
        )


def iter_refs(value: Any, ptr: str = "") -> Iterator[tuple[str, str]]:
    """Yield (pointer of the $ref, target) for every `$ref` in the document."""
    if isinstance(value, dict):
        ref = value.get("$ref")
        if isinstance(ref, str):
            yield ptr + "/$ref", ref
        for key, child in value.items():
            if key in ("example", "examples", "default", "const", "enum"):
                continue  # data, not schema: a "$ref" key there is just a value
            yield from iter_refs(child, ptr + pointer(key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from iter_refs(child, ptr + pointer(index))


def resolve_pointer(document: Any, ref: str) -> Any:
    """Follow a local `#/a/b` reference; raise KeyError when it leads nowhere."""
    node = document
    for raw in ref[2:].split("/") if ref != "#" else []:
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise KeyError(ref)
    return node


def _dangling_refs(spec: LoadedSpec) -> list[Diagnostic]:
    problems = []
    base = Path(spec.path).parent
    for ptr, ref in iter_refs(spec.data):
        if ref.startswith("#"):
            try:
                resolve_pointer(spec.data, ref)
            except KeyError:
                problems.append(spec.diagnostic(f"$ref {ref!r} points to nothing", ptr))
            continue
        target = ref.split("#", 1)[0]
        if re.match(r"^[a-z][a-z0-9+.-]*://", target):
            problems.append(
                spec.diagnostic(f"remote $ref {ref!r} is not supported; bundle the document", ptr)
            )
        elif not (base / target).is_file():
            problems.append(
                spec.diagnostic(f"$ref {ref!r}: file {str(base / target)!r} does not exist", ptr)
            )
        else:
            problems.append(
                spec.diagnostic(
                    f"$ref {ref!r} refers to another file; multi-file specs are not supported yet: "
                    "bundle the document into one file (for example `npx @redocly/cli bundle`)",
                    ptr,
                )
            )
    return problems


def _validator_errors(spec: LoadedSpec) -> list[Diagnostic]:
    validator_class = (
        OpenAPIV31SpecValidator if spec.data["openapi"].startswith("3.1") else OpenAPIV30SpecValidator
    )
    problems = []
    try:
        for error in validator_class(spec.data).iter_errors():
            path = getattr(error, "absolute_path", None) or getattr(error, "path", None) or []
            ptr = pointer(*path)
            message = str(getattr(error, "message", error)).splitlines()[0]
            problems.append(spec.diagnostic(f"invalid OpenAPI: {message}", ptr))
            if len(problems) >= _MAX_VALIDATOR_ERRORS:
                break
    except Exception as exc:  # the validator raises on documents it cannot walk
        problems.append(spec.diagnostic(f"invalid OpenAPI: {type(exc).__name__}: {exc}"[:500]))
    return problems


def iter_operations(data: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """Yield (path, method, operation, path item) in document order."""
    for path, item in (data.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                yield path, method, operation, item


def deref(data: dict[str, Any], value: Any) -> Any:
    """Follow local `$ref`s until a non-reference object is reached."""
    seen = set()
    while isinstance(value, dict) and isinstance(value.get("$ref"), str):
        ref = value["$ref"]
        if ref in seen:
            break
        seen.add(ref)
        value = resolve_pointer(data, ref)
    return value


def _semantic_errors(spec: LoadedSpec) -> Iterator[Diagnostic]:
    data = spec.data
    by_operation_id: dict[str, list[str]] = defaultdict(list)
    by_python_name: dict[str, list[str]] = defaultdict(list)
    for path, method, operation, item in iter_operations(data):
        op_ptr = pointer("paths", path, method)
        op_id = operation.get("operationId")
        if isinstance(op_id, str):
            by_operation_id[op_id].append(op_ptr)
            by_python_name[python_identifier(op_id, fallback="operation")].append(op_ptr)
        yield from _parameter_errors(spec, path, method, operation, item)
        yield from _body_errors(spec, op_ptr, operation)
    for op_id, places in by_operation_id.items():
        if len(places) > 1:
            for place in places:
                yield spec.diagnostic(f"duplicate operationId {op_id!r}", place + "/operationId")
    for name, places in by_python_name.items():
        ids = {resolve_pointer(data, "#" + p)["operationId"] for p in places}
        if len(places) > 1 and len(ids) > 1:
            listed = ", ".join(sorted(repr(i) for i in ids))
            for place in places:
                yield spec.diagnostic(
                    f"operationIds {listed} collide as the Python name {name!r}",
                    place + "/operationId",
                )
    schemas = (data.get("components") or {}).get("schemas") or {}
    by_class: dict[str, list[str]] = defaultdict(list)
    for schema_name in schemas:
        by_class[class_name(schema_name)].append(schema_name)
    for cls, names in by_class.items():
        if len(names) > 1:
            listed = ", ".join(repr(n) for n in sorted(names))
            for schema_name in names:
                yield spec.diagnostic(
                    f"schema names {listed} collide as the Python class {cls!r}",
                    pointer("components", "schemas", schema_name),
                )


def _parameter_errors(
    spec: LoadedSpec, path: str, method: str, operation: dict[str, Any], item: dict[str, Any]
) -> Iterator[Diagnostic]:
    data = spec.data
    op_ptr = pointer("paths", path, method)
    declared: dict[tuple[str, str], str] = {}
    for source, params in (("item", item.get("parameters")), ("op", operation.get("parameters"))):
        seen_here: set[tuple[str, str]] = set()
        for index, raw in enumerate(params or []):
            base_ptr = pointer("paths", path) if source == "item" else op_ptr
            param_ptr = base_ptr + pointer("parameters", index)
            param = deref(data, raw)
            key = (str(param.get("name")), str(param.get("in")))
            if key in seen_here:
                yield spec.diagnostic(
                    f"parameter {key[0]!r} in {key[1]} is declared twice", param_ptr
                )
            seen_here.add(key)
            declared[key] = param_ptr
            if key[1] == "cookie":
                yield spec.diagnostic("cookie parameters are not supported", param_ptr)
    in_template = _PATH_PARAM_RE.findall(path)
    for name in in_template:
        if (name, "path") not in declared:
            yield spec.diagnostic(
                f"path parameter {{{name}}} is not declared for {method.upper()} {path}", op_ptr
            )
    for (name, where), param_ptr in sorted(declared.items()):
        if where == "path" and name not in in_template:
            yield spec.diagnostic(
                f"path parameter {name!r} is declared but {path!r} has no {{{name}}}", param_ptr
            )


def _body_errors(spec: LoadedSpec, op_ptr: str, operation: dict[str, Any]) -> Iterator[Diagnostic]:
    data = spec.data
    body = deref(data, operation.get("requestBody"))
    if isinstance(body, dict):
        content = body.get("content") or {}
        usable = [m for m in content if _media_kind(m) is not None]
        if content and not usable:
            listed = ", ".join(sorted(content))
            yield spec.diagnostic(
                f"request body media type(s) {listed} not supported; supported: "
                + ", ".join(SUPPORTED_REQUEST_MEDIA),
                op_ptr + "/requestBody/content",
            )
    for status, raw in (operation.get("responses") or {}).items():
        response = deref(data, raw)
        for media, media_obj in ((response or {}).get("content") or {}).items():
            if _media_kind(media) == "json" and isinstance(media_obj, dict) and "schema" not in media_obj:
                yield spec.diagnostic(
                    f"response {status} declares {media} content but no schema",
                    op_ptr + pointer("responses", status, "content", media),
                )


def _media_kind(media: str) -> str | None:
    """Classify a media type: json, multipart, form or binary; None when unsupported."""
    base = media.split(";", 1)[0].strip().lower()
    if base == "application/json" or base.endswith("+json") or base == "*/*":
        return "json"
    if base == "multipart/form-data":
        return "multipart"
    if base == "application/x-www-form-urlencoded":
        return "form"
    if base in ("application/octet-stream",) or base.startswith(("image/", "application/pdf", "text/")):
        return "binary"
    return None


media_kind = _media_kind
