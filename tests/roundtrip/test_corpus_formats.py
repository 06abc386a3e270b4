"""The round-trip column of `make corpus` (bench/corpus/roundtrip.py) on a record with strings
of formats the client's models check by a pattern or a type of their own (`hostname`,
`ipv4`, `ipv6`): the stub's values of them are valid ones, not empty strings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench.corpus import roundtrip
from generator import pipeline

from .harness import running

pytestmark = pytest.mark.slow

FORMATS = ("hostname", "idn-hostname", "ipv4", "ipv6")
HOST = {
    "type": "object",
    "required": list(FORMATS),
    "properties": {
        "id": {"type": "integer", "readOnly": True},
        **{name: {"type": "string", "format": name, "nullable": True} for name in FORMATS},
    },
}
_HOST = {"$ref": "#/components/schemas/Host"}


def _ok(schema: dict[str, Any], status: str = "200") -> dict[str, Any]:
    return {status: {"description": "ok", "content": {"application/json": {"schema": schema}}}}


SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Hosts", "version": "1.0.0"},
    "components": {"schemas": {"Host": HOST}},
    "paths": {
        "/hosts": {
            "post": {
                "operationId": "createHost",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _HOST}},
                },
                "responses": _ok(_HOST, "201"),
            },
        },
        "/hosts/{id}": {
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
            ],
            "get": {"operationId": "getHost", "responses": _ok(_HOST)},
        },
    },
}


def test_records_with_formatted_strings_round_trip(tmp_path: Path) -> None:
    document = tmp_path / "hosts.json"
    document.write_text(json.dumps(SPEC))
    out = tmp_path / "out"
    pipeline.generate(document, out, package_name="hosts")
    result = roundtrip.run(out, "hosts", timeout=300)
    assert result["failed"] == {}
    assert (result["outcome"], result["collections"], result["collections_ok"]) == (
        "round-trip",
        1,
        1,
    )


PAYMENT = {
    "type": "object",
    "required": ["amount", "count", "at"],
    "properties": {
        "id": {"type": "string", "format": "uuid", "readOnly": True},
        # nordigen's InstructedAmount.amount: a decimal as text, shaped by a pattern whose
        # shortest match is "" (which the client's model, a Decimal, refuses)
        "amount": {"type": "string", "format": "decimal", "pattern": r"^-?\d{0,10}(?:\.\d{0,2})?$"},
        "count": {"type": "string", "format": "integer"},
        "at": {"type": "string", "format": "time"},
    },
}
_PAYMENT = {"$ref": "#/components/schemas/Payment"}
PAYMENTS: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Payments", "version": "1.0.0"},
    "components": {"schemas": {"Payment": PAYMENT}},
    "paths": {
        "/payments/": {
            "post": {
                "operationId": "createPayment",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _PAYMENT}},
                },
                "responses": _ok(_PAYMENT, "201"),
            },
        },
        "/payments/{id}/": {
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "get": {"operationId": "getPayment", "responses": _ok(_PAYMENT)},
        },
    },
}


def test_a_number_written_as_a_patterned_string_is_a_number(tmp_path: Path) -> None:
    """A string of `format: decimal` (or `integer`, `time`) is a number (a time) to the
    client's model: the stub's value of it is one ("0"), not the pattern's shortest match
    (""), and the round trip sends one."""
    with running(tmp_path, PAYMENTS, "payments") as api, api.client() as client:
        made = client.payments.create_payment(amount="12.50", count="3", at="10:30:00")
        assert (str(made.amount), made.count) == ("12.50", 3)
        found = client.payments.get_payment(str(made.id))
        assert (str(found.amount), found.count, str(found.at)) == ("12.50", 3, "10:30:00")
    result = roundtrip.run(tmp_path / "payments", "payments", timeout=300)
    assert (result["outcome"], result["failed"], result["collections_ok"]) == ("round-trip", {}, 1)
