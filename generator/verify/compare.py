"""A response body against the schema the spec declares for it: the differences, each with a
JSON pointer into the body and one into the spec (the schema node a correction changes).

Kinds: `unknown-field` (a property the schema does not declare, where it does not allow
others explicitly), `missing-field` (a required property absent), `wrong-type`,
`unexpected-null` (null where the schema does not allow it), `new-enum-value`. The same
difference met in every item of a list is reported once, at its first pointer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..document import deref, pointer, ref_pointer

JSON_TYPES = ("null", "boolean", "integer", "number", "string", "array", "object")


@dataclass(frozen=True)
class Difference:
    """One way a live answer differs from the spec. `schema` points into the spec at the node
    a correction changes; `sample` is the observed value (not in the report)."""

    kind: str
    pointer: str
    expected: Any
    observed: Any
    schema: str = ""
    sample: Any = field(default=None, compare=False)

    @property
    def name(self) -> str:
        """The property a field difference is about: the pointer's last token."""
        return self.pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def declared_types(schema: dict[str, Any]) -> list[str]:
    kind = schema.get("type")
    if isinstance(kind, str):
        return [kind]
    return [k for k in kind if isinstance(k, str)] if isinstance(kind, list) else []


class Checker:
    """Compares bodies with the schemas of one document (local `$ref`s followed)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def check(self, schema: Any, schema_ptr: str, value: Any) -> list[Difference]:
        found: dict[tuple[str, str, str], Difference] = {}
        for difference in self._check(schema, schema_ptr, value, ""):
            key = (difference.kind, difference.schema, difference.name)
            found.setdefault(key, difference)
        return list(found.values())

    def _resolve(self, schema: Any, ptr: str) -> tuple[Any, str]:
        seen: set[str] = set()
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            ref = schema["$ref"]
            if ref in seen:
                break
            seen.add(ref)
            ptr = ref_pointer(ref)
            schema = deref(self.data, {"$ref": ref})
        return schema, ptr

    def allows_null(self, schema: Any, ptr: str = "") -> bool:
        schema, ptr = self._resolve(schema, ptr)
        if not isinstance(schema, dict):
            return True
        if "null" in declared_types(schema):
            return True
        branches = schema.get("anyOf") or schema.get("oneOf")
        if isinstance(branches, list):
            return any(self.allows_null(b) for b in branches)
        if "enum" in schema:
            return None in schema["enum"]
        return "type" not in schema and "allOf" not in schema and "properties" not in schema

    def _check(self, schema: Any, ptr: str, value: Any, at: str) -> list[Difference]:
        schema, ptr = self._resolve(schema, ptr)
        if not isinstance(schema, dict) or not schema:
            return []
        if value is None:
            if self.allows_null(schema, ptr):
                return []
            return [Difference("unexpected-null", at, self._expected(schema), None, ptr)]
        for keyword in ("anyOf", "oneOf"):
            branches = schema.get(keyword)
            if isinstance(branches, list) and branches:
                return self._branches(branches, ptr + pointer(keyword), value, at)
        types = declared_types(schema)
        observed = json_type(value)
        if types and observed not in types and not (observed == "integer" and "number" in types):
            return [Difference("wrong-type", at, self._expected(schema), observed, ptr, value)]
        enum = schema.get("enum")
        if isinstance(enum, list) and value not in enum:
            return [Difference("new-enum-value", at, list(enum), value, ptr, value)]
        if isinstance(value, dict):
            return self._object(schema, ptr, value, at)
        if isinstance(value, list) and "items" in schema:
            found = []
            for index, item in enumerate(value):
                found.extend(self._check(schema["items"], ptr + "/items", item, at + f"/{index}"))
            return found
        return []

    def _branches(self, branches: list[Any], ptr: str, value: Any, at: str) -> list[Difference]:
        """The differences of the closest branch; none when one branch takes the value."""
        best: list[Difference] | None = None
        for index, branch in enumerate(branches):
            if value is not None and declared_types(self._resolve(branch, "")[0]) == ["null"]:
                continue
            found = self._check(branch, ptr + f"/{index}", value, at)
            if not found:
                return []
            if best is None or len(found) < len(best):
                best = found
        if best is None:  # only null branches: the value's type is new
            return [Difference("wrong-type", at, "null", json_type(value), ptr, value)]
        return best

    def _object(
        self, schema: dict[str, Any], ptr: str, value: dict[str, Any], at: str
    ) -> list[Difference]:
        properties: dict[str, tuple[Any, str]] = {}
        required: list[str] = []
        extra: Any = schema.get("additionalProperties")
        parts = [(schema, ptr)]
        for index, part in enumerate(schema.get("allOf") or []):
            parts.append(self._resolve(part, ptr + f"/allOf/{index}"))
        for part, part_ptr in parts:
            if not isinstance(part, dict):
                continue
            for name, sub in (part.get("properties") or {}).items():
                properties.setdefault(name, (sub, part_ptr + pointer("properties", name)))
            required.extend(r for r in part.get("required") or [] if isinstance(r, str))
            if extra is None and "additionalProperties" in part:
                extra = part["additionalProperties"]
        found: list[Difference] = []
        for name in dict.fromkeys(required):
            if name not in value:
                sub = properties.get(name, ({}, ptr))[0]
                expected = self._expected(self._resolve(sub, "")[0])
                found.append(Difference("missing-field", at + pointer(name), expected, None, ptr))
        for name, item in value.items():
            if name in properties:
                sub, sub_ptr = properties[name]
                found.extend(self._check(sub, sub_ptr, item, at + pointer(name)))
            elif isinstance(extra, dict):
                found.extend(
                    self._check(extra, ptr + "/additionalProperties", item, at + pointer(name))
                )
            elif extra is not True and (properties or extra is False):
                found.append(
                    Difference(
                        "unknown-field", at + pointer(name), None, json_type(item), ptr, item
                    )
                )
        return found

    def _expected(self, schema: Any) -> str:
        """The schema's types in words: `integer`, `string | null`, `object`."""
        if not isinstance(schema, dict):
            return "any"
        types = declared_types(schema)
        if not types:
            branches = schema.get("anyOf") or schema.get("oneOf") or []
            for branch in branches:
                for kind in declared_types(self._resolve(branch, "")[0]) or ["object"]:
                    if kind not in types:
                        types.append(kind)
        if not types and ("properties" in schema or "allOf" in schema):
            types = ["object"]
        return " | ".join(types) or "any"


def infer_schema(value: Any) -> dict[str, Any]:
    """A schema that takes `value` (and values shaped like it): what an added field is given."""
    kind = json_type(value)
    if kind == "null":
        return {}
    if kind == "array":
        return {"type": "array", "items": infer_schema(value[0]) if value else {}}
    if kind == "object":
        return {
            "type": "object",
            "properties": {name: infer_schema(item) for name, item in value.items()},
        }
    return {"type": kind}
