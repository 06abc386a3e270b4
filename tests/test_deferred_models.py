"""Importing models.py builds no validator: not a model's, and not the class pydantic makes
for a root model's base (`RootModel[list[Pet]]`), which is built as soon as it is made.
Each model is built when it first validates (its time is in `make bench`)."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import BaseModel, RootModel, ValidationError

from generator.models.generate import generate_models

SCHEMAS: dict[str, Any] = {
    "Pet": {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]},
    "Pets": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}},
    "Code": {"type": "string", "maxLength": 3},
    "Kind": {"type": "string", "enum": ["cat", "dog"]},
}


@pytest.fixture
def models() -> Iterator[types.ModuleType]:
    source = generate_models("3.1.0", SCHEMAS, "spec.yaml").source
    module = types.ModuleType("deferred_models_under_test")
    sys.modules[module.__name__] = module  # pydantic resolves annotations in it
    try:
        exec(compile(source, "models.py", "exec"), module.__dict__)
        yield module
    finally:
        del sys.modules[module.__name__]


def _built(module: types.ModuleType) -> list[str]:
    """Every pydantic class the module's models are or derive from that has been built, but
    pydantic's own and the generic base's (parametrised by a type variable: nothing to build)."""
    found = set()
    for value in vars(module).values():
        if isinstance(value, type) and issubclass(value, BaseModel):
            for cls in value.__mro__:
                generic = getattr(cls, "__pydantic_generic_metadata__", {}).get("parameters")
                if (
                    issubclass(cls, BaseModel)
                    and cls not in (BaseModel, RootModel)
                    and not generic
                    and cls.__pydantic_complete__
                ):
                    found.add(cls.__name__)
    return sorted(found)


def test_importing_the_models_builds_no_root_model_base(models: types.ModuleType) -> None:
    assert _built(models) == []


def test_a_root_model_is_built_and_validates_on_first_use(models: types.ModuleType) -> None:
    pets = models.Pets.model_validate([{"name": "Rex"}])
    assert pets.root[0].name == "Rex"
    assert isinstance(pets, RootModel)
    with pytest.raises(ValidationError):
        models.Code.model_validate("four")
    assert models.Pets.model_json_schema()["items"] == {"$ref": "#/$defs/Pet"}
