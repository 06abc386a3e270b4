"""Round 2 of validation: references. Dangling, remote and multi-file `$ref`s, a `$ref` to the
wrong kind of object, path item `$ref`s, discriminator mappings that lead nowhere, and cycles
of pure `$ref`s or of `allOf` (the validator itself recurses forever on those)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..document import (
    component_schemas,
    iter_refs,
    iter_schema_dicts,
    pointer,
    pointer_tokens,
    ref_pointer,
    resolve_pointer,
)
from ..errors import Diagnostic
from ..load import LoadedSpec

COMPONENT_KINDS = {
    "schemas": "schema",
    "responses": "response",
    "parameters": "parameter",
    "examples": "example",
    "requestBodies": "request body",
    "headers": "header",
    "securitySchemes": "security scheme",
    "links": "link",
    "callbacks": "callback",
    "pathItems": "path item",
}


def position_kind(tokens: list[str]) -> str | None:
    """What kind of object a `$ref` stands for, from where it sits (`None`: cannot tell)."""
    if tokens[:2] == ["components", "schemas"]:
        return "schemas"
    for index, token in enumerate(tokens):
        if token == "schema" and (
            index == 0
            or tokens[index - 1] not in ("headers", "examples", "links", "callbacks", "properties")
        ):
            return "schemas"
    if len(tokens) == 3 and tokens[0] == "components" and tokens[1] in COMPONENT_KINDS:
        return tokens[1]
    if len(tokens) == 2 and tokens[0] in ("paths", "webhooks"):
        return "pathItems"
    if tokens and tokens[-1] == "requestBody":
        return "requestBodies"
    if len(tokens) >= 2:
        parent = tokens[-2]
        if parent == "parameters" and tokens[-1].isdigit():
            return "parameters"
        if parent in ("responses", "headers", "examples", "links", "callbacks"):
            return {
                "responses": "responses",
                "headers": "headers",
                "examples": "examples",
                "links": "links",
                "callbacks": "callbacks",
            }[parent]
    return None


def reference_errors(spec: LoadedSpec) -> Iterator[Diagnostic]:
    data = spec.data
    base = spec.location.parent if spec.location is not None else Path(spec.path).parent
    for ptr, ref in iter_refs(data):
        holder = pointer_tokens(ptr)[:-1]
        kind = position_kind(holder)
        if kind == "pathItems" and holder[0] == "paths":
            yield spec.diagnostic(
                f"path item $ref {ref!r} is not supported; write the operations under the path "
                "itself",
                ptr,
            )
            continue
        if not ref.startswith("#"):
            target = ref.split("#", 1)[0]
            if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target):
                yield spec.diagnostic(
                    f"remote $ref {ref!r} is not supported; bundle the document into one file "
                    "(for example `npx @redocly/cli bundle`)",
                    ptr,
                )
            elif not (base / target).is_file():
                yield spec.diagnostic(
                    f"$ref {ref!r}: file {target!r} does not exist (looked in the spec's "
                    "directory)",
                    ptr,
                )
            else:
                yield spec.diagnostic(
                    f"$ref {ref!r} refers to another file; multi-file specs are not supported "
                    "yet: bundle the document into one file (for example `npx @redocly/cli "
                    "bundle`)",
                    ptr,
                )
            continue
        try:
            target_value = resolve_pointer(data, ref)
        except KeyError:
            yield spec.diagnostic(f"$ref {ref!r} points to nothing", ptr)
            continue
        target_tokens = pointer_tokens(ref_pointer(ref))
        target_kind = (
            target_tokens[1]
            if len(target_tokens) >= 3 and target_tokens[0] == "components"
            else None
        )
        if kind == "schemas" and position_kind(target_tokens) == "schemas":
            # a schema wherever it sits (a parameter's, one in a response): normalise moves
            # it to components.schemas
            if not isinstance(target_value, dict | bool):
                yield spec.diagnostic(f"$ref {ref!r} points to a value that is no schema", ptr)
        elif kind == "schemas" and target_kind is None:
            yield spec.diagnostic(
                f"schema $ref {ref!r} points to something that is no schema (a schema sits "
                "under #/components/schemas or where OpenAPI has a `schema`)",
                ptr,
            )
        elif kind == "schemas" and target_kind != "schemas":
            yield spec.diagnostic(
                f"$ref {ref!r} is where a schema belongs, but points to "
                f"{_a(COMPONENT_KINDS.get(str(target_kind), str(target_kind)))}",
                ptr,
            )
        elif kind not in (None, "schemas") and target_kind is not None and target_kind != kind:
            yield spec.diagnostic(
                f"$ref {ref!r} is where {_a(COMPONENT_KINDS[kind])} belongs, but points to "
                f"{_a(COMPONENT_KINDS.get(target_kind, target_kind))}",
                ptr,
            )
        elif kind not in (None, "schemas") and not isinstance(target_value, dict):
            yield spec.diagnostic(f"$ref {ref!r} points to a value that is not an object", ptr)
    yield from _discriminator_errors(spec)
    yield from _cycle_errors(spec)


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def _discriminator_errors(spec: LoadedSpec) -> Iterator[Diagnostic]:
    schemas = component_schemas(spec.data)
    for where, node in iter_schema_dicts(spec.data.get("components"), "/components"):
        discriminator = node.get("discriminator")
        if not isinstance(discriminator, dict):
            continue
        mapping = discriminator.get("mapping")
        if not isinstance(mapping, dict):
            continue
        for value_name, target in mapping.items():
            at = where + pointer("discriminator", "mapping", value_name)
            if not isinstance(target, str):
                continue
            if target.startswith("#"):
                try:
                    resolve_pointer(spec.data, target)
                except KeyError:
                    yield spec.diagnostic(
                        f"discriminator mapping {value_name!r} -> {target!r} points to nothing", at
                    )
            elif "/" in target or "." in target:
                yield spec.diagnostic(
                    f"discriminator mapping {value_name!r} -> {target!r} refers to another file; "
                    "not supported",
                    at,
                )
            elif target not in schemas:
                yield spec.diagnostic(
                    f"discriminator mapping {value_name!r} -> {target!r}: no schema of that name "
                    "in #/components/schemas",
                    at,
                )


def _cycle_errors(spec: LoadedSpec) -> Iterator[Diagnostic]:
    """`A: {$ref: B}`, `B: {$ref: A}` names nothing; `A: {allOf: [{$ref: A}]}` extends itself.
    Both are infinite: the validator and the model generator recurse forever on them."""
    data = spec.data
    reported: set[frozenset[str]] = set()

    def edges(ptr: str) -> list[tuple[str, str]]:
        """(how, target pointer) for what the node at `ptr` *is made of*."""
        try:
            node = resolve_pointer(data, "#" + ptr)
        except KeyError:
            return []
        result = []
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str) and node["$ref"].startswith("#"):
                result.append(("$ref", ref_pointer(node["$ref"])))
            members = node.get("allOf")
            for index in range(len(members) if isinstance(members, list) else 0):
                result.append(("allOf", ptr + pointer("allOf", index)))
        return result

    def walk(start: str) -> list[str] | None:
        path = [start]
        on_path = {start}
        stack = [iter(edges(start))]
        while stack:
            step = next(stack[-1], None)
            if step is None:
                stack.pop()
                on_path.discard(path.pop())
                continue
            target = step[1]
            if target in on_path:
                return [*path[path.index(target) :], target]
            if len(path) > 200:
                return None
            path.append(target)
            on_path.add(target)
            stack.append(iter(edges(target)))
        return None

    starts = [ptr[: -len("/$ref")] for ptr, _ in iter_refs(data)]
    starts += [
        where
        for where, node in iter_schema_dicts(data.get("components"), "/components")
        if isinstance(node.get("allOf"), list)
    ]
    for start in sorted(set(starts)):
        cycle = walk(start)
        if cycle is None or frozenset(cycle) in reported:
            continue
        reported.add(frozenset(cycle))
        names = [_component_name(p) for p in cycle]
        shown = " -> ".join(n for i, n in enumerate(names) if i == 0 or n != names[i - 1])
        if any("/allOf/" in p for p in cycle):
            message = (
                f"schema cycle through allOf ({shown}): a schema cannot extend itself; "
                "recursion is only supported through properties or items"
            )
        else:
            message = f"circular $ref chain ({shown}): these references never reach a schema"
        yield spec.diagnostic(message, min(cycle, key=lambda p: (spec.line_of(p) or 0, p)))


def _component_name(ptr: str) -> str:
    tokens = pointer_tokens(ptr)
    if len(tokens) >= 3 and tokens[0] == "components":
        return tokens[2]
    return ptr
