"""parse_webhook_event: valid and invalid payloads."""

from __future__ import annotations

import json
import logging

import pytest
from acme_client._runtime import (
    SchemaMismatch,
    WebhookEvent,
    WebhookParseError,
    parse_webhook_event,
)

from .helpers import BOM_ID
from .models import BOM, Status, Supplier

MODELS = {"BOM": BOM, "Supplier": Supplier}
EVENT = {
    "event_type": "created",
    "record_type": "BOM",
    "id": BOM_ID,
    "data": {"id": BOM_ID, "name": "Main board", "status": "draft"},
}


def test_bytes_payload_is_parsed_into_the_record_model() -> None:
    event = parse_webhook_event(json.dumps(EVENT).encode(), MODELS)
    assert isinstance(event, WebhookEvent)
    assert (event.event_type, event.record_type, event.id) == ("created", "BOM", BOM_ID)
    assert isinstance(event.data, BOM) and event.data.status is Status.draft
    assert event.raw == EVENT
    with pytest.raises(AttributeError):
        event.id = "x"  # type: ignore[misc]


def test_record_type_is_case_insensitive_and_str_or_mapping_accepted() -> None:
    event = parse_webhook_event(json.dumps(dict(EVENT, record_type="bom")), MODELS)
    assert isinstance(event.data, BOM)
    event = parse_webhook_event(dict(EVENT, event_type="updated"), MODELS)
    assert event.event_type == "updated" and isinstance(event.data, BOM)


def test_unknown_record_type_keeps_raw_data() -> None:
    event = parse_webhook_event(dict(EVENT, record_type="Invoice"), MODELS)
    assert event.data == EVENT["data"]


def test_lenient_data_mismatch_is_reported(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="acme_client.schema")
    found: list[SchemaMismatch] = []
    payload = dict(EVENT, data={"id": BOM_ID, "name": "x", "status": "new-status"})
    event = parse_webhook_event(payload, MODELS, on_schema_mismatch=found.append)
    assert isinstance(event.data, BOM) and event.data.status == "new-status"
    assert [(m.model, m.location) for m in found] == [("BOM", "data.status")]
    assert len(caplog.records) == 1
    assert caplog.records[0].getMessage().startswith("Webhook does not match the schema: BOM")


def test_strict_data_mismatch_raises() -> None:
    payload = dict(EVENT, data={"id": BOM_ID, "name": "x", "status": "new-status"})
    with pytest.raises(WebhookParseError, match="BOM"):
        parse_webhook_event(payload, MODELS, strict=True)


def test_unknown_event_type_and_bad_id_lenient_vs_strict() -> None:
    found: list[SchemaMismatch] = []
    payload = dict(EVENT, event_type="deleted", id="not-a-uuid")
    event = parse_webhook_event(payload, MODELS, on_schema_mismatch=found.append)
    assert event.event_type == "deleted"
    assert [m.location for m in found] == ["event_type", "id"]
    with pytest.raises(WebhookParseError, match="event_type"):
        parse_webhook_event(payload, MODELS, strict=True)


@pytest.mark.parametrize(
    ("payload", "match"),
    [
        (b"{not json", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ({"record_type": "BOM", "id": BOM_ID, "data": {}}, "event_type"),
        ({"event_type": "created", "id": BOM_ID, "data": {}}, "record_type"),
        ({"event_type": "created", "record_type": "BOM", "data": {}}, "'id'"),
        ({"event_type": "created", "record_type": "BOM", "id": BOM_ID}, "'data'"),
        (
            {"event_type": 5, "record_type": "BOM", "id": BOM_ID, "data": {}},
            "event_type",
        ),
        (12, "bytes, str or a mapping"),
    ],
)
def test_invalid_payloads_raise_a_value_error(payload: object, match: str) -> None:
    with pytest.raises(WebhookParseError, match=match) as info:
        parse_webhook_event(payload, MODELS)  # type: ignore[arg-type]
    assert isinstance(info.value, ValueError)
