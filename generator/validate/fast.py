"""Validation's speed tricks, in one module; the verdicts do not change.

1. jsonschema-rs, asked first where the pure-Python validators are slow. Without it, round 3
   validates the whole document with the Python jsonschema validator, and round 5 checks every
   schema against the OpenAPI 3.1 dialect in Python, which on a large spec costs a cold
   `generate` a good part of its time (kept after an alternated A/B of cold runs with and
   without it; `make bench` has the cold figures). A document (round 3) or a schema (round 5)
   that jsonschema-rs accepts is accepted; anything it rejects goes to the Python validator,
   which has the last word and the context to locate each error. Regular expressions, which
   jsonschema-rs reads as ECMA-262 and Python as `re`, always go to the Python format checker
   too.
2. `keywords_clean`: round 5's whole walk skipped where a walk over plain dicts shows it would
   find nothing; anything else, and the library's walk runs as before.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .. import interrupts
from ..document import (
    HTTP_METHODS,
    escape_pointer_token,
    pointer_tokens,
    ref_pointer,
    resolve_pointer,
)


def _jsonschema_rs() -> Any:
    try:
        with interrupts.held():  # a Ctrl-C in its import is a Rust panic, printed by Rust
            import jsonschema_rs
    except ImportError:  # pragma: no cover - it is pinned; without it Python validates
        return None
    return jsonschema_rs


def document_validator(version: str) -> Any:
    """jsonschema-rs over openapi-spec-validator's own copy of the OpenAPI schema (`3.0` or
    `3.1`), which is what that library validates with when jsonschema-rs is installed; None
    where it cannot be built."""
    jsonschema_rs = _jsonschema_rs()
    package = importlib.util.find_spec("openapi_spec_validator")
    if jsonschema_rs is None or package is None or not package.submodule_search_locations:
        return None  # pragma: no cover
    location = Path(package.submodule_search_locations[0])
    schema_file = location / "resources" / "schemas" / f"v{version}" / "schema.json"
    try:
        schema = json.loads(schema_file.read_text(encoding="utf-8"))
        return jsonschema_rs.validator_cls_for(schema)(schema)
    except (OSError, ValueError):  # pragma: no cover - a different library layout
        return None


def dialect_validator() -> tuple[str, Any] | None:
    """(dialect id, jsonschema-rs validator) for the OpenAPI 3.1 schema dialect, built from
    the metaschema files openapi-schema-validator ships; None where that cannot be done."""
    jsonschema_rs = _jsonschema_rs()
    try:
        from importlib.resources import files

        root = files("openapi_schema_validator").joinpath("schemas", "oas3.1")
        documents = [
            json.loads(root.joinpath(*name).read_text(encoding="utf-8"))
            for name in (("metaschema.json",), ("vocabularies", "base"))
        ]
        registry = jsonschema_rs.Registry([(d["$id"], d) for d in documents])
        return documents[0]["$id"], jsonschema_rs.validator_for(documents[0], registry=registry)
    except Exception:  # pragma: no cover - a different library layout: Python validates
        return None


def with_fast_dialect_check(schema_keyword: type[Any]) -> type[Any]:
    """openapi-spec-validator's `schema` keyword validator (3.1), answering its check of each
    schema against the dialect with jsonschema-rs first. It overrides the library's
    `_validate_schema_meta`: where that method is gone (another version), nothing changes
    but the speed."""
    fast_meta = dialect_validator()
    if fast_meta is None or not hasattr(schema_keyword, "_validate_schema_meta"):
        return schema_keyword  # pragma: no cover
    dialect, validator = fast_meta

    class FastDialectCheck(schema_keyword):  # type: ignore[misc]
        def _validate_schema_meta(self, schema: Any, schema_value: Any) -> Any:
            if (
                isinstance(schema_value, dict)
                and self._get_schema_dialect_id(schema, schema_value) == dialect
                and validator.is_valid(schema_value)
                and all(
                    self.schema_validator_format_checker.conforms(pattern, "regex")
                    for pattern in regexes(schema_value)
                )
            ):
                return None
            return super()._validate_schema_meta(schema, schema_value)

    return FastDialectCheck


def regexes(value: Any) -> Iterator[str]:
    """Every string under a `pattern` key and every key of a `patternProperties` object, at
    any depth (data under such a key too: a surplus only sends the schema to Python)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "pattern" and isinstance(item, str):
                yield item
            elif key == "patternProperties" and isinstance(item, dict):
                yield from (k for k in item if isinstance(k, str))
            yield from regexes(item)
    elif isinstance(value, list):
        for item in value:
            yield from regexes(item)


