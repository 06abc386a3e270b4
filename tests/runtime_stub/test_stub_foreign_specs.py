"""The stub under a spec that is not Cofactr's: the key in the header its scheme names, OpenAPI's
integer formats enforced, errors in the media type and shape the spec declares."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from .runtime import RUNTIME

PROBLEM = {
    "type": "object",
    "required": ["title", "status"],
    "properties": {
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
    },
}
SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Orders", "version": "1"},
    "components": {
        "securitySchemes": {"token": {"type": "apiKey", "in": "header", "name": "X-Token"}},
        "schemas": {
            "Order": {
                "type": "object",
                "required": ["quantity"],
                "properties": {
                    "id": {"type": "string", "format": "uuid", "readOnly": True},
                    "quantity": {"type": "integer", "format": "int32"},
                    "total": {"type": "integer", "format": "int64"},
                },
            },
            "Problem": PROBLEM,
        },
        "responses": {
            "Problem": {
                "description": "An RFC 7807 problem.",
                "content": {
                    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
                },
            }
        },
    },
    "security": [{"token": []}],
    "paths": {
        "/orders/": {
            "post": {
                "operationId": "create_order",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Order"}}
                    },
                },
                "responses": {
                    "201": {
                        "description": "Created.",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Order"}}
                        },
                    },
                    "400": {"$ref": "#/components/responses/Problem"},
                    "401": {"$ref": "#/components/responses/Problem"},
                },
            }
        }
    },
}


@pytest.fixture
def http() -> Iterator[TestClient]:
    app = RUNTIME.create_app(
        SPEC,
        RUNTIME.build_routers(SPEC),
        RUNTIME.StubSettings(api_keys=["t-1"]),
        RUNTIME.KeyHeader("X-Token", ""),
    )
    with TestClient(app) as client:
        yield client


def test_the_key_is_taken_from_the_header_the_scheme_names(http: TestClient) -> None:
    assert (
        http.post("/orders/", json={"quantity": 1}, headers={"X-Token": "t-1"}).status_code == 201
    )
    cofactr_style = http.post(
        "/orders/", json={"quantity": 1}, headers={"Authorization": "Api-Key t-1"}
    )
    assert cofactr_style.status_code == 401
    assert cofactr_style.headers["WWW-Authenticate"] == "X-Token"
    assert (
        http.post("/orders/", json={"quantity": 1}, headers={"X-Token": "t-2"}).status_code == 401
    )
    twice = http.post("/orders/", json={"quantity": 1}, headers=[("X-Token", "t-1")] * 2)
    assert twice.status_code == 400
    assert twice.json()["detail"] == "The X-Token header was sent 2 times; send it once."


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"quantity": 2**31 - 1}, 201),
        ({"quantity": 2**31}, 400),
        ({"quantity": -(2**31)}, 201),
        ({"quantity": -(2**31) - 1}, 400),
        ({"quantity": 1, "total": 2**63 - 1}, 201),
        ({"quantity": 1, "total": 2**63}, 400),
    ],
)
def test_openapi_integer_formats_bound_the_value(
    http: TestClient, body: dict[str, int], status: int
) -> None:
    assert http.post("/orders/", json=body, headers={"X-Token": "t-1"}).status_code == status


def test_errors_come_in_the_declared_media_type_and_shape(http: TestClient) -> None:
    import jsonschema

    invalid = http.post("/orders/", json={"quantity": 2**31}, headers={"X-Token": "t-1"})
    assert invalid.status_code == 400
    assert invalid.headers["content-type"] == "application/problem+json"
    problem = invalid.json()
    jsonschema.validate(problem, PROBLEM)
    assert problem["status"] == 400 and problem["title"] == "Bad Request"
    assert "quantity" in problem["detail"]

    unauthenticated = http.post("/orders/", json={"quantity": 1})
    assert unauthenticated.headers["content-type"] == "application/problem+json"
    jsonschema.validate(unauthenticated.json(), PROBLEM)
    assert unauthenticated.json()["status"] == 401


@pytest.mark.parametrize(
    ("header", "sent"),
    [
        (RUNTIME.KeyHeader(), {"Authorization": "Api-Key k-1"}),
        (RUNTIME.KeyHeader("Authorization", "Bearer"), {"Authorization": "Bearer k-1"}),
        (RUNTIME.KeyHeader("X-Token", ""), {"X-Token": "k-1"}),
    ],
)
def test_a_key_header_reads_back_what_it_tells_callers_to_send(
    header: Any, sent: dict[str, str]
) -> None:
    assert header.headers("k-1") == sent
    assert header.key(sent[header.name]) == "k-1"
    assert header.key("k-1 extra") is None and header.key("") is None


NUMBERED: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Things", "version": "1"},
    "components": {
        "schemas": {
            "Thing": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer", "readOnly": True},
                    "name": {"type": "string"},
                },
            }
        }
    },
    "paths": {
        "/things/": {
            "post": {
                "operationId": "create_thing",
                "requestBody": {
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}
                    }
                },
                "responses": {
                    "201": {
                        "description": "Created.",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}
                        },
                    }
                },
            }
        },
        "/things/{thing_id}": {
            "get": {
                "operationId": "get_thing",
                # A client whose schema says `number` holds the id as a float: 1.0.
                "parameters": [
                    {
                        "name": "thing_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "number"},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "The thing.",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}
                        },
                    }
                },
            }
        },
    },
}


def test_a_record_numbered_1_is_found_as_1_0_by_a_number_parameter() -> None:
    app = RUNTIME.create_app(
        NUMBERED, RUNTIME.build_routers(NUMBERED), RUNTIME.StubSettings(api_keys=["t-1"])
    )
    with TestClient(app) as http:
        created = http.post("/things/", json={"name": "one"})
        assert created.status_code == 201, created.text
        number = created.json()["id"]
        assert http.get(f"/things/{number}").json()["name"] == "one"
        assert http.get(f"/things/{number}.0").json()["name"] == "one"
        assert http.get(f"/things/{number}.5").status_code == 404
