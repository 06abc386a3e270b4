"""What the stub does at start has a shape, checked here (its time is in `make bench`): it
reads the operations, not every schema of the spec. A schema is read when a request, or the
engine, first validates against it."""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from typing import Any

from .conftest import AppMaker, auth
from .fixture_spec import fixture_spec
from .runtime import RUNTIME

schemas = importlib.import_module(RUNTIME.__name__ + ".schemas")


class Untouchable(Mapping[str, Any]):
    """A schema that fails the test when anything reads inside it."""

    def __getitem__(self, key: str) -> Any:
        raise AssertionError(f"read {key!r} of a schema nothing uses")

    def __iter__(self) -> Iterator[str]:
        raise AssertionError("walked a schema nothing uses")

    def __len__(self) -> int:
        raise AssertionError("measured a schema nothing uses")


def _with_unused_schema(spec: dict[str, Any]) -> dict[str, Any]:
    spec["components"]["schemas"]["Unused"] = {"type": "object", "properties": Untouchable()}
    return spec


def test_schema_tools_read_no_schema_until_one_is_validated() -> None:
    spec = _with_unused_schema(
        {
            "openapi": "3.1.0",
            "paths": {},
            "components": {
                "schemas": {"Name": {"type": "string", "maxLength": 3}},
            },
        }
    )
    tools = schemas.SchemaTools(spec)

    named = spec["components"]["schemas"]["Name"]
    assert tools.is_valid("abc", named)
    assert not tools.is_valid("abcd", named)
    # a schema inside the spec, through a local reference to another one
    referring = {"type": "array", "items": {"$ref": "#/components/schemas/Name"}}
    spec["components"]["schemas"]["Names"] = referring
    assert tools.is_valid(["ab"], referring)
    assert not tools.is_valid(["abcd"], referring)


def test_a_schema_made_outside_the_spec_resolves_its_references_in_the_spec() -> None:
    spec = {
        "openapi": "3.1.0",
        "paths": {},
        "components": {"schemas": {"Name": {"type": "string", "maxLength": 3}}},
    }
    tools = schemas.SchemaTools(spec)
    made = {"type": "object", "properties": {"name": {"$ref": "#/components/schemas/Name"}}}

    assert tools.is_valid({"name": "abc"}, made)
    errors = schemas.drf_errors(tools.errors({"name": "abcd"}, made))
    assert list(errors) == ["name"]


def test_the_stub_starts_and_answers_without_reading_an_unused_schema(
    make_client: AppMaker,
) -> None:
    client = make_client(_with_unused_schema(fixture_spec()))

    response = client.get("/v1/boms/", headers=auth())
    assert response.status_code == 200, response.text