def keywords_clean(data: dict[str, Any], base: Any) -> bool:
    """True when openapi-spec-validator's keyword walk (round 5, `base` is its validator class
    for the document's version) would find nothing; False when it might find something, and
    then it runs and has the last word.

    What it buys: the library walks the document through jsonschema-path, whose every step
    resolves through a `referencing` registry, and on a large document that walk is most of
    validation's time (`make bench`'s mid-size document). This walk checks the same things
    over plain dicts: the library's own schema check of the document, unique tag names, each
    schema it checks against the dialect (jsonschema-rs, regular expressions by Python's
    format checker), `required` names an `allOf` does not define, and each `default` against
    its schema (with the library's own value validator). It looks at the same schemas the
    library does, resolving `$ref`s as it does; whatever it is unsure of answers False."""
    try:
        return _Walk(data, base).clean()
    except Exception:  # _Unsure, or anything odd (a recursion, a resolver's error): the
        return False  # library's walk decides, and reports it located as it always does


class _Unsure(Exception):
    """Something this walk does not decide: the library's walk will."""


_WALKED_CHILDREN = ("allOf", "anyOf", "oneOf")


class _Walk:
    """The library's `SchemaValidator` walk, over plain dicts."""

    def __init__(self, data: dict[str, Any], base: Any) -> None:
        self.data = data
        self.base = base
        self.v31 = str(data.get("openapi", "")).startswith("3.1")
        self.meta = _meta_check(self.v31)
        self.visited: set[int] = set()
        self.defaults: list[tuple[str, Any]] = []  # (pointer of the schema, its default)

    def clean(self) -> bool:
        if self.meta is None or next(iter(self.base.schema_validator.iter_errors(self.data)), None):
            return False
        if self.v31 and "jsonSchemaDialect" in self.data:
            return False
        names = [t.get("name") for t in self.data.get("tags") or () if isinstance(t, dict)]
        if len(names) != len(set(map(repr, names))):
            return False
        entries = self._entries()
        for _ptr, schema in entries.values():
            if not self.meta(schema):
                return False
        for ptr, schema in entries.values():
            self._walk(schema, ptr)
        return self._defaults_valid()

    def _resolved(self, value: Any, ptr: str) -> tuple[str, Any]:
        for _hop in range(50):
            if not (isinstance(value, dict) and isinstance(value.get("$ref"), str)):
                return ptr, value
            ref = value["$ref"]
            try:
                value = resolve_pointer(self.data, ref)
            except KeyError:
                raise _Unsure from None
            ptr = ref_pointer(ref)
        raise _Unsure

    def _entries(self) -> dict[int, tuple[str, Any]]:
        """Every schema the library checks against the dialect: the schema of each parameter
        and each media type of a request body or a response, path by path and operation by
        operation, then each component schema; by identity, `$ref`s resolved."""
        found: dict[int, tuple[str, Any]] = {}

        def add(value: Any, ptr: str) -> None:
            at, schema = self._resolved(value, ptr)
            found.setdefault(id(schema), (at, schema))

        for path, item in self._mapping(self.data.get("paths"), "/paths"):
            for key, value in self._mapping(item, path):
                if key.endswith("/parameters"):
                    self._parameter_schemas(value, key, add)
                elif key.rsplit("/", 1)[1] in HTTP_METHODS:
                    self._operation_schemas(value, key, add)
        components = self.data.get("components")
        for name, value in self._mapping((components or {}).get("schemas"), "/components/schemas"):
            add(value, name)
        return found

    def _mapping(self, value: Any, ptr: str) -> list[tuple[str, Any]]:
        """(pointer of each member, member) of a mapping (after its `$ref`), or none."""
        ptr, value = self._resolved(value, ptr)
        if value is None:
            return []
        if not isinstance(value, dict):
            raise _Unsure
        return [(f"{ptr}/{escape_pointer_token(str(key))}", item) for key, item in value.items()]

    def _parameter_schemas(
        self, parameters: Any, ptr: str, add: Callable[[Any, str], None]
    ) -> None:
        parameters = self._resolved(parameters, ptr)[1]
        if not isinstance(parameters, list):
            raise _Unsure
        for index, parameter in enumerate(parameters):
            at, parameter = self._resolved(parameter, f"{ptr}/{index}")
            if not isinstance(parameter, dict):
                raise _Unsure
            if "schema" in parameter:
                add(parameter["schema"], f"{at}/schema")

    def _operation_schemas(self, operation: Any, ptr: str, add: Callable[[Any, str], None]) -> None:
        operation = self._resolved(operation, ptr)[1]
        if not isinstance(operation, dict):
            raise _Unsure
        if "parameters" in operation:
            self._parameter_schemas(operation["parameters"], f"{ptr}/parameters", add)
        holders = self._mapping(operation.get("responses"), f"{ptr}/responses")
        if "requestBody" in operation:
            holders.append((f"{ptr}/requestBody", operation["requestBody"]))
        for at, holder in holders:
            at, holder = self._resolved(holder, at)
            if not isinstance(holder, dict):
                raise _Unsure
            for _key, media in self._mapping(holder.get("content"), f"{at}/content"):
                media_at, media = self._resolved(media, _key)
                if isinstance(media, dict) and "schema" in media:
                    add(media["schema"], f"{media_at}/schema")
                elif not isinstance(media, dict):
                    raise _Unsure

    def _walk(self, schema: Any, ptr: str) -> None:
        if isinstance(schema, bool) and self.v31:
            return
        if not isinstance(schema, dict):
            raise _Unsure
        if id(schema) in self.visited:
            return
        self.visited.add(id(schema))
        nested: set[str] = set()
        for keyword in _WALKED_CHILDREN:
            members = schema.get(keyword, [])
            if not isinstance(members, list):
                raise _Unsure
            for index, member in enumerate(members):
                at, resolved = self._resolved(member, f"{ptr}/{keyword}/{index}")
                self._walk(resolved, at)
                if keyword == "allOf":
                    nested |= self._properties(resolved, set())
        for keyword in ("not", "items"):
            if keyword in schema:
                at, resolved = self._resolved(schema[keyword], f"{ptr}/{keyword}")
                self._walk(resolved, at)
        properties = schema.get("properties", {})
        if not isinstance(properties, dict):
            raise _Unsure
        for name, value in properties.items():
            at, resolved = self._resolved(value, f"{ptr}/properties/{escape_pointer_token(name)}")
            self._walk(resolved, at)
        required = schema.get("required") or []
        # The library asks this only of the schemas it meets first as entries; asked of all,
        # this walk is never less strict than the library's.
        if "allOf" in schema and (
            not isinstance(required, list) or set(required) - set(properties) - nested
        ):
            raise _Unsure
        if "default" in schema and (
            schema["default"] is not None or schema.get("nullable") is not True
        ):
            self.defaults.append((ptr, schema["default"]))

    def _properties(self, schema: Any, seen: set[int]) -> set[str]:
        """The library's `_collect_properties`: every property name reachable from `schema`;
        a cycle, on which the library would recurse without end, is left to it."""
        if not isinstance(schema, dict):
            raise _Unsure
        if id(schema) in seen:
            raise _Unsure
        seen = seen | {id(schema)}
        names = set(schema.get("properties") or ())
        children = [m for k in _WALKED_CHILDREN for m in (schema.get(k) or [])]
        children += [schema[k] for k in ("items", "not") if k in schema]
        for child in children:
            names |= self._properties(self._resolved(child, "")[1], seen)
        return names

    def _defaults_valid(self) -> bool:
        """Each default against its schema, with the library's own value validator over its
        own view of the document (so `$ref`s and formats read as it reads them)."""
        if not self.defaults:
            return True
        from jsonschema_path.paths import SchemaPath

        value_validator = self.base.keyword_validators["default"](None)
        root = SchemaPath.from_dict(self.data)
        for ptr, default in self.defaults:
            # (a private method of jsonschema-path; another version fails here, and the
            # library decides: `keywords_clean` answers unsure on any error)
            node = root._clone_with_parts(tuple(self._parts(ptr)))
            if next(iter(value_validator(node, default)), None) is not None:
                return False
        return True

    def _parts(self, ptr: str) -> list[str | int]:
        """The parts of a pointer into the document, list indexes as numbers, as the library's
        paths hold them (a path key's `/` stays in its part)."""
        parts: list[str | int] = []
        value: Any = self.data
        for token in pointer_tokens(ptr):
            part: str | int = int(token) if isinstance(value, list) else token
            value = value[part]
            parts.append(part)
        return parts


def _meta_check(v31: bool) -> Callable[[Any], bool] | None:
    """Is a schema valid against the dialect the library checks it with: jsonschema-rs for
    the structure, the library's Python format checker for each regular expression."""
    jsonschema_rs = _jsonschema_rs()
    if jsonschema_rs is None:
        return None  # pragma: no cover
    try:
        if v31:
            from openapi_schema_validator import oas31_format_checker

            found = dialect_validator()
            if found is None:
                return None  # pragma: no cover
            validator, regex_checker = found[1], oas31_format_checker
        else:
            from jsonschema.validators import validator_for
            from openapi_schema_validator import OAS30Validator

            meta = OAS30Validator.META_SCHEMA
            validator = jsonschema_rs.validator_for(meta, validate_formats=False)
            regex_checker = validator_for(meta).FORMAT_CHECKER
    except Exception:  # pragma: no cover - a different library layout: the library decides
        return None

    def check(schema: Any) -> bool:
        if isinstance(schema, dict) and "$schema" in schema:
            return False
        return bool(validator.is_valid(schema)) and all(
            regex_checker.conforms(pattern, "regex") for pattern in regexes(schema)
        )

    return check
