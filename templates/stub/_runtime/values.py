"""Build values that validate against a schema.

Two jobs, both so that every response the stub sends validates against the spec:

* :meth:`ValueBuilder.minimal` makes the smallest valid value of a schema: ``default`` if
  given, else the first ``enum`` value, ``null`` when allowed, a value of the right
  ``format`` (uuid, date-time, email, uri, hostname, ipv4, ipv6; a number or a time as
  text for ``decimal``, ``integer``, ``time``, which the client's models parse), strings of
  ``minLength``, numbers at ``minimum``, empty arrays, objects with their required
  properties built recursively (and more, up to ``minProperties``).
* :meth:`ValueBuilder.shape` fits a stored record to a response schema: it keeps the
  properties the schema names (each fitted recursively), drops the rest, coerces obvious
  mismatches (``True`` for a string field becomes ``"true"``) and fills missing required
  properties with minimal values.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from .envelopes import is_object
from .regex_sample import sample
from .schemas import SchemaTools, schema_types

_MAX_DEPTH = 12
_NIL_UUID = "00000000-0000-4000-8000-000000000000"
_MISSING = object()
_COMPONENT = "#/components/schemas/"
_FORMATTED = {
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "uri": "https://example.com/",
    "url": "https://example.com/",
    "iri": "https://example.com/",
    "hostname": "example.com",
    "idn-hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
}
# string formats the client's models read as another type (a Decimal, an int, a time): a
# value of it, before a pattern's shortest match ("" for nordigen's decimal amounts)
_READ_AS = {
    "decimal": "0",
    "integer": "0",
    "unixtime": "0",
    "time": "00:00:00",
    "duration": "PT0S",
}


def now_iso() -> str:
    """Now in UTC as ISO 8601 with a ``Z``, to the microsecond."""
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


class ValueBuilder:
    """Builds and fits values for schemas of one spec."""

    def __init__(self, tools: SchemaTools) -> None:
        self.tools = tools
        self._implied: dict[str, dict[str, str]] = {}  # by $ref: asked on every fit

    def minimal(self, schema: Any, depth: int = 0) -> Any:
        """The smallest value that validates against ``schema`` (best effort); an object of
        a component schema a discriminator names implicitly carries that name (``implied``)."""
        value = self._minimal(self.tools.resolve(schema), depth)
        named = self.implied(schema)
        if named and isinstance(value, dict) and self.tools.is_valid({**value, **named}, schema):
            return {**value, **named}
        return value

    def implied(self, schema: Any, depth: int = 0) -> dict[str, str]:
        """The discriminator values a ``$ref`` to a component schema implies, by property:
        Bitbucket's ``project`` is ``allOf: [object, {...}]`` and ``object`` discriminates by
        ``type`` with no mapping, so a project's ``type`` is ``"project"`` (OpenAPI's implicit
        mapping, which the generated models require: ``Literal["project"]``), else the key
        of the mapping that names it; a schema derived from such a one in turn takes its
        name, as the models inherit it (``ssh_account_key`` is ``allOf: [ssh_key, ...]``:
        ``"ssh_key"``). Without them a create sends, and the stub answers, ``type: ""``,
        which the client's model refuses."""
        ref = schema.get("$ref") if isinstance(schema, Mapping) else None
        if not isinstance(ref, str) or not ref.startswith(_COMPONENT):
            return {}
        if ref in self._implied:
            return self._implied[ref]
        name = ref[len(_COMPONENT) :]
        resolved = self.tools.resolve(schema)
        members = resolved.get("allOf") if isinstance(resolved, Mapping) else None
        named: dict[str, str] = {}
        for member in members if isinstance(members, list) else []:
            found = self.tools.resolve(member)
            rule = found.get("discriminator") if isinstance(found, Mapping) else None
            if not isinstance(rule, Mapping) or not isinstance(rule.get("propertyName"), str):
                if depth < _MAX_DEPTH:  # a schema derived from one that is (``ssh_key``)
                    named = {**self.implied(member, depth + 1), **named}
                continue
            mapping = rule.get("mapping")
            keys = [
                key
                for key, target in (mapping.items() if isinstance(mapping, Mapping) else ())
                if target in (ref, name)
            ]
            named[rule["propertyName"]] = str(keys[0]) if keys else name
        self._implied[ref] = named
        return named

    def _minimal(self, schema: Any, depth: int) -> Any:
        if not isinstance(schema, Mapping) or depth > _MAX_DEPTH:
            return None
        for candidate in self._candidates(schema, depth):
            if self.tools.is_valid(candidate, schema):
                return candidate
        return self._typed(schema, self._first_type(schema), depth)

    def _candidates(self, schema: Mapping[str, Any], depth: int) -> list[Any]:
        out: list[Any] = []
        if "default" in schema:
            out.append(schema["default"])
        if "const" in schema:
            out.append(schema["const"])
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            out.append(schema["enum"][0])
        if "allOf" in schema:
            # every member at once: their keywords merged into one schema, built as such
            out.append(self.minimal(self._merge_all_of(schema), depth + 1))
        for key in ("oneOf", "anyOf"):
            branches = schema.get(key) or []
            nullable = [b for b in branches if self.tools.resolve(b) == {"type": "null"}]
            if nullable:
                out.append(None)
            out.extend(self.minimal(branch, depth + 1) for branch in branches)
            for branch in branches if depth < _MAX_DEPTH else ():
                out.extend(self._branch_values(schema, key, branch, depth))
        types = schema_types(schema, self.tools)
        if "null" in types:
            out.append(None)
        return out

    def _branch_values(
        self, schema: Mapping[str, Any], key: str, branch: Any, depth: int
    ) -> list[Any]:
        """Values of one ``oneOf``/``anyOf`` branch read with the keywords beside it (a
        branch may only name the required properties its siblings describe): its minimal
        value, then, where that is valid under several branches (or none), the same with one
        more property it pins (an ``enum``, a ``const``) or with one item in an empty array."""
        merged = self._merge_all_of({"allOf": [_without(schema, key), branch]})
        value = self.minimal(merged, depth + 1)
        out = [value]
        if value == []:
            out.append([self.minimal(merged.get("items", {}), depth + 1)])
        if isinstance(value, dict):
            props = merged.get("properties") or {}
            for name in sorted(props):
                prop = self.tools.resolve(props[name])
                pins = isinstance(prop, Mapping) and ("const" in prop or bool(prop.get("enum")))
                if name not in value and pins:
                    out.append({**value, name: self.minimal(prop, depth + 1)})
        return out

    def _first_type(self, schema: Mapping[str, Any]) -> str:
        declared = schema.get("type")
        if isinstance(declared, list):
            non_null = [t for t in declared if t != "null"]
            return str(non_null[0]) if non_null else "null"
        if isinstance(declared, str):
            return declared
        if "properties" in schema or "required" in schema:
            return "object"
        if "items" in schema:
            return "array"
        return "any"

    def _typed(self, schema: Mapping[str, Any], kind: str, depth: int) -> Any:
        if kind == "string":
            return self._string(schema)
        if kind in {"integer", "number"}:
            return self._number(schema, kind)
        if kind == "boolean":
            return False
        if kind == "array":
            count = int(schema.get("minItems", 0) or 0)
            return [self.minimal(schema.get("items", {}), depth + 1) for _ in range(count)]
        if kind == "object":
            return self._object(schema, depth)
        return None

    def _object(self, schema: Mapping[str, Any], depth: int) -> dict[str, Any]:
        """The required properties; then, up to ``minProperties``, the optional ones by name,
        then entries ``key1``, ``key2``... of the ``additionalProperties`` schema (AWS
        AppConfig's ``Actions``: a map of one to five action lists)."""
        props = schema.get("properties") or {}
        value = {
            str(name): self.minimal(props.get(name, {}), depth + 1)
            for name in schema.get("required") or []
        }
        wanted = schema.get("minProperties")
        wanted = wanted if isinstance(wanted, int) and not isinstance(wanted, bool) else 0
        for name in sorted(props, key=str):
            if len(value) >= wanted:
                return value
            value.setdefault(str(name), self.minimal(props[name], depth + 1))
        extra = schema.get("additionalProperties", True)
        entry = extra if isinstance(extra, Mapping) else {}
        for index in range(1, wanted + 1) if extra is not False else ():
            if len(value) >= wanted:
                break
            value.setdefault(f"key{index}", self.minimal(entry, depth + 1))
        return value

    def _string(self, schema: Mapping[str, Any]) -> str:
        fmt = schema.get("format")
        if fmt == "uuid":
            return _NIL_UUID
        if fmt == "date-time":
            return now_iso()
        if fmt == "date":
            return date.today().isoformat()
        if fmt in _FORMATTED:  # a client's model checks these by a pattern or type of its own
            return _FORMATTED[fmt]
        if fmt in _READ_AS and self.tools.is_valid(_READ_AS[fmt], schema):
            return _READ_AS[fmt]
        length = int(schema.get("minLength", 0) or 0)
        pattern = schema.get("pattern")
        if isinstance(pattern, str):
            for stretch in (0, length):
                found = sample(pattern, stretch)
                if found is not None and self.tools.is_valid(found, schema):
                    return found
        return "x" * length

    def _number(self, schema: Mapping[str, Any], kind: str) -> int | float:
        step = 1 if kind == "integer" else 0.5
        value: float = 0
        low, high = schema.get("minimum"), schema.get("maximum")
        low_x, high_x = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
        if isinstance(low, int | float) and value < low:
            value = low
        if isinstance(low_x, int | float) and value <= low_x:
            value = low_x + step
        if isinstance(high, int | float) and value > high:
            value = high
        if isinstance(high_x, int | float) and value >= high_x:
            value = high_x - step
        return int(value) if kind == "integer" else float(value)

    def _merge_all_of(self, schema: Mapping[str, Any]) -> dict[str, Any]:
        """``schema`` with its ``allOf`` members' keywords merged in (recursively): the
        properties of all, the required names of all, any other keyword from the first that
        has it. A ``$ref`` to a string schema beside a description is a string."""
        merged: dict[str, Any] = {}
        for part in [_without(schema, "allOf"), *(schema.get("allOf") or [])]:
            part = self.tools.resolve(part)
            if not isinstance(part, Mapping):
                continue
            if "allOf" in part:
                part = self._merge_all_of(part)
            for key, value in part.items():
                if key == "properties" and isinstance(value, Mapping):
                    merged.setdefault("properties", {}).update(value)
                elif key == "required" and isinstance(value, list):
                    names = merged.setdefault("required", [])
                    names.extend(r for r in value if r not in names)
                else:
                    merged.setdefault(key, value)
        return merged

    def shape(self, value: Any, schema: Any, depth: int = 0) -> Any:
        """Fit ``value`` to ``schema``; returns a valid value whenever it can.

        What cannot be fitted (``{}`` for an answer whose schema is a bare string, say) gives
        way to the schema's minimal valid value."""
        result = self._fit(value, schema, depth)
        return self.minimal(schema, depth) if result is _MISSING else result

    def _fit(self, value: Any, schema: Any, depth: int) -> Any:
        fitted = self._fit_resolved(value, self.tools.resolve(schema), depth)
        named = self.implied(schema)
        if named and isinstance(fitted, dict) and self.tools.is_valid({**fitted, **named}, schema):
            return {**fitted, **named}
        return fitted

    def _fit_resolved(self, value: Any, schema: Any, depth: int) -> Any:
        if not isinstance(schema, Mapping) or depth > _MAX_DEPTH:
            return value
        if "allOf" in schema:
            # the keywords beside the allOf win (merged first), but their properties and
            # required names join the members' (an `Intent` is its base `ModelInfo` and more)
            schema = self._merge_all_of(schema)
        for key in ("oneOf", "anyOf"):
            if key in schema:
                return self._fit_branches(value, schema, key, depth)
        if isinstance(value, Mapping) and (schema.get("properties") or schema.get("required")):
            return self._fit_object(value, schema, depth)
        if not isinstance(value, Mapping) and _implicit_object(schema):
            return _MISSING  # valid JSON Schema, but an object to the client's model
        if isinstance(value, Mapping) and schema.get("type") == "array":
            value = [value]  # a record where the spec answers a list of them
        if isinstance(value, list) and "items" in schema:
            items = [self._fit(item, schema["items"], depth + 1) for item in value]
            value = [item for item in items if item is not _MISSING]
        if self.tools.is_valid(value, schema):
            return value
        coerced = _coerce(value, schema_types(schema, self.tools))
        if coerced is not _MISSING and self.tools.is_valid(coerced, schema):
            return coerced
        return _MISSING

    def _fit_branches(self, value: Any, schema: Mapping[str, Any], key: str, depth: int) -> Any:
        """``value`` fitted to the first of the ``key`` (oneOf, anyOf) branches it can be,
        each read with the keywords beside them: the properties an allOf merged in too (a
        record of ``allOf: [Base, {oneOf: [...]}]`` keeps Base's)."""
        if self.tools.is_valid(value, schema) and not isinstance(value, Mapping):
            return value
        beside = _without(schema, key)
        for branch in schema[key]:
            combined = self._merge_all_of({"allOf": [beside, branch]})
            fitted = self._fit(value, combined, depth + 1)
            if fitted is not _MISSING and self.tools.is_valid(fitted, schema):
                return fitted
        return _MISSING

    def _fit_object(self, value: Mapping[str, Any], schema: Mapping[str, Any], depth: int) -> Any:
        props: Mapping[str, Any] = schema.get("properties") or {}
        required = set(schema.get("required") or [])
        wrapper = self._envelope(value, props)
        if wrapper is not None:  # {"status": ..., "data": <the record>}
            value = {wrapper: value}
        out: dict[str, Any] = {}
        for name, prop_schema in props.items():
            if name in value:
                fitted = self._fit(value[name], prop_schema, depth + 1)
                if fitted is not _MISSING:
                    out[name] = fitted
                    continue
            if name in required:
                out[name] = self.minimal(prop_schema, depth + 1)
        for name in required - set(out):
            out[name] = self.minimal(props.get(name, {}), depth + 1)
        return out

    def _envelope(self, value: Mapping[str, Any], props: Mapping[str, Any]) -> str | None:
        """The property of an envelope schema a record goes in: when the record has none of
        the schema's properties and exactly one of them is an object, that one."""
        if not value or set(value) & set(props):
            return None
        objects = [name for name, prop in props.items() if is_object(self.tools, prop)]
        return objects[0] if len(objects) == 1 else None


def _coerce(value: Any, types: set[str]) -> Any:
    """Obvious conversions between scalar types; ``_MISSING`` when none applies."""
    if "string" in types and isinstance(value, bool):
        return "true" if value else "false"
    if "string" in types and isinstance(value, int | float):
        return str(value)
    if "boolean" in types and isinstance(value, str) and value.lower() in {"true", "false"}:
        return value.lower() == "true"
    if "integer" in types and isinstance(value, float) and value.is_integer():
        return int(value)
    if "null" in types and value in ("", None):
        return None
    return _MISSING


def _implicit_object(schema: Mapping[str, Any]) -> bool:
    """A schema with properties (or required names) and no type: JSON Schema lets any
    non-object through it, the client's model (as the generator reads it) takes an object."""
    return "type" not in schema and ("properties" in schema or "required" in schema)


def _without(schema: Mapping[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in schema.items() if k != key}
