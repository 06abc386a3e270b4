"""Strict and tolerant parsing of responses into the generated models."""

from __future__ import annotations

import logging
import uuid
from typing import Any

import pytest
from acme_client._runtime import (
    APIError,
    ResponseValidationError,
    SchemaMismatch,
    parse_value,
)

from .helpers import BOM_ID, LINE_ID, Recorder, json_response, make_client
from .models import BOM, BOMLine, CreateBOMLine, Owner, Status, Supplier, Tags, Team

SCHEMA_LOGGER = "acme_client.schema"


def bom(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": BOM_ID,
        "name": "Main board",
        "description": "rev A",
        "status": "draft",
        "lines": [{"id": LINE_ID, "mpn": "R1", "quantity": 2, "status": "approved"}],
    }
    data.update(overrides)
    return data


def parse(data: object, tp: Any) -> tuple[Any, list[SchemaMismatch]]:
    found: list[SchemaMismatch] = []
    return parse_value(data, tp, on_mismatch=found.append), found


def test_valid_data_is_fully_typed_and_reports_nothing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger=SCHEMA_LOGGER)
    result, found = parse(bom(), BOM)
    assert isinstance(result, BOM) and result.id == uuid.UUID(BOM_ID)
    assert result.status is Status.draft and isinstance(result.lines[0], BOMLine)
    assert found == [] and caplog.records == []


def test_unknown_field_is_kept_and_reported(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger=SCHEMA_LOGGER)
    result, found = parse(bom(approved_by="ada"), BOM)
    assert isinstance(result, BOM)
    assert result.approved_by == "ada"  # type: ignore[attr-defined]
    assert result.model_extra == {"approved_by": "ada"}
    assert result.status is Status.draft and result.id == uuid.UUID(BOM_ID)  # still typed
    assert found == [
        SchemaMismatch("BOM", "approved_by", "Unknown field (not in the schema)", "ada")
    ]
    [record] = caplog.records
    assert record.name == SCHEMA_LOGGER and record.levelno == logging.WARNING
    assert "BOM" in record.getMessage() and "approved_by" in record.getMessage()


def test_unknown_enum_value_is_kept_as_string(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger=SCHEMA_LOGGER)
    result, found = parse(bom(status="archived"), BOM)
    assert isinstance(result, BOM)
    assert result.status == "archived"
    assert result.name == "Main board" and isinstance(result.lines[0].status, Status)
    [mismatch] = found
    assert (mismatch.model, mismatch.location, mismatch.value) == (
        "BOM",
        "status",
        "archived",
    )
    assert "draft" in mismatch.message and "approved" in mismatch.message
    assert len(caplog.records) == 1 and "status" in caplog.records[0].getMessage()


def test_null_for_a_string_is_kept(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger=SCHEMA_LOGGER)
    result, found = parse(bom(name=None), BOM)
    assert isinstance(result, BOM) and result.name is None
    assert found == [SchemaMismatch("BOM", "name", "Input should be a valid string", None)]
    assert len(caplog.records) == 1


def test_wrong_scalar_type_in_a_nested_list_item() -> None:
    lines = [
        {"id": LINE_ID, "mpn": "R1", "quantity": 2},
        {"id": LINE_ID, "mpn": "C7", "quantity": "ten", "status": "approved"},
    ]
    result, found = parse(bom(lines=lines), BOM)
    assert isinstance(result.lines[0], BOMLine) and result.lines[0].quantity == 2
    second = result.lines[1]
    assert isinstance(second, BOMLine)
    assert second.quantity == "ten" and second.status is Status.approved
    assert second.id == uuid.UUID(LINE_ID)
    assert [(m.model, m.location, m.value) for m in found] == [
        ("BOMLine", "lines.1.quantity", "ten")
    ]


def test_missing_required_field_is_none_and_reported() -> None:
    data = bom()
    del data["name"]
    result, found = parse(data, BOM)
    assert isinstance(result, BOM) and result.name is None
    assert [(m.location, m.message) for m in found] == [("name", "Field required")]


def test_defaults_still_apply_and_fields_set_is_what_was_sent() -> None:
    result, _ = parse({"id": BOM_ID, "name": None, "status": "draft"}, BOM)
    assert result.lines == [] and result.description is None
    assert result.model_fields_set == {"id", "name", "status"}


def test_top_level_list_and_several_problems() -> None:
    items = [bom(), bom(status="weird", extra=1), "not an object"]
    result, found = parse(items, list[BOM])
    assert isinstance(result[0], BOM) and isinstance(result[1], BOM)
    assert result[2] == "not an object"
    assert sorted((m.model, m.location) for m in found) == [
        ("BOM", "1.extra"),
        ("BOM", "1.status"),
        ("list[BOM]", "2"),
    ]


def test_aliases_root_models_and_unions() -> None:
    line, found = parse({"mpn": "R1", "quantity": "x", "customId": "c1"}, CreateBOMLine)
    assert isinstance(line, CreateBOMLine) and line.custom_id == "c1"
    assert [m.location for m in found] == ["quantity"]

    tags, found = parse(["a", 2, "c"], Tags)
    assert isinstance(tags, Tags) and tags.root == ["a", 2, "c"]
    assert [(m.model, m.location) for m in found] == [("Tags", "1")]

    owner, found = parse({"owner": {"id": BOM_ID, "title": "Ops", "lead": "x"}}, Owner)
    assert isinstance(owner.owner, Team) and owner.owner.title == "Ops"
    assert [(m.model, m.location) for m in found] == [("Team", "owner.lead")]

    owner, found = parse({"owner": {"id": BOM_ID, "name": 5}}, Owner)
    assert isinstance(owner.owner, Supplier) and owner.owner.name == 5

    owner, found = parse({"owner": 42}, Owner)
    assert owner.owner == 42 and [m.location for m in found] == ["owner"]


def test_strict_parsing_raises_response_validation_error() -> None:
    client = make_client(Recorder(json_response(200, bom(status="archived"))))
    with pytest.raises(ResponseValidationError) as info:
        client.request("GET", "/v1/boms/x/", cast_to=BOM, strict=True)
    error = info.value
    assert isinstance(error, APIError)
    assert error.response is not None and error.status_code == 200
    assert error.body == bom(status="archived")
    assert error.errors and error.errors[0]["loc"] == ("status",)
    assert "does not match BOM" in str(error) and "status" in str(error)


def test_strict_ignores_unknown_fields_like_pydantic() -> None:
    client = make_client(Recorder(json_response(200, bom(extra=1))))
    result = client.request("GET", "/v1/boms/x/", cast_to=BOM, strict=True)
    assert isinstance(result, BOM)


def test_lenient_client_reports_to_hook_and_logger(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger=SCHEMA_LOGGER)
    found: list[SchemaMismatch] = []
    client = make_client(
        Recorder(json_response(200, bom(status="archived", extra=1, name=None))),
        on_schema_mismatch=found.append,
    )
    result = client.request("GET", "/v1/boms/x/", cast_to=BOM)
    assert isinstance(result, BOM)
    assert sorted(m.location for m in found) == ["extra", "name", "status"]
    assert len([r for r in caplog.records if r.name == SCHEMA_LOGGER]) == 3


def test_invalid_json_body_is_a_response_validation_error() -> None:
    client = make_client(Recorder(json_response(200, {}).__class__(200, text="{not json")))
    with pytest.raises(ResponseValidationError, match="not valid JSON"):
        client.request("GET", "/v1/boms/x/", cast_to=BOM)
