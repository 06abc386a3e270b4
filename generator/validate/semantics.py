"""Round 4 of validation: what the OpenAPI schema cannot say but the generated code needs.
Unique operationIds and Python names, declared path parameters, usable bodies, routes that
are paths, tags that make distinct modules."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from ..document import (
    component_schemas,
    deref,
    iter_operations,
    media_kind,
    pointer,
    resolve_pointer,
)
from ..errors import Diagnostic
from ..ir.naming import class_name, method_name, tag_module
from ..load import LoadedSpec

# Media types the client and stub know how to send and receive (named in the message).
SUPPORTED_REQUEST_MEDIA = ("application/json", "multipart/form-data", "application/octet-stream")
_PATH_PARAM_RE = re.compile(r"\{([^{}]+)\}")


def semantic_errors(spec: LoadedSpec) -> Iterator[Diagnostic]:
    data = spec.data
    by_operation_id: dict[str, list[str]] = defaultdict(list)
    by_python_name: dict[str, list[str]] = defaultdict(list)
    for path, method, operation, item in iter_operations(data):
        op_ptr = pointer("paths", path, method)
        op_id = operation.get("operationId")
        if isinstance(op_id, str):
            by_operation_id[op_id].append(op_ptr)
            by_python_name[method_name(op_id)].append(op_ptr)
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
    by_class: dict[str, list[str]] = defaultdict(list)
    for schema_name in component_schemas(data):
        by_class[class_name(schema_name)].append(schema_name)
    for cls, names in by_class.items():
        if len(names) > 1:
            listed = ", ".join(repr(n) for n in sorted(names))
            for schema_name in names:
                yield spec.diagnostic(
                    f"schema names {listed} collide as the Python class {cls!r}",
                    pointer("components", "schemas", schema_name),
                )
    yield from _path_errors(spec)
    yield from _tag_errors(spec)


def _path_errors(spec: LoadedSpec) -> Iterator[Diagnostic]:
    """Paths that cannot be routes, and paths that are one route under two spellings."""
    paths = spec.data.get("paths")
    by_shape: dict[str, list[str]] = defaultdict(list)
    for path in paths if isinstance(paths, dict) else ():
        if path.startswith("x-"):
            continue
        ptr = pointer("paths", path)
        if "?" in path or "#" in path:
            yield spec.diagnostic(
                f"path {path!r} contains a query string or fragment; declare query parameters "
                "instead",
                ptr,
            )
        if path.count("{") != path.count("}") or re.search(r"\{[^}]*\{|\{\}", path):
            yield spec.diagnostic(f"path {path!r} has unbalanced or empty {{}} braces", ptr)
        names = _PATH_PARAM_RE.findall(path)
        for name in sorted({n for n in names if names.count(n) > 1}):
            yield spec.diagnostic(
                f"path {path!r} names {{{name}}} more than once; a path parameter can stand "
                "in one place only (rename one, e.g. {" + name + "_2})",
                ptr,
            )
        by_shape[_PATH_PARAM_RE.sub("{}", path)].append(path)
    for shape_paths in by_shape.values():
        if len(shape_paths) > 1:
            listed = ", ".join(repr(p) for p in shape_paths)
            for path in shape_paths:
                yield spec.diagnostic(
                    f"paths {listed} are the same route with different parameter names; "
                    "use one spelling",
                    pointer("paths", path),
                )


def _tag_errors(spec: LoadedSpec) -> Iterator[Diagnostic]:
    """The first tag of an operation becomes a module and a class: two tags must not share
    one name (`naming.tag_words` makes one for a tag without ASCII letters or digits)."""
    tag_paths: dict[str, list[str]] = defaultdict(list)
    tag_pointers: dict[str, str] = {}
    for path, method, operation, _item in iter_operations(spec.data):
        tags = operation.get("tags")
        op_ptr = pointer("paths", path, method)
        if isinstance(tags, list) and tags:
            tag, tag_ptr = tags[0], op_ptr + "/tags/0"
        else:
            tag, tag_ptr = "default", op_ptr
        if not isinstance(tag, str):
            continue
        tag_paths[tag].append(path)
        tag_pointers.setdefault(tag, tag_ptr)
    by_module: dict[str, dict[str, str]] = defaultdict(dict)
    for tag, paths in tag_paths.items():
        module = tag_module(tag, paths)
        by_module[module][tag] = tag_pointers[tag]
    for module, tags_here in by_module.items():
        if len(tags_here) > 1:
            listed = ", ".join(repr(t) for t in sorted(tags_here))
            for tag in sorted(tags_here):
                yield spec.diagnostic(
                    f"tags {listed} collide as the Python module {module!r} (an operation's "
                    "first tag names its module); rename one",
                    tags_here[tag],
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
            if not isinstance(param, dict):
                continue
            key = (str(param.get("name")), str(param.get("in")))
            if key in seen_here:
                yield spec.diagnostic(
                    f"parameter {key[0]!r} in {key[1]} is declared twice", param_ptr
                )
            seen_here.add(key)
            declared[key] = param_ptr
    in_template = _PATH_PARAM_RE.findall(path)
    for name in in_template:
        if (name, "path") not in declared:
            yield spec.diagnostic(
                f"path parameter {{{name}}} is not declared for {method.upper()} {path}", op_ptr
            )
    for (name, where), param_ptr in sorted(declared.items()):
        if where == "path" and name not in in_template:
            yield spec.diagnostic(
                f"path parameter {name!r} is declared for {method.upper()} but {path!r} has no "
                f"{{{name}}}",
                param_ptr,
            )


def _body_errors(spec: LoadedSpec, op_ptr: str, operation: dict[str, Any]) -> Iterator[Diagnostic]:
    data = spec.data
    body = deref(data, operation.get("requestBody"))
    if isinstance(body, dict):
        content = body.get("content") or {}
        usable = [m for m in content if media_kind(m) is not None]
        if content and not usable:
            listed = ", ".join(sorted(content))
            yield spec.diagnostic(
                f"request body media type(s) {listed} not supported; supported: "
                + ", ".join(SUPPORTED_REQUEST_MEDIA),
                op_ptr + "/requestBody/content",
            )
    for status, raw in (operation.get("responses") or {}).items():
        response = deref(data, raw)
        if not isinstance(response, dict):
            continue
        for media, media_obj in (response.get("content") or {}).items():
            # Without a schema the body is typed `Any` and the stub answers the example; with
            # neither there is nothing to type or to answer.
            if (
                media_kind(media) == "json"
                and isinstance(media_obj, dict)
                and "schema" not in media_obj
                and "example" not in media_obj
                and not media_obj.get("examples")
            ):
                yield spec.diagnostic(
                    f"response {status} declares {media} content but no schema (nor an "
                    "example); add `schema: {}` if it may be any JSON",
                    op_ptr + pointer("responses", status, "content", media),
                )
