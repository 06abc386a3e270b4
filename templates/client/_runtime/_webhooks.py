"""Parsing webhook deliveries into typed events.

A delivery body is ``{"event_type": "created"|"updated", "record_type": "BOM", "id": "<uuid>",
"data": {...}}``. ``parse_webhook_event`` checks the envelope and parses ``data`` into the
model registered for ``record_type`` (matched case-insensitively), tolerantly by default,
like responses. An unknown ``record_type`` keeps ``data`` as the raw JSON, so a new kind of
record never breaks a receiver. This module does not verify signatures.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from ._errors import WebhookParseError
from ._parsing import MismatchHook, SchemaMismatch, parse_value, report_mismatch

__all__ = ["EVENT_TYPES", "WebhookEvent", "parse_webhook_event"]

EVENT_TYPES = frozenset({"created", "updated"})
_ENVELOPE = "WebhookEvent"


@dataclass(frozen=True, slots=True)
class WebhookEvent:
    """One webhook delivery; ``data`` is a model instance when ``record_type`` is known."""

    event_type: str
    record_type: str
    id: str
    data: Any
    raw: Mapping[str, Any] = field(repr=False)


def _decode(payload: bytes | bytearray | str | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(payload, Mapping):
        return payload
    if isinstance(payload, bytes | bytearray | str):
        try:
            decoded = json.loads(payload)
        except ValueError as exc:
            raise WebhookParseError(
                f"Webhook payload is not valid JSON: {exc}"
            ) from None
        if not isinstance(decoded, dict):
            raise WebhookParseError(
                f"Webhook payload must be a JSON object, got {type(decoded).__name__}"
            )
        return decoded
    raise WebhookParseError(
        f"Webhook payload must be bytes, str or a mapping, got {type(payload).__name__}"
    )


def _required_str(body: Mapping[str, Any], key: str) -> str:
    if key not in body:
        raise WebhookParseError(f"Webhook payload has no {key!r} field")
    value = body[key]
    if not isinstance(value, str) or not value:
        raise WebhookParseError(
            f"Webhook field {key!r} must be a non-empty string, got {value!r}"
        )
    return value


def parse_webhook_event(
    payload: bytes | bytearray | str | Mapping[str, Any],
    record_models: Mapping[str, type[BaseModel]],
    *,
    strict: bool = False,
    on_schema_mismatch: MismatchHook | None = None,
) -> WebhookEvent:
    """Parse a webhook delivery body (raw bytes/str, or already-decoded JSON).

    ``strict=True`` rejects an unknown ``event_type``, a non-UUID ``id`` and ``data`` that
    does not match its model; otherwise those are reported as ``SchemaMismatch``\\es (hook
    and ``"<pkg>.schema"`` logger) and kept. Raises ``WebhookParseError``.
    """
    body = _decode(payload)
    event_type = _required_str(body, "event_type")
    record_type = _required_str(body, "record_type")
    event_id = _required_str(body, "id")
    if "data" not in body:
        raise WebhookParseError("Webhook payload has no 'data' field")

    problems: list[SchemaMismatch] = []
    if event_type not in EVENT_TYPES:
        problems.append(
            SchemaMismatch(
                _ENVELOPE,
                "event_type",
                f"Input should be one of {sorted(EVENT_TYPES)}",
                event_type,
            )
        )
    try:
        uuid.UUID(event_id)
    except ValueError:
        problems.append(
            SchemaMismatch(_ENVELOPE, "id", "Input should be a valid UUID", event_id)
        )
    if problems and strict:
        first = problems[0]
        raise WebhookParseError(
            f"Invalid webhook payload: {first.location}: {first.message} (got {first.value!r})"
        )
    for problem in problems:
        report_mismatch(problem, on_schema_mismatch, "Webhook")

    wanted = record_type.casefold()
    model = next(
        (m for name, m in record_models.items() if name.casefold() == wanted), None
    )
    data: Any = body["data"]
    if model is not None:
        try:
            data = parse_value(
                data,
                model,
                strict=strict,
                on_mismatch=on_schema_mismatch,
                path=("data",),
                source="Webhook",
            )
        except ValidationError as exc:
            raise WebhookParseError(
                f"Webhook data does not match {model.__name__}: "
                f"{exc.error_count()} validation errors"
            ) from exc
    return WebhookEvent(
        event_type=event_type, record_type=record_type, id=event_id, data=data, raw=body
    )
