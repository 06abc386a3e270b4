"""Validation's keyword round: its jsonschema-rs shortcut (validate/fast.py), asked first and never
the last word, and what the validator it drives cannot read."""

from __future__ import annotations

import json
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


def _document(version: str, schemas: dict[str, object], **extra: object) -> dict[str, object]:
    """A document whose one operation answers `Thing` under its `default` response (a key the
    generic schema walk skips as data) and takes a `limit` query parameter."""
    return {
        "openapi": version,
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things": {
                "get": {
                    "parameters": [
                        {
                            "name": "limit",
                            "in": "query",
                            "schema": {"$ref": "#/components/schemas/Limit"},
                        }
                    ],
                    "responses": {
                        "default": {
                            "description": "any",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Thing"}
                                }
                            },
                        }
                    },
                }
            }
        },
        "components": {"schemas": {"Limit": {"type": "integer", "default": 10}, **schemas}},
        **extra,
    }


_PARENT = {"type": "object", "properties": {"name": {"type": "string"}}}
_KEYWORD_CASES = {
    "clean, with refs, allOf and defaults": (
        "3.0.3",
        {
            "Parent": _PARENT,
            "Thing": {
                "allOf": [{"$ref": "#/components/schemas/Parent"}],
                "required": ["name"],
                "properties": {"size": {"type": "integer", "default": 1, "nullable": True}},
            },
        },
        {},
        True,
    ),
    "a null default of a nullable property": (
        "3.0.3",
        {"Thing": {"properties": {"n": {"type": "integer", "nullable": True, "default": None}}}},
        {},
        True,
    ),
    "a default that does not match, under the default response": (
        "3.0.3",
        {"Thing": {"type": "object", "properties": {"n": {"type": "integer", "default": "x"}}}},
        {},
        False,
    ),
    "a default that does not match the schema its ref names": (
        "3.1.0",
        {
            "Thing": {"properties": {"n": {"$ref": "#/components/schemas/Count", "default": "x"}}},
            "Count": {"type": "integer"},
        },
        {},
        None,  # whatever the library says, the walk must agree
    ),
    "a required name no allOf member defines": (
        "3.0.3",
        {
            "Parent": _PARENT,
            "Thing": {"allOf": [{"$ref": "#/components/schemas/Parent"}], "required": ["zzz"]},
        },
        {},
        False,
    ),
    "a type no dialect has (3.0)": (
        "3.0.3",
        {"Thing": {"type": "object", "properties": {"a": {"type": "strin"}}}},
        {},
        False,
    ),
    "a type no dialect has (3.1)": (
        "3.1.0",
        {"Thing": {"type": "object", "properties": {"a": {"type": "strin"}}}},
        {},
        False,
    ),
    "a pattern Python cannot compile": (
        "3.0.3",
        {"Thing": {"type": "string", "pattern": "(?<name>x)"}},
        {},
        False,
    ),
    "a schema naming its own dialect": (
        "3.1.0",
        {"Thing": {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object"}},
        {},
        None,
    ),
    "a tag named twice": (
        "3.0.3",
        {"Thing": _PARENT},
        {"tags": [{"name": "things"}, {"name": "things"}]},
        False,
    ),
}


@pytest.mark.parametrize("case", sorted(_KEYWORD_CASES))
def test_the_keyword_rounds_shortcut_says_clean_only_where_the_library_finds_nothing(
    case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`fast.keywords_clean` lets round 5 skip openapi-spec-validator's walk: it must never
    say clean where the library's walk finds something (an error, or a default it drops)."""
    from generator.load import parse_spec
    from generator.validate import fast, keywords

    version, schemas, extra, expected = _KEYWORD_CASES[case]

    spec = parse_spec(json.dumps(_document(version, schemas, **extra)).encode(), "t.json")
    verdict = fast.keywords_clean(spec.data, keywords._located_validator(spec))
    monkeypatch.setattr(fast, "keywords_clean", lambda *args: False)
    problems, dropped = keywords.keyword_errors(spec)
    library_clean = not problems and not dropped
    if expected is not None:
        assert library_clean is expected  # the case shows what it says it shows
    assert library_clean or not verdict  # never clean where the library finds something
    if expected:
        assert verdict  # and where it is sure, it says so


def test_a_clean_document_skips_the_librarys_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shortcut is taken (it is most of validation's time on a large document), and the
    library's walk still runs where the shortcut is unsure."""
    from openapi_spec_validator import OpenAPIV30SpecValidator

    from generator.load import parse_spec
    from generator.validate import keywords

    walked: list[object] = []
    real = OpenAPIV30SpecValidator.iter_errors

    def counted(self: object) -> object:
        walked.append(self)
        return real(self)  # type: ignore[arg-type]

    monkeypatch.setattr(OpenAPIV30SpecValidator, "iter_errors", counted)

    clean = _document("3.0.3", {"Thing": _PARENT})
    assert keywords.keyword_errors(parse_spec(json.dumps(clean).encode(), "t.json")) == ([], {})
    assert walked == []
    wrong = _document(
        "3.0.3", {"Thing": {"properties": {"n": {"type": "integer", "default": "x"}}}}
    )
    problems, dropped = keywords.keyword_errors(parse_spec(json.dumps(wrong).encode(), "t.json"))
    assert (problems, list(dropped)) == ([], ["/components/schemas/Thing/properties/n/default"])
    assert walked != []


def test_the_shortcut_leaves_to_the_library_what_it_cannot_walk(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A walk that fails on a document nobody here wrote (a recursion, a resolver's error)
    does not fail `generate`: the library's walk decides, as before the shortcut."""
    from generator.load import parse_spec
    from generator.validate import fast, keywords

    spec = parse_spec(json.dumps(_document("3.0.3", {"Thing": _PARENT})).encode(), "t.json")
    assert fast.keywords_clean(spec.data, keywords._located_validator(spec))

    def deep(self: object) -> bool:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(fast._Walk, "clean", deep)
    assert not fast.keywords_clean(spec.data, keywords._located_validator(spec))
    assert keywords.keyword_errors(spec) == ([], {})
