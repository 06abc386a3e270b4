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
