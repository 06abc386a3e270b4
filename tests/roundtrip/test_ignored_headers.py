"""Header parameters named Accept, Content-Type or Authorization are ignored, as OpenAPI 3
says (the request body, the responses and the security schemes say them): VTEX's documents
declare Content-Type and Accept, required, on every operation, and the client required a
`content_type` argument whose `application/json` overrode the body's vendor media type, so
its own stub answered 415."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import httpx
import pytest

from .harness import running

pytestmark = pytest.mark.slow

_CARD = {
    "type": "object",
    "properties": {"id": {"type": "string", "readOnly": True}, "owner": {"type": "string"}},
}
_REF = {"$ref": "#/components/schemas/Card"}
_VENDOR = "application/vnd.example.card.v1+json"


def _header(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "header",
        "required": True,
        "schema": {"type": "string", "enum": ["application/json"]},
    }


_HEADERS = [_header("Content-Type"), _header("Accept"), _header("authorization")]
SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Cards", "version": "1.0.0"},
    "components": {"schemas": {"Card": _CARD}},
    "paths": {
        "/cards": {
            "post": {
                "operationId": "createCard",
                "tags": ["cards"],
                "parameters": _HEADERS,
                "requestBody": {"required": True, "content": {_VENDOR: {"schema": _REF}}},
                "responses": {
                    "201": {
                        "description": "created",
                        "content": {"application/json": {"schema": _REF}},
                    }
                },
            }
        },
        "/cards/{cardId}": {
            "parameters": [
                *_HEADERS,
                {"name": "cardId", "in": "path", "required": True, "schema": {"type": "string"}},
            ],
            "get": {
                "operationId": "getCard",
                "tags": ["cards"],
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {"schema": _REF}}}
                },
            },
        },
    },
}


def test_accept_content_type_and_authorization_parameters_are_ignored(tmp_path: Path) -> None:
    sent: list[httpx.Request] = []
    http = httpx.Client(event_hooks={"request": [sent.append]})
    with running(tmp_path, SPEC, "cards") as api, api.client(http_client=http) as client:
        for method in (client.cards.create_card, client.cards.get_card):
            arguments = set(inspect.signature(method).parameters)
            assert not arguments & {"content_type", "accept", "authorization"}, arguments
        card = client.cards.create_card(owner="ada")
        assert sent[-1].headers["Content-Type"] == _VENDOR
        assert client.cards.get_card(card.id).owner == "ada"
        assert "Content-Type" not in sent[-1].headers  # a GET has no body to describe
