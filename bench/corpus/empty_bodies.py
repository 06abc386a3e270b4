"""Create bodies that admit no value, proved from the schema alone: the round trip reports
such a collection as not checkable, with the reason and where, instead of a failure.

Some documents contradict themselves: e-conomic's `Employee` has `additionalProperties:
false`, yet requires `canApprove` and `canInvoice`, which its `properties` do not declare. No
object is valid against it, so no client can create an employee its own stub (or any server
checking the schema) would accept. Only this case is recognised, mechanically, never by
trying values: one schema object that an instance must satisfy (the body's schema, a `$ref`'s
target, an `allOf` member, recursively) requires a property absent from its `properties`
under `additionalProperties: false`, with no `patternProperties` that could admit it. The
body is sent as an object (the client's method takes a model or a mapping), so a schema
that requires properties of objects admits none that could be sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from generator.document import pointer, ref_pointer, resolve_pointer

REASON = "its create's body admits no object"
_MAX_DEPTH = 16


def contradiction(spec: Mapping[str, Any], op: Any, media: str) -> str | None:
    """Why no body of `media` can be sent to `op` (the stub's `Operation`), with the JSON
    pointer of the schema object that refuses every object, in the document the stub serves
    (its openapi.json); None when no such case is proved."""
    body = op.raw.get("requestBody")
    where = pointer("paths", op.path, op.method.lower(), "requestBody")
    if isinstance(body, Mapping) and isinstance(body.get("$ref"), str):
        where, body = ref_pointer(body["$ref"]), _target(spec, body["$ref"])
    content = body.get("content") if isinstance(body, Mapping) else None
    media_object = content.get(media) if isinstance(content, Mapping) else None
    schema = media_object.get("schema") if isinstance(media_object, Mapping) else None
    if not isinstance(schema, Mapping):
        return None
    start = where + pointer("content", media, "schema")
    for found, node in _all_at_once(spec, schema, start):
        missing = _undeclared_required(node)
        if missing:
            names = ", ".join(missing)
            return (
                f"{REASON}: #{found} requires {names}, not among its properties, under "
                "additionalProperties: false"
            )
    return None


def count_line(results: list[dict[str, Any]]) -> str:
    """The summary's line: how many collections (in how many documents) were not checkable
    because their create's body admits no object."""
    counts = [
        sum(1 for why in r.get("roundtrip", {}).get("unchecked", {}).values() if REASON in why)
        for r in results
    ]
    collections, documents = sum(counts), sum(1 for c in counts if c)
    return (
        f"  of those not checkable, a create's body admits no object (a required property"
        f" undeclared under additionalProperties: false): {collections} in {documents} documents"
    )


def _all_at_once(
    spec: Mapping[str, Any], node: Mapping[str, Any], pointer: str, depth: int = 0
) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """The schema objects an instance of `node` must satisfy all at once, with their
    pointers: a `$ref`'s target (its siblings aside, as OpenAPI 3.0 reads them), else `node`
    itself and its `allOf` members. `anyOf` and `oneOf` are not followed: one refusing branch
    proves nothing."""
    if depth > _MAX_DEPTH:
        return
    ref = node.get("$ref")
    if isinstance(ref, str):
        target = _target(spec, ref)
        if isinstance(target, Mapping):
            yield from _all_at_once(spec, target, ref_pointer(ref), depth + 1)
        return
    yield pointer, node
    members = node.get("allOf")
    for index, member in enumerate(members if isinstance(members, list) else []):
        if isinstance(member, Mapping):
            yield from _all_at_once(spec, member, f"{pointer}/allOf/{index}", depth + 1)


def _undeclared_required(node: Mapping[str, Any]) -> list[str]:
    """The names `node` requires that nothing in it can admit: not among its `properties`,
    under `additionalProperties: false`, matched by none of its `patternProperties`."""
    if node.get("additionalProperties") is not False:
        return []
    required = node.get("required")
    properties = node.get("properties")
    declared = set(properties) if isinstance(properties, Mapping) else set()
    patterns = node.get("patternProperties")
    patterns = list(patterns) if isinstance(patterns, Mapping) else []
    return [
        str(name)
        for name in (required if isinstance(required, list) else [])
        if name not in declared and not any(_matches(p, str(name)) for p in patterns)
    ]


def _matches(pattern: str, name: str) -> bool:
    """Whether a `patternProperties` pattern admits `name`; a pattern Python cannot read
    might, so it counts as admitting it."""
    try:
        return re.search(pattern, name) is not None
    except re.error:
        return True


def _target(spec: Mapping[str, Any], ref: str) -> Any:
    """What a local `$ref` (`#/components/schemas/Employee`) points at, or None."""
    try:
        return resolve_pointer(spec, ref)
    except KeyError:
        return None
