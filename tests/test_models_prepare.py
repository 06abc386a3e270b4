"""What datamodel-code-generator is given: an `allOf` that only annotates a reference is the
reference, annotated (converted documents write every property whose type is a schema that
way; the field kept no docstring and the models stage spent most of its time merging them),
and `xml` (an XML serialisation hint) is not passed on."""

from __future__ import annotations

from typing import Any

from generator.models import generate_models
from generator.models.prepare import prepare_schemas

TAG = {"type": "object", "properties": {"name": {"type": "string"}}}
REF = {"$ref": "#/components/schemas/Tag"}


def _prepared(schema: dict[str, Any]) -> dict[str, Any]:
    document = prepare_schemas("3.0.3", {"Tag": TAG, "Card": schema}, {})
    card: dict[str, Any] = document["components"]["schemas"]["Card"]
    return card


def _property(schema: dict[str, Any]) -> Any:
    return _prepared({"type": "object", "properties": {"tag": schema}})["properties"]["tag"]


def test_an_allof_that_annotates_a_reference_becomes_the_reference() -> None:
    member = {"description": "The tag.", "xml": {"name": "tag"}, "deprecated": True}
    assert _property({"allOf": [REF, member]}) == {
        **REF,
        "deprecated": True,
        "description": "The tag.",
    }
    assert _property({"allOf": [REF], "title": "Tag"}) == {**REF, "title": "Tag"}


def test_the_annotations_beside_the_allof_win_over_those_inside_it() -> None:
    schema = {"allOf": [REF, {"description": "inside"}], "description": "beside"}
    assert _property(schema) == {**REF, "description": "beside"}


def test_an_allof_that_constrains_or_composes_is_left_as_written() -> None:
    other = {"$ref": "#/components/schemas/Other"}
    for schema in (
        {"allOf": [REF], "nullable": True},
        {"allOf": [REF], "default": {"name": "x"}},
        {"allOf": [REF, {"required": ["name"]}]},
        {"allOf": [REF, other]},
        {"allOf": [{**REF, "description": "a sibling of $ref"}]},
        {"allOf": [{"type": "object"}]},
    ):
        assert _property(schema) == schema, schema


def test_a_component_that_is_an_allof_of_one_reference_stays_a_subclass() -> None:
    schema = {"allOf": [REF], "description": "A special tag."}
    assert _prepared(schema) == schema
    source = generate_models("3.0.3", {"Tag": TAG, "Card": schema}, "spec.yaml").source
    assert "class Card(Tag):" in source


def test_xml_hints_are_not_passed_on() -> None:
    prepared = _prepared(
        {
            "type": "object",
            "xml": {"name": "card"},
            "properties": {"xml": {"type": "string", "xml": {"attribute": True}}},
        }
    )
    assert prepared == {"type": "object", "properties": {"xml": {"type": "string"}}}


def test_the_field_keeps_the_description_written_inside_the_allof() -> None:
    card = {
        "type": "object",
        "properties": {"tag": {"allOf": [REF, {"description": "The card's tag."}]}},
    }
    source = generate_models("3.0.3", {"Tag": TAG, "Card": card}, "spec.yaml").source
    assert '    tag: Tag | None = None\n    """\n    The card\'s tag.\n    """' in source
