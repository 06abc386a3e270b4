"""Validation's keyword round: its jsonschema-rs shortcut (validate/fast.py), asked first and never
the last word, and what the validator it drives cannot read."""

from __future__ import annotations

from dataclasses import replace

import pytest

from .conftest import FIXTURES


def test_the_dialect_check_asks_jsonschema_rs_first_and_python_where_they_differ() -> None:
    """Round 5 checks each schema against the OpenAPI 3.1 dialect with jsonschema-rs and hands
    a schema to the Python validator only when it fails there or has a regular expression
    (invalid_pattern.yaml and invalid_31_schema_type.yaml in bad_specs show the verdicts do
    not change). The fast path must exist in the pinned environment: it is most of the
    round's speed."""
    from generator.validate import fast as validate

    fast = validate.dialect_validator()
    assert fast is not None
    dialect, validator = fast
    assert dialect == "https://spec.openapis.org/oas/3.1/dialect/base"
    assert validator.is_valid({"type": "object", "properties": {"a": {"type": "string"}}})
    assert not validator.is_valid({"properties": {"a": {"type": "strin"}}})
    assert not validator.is_valid({"discriminator": {"propertyName": 3}})  # the OAS vocabulary
    schema = {"properties": {"a": {"pattern": "[A-Z"}}, "patternProperties": {"^x-": {}}}
    assert sorted(validate.regexes(schema)) == ["[A-Z", "^x-"]


def test_the_dialect_check_of_a_valid_spec_stays_on_the_fast_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On the mini spec (no regular expressions) no schema reaches the Python dialect check:
    if openapi-spec-validator renames the step we take over, this says so (the round would
    still be right, only three times slower)."""
    from openapi_spec_validator.validation.keywords import OpenAPIV31SchemaValidator

    from generator.load import load_spec
    from generator.validate import fast, keywords

    slow: list[object] = []
    python_check = OpenAPIV31SchemaValidator._validate_schema_meta

    def counted(self: object, schema: object, value: object) -> object:
        slow.append(value)
        return python_check(self, schema, value)  # type: ignore[arg-type]

    monkeypatch.setattr(OpenAPIV31SchemaValidator, "_validate_schema_meta", counted)
    spec = load_spec(FIXTURES / "specs" / "mini.yaml")
    assert spec.data["openapi"].startswith("3.1")
    assert keywords.keyword_errors(spec) == ([], {})
    assert slow == []
    monkeypatch.setattr(fast, "dialect_validator", lambda: None)
    assert keywords.keyword_errors(spec) == ([], {})
    assert slow != []  # the check itself can see the slow path


def test_an_extension_in_the_paths_object_is_no_path() -> None:
    """The Paths Object allows `x-` keys (apicurio's `x-codegen-contextRoot`); the validator of
    the keyword round read it as a path and raised KeyError, and the document was refused."""
    from generator.load import load_spec
    from generator.validate import keywords

    spec = load_spec(FIXTURES / "specs" / "mini.yaml")
    paths = {**spec.data["paths"], "x-codegen-contextRoot": "/apis/registry/v2"}
    extended = replace(spec, data={**spec.data, "paths": paths})
    assert keywords.keyword_errors(extended) == ([], {})
    assert extended.data["paths"]["x-codegen-contextRoot"] == "/apis/registry/v2"
