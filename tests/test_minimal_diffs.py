"""A change to the spec changes only the files it must: one tag's modules for an operation
change, the models for a schema change (added without reordering), plus the manifest and the
served spec. Reviewers of a regeneration diff rely on this."""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.load import load_spec
from generator.pipeline import build_tree

from .conftest import dump_yaml, load_yaml

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "cofactr-platform.yaml"
ALWAYS = {".codegen-manifest.json", "cofactr_platform_stub/openapi.json"}
BOMS = {"cofactr_platform/resources/boms.py", "cofactr_platform_stub/routes/boms.py"}


@pytest.fixture(scope="module")
def original() -> dict[str, bytes]:
    return build_tree(
        load_spec(SPEC, display_path="spec/cofactr-platform.yaml"), "cofactr_platform"
    )


def _build(
    tmp_path: Path, edit: Callable[[dict[str, Any]], None], previous: dict[str, bytes] | None
) -> dict[str, bytes]:
    data = load_yaml(SPEC.read_text())
    edit(data)
    path = tmp_path / "spec" / "cofactr-platform.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_yaml(data, sort_keys=False, allow_unicode=True))
    return build_tree(
        load_spec(path, display_path="spec/cofactr-platform.yaml"), "cofactr_platform", previous
    )


def _changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


def _removed_lines(before: bytes, after: bytes) -> list[str]:
    diff = difflib.unified_diff(
        before.decode().splitlines(), after.decode().splitlines(), lineterm=""
    )
    return [line for line in diff if line.startswith("-") and not line.startswith("---")]


def _get_bom(data: dict[str, Any]) -> dict[str, Any]:
    op: dict[str, Any] = data["paths"]["/v1/boms/{bom_id}/"]["get"]
    return op


def test_changed_summary_touches_only_its_tag(tmp_path: Path, original: dict[str, bytes]) -> None:
    def edit(data: dict[str, Any]) -> None:
        _get_bom(data)["summary"] = "Gets one Bom by id"

    after = _build(tmp_path, edit, original)
    assert _changed(original, after) == BOMS | ALWAYS
    assert b"Gets one Bom by id" in after["cofactr_platform/resources/boms.py"]


def test_added_optional_query_parameter_touches_only_its_tag(
    tmp_path: Path, original: dict[str, bytes]
) -> None:
    def edit(data: dict[str, Any]) -> None:
        _get_bom(data)["parameters"].append(
            {"name": "expand", "in": "query", "required": False, "schema": {"type": "string"}}
        )

    after = _build(tmp_path, edit, original)
    assert _changed(original, after) == {"cofactr_platform/resources/boms.py"} | ALWAYS
    assert b"expand: str | NotGiven = NOT_GIVEN" in after["cofactr_platform/resources/boms.py"]


def test_new_operation_touches_only_its_tag(tmp_path: Path, original: dict[str, bytes]) -> None:
    def edit(data: dict[str, Any]) -> None:
        operation = dict(_get_bom(data))
        operation.update(operationId="get_bom_summary", summary="Gets a Bom summary")
        data["paths"]["/v1/boms/{bom_id}/summary/"] = {"get": operation}

    after = _build(tmp_path, edit, original)
    assert _changed(original, after) == BOMS | ALWAYS
    for path in BOMS:
        assert _removed_lines(original[path], after[path]) == [], path


def test_new_schema_adds_its_model_without_reordering(
    tmp_path: Path, original: dict[str, bytes]
) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["components"]["schemas"]["BomExportFormat"] = {
            "type": "object",
            "x-provenance": "inferred",
            "properties": {"format": {"type": "string"}, "include_lines": {"type": "boolean"}},
        }

    after = _build(tmp_path, edit, original)
    assert _changed(original, after) == {"cofactr_platform/models.py"} | ALWAYS
    models_before, models_after = (
        original["cofactr_platform/models.py"],
        after["cofactr_platform/models.py"],
    )
    assert _removed_lines(models_before, models_after) == []
    assert b"class BomExportFormat(BaseModel):" in models_after


def test_removed_response_field_touches_only_the_models(
    tmp_path: Path, original: dict[str, bytes]
) -> None:
    def edit(data: dict[str, Any]) -> None:
        schema = data["components"]["schemas"]["Bom"]
        del schema["properties"]["line_count"]
        if "line_count" in schema.get("required", []):
            schema["required"].remove("line_count")

    after = _build(tmp_path, edit, original)
    assert _changed(original, after) == {"cofactr_platform/models.py"} | ALWAYS
    removed = _removed_lines(
        original["cofactr_platform/models.py"], after["cofactr_platform/models.py"]
    )
    assert removed == ["-    line_count: Annotated[int | None, Field(ge=0)] = None"]


def test_regenerating_over_a_tree_gives_the_bytes_of_a_fresh_run(
    tmp_path: Path, original: dict[str, bytes]
) -> None:
    """Reusing formatted files and models from the previous tree is only an optimisation:
    after an operation change (models reused) and a schema change (models regenerated), the
    output equals a generation from scratch, byte for byte."""

    def summary(data: dict[str, Any]) -> None:
        _get_bom(data)["summary"] = "Gets one Bom by id"

    def schema(data: dict[str, Any]) -> None:
        summary(data)
        data["components"]["schemas"]["Bom"]["properties"]["color"] = {"type": "string"}

    for edit in (summary, schema):
        warm = _build(tmp_path, edit, original)
        cold = _build(tmp_path, edit, None)
        assert warm == cold, edit.__name__
    manifest = json.loads(warm[".codegen-manifest.json"])
    assert (
        manifest["inputs"]["models_key"]
        != json.loads(original[".codegen-manifest.json"])["inputs"]["models_key"]
    )
