"""jsonschema-rs, asked first where the pure-Python validators are slow; the only speed trick
of validation.

What it buys: without it, round 3 validates the whole document with the Python jsonschema
validator, and round 5 checks every schema against the OpenAPI 3.1 dialect in Python, which
on a large spec costs a cold `generate` a good part of its time (kept after an alternated A/B
of cold runs with and without it; `make bench` has the cold figures).

The verdicts do not change: a document (round 3) or a schema (round 5) that jsonschema-rs
accepts is accepted; anything it rejects goes to the Python validator, which has the last word
and the context to locate each error. Regular expressions, which jsonschema-rs reads as
ECMA-262 and Python as `re`, always go to the Python format checker too.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .. import interrupts


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
