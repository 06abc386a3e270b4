"""Walking an OpenAPI document: JSON pointers, local `$ref`s, operations and media types.

Every stage reads the same document shapes (validate, normalise, models, the IR builder and
diff), so the helpers that find their way around it live here, beside no stage's logic.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
SCHEMA_REF = "#/components/schemas/"
# Keys whose values are data, not OpenAPI objects: a "$ref" key there is just a value.
DATA_KEYS = ("example", "examples", "default", "const", "enum")


def escape_pointer_token(token: str) -> str:
    """Escape one reference token for a JSON pointer (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def pointer(*tokens: object) -> str:
    """Build a JSON pointer from path tokens."""
    return "".join("/" + escape_pointer_token(str(t)) for t in tokens)


def pointer_tokens(ptr: str) -> list[str]:
    """`/paths/~1a/get` -> ['paths', '/a', 'get']."""
    return [t.replace("~1", "/").replace("~0", "~") for t in ptr.split("/")[1:]]


def ref_pointer(ref: str) -> str:
    """`#/components/schemas/A` -> `/components/schemas/A` (a pointer into this document)."""
    return unquote(ref[1:]) if ref.startswith("#") else ""


def resolve_pointer(document: Any, ref: str) -> Any:
    """Follow a local `#/a/b` reference; raise KeyError when it leads nowhere."""
    try:
        return _resolve(document, ref)
    except KeyError:
        if "%" not in ref:
            raise
        return _resolve(document, unquote(ref))  # a URI fragment may be percent-encoded


def _resolve(document: Any, ref: str) -> Any:
    node = document
    if not ref.startswith("#") or (len(ref) > 1 and not ref.startswith("#/")):
        raise KeyError(ref)
    for raw in ref[2:].split("/") if ref not in ("#", "#/") else []:
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise KeyError(ref)
    return node


# OpenAPI 3, Parameter Object: a header parameter of these names "SHALL be ignored"; the
# request body, the responses and the security schemes say them. (The stub's runtime,
# which cannot import this package, reads the same rule in spec_index.py.)
IGNORED_HEADERS = frozenset({"accept", "authorization", "content-type"})


def ignored_parameter(param: Any) -> bool:
    """Whether a (dereferenced) parameter is one OpenAPI says to ignore (`IGNORED_HEADERS`)."""
    return (
        isinstance(param, dict)
        and param.get("in") == "header"
        and str(param.get("name", "")).lower() in IGNORED_HEADERS
    )


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


def iter_refs(value: Any, ptr: str = "") -> Iterator[tuple[str, str]]:
    """Yield (pointer of the $ref, target) for every `$ref` in the document."""
    stack: list[tuple[Any, str]] = [(value, ptr)]
    while stack:
        node, where = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                yield where + "/$ref", ref
            stack.extend(
                (child, where + pointer(key))
                for key, child in reversed(list(node.items()))
                if key not in DATA_KEYS
            )
        elif isinstance(node, list):
            stack.extend(
                (child, where + pointer(index)) for index, child in reversed(list(enumerate(node)))
            )


def iter_schema_dicts(value: Any, ptr: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every mapping under `value` (skipping data keys), with its pointer."""
    stack: list[tuple[Any, str]] = [(value, ptr)]
    while stack:
        node, where = stack.pop()
        if isinstance(node, dict):
            yield where, node
            stack.extend(
                (child, where + pointer(key)) for key, child in node.items() if key not in DATA_KEYS
            )
        elif isinstance(node, list):
            stack.extend((child, where + pointer(i)) for i, child in enumerate(node))


def iter_operations(
    data: dict[str, Any],
) -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """Yield (path, method, operation, path item) in document order."""
    paths = data.get("paths")
    for path, item in paths.items() if isinstance(paths, dict) else ():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                yield path, method, operation, item


def component_schemas(data: dict[str, Any]) -> dict[str, Any]:
    """`components.schemas`, or an empty mapping where the document has none."""
    components = data.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    return schemas if isinstance(schemas, dict) else {}


def route_path(path: str) -> str:
    """The path a request for a path key is sent to: without the `?query` or `#fragment`
    that some converted documents put in their keys to tell operations apart (AWS's
    `/#X-Amz-Target=Service.Action`), which is never sent."""
    return path.split("?", 1)[0].split("#", 1)[0] or "/"


PATH_PARAM = re.compile(r"\{([^{}]+)\}")
"""A parameter of a path template, its name the group (any text but braces)."""
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def router_path(path: str) -> str:
    """`path` as the stub's router (Starlette) matches it: a parameter whose name is no
    identifier (`{role-name}`), which it would take for literal text, renamed `{_p<n>}` by
    its position (the stub reads path parameters by position, see its `engine`)."""
    taken = set(PATH_PARAM.findall(path))
    count = 0

    def rename(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        name = match.group(1)
        if _IDENTIFIER.fullmatch(name):
            return match.group(0)
        new = f"_p{count}"
        while new in taken:
            new += "_"
        taken.add(new)
        return "{" + new + "}"

    return PATH_PARAM.sub(rename, path)


def media_kind(media: str) -> str | None:
    """Classify a media type: json, multipart, form, text (`text/plain`) or binary; None when
    unsupported."""
    base = media.split(";", 1)[0].strip().lower()
    if base == "text/plain":
        return "text"
    if base == "application/json" or base.endswith("+json") or base == "*/*":
        return "json"
    if base == "multipart/form-data":
        return "multipart"
    if base == "application/x-www-form-urlencoded":
        return "form"
    if base == "application/octet-stream" or base.startswith(
        ("image/", "application/pdf", "text/")
    ):
        return "binary"
    return None
