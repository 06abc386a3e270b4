"""A JSON document's lines are composed only when a message asks for one, and what the YAML
walk checked for JSON before (depth, located duplicate keys) is still checked."""

from __future__ import annotations

import json

import pytest

from generator.errors import SpecError
from generator.load import json_lines, parse_spec

DOCUMENT = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {"/pets": {"get": {"responses": {"200": {"description": "ok"}}}}},
}


def test_a_valid_json_document_is_read_without_composing_its_lines(monkeypatch):
    composed = []
    real_loader = json_lines.SpecLoader

    def counting_loader(text):
        composed.append(text)
        return real_loader(text)

    monkeypatch.setattr(json_lines, "SpecLoader", counting_loader)
    spec = parse_spec(json.dumps(DOCUMENT, indent=2).encode(), "t.json")
    assert composed == []
    assert spec.data == DOCUMENT
    # asked, the lines are there, and true
    assert spec.line_of("/paths/~1pets/get") == 9
    assert spec.line_of("/info/title") == 4
    assert len(composed) == 1


def test_json_nested_past_the_limit_is_refused_where_it_goes_too_deep():
    value: object = "deep"
    for _ in range(150):  # well under what the bracket count and the JSON parser refuse
        value = {"a": value}
    document = {**DOCUMENT, "x-deep": value}
    text = json.dumps(document, indent=1)
    key_lines = [n for n, line in enumerate(text.splitlines(), 1) if line.strip() == '"a": {']
    with pytest.raises(SpecError) as raised:
        parse_spec(text.encode(), "t.json")
    (problem,) = raised.value.diagnostics
    assert "nested more than 100 levels deep" in problem.message
    assert problem.pointer == "/x-deep" + "/a" * 100
    assert problem.line == key_lines[99]  # the line of the 100th nested key


def test_a_json_document_that_is_not_a_mapping_is_refused_at_its_first_line():
    with pytest.raises(SpecError) as raised:
        parse_spec(b"\n\n[1, 2]\n", "t.json")
    (problem,) = raised.value.diagnostics
    assert "expected an OpenAPI document (a mapping), found a list" in problem.message
    assert problem.line == 3


def test_a_minified_document_is_on_one_line_without_composing_it(monkeypatch):
    """Every value of a one-line document is on that line: nothing is composed to say so
    (APIs.guru's documents are minified; a warning about one asked for a line)."""
    composed = []
    real_loader = json_lines.SpecLoader
    monkeypatch.setattr(
        json_lines, "SpecLoader", lambda text: composed.append(text) or real_loader(text)
    )
    spec = parse_spec(b"\n\n" + json.dumps(DOCUMENT).encode() + b"\n", "t.json")
    assert spec.line_of("/paths/~1pets/get") == 3
    assert spec.line_of("/info") == 3
    assert composed == []
