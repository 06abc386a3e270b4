"""Round 4 of validation: what the OpenAPI schema cannot say but the generated code needs.
Unique operationIds, declared path parameters, usable bodies, routes that are paths. (Names
that collide in Python are no problem of the document's: `ir.naming` numbers them.)"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from ..document import (
    PATH_PARAM,
    deref,
    iter_operations,
    media_kind,
    pointer,
    route_path,
)
from ..errors import Diagnostic
from ..load import LoadedSpec

# Media types the client and stub know how to send and receive (named in the message).
SUPPORTED_REQUEST_MEDIA = ("application/json", "multipart/form-data", "application/octet-stream")


def semantic_errors(spec: LoadedSpec) -> Iterator[Diagnostic]:
    data = spec.data
    by_operation_id: dict[str, list[str]] = defaultdict(list)
    for path, method, operation, item in iter_operations(data):
        op_ptr = pointer("paths", path, method)
        op_id = operation.get("operationId")
        if isinstance(op_id, str):
            by_operation_id[op_id].append(op_ptr)
        yield from _parameter_errors(spec, path, method, operation, item)
        yield from _body_errors(spec, op_ptr, operation)
    for op_id, places in by_operation_id.items():
        if len(places) > 1:
            for place in places:
                yield spec.diagnostic(f"duplicate operationId {op_id!r}", place + "/operationId")
    yield from _path_errors(spec)


def _path_errors(spec: LoadedSpec) -> Iterator[Diagnostic]:
    """Paths that cannot be routes, and paths that are one route under two spellings."""
    paths = spec.data.get("paths")
    by_shape: dict[str, list[str]] = defaultdict(list)
    for path in paths if isinstance(paths, dict) else ():
        if path.startswith("x-"):
            continue
        ptr = pointer("paths", path)
        sent = route_path(path)
        if sent != path:
            yield spec.warning(
                f"path {path!r} contains a query string or fragment: the client sends "
                f"{sent!r} (that part is not sent; it only tells operations apart), and the "
                "stub does not serve it",
                ptr,
            )
        if path.count("{") != path.count("}") or re.search(r"\{[^}]*\{|\{\}", path):
            yield spec.diagnostic(f"path {path!r} has unbalanced or empty {{}} braces", ptr)
        names = PATH_PARAM.findall(sent)
        for name in sorted({n for n in names if names.count(n) > 1}):
            yield spec.diagnostic(
                f"path {path!r} names {{{name}}} more than once; a path parameter can stand "
                "in one place only (rename one, e.g. {" + name + "_2})",
                ptr,
            )
        if sent == path:
            by_shape[PATH_PARAM.sub("{}", path)].append(path)
    for shape_paths in by_shape.values():
        if len(shape_paths) > 1:
            listed = ", ".join(repr(p) for p in shape_paths)
            for path in shape_paths[:1]:  # one problem, said once
                yield spec.warning(
                    f"paths {listed} are the same route with different parameter names: the "
                    "client sends each operation as declared, and the stub serves them as one "
                    "route",
                    pointer("paths", path),
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
    in_template = PATH_PARAM.findall(route_path(path))
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
            yield spec.warning(
                f"request body media type(s) {listed} not supported (supported: "
                + ", ".join(SUPPORTED_REQUEST_MEDIA)
                + f"): the client sends raw bytes as {sorted(content)[0]}",
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
                yield spec.warning(
                    f"response {status} declares {media} content but no schema (nor an "
                    "example): the client returns it as untyped JSON (Any)",
                    op_ptr + pointer("responses", status, "content", media),
                )
