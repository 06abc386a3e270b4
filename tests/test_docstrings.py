"""Docstrings of the generated client: the errors an operation can raise are listed once on
its resource classes (a method lists only those it adds), and spec text is wrapped at word
boundaries that keep a phrase such as `(HTTP 404)` with the words before it."""

from __future__ import annotations

import ast
import copy
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.load import parse_spec
from generator.pipeline import build_tree
from generator.render import docstring_text
from generator.text import wrap_text

from .conftest import ROOT, dump_yaml

pytestmark = pytest.mark.filterwarnings("ignore:format of:UserWarning")

RESOURCES = ROOT / "generated" / "cofactr_platform" / "resources"


def _error(description: str) -> dict[str, Any]:
    return {"description": description}


SHARED = {"401": _error("Missing key."), "429": _error("Throttled. Retry after a while.")}
DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Pets", "version": "1"},
    "paths": {
        "/pets/": {
            "get": {
                "operationId": "list_pets",
                "tags": ["Pets"],
                "responses": {"200": {"description": "ok"}, **SHARED},
            },
            "post": {
                "operationId": "create_pet",
                "tags": ["Pets"],
                "responses": {"204": {"description": "ok"}, **SHARED},
            },
        },
        "/pets/{id}/": {
            "get": {
                "operationId": "get_pet",
                "tags": ["Pets"],
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "204": {"description": "ok"},
                    "404": _error("No such pet."),
                    **SHARED,
                },
            }
        },
    },
}


def _render(document: dict[str, Any]) -> dict[str, str]:
    spec = parse_spec(dump_yaml(document, sort_keys=False).encode(), "pets.yaml")
    return {path: data.decode() for path, data in build_tree(spec, "pets").items()}


def _docstrings(source: str) -> dict[str, str]:
    """Each class and function of a module -> its docstring ('' for none)."""
    found = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            key = node.name if isinstance(node, ast.ClassDef) else f"{node.name}:{id(node)}"
            found[key] = ast.get_docstring(node) or ""
    return found


def test_errors_every_method_raises_are_listed_once_per_resource_class() -> None:
    source = _render(copy.deepcopy(DOCUMENT))["pets/resources/pets.py"]
    docs = _docstrings(source)
    for cls in ("PetsResource", "AsyncPetsResource"):
        assert "Raises:\n    AuthenticationError: Missing key. (HTTP 401)" in docs[cls], docs[cls]
        assert "RateLimitError: Throttled. Retry after a while. (HTTP 429)" in docs[cls]
        assert "NotFoundError" not in docs[cls]  # get_pet's alone
    methods = {key.split(":")[0]: doc for key, doc in docs.items() if ":" in key}
    assert "Raises:" not in methods["list_pets"] and "Raises:" not in methods["create_pet"]
    assert "Raises:\n    NotFoundError: No such pet. (HTTP 404)" in methods["get_pet"]
    assert "AuthenticationError" not in methods["get_pet"]
    # each error line is written once per class (sync and async), not once per method
    assert source.count("AuthenticationError: Missing key. (HTTP 401)") == 2


def test_methods_list_every_error_when_the_class_shares_none() -> None:
    document = copy.deepcopy(DOCUMENT)
    del document["paths"]["/pets/"]["post"]["responses"]["401"]
    del document["paths"]["/pets/"]["post"]["responses"]["429"]
    source = _render(document)["pets/resources/pets.py"]
    assert "Every method can raise" not in source
    assert source.count("AuthenticationError: Missing key. (HTTP 401)") == 4  # 2 methods x 2


def test_no_docstring_line_of_our_client_breaks_a_status_from_its_text() -> None:
    broken = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted(RESOURCES.glob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"\(HTTP$", line) or re.match(r"\s*(\(HTTP|\d[0-9X]{2}\))", line)
    ]
    assert broken == [], "\n".join(broken[:10])


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        # a status never starts a line: it stays with the word before it
        (
            "BadRequestError: the body maps each field to messages. (HTTP 400)",
            56,
            ["BadRequestError: the body maps each field to", "messages. (HTTP 400)"],
        ),
        # nor is a code span broken
        (
            "Missing or invalid `Authorization: Api-Key <key>` header.",
            34,
            ["Missing or invalid", "`Authorization: Api-Key <key>`", "header."],
        ),
        # a long parenthesis breaks as prose does
        (
            "It may not act (or does not reach the requested Org).",
            30,
            ["It may not act (or does not", "reach the requested Org)."],
        ),
    ],
)
def test_wrapping_keeps_phrases_whole(text: str, width: int, expected: list[str]) -> None:
    assert wrap_text(text, width).splitlines() == expected


def test_wrapping_keeps_indentation_paragraphs_and_the_first_line_offset() -> None:
    text = "one two three four five six seven\n\n  - eight nine ten eleven twelve"
    assert wrap_text(text, 20, first_offset=6).splitlines() == [
        "one two three",
        "four five six seven",
        "",
        "  - eight nine ten",
        "  eleven twelve",
    ]


@given(st.text(max_size=200), st.integers(min_value=1, max_value=100))
def test_any_text_wrapped_in_a_docstring_is_that_text(text: str, width: int) -> None:
    wrapped = wrap_text(docstring_text(text), width)
    module = ast.parse(f'def f():\n    """{wrapped}"""\n')
    function = module.body[0]
    assert isinstance(function, ast.FunctionDef)
    docstring = ast.get_docstring(function, clean=False) or ""
    expected = "".join(c if (c >= " " or c == "\n") else " " for c in text).rstrip()
    assert docstring.split() == expected.split()
