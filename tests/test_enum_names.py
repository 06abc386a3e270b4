"""Inline enums are named after their model and field (`OutboundEmailStatus`), not their
field alone with a number (`Status1`); one shared between models stays one class."""

from __future__ import annotations

import ast
import sys
import types
from typing import Any

import pytest

from generator.models import generate_models

pytestmark = pytest.mark.filterwarnings("ignore:format of:UserWarning")


def _status(*values: str) -> dict[str, Any]:
    return {"type": "string", "enum": list(values)}


def _model(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties}


def _enums(schemas: dict[str, Any]) -> tuple[dict[str, list[str]], str]:
    """Each enum class -> its values, and the models module."""
    source = generate_models("3.1.0", schemas, "spec.yaml").source
    enums = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.ClassDef) and any(
            isinstance(b, ast.Name) and b.id.endswith("Enum") for b in node.bases
        ):
            enums[node.name] = [
                s.value.value
                for s in node.body
                if isinstance(s, ast.Assign) and isinstance(s.value, ast.Constant)
            ]
    return enums, source


def test_enums_of_one_field_name_in_two_models_are_named_after_their_model() -> None:
    enums, source = _enums(
        {
            "AsyncJob": _model(status=_status("pending", "done")),
            "OutboundEmail": _model(status=_status("pending", "sent")),
        }
    )
    assert enums == {
        "AsyncJobStatus": ["pending", "done"],
        "OutboundEmailStatus": ["pending", "sent"],
    }
    assert "status: AsyncJobStatus | None" in source
    assert "status: OutboundEmailStatus | None" in source
    assert "Status1" not in source


def test_an_enum_shared_by_models_stays_one_class_named_after_its_field() -> None:
    line_type = _status("tax", "fee")
    enums, source = _enums(
        {
            "Line": _model(line_type=line_type, kind=_status("a", "b")),
            "CreateLine": _model(line_type=line_type),
        }
    )
    assert enums == {"LineType": ["tax", "fee"], "LineKind": ["a", "b"]}
    assert source.count("line_type: LineType | None") == 2


def test_a_renamed_enum_never_takes_a_schemas_name() -> None:
    enums, source = _enums(
        {
            "Job": _model(status=_status("pending", "done")),
            "Email": _model(status=_status("pending", "sent")),
            "JobStatus": {"type": "string", "enum": ["x"]},  # a schema of that name
        }
    )
    assert enums == {
        "EmailStatus": ["pending", "sent"],
        "JobStatus": ["x"],
        "JobStatus2": ["pending", "done"],
    }
    assert "status: JobStatus2 | None" in source


def test_words_the_model_ends_with_and_the_field_starts_with_are_written_once() -> None:
    enums, _ = _enums({"WebhookEvent": _model(event_type=_status("created", "deleted"))})
    assert list(enums) == ["WebhookEventType"]


def test_a_shared_enum_is_never_named_as_a_field_of_a_model_that_uses_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # `Method: Method | None = None` cannot be built: where pydantic reads the annotation,
    # `Method` is the field's default, None (just-eat's order fulfilments). The tool named the
    # shared enum `Method2` and left its fields as they are; `Method` was free once the
    # tool's `Method` (whose field it renamed `Method_1`) was named after its model.
    method = _status("Delivery", "Collection")
    schemas = {
        "Collection": _model(Method=_status("Locker", "Counter")),
        "DocumentLink": _model(method=_status("GET", "POST")),
        "Fulfilment": _model(Method=method),
        "Order": _model(Method=method),
    }
    enums, source = _enums(schemas)
    shared = next(name for name, values in enums.items() if values == ["Delivery", "Collection"])
    assert shared == "FulfilmentMethod"
    module = types.ModuleType("enum_names_models")  # a module: pydantic reads names from it
    monkeypatch.setitem(sys.modules, module.__name__, module)
    exec(compile(source, "models.py", "exec"), module.__dict__)
    namespace = module.__dict__
    for name in ("Fulfilment", "Order"):
        model = namespace[name]
        assert model.model_validate({"Method": "Collection"}).model_dump(by_alias=True) == {
            "Method": namespace[shared].COLLECTION
        }
