"""The IR builder: a regular document (see `normalise`) and its models, read into an `Api`.

Operations are read one by one (`operations.OperationReader`), grouped into tags under the
names `naming.tag_names` gives them, and sorted by path and method, so that no key order of
the spec leaks into the output. Document-wide facts (authentication, base URL, the models a
webhook may carry) are read here.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..document import HTTP_METHODS, deref, iter_operations
from .imports import annotation_imports, runtime_imports
from .naming import RESOURCE_ATTRIBUTES, tag_names
from .operations import OperationReader, text
from .security import auth_schemes, requirement
from .types import Api, Operation, Tag

if TYPE_CHECKING:
    from ..models import ModelsModule


def build_api(
    data: dict[str, Any],
    models: ModelsModule,
    *,
    spec_path: str,
    api_key_env: str,
    base_url_env: str = "",
) -> Api:
    """Read a normalised document and its models into the IR."""
    reader = OperationReader(data, models)
    names = tag_names(data)
    grouped: dict[str, list[Operation]] = defaultdict(list)
    for path, method, op, item in iter_operations(data):
        operation = reader.operation(path, method, op, item)
        grouped[names[operation.tag].module].append(operation)
    by_module = {n.module: n for n in names.values()}  # tags sharing a module share names
    descriptions = {t.get("name"): text(t.get("description")) for t in data.get("tags") or []}
    tags = []
    for module in sorted(grouped):
        operations = sorted(
            grouped[module], key=lambda o: (o.path, HTTP_METHODS.index(o.method.lower()))
        )
        operations = _unique_methods(operations)
        model_imports, other_imports = annotation_imports(operations, models)
        tag = by_module[module]
        tags.append(
            Tag(
                name=tag.tag,
                module=module,
                attribute=tag.attribute,
                class_name=tag.class_name,
                resource_class=tag.resource_class,
                async_resource_class=tag.async_resource_class,
                description=descriptions.get(tag.tag, ""),
                operations=tuple(operations),
                model_imports=model_imports,
                other_imports=other_imports,
                runtime_imports=runtime_imports(operations),
            )
        )
    header, scheme = _auth(data)
    info = data.get("info") or {}
    return Api(
        title=text(info.get("title")) or "API",
        version=str(info.get("version", "")),
        description=text(info.get("description")),
        base_url=_base_url(data),
        spec_path=spec_path,
        auth_header=header,
        auth_scheme=scheme,
        api_key_env_var=api_key_env,
        base_url_env_var=base_url_env,
        tags=tuple(tags),
        models_source=models.source,
        webhook_record_types=_record_types(reader),
        auth_schemes=auth_schemes(data),
        security=requirement(data.get("security")),
    )


def _unique_methods(operations: list[Operation]) -> list[Operation]:
    """Operations whose methods would share a name (`getUser`, `get_user`) in one resource:
    the one whose operationId is spelled as the method (else the first, by path and method)
    keeps it, the others have it with a number (`get_user_2`), as does one named like a
    resource's own attribute (`RESOURCE_ATTRIBUTES`)."""
    taken = {op.python_name for op in operations} | set(RESOURCE_ATTRIBUTES)
    order = sorted(
        range(len(operations)),
        key=lambda i: (operations[i].operation_id != operations[i].python_name, i),
    )
    seen: set[str] = set(RESOURCE_ATTRIBUTES)
    result = list(operations)
    for i in order:
        op = operations[i]
        if op.python_name in seen:
            name, index = op.python_name, 2
            while f"{name}_{index}" in taken:
                index += 1
            op = replace(op, python_name=f"{name}_{index}")
            taken.add(op.python_name)
        seen.add(op.python_name)
        result[i] = op
    return result


def _auth(data: dict[str, Any]) -> tuple[str, str]:
    """The header that carries the key and the word before it (`Api-Key`, `Bearer`, or none)."""
    schemes = (data.get("components") or {}).get("securitySchemes") or {}
    for name in sorted(schemes):
        scheme = deref(data, schemes[name])
        if scheme.get("type") == "apiKey" and scheme.get("in") == "header":
            prefix = scheme.get("x-api-key-prefix")
            return str(scheme.get("name")), str(prefix) if isinstance(prefix, str) else ""
        if scheme.get("type") == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
            return "Authorization", "Bearer"
        if scheme.get("type") in ("oauth2", "openIdConnect"):  # access tokens: RFC 6750
            return "Authorization", "Bearer"
    return "Authorization", ""


def _base_url(data: dict[str, Any]) -> str:
    servers = data.get("servers") or []
    if not servers or not isinstance(servers[0], dict):
        return "http://localhost"
    url = str(servers[0].get("url", ""))
    for name, variable in (servers[0].get("variables") or {}).items():
        url = url.replace("{" + name + "}", str(variable.get("default", "")))
    if not re.match(r"^https?://", url):
        return "http://localhost" + ("" if url.startswith("/") or not url else "/") + url
    return url.rstrip("/")


def _record_types(reader: OperationReader) -> tuple[tuple[str, str], ...]:
    """Models a webhook `record_type` may name: the responses of single-record GETs."""
    found: set[tuple[str, str]] = set()
    for path, method, op, _item in iter_operations(reader.data):
        if method == "get" and path.rstrip("/").endswith("}"):
            shape = reader.response(op)
            if shape.kind == "json" and shape.type_hint in reader.models.classes:
                found.add((shape.type_hint, shape.type_hint))
    return tuple(sorted(found))
