"""Records round-trip through the generated client and its stub whatever the path style: no
trailing slash, nested collections, identifiers not named `id`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .harness import KEY_A, running

pytestmark = pytest.mark.slow


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


PET = {
    "type": "object",
    "required": ["petId", "name"],
    "properties": {
        "petId": {"type": "integer", "readOnly": True},
        "name": {"type": "string"},
    },
}
TOY = {
    "type": "object",
    "required": ["toyId", "label"],
    "properties": {
        "toyId": {"type": "string", "readOnly": True},
        "label": {"type": "string"},
    },
}
PET_REF = {"$ref": "#/components/schemas/Pet"}
TOY_REF = {"$ref": "#/components/schemas/Toy"}


def _param(name: str, kind: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": kind}}


PETS: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Pets", "version": "1.0.0"},
    "components": {
        "schemas": {"Pet": PET, "Toy": TOY},
        "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}},
    },
    "security": [{"key": []}],
    "paths": {
        "/pets": {
            "get": {
                "operationId": "listPets",
                "tags": ["pets"],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": _json({"type": "array", "items": PET_REF}),
                    }
                },
            },
            "post": {
                "operationId": "createPet",
                "tags": ["pets"],
                "requestBody": {"required": True, "content": _json(PET_REF)},
                "responses": {"201": {"description": "created", "content": _json(PET_REF)}},
            },
        },
        "/pets/{petId}": {
            "get": {
                "operationId": "showPet",
                "tags": ["pets"],
                "parameters": [_param("petId", "integer")],
                "responses": {"200": {"description": "ok", "content": _json(PET_REF)}},
            }
        },
        "/pets/{petId}/toys": {
            "get": {
                "operationId": "listToys",
                "tags": ["pets"],
                "parameters": [_param("petId", "integer")],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": _json({"type": "array", "items": TOY_REF}),
                    }
                },
            },
            "post": {
                "operationId": "createToy",
                "tags": ["pets"],
                "parameters": [_param("petId", "integer")],
                "requestBody": {"required": True, "content": _json(TOY_REF)},
                "responses": {"201": {"description": "created", "content": _json(TOY_REF)}},
            },
        },
        "/pets/{petId}/toys/{toyId}": {
            "get": {
                "operationId": "showToy",
                "tags": ["pets"],
                "parameters": [_param("petId", "integer"), _param("toyId", "string")],
                "responses": {"200": {"description": "ok", "content": _json(TOY_REF)}},
            }
        },
    },
}


def test_created_records_are_listed_and_fetched_without_trailing_slashes(tmp_path: Path) -> None:
    with running(tmp_path, PETS, "pets_plain") as api, api.client(api_key=KEY_A) as client:
        rex = client.pets.create_pet(name="Rex")
        assert rex.name == "Rex" and isinstance(rex.petId, int)
        client.pets.create_pet(name="Tom")
        assert [pet.name for pet in client.pets.list_pets()] == ["Rex", "Tom"]
        assert client.pets.show_pet(rex.petId).name == "Rex"

        ball = client.pets.create_toy(rex.petId, label="ball")
        assert ball.label == "ball"
        assert [toy.label for toy in client.pets.list_toys(rex.petId)] == ["ball"]
        assert client.pets.show_toy(rex.petId, ball.toyId).label == "ball"


ORDER = {
    "type": "object",
    "properties": {"id": {"type": "string", "readOnly": True}, "status": {"type": "string"}},
}
ORDER_REF = {"$ref": "#/components/schemas/Order"}
_ANY = {"type": "object", "additionalProperties": True}
_OBJECT_NAME = {"name": "objectName", "in": "path", "required": True, "schema": {"type": "string"}}


def _op(op_id: str, tag: str, answer: dict[str, Any], body: dict[str, Any] | None = None) -> Any:
    op: dict[str, Any] = {
        "operationId": op_id,
        "tags": [tag],
        "responses": {"200": {"description": "ok", "content": _json(answer)}},
    }
    if body is not None:
        op["requestBody"] = {"required": True, "content": _json(body)}
    return op


GENERIC_FIRST: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Generic routes", "version": "1.0.0"},
    "components": {"schemas": {"Order": ORDER}},
    "paths": {
        # a tag sorted before the literal path's, its routes registered first
        "/{objectName}": {
            "parameters": [_OBJECT_NAME],
            "get": _op("listObjects", "bulk", {"type": "array", "items": _ANY}),
            "post": _op("createObject", "bulk", _ANY, _ANY),
        },
        "/orders": {
            "get": _op("getOrders", "orders", {"type": "array", "items": ORDER_REF}),
            "post": _op("createOrder", "orders", ORDER_REF, ORDER_REF),
        },
        "/orders/{id}": {
            "parameters": [_param("id", "string")],
            "get": _op("getOrderById", "orders", ORDER_REF),
        },
    },
}


def test_a_literal_path_is_served_by_its_own_operation_before_a_templated_one(
    tmp_path: Path,
) -> None:
    """`POST /orders` reaches `createOrder`, not `/{objectName}` registered before it (whose
    route matched first, and the stub answered 405 as if `/orders` had no POST)."""
    with running(tmp_path, GENERIC_FIRST, "generic_first") as api, api.client() as client:
        made = client.orders.create_order(status="open")
        assert client.orders.get_order_by_id(made.id).status == "open"
        assert [o.id for o in client.orders.get_orders()] == [made.id]
