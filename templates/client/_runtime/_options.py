"""Per-request options of the generated methods: ``extra_headers``, ``extra_query``,
``extra_body`` and ``timeout``.

Every generated method takes them after its own arguments, for what the spec does not
describe (a header a proxy needs, a query flag or body field the API accepts but the spec
omits, a slower call). They are merged over what the method itself sends: an extra header
replaces the method's header of the same name (case-insensitively), an extra query
parameter or body field the one of the same name. ``timeout`` is seconds or an
``httpx.Timeout`` for this call only; ``None`` waits forever.

An ``extra_body`` is merged into a JSON object body or an upload's fields; it cannot be
combined with a raw (bytes, text or form-encoded) body, which has no fields to merge into.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeAlias

import httpx

from ._encoding import FileContent, encode_headers, encode_json
from ._sentinel import NotGiven

__all__ = [
    "ExtraBody",
    "ExtraHeaders",
    "ExtraQuery",
    "RequestTimeout",
    "merge_body",
    "merge_headers",
    "merge_query",
]

ExtraHeaders: TypeAlias = Mapping[str, str]
ExtraQuery: TypeAlias = Mapping[str, object]
ExtraBody: TypeAlias = Mapping[str, object]
RequestTimeout: TypeAlias = float | httpx.Timeout | None


def merge_query(
    query: Mapping[str, object] | None, extra: ExtraQuery | None
) -> Mapping[str, object] | None:
    """The method's query parameters with ``extra`` over them."""
    if not extra:
        return query
    return {**(query or {}), **extra}


def merge_headers(
    headers: Mapping[str, object] | None, extra: ExtraHeaders | None
) -> Mapping[str, object] | None:
    """The method's headers with ``extra`` over them, names compared case-insensitively
    (a header must not travel twice because two spellings of its name were given)."""
    if not extra:
        return headers
    replaced = {name.lower() for name in extra}
    merged: dict[str, object] = {
        name: value
        for name, value in (headers or {}).items()
        if name.lower() not in replaced
    }
    merged.update(encode_headers(extra) or {})
    return merged


def merge_body(
    json: object,
    multipart: Mapping[str, object] | None,
    content: FileContent | NotGiven,
    extra: ExtraBody | None,
) -> tuple[object, Mapping[str, object] | None]:
    """``(json, multipart)`` with the fields of ``extra`` merged into the one that is sent;
    a method without a body sends ``extra`` alone as its JSON body."""
    if not extra:
        return json, multipart
    if not isinstance(content, NotGiven):
        raise ValueError("extra_body cannot be merged into a raw (non-JSON) request body")
    if multipart is not None:
        return json, {**multipart, **extra}
    if isinstance(json, NotGiven) or json is None:
        return dict(extra), None
    data = encode_json(json)
    if not isinstance(data, Mapping):
        raise ValueError("extra_body can only be merged into a JSON object body")
    return {**data, **extra}, None

