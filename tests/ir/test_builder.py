"""The IR builder on small inline specs: what each operation, tag and document-wide fact
becomes. (The rendered output of whole specs is held by the golden records.)"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from generator.ir.builder import build_api
from generator.ir.types import Api, Operation
from generator.load import parse_spec
from generator.models import generate_models
from generator.normalise import normalise_document
from generator.validate import validate

from ..conftest import dump_yaml

pytestmark = pytest.mark.filterwarnings("ignore:format of:UserWarning")

PET = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "name": {"type": "string"},
        "status": {"type": "string", "enum": ["waiting", "done"]},
    },
}
BASE: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Pets", "version": "2.0"},
    "servers": [
        {"url": "https://{region}.example.com/api/", "variables": {"region": {"default": "eu"}}}
    ],
    "paths": {},
    "components": {"schemas": {"Pet": PET}},
}


def build(paths: dict[str, Any], *, validated: bool = True, **document: Any) -> Api:
    """The IR of BASE with these paths (and top-level keys), as the pipeline builds it."""
    data = {**copy.deepcopy(BASE), "paths": paths, **document}
    spec = parse_spec(dump_yaml(data, sort_keys=False).encode(), "pets.yaml")
    if validated:
        spec = validate(spec).spec
    regular = normalise_document(spec)
    schemas = regular["components"]["schemas"]
    models = generate_models(regular["openapi"], schemas, spec.path)
    return build_api(regular, models, spec_path=spec.path, api_key_env="PETS_API_KEY")


def only(api: Api) -> Operation:
    [operation] = api.operations
    return operation


def ok(schema: Any = None, status: str = "200") -> dict[str, Any]:
    content = {} if schema is None else {"content": {"application/json": {"schema": schema}}}
    return {status: {"description": "ok", **content}}


PET_REF = {"$ref": "#/components/schemas/Pet"}


def test_operations_group_by_first_tag_and_sort_by_path_then_method() -> None:
    api = build(
        {
            "/pets/{pet_id}/": {
                "parameters": [
                    {"name": "pet_id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "delete": {
                    "operationId": "delete_pet",
                    "tags": ["Pets", "Admin"],
                    "responses": ok(),
                },
                "get": {"operationId": "get_pet", "tags": ["Pets"], "responses": ok(PET_REF)},
            },
            "/pets/": {"get": {"operationId": "list_pets", "tags": ["Pets"], "responses": ok()}},
            "/health/": {"get": {"operationId": "health", "responses": ok()}},
        }
    )
    assert [(t.name, t.module, t.attribute, t.class_name) for t in api.tags] == [
        ("health", "health", "health", "Health"),  # untagged: its first path segment
        ("Pets", "pets", "pets", "Pets"),
    ]
    assert [op.python_name for op in api.tags[1].operations] == [
        "list_pets",
        "get_pet",
        "delete_pet",
    ]


def test_parameters_become_positional_path_arguments_then_keywords() -> None:
    op = only(
        build(
            {
                "/orgs/{org}/pets/{pet_id}/": {
                    "get": {
                        "operationId": "get_pet",
                        "parameters": [
                            {"name": "timeout", "in": "query", "schema": {"type": "integer"}},
                            {
                                "name": "pet_id",
                                "in": "path",
                                "required": True,
                                "schema": {"type": "string", "format": "uuid"},
                            },
                            {
                                "name": "org",
                                "in": "path",
                                "required": True,
                                "schema": {"type": "string"},
                            },
                            {
                                "name": "X-Trace",
                                "in": "header",
                                "required": True,
                                "schema": {"type": "string"},
                            },
                            {"name": "session", "in": "cookie", "schema": {"type": "string"}},
                            {"name": "kind", "in": "query", "schema": {"enum": ["a", "b's"]}},
                        ],
                        "responses": ok(PET_REF),
                    }
                }
            }
        )
    )
    assert [(p.python_name, p.type_hint) for p in op.path_params] == [
        ("org", "str"),
        ("pet_id", "str | UUID"),  # ids come back as UUID objects: both are accepted
    ]
    assert [(p.name, p.python_name, p.required) for p in op.keyword_params] == [
        ("kind", "kind", False),
        ("timeout", "timeout_", False),  # the method's own `timeout` keeps its name
        ("X-Trace", "x_trace", True),
        ("session", "session", False),
    ]
    assert op.query_params[0].type_hint == """Literal["a", "b's"]"""
    assert op.query_params[0].argument_hint == """Literal["a", "b's"] | NotGiven"""


def test_a_json_body_of_one_model_is_offered_field_by_field() -> None:
    create = {
        "type": "object",
        "required": ["name"],
        "properties": {"name": {"type": "string"}, "limit": {"type": "integer"}},
    }
    op = only(
        build(
            {
                "/pets/": {
                    "post": {
                        "operationId": "create_pet",
                        "parameters": [
                            {"name": "limit", "in": "query", "schema": {"type": "integer"}}
                        ],
                        "requestBody": {
                            "required": True,
                            "content": {
                                "multipart/form-data": {"schema": create},
                                "application/json": {"schema": create},
                            },
                        },
                        "responses": ok(PET_REF, "201"),
                    }
                }
            }
        )
    )
    assert op.body is not None
    assert (op.body.kind, op.body.content_type, op.body.model) == (
        "json",
        "application/json",
        "CreatePetRequest",
    )
    assert [(f.name, f.python_name, f.required) for f in op.body.fields] == [
        ("limit", "limit_", False),  # a query parameter has the name
        ("name", "name", True),
    ]
    assert (op.response.status, op.response.type_hint) == ("201", "Pet")


def test_required_body_fields_are_demanded_but_not_read_only_ones_and_files_take_file_types() -> (
    None
):
    record = {  # one schema for request and response: its read-only id is the server's
        "type": "object",
        "required": ["id", "name", "scan"],
        "properties": {
            "id": {"type": "string", "format": "uuid", "readOnly": True},
            "name": {"type": "string"},
            "scan": {"type": "string", "format": "binary"},
            "note": {"type": ["string", "null"]},
        },
    }

    api = build(
        {
            f"/{kind}/": {
                "post": {
                    "operationId": kind,
                    "requestBody": {
                        "required": required,
                        "content": {media: {"schema": {"$ref": "#/components/schemas/Scan"}}},
                    },
                    "responses": ok(PET_REF),
                }
            }
            for kind, media, required in [
                ("json", "application/json", True),
                ("multipart", "multipart/form-data", True),
                ("optional", "application/json", False),
            ]
        },
        components={"schemas": {"Pet": PET, "Scan": record}},
    )
    ops = {op.operation_id: op.body for op in api.operations}
    assert all(b is not None for b in ops.values())
    json_body, multipart, optional = ops["json"], ops["multipart"], ops["optional"]
    assert json_body and multipart and optional
    assert [f.name for f in json_body.required_fields] == ["name", "scan"]
    assert [f.name for f in json_body.optional_fields] == ["id", "note"]
    assert [f.read_only for f in json_body.fields] == [True, False, False, False]
    assert optional.required_fields == ()  # no body at all is allowed: nothing demanded
    hints = {f.name: f.type_hint for f in multipart.fields}
    assert (hints["scan"], hints["name"]) == ("FileTypes", "str")
    assert {f.name: f.type_hint for f in json_body.fields}["scan"] == "bytes"


@pytest.mark.parametrize(
    ("responses", "shape"),
    [
        (ok(PET_REF), ("200", "json", "Pet", None)),
        (ok({"type": "array", "items": PET_REF}), ("200", "json", "list[Pet]", None)),
        ({"204": {"description": "gone"}}, ("204", "empty", "None", None)),
        (
            {"200": {"description": "a file", "content": {"application/pdf": {}}}},
            ("200", "binary", "bytes", None),
        ),
        (
            {
                "default": {
                    "description": "ok",
                    "content": {"application/json": {"schema": {"type": "integer"}}},
                }
            },
            ("default", "json", "int", None),
        ),
        (
            ok(
                {
                    "type": "object",
                    "properties": {
                        "count": {"type": "integer"},
                        "next": {"type": ["string", "null"]},
                        "results": {"type": "array", "items": PET_REF},
                    },
                }
            ),
            ("200", "json", "Pet", "Pet"),  # a DRF page: the method walks the pages
        ),
    ],
)
def test_the_first_success_response_is_what_the_method_returns(
    responses: dict[str, Any], shape: tuple[Any, ...]
) -> None:
    op = only(
        build(
            {
                "/pets/": {
                    "get": {
                        "operationId": "list_pets",
                        "responses": {**responses, "404": {"description": "none"}},
                    }
                }
            }
        )
    )
    assert (
        op.response.status,
        op.response.kind,
        op.response.type_hint,
        op.response.page_item,
    ) == shape


def test_error_responses_name_the_exception_the_runtime_raises() -> None:
    responses = {
        **ok(PET_REF),
        "404": {"description": "No such pet."},
        "418": {"description": "Teapot."},
        "503": {"description": "Down."},
    }
    op = only(build({"/pets/": {"get": {"operationId": "get_pets", "responses": responses}}}))
    assert [(e.status, e.description) for e in op.errors] == [
        ("404", "NotFoundError: No such pet."),
        ("418", "APIStatusError: Teapot."),
        ("503", "InternalServerError: Down."),
    ]


def test_an_inferred_schema_parses_leniently() -> None:
    inferred = {**PET, "x-provenance": "inferred"}
    components = {"schemas": {"Pet": inferred}}
    op = only(
        build(
            {"/pets/": {"get": {"operationId": "get_pets", "responses": ok(PET_REF)}}},
            components=components,
        )
    )
    assert op.response.strict is False


def test_x_poll_names_the_model_attribute_to_wait_on() -> None:
    poll = {"property": "status", "done": ["done"]}
    get = {"operationId": "get_pet", "x-poll": poll, "responses": ok(PET_REF)}
    api = build(
        {
            "/pets/{pet_id}/": {
                "parameters": [
                    {"name": "pet_id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "get": get,
            }
        }
    )
    assert only(api).poll is not None and only(api).poll.attribute == "status"
    assert api.tags[0].poll_operation is only(api)
    assert api.webhook_record_types == (("Pet", "Pet"),)  # what a single-record GET returns


@pytest.mark.parametrize(
    ("schemes", "auth"),
    [
        ({"Key": {"type": "apiKey", "in": "header", "name": "X-Key"}}, ("X-Key", "")),
        (
            {
                "Key": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "Authorization",
                    "x-api-key-prefix": "Api-Key",
                }
            },
            ("Authorization", "Api-Key"),
        ),
        ({"Jwt": {"type": "http", "scheme": "bearer"}}, ("Authorization", "Bearer")),
        ({}, ("Authorization", "")),
    ],
)
def test_the_key_goes_where_the_security_scheme_says(
    schemes: dict[str, Any], auth: tuple[str, str]
) -> None:
    components = {"schemas": {"Pet": PET}, "securitySchemes": schemes}
    api = build(
        {"/pets/": {"get": {"operationId": "list_pets", "responses": ok()}}}, components=components
    )
    assert (api.auth_header, api.auth_scheme) == auth


def test_document_facts() -> None:
    api = build({"/pets/": {"get": {"operationId": "list_pets", "responses": ok()}}})
    assert (api.title, api.version, api.base_url) == ("Pets", "2.0", "https://eu.example.com/api")
    assert api.api_key_env_var == "PETS_API_KEY"
    relative = build(
        {"/pets/": {"get": {"operationId": "list_pets", "responses": ok()}}},
        servers=[{"url": "/v2"}],
    )
    assert relative.base_url == "http://localhost/v2"


def test_a_tag_named_like_a_client_member_keeps_its_module_but_not_its_attribute() -> None:
    api = build(
        {
            "/requests/": {
                "get": {"operationId": "list_requests", "tags": ["Request"], "responses": ok()}
            }
        }
    )
    [tag] = api.tags
    assert (tag.module, tag.attribute, tag.class_name) == ("request", "request_", "Request")


def test_a_body_of_an_unsupported_media_type_is_raw_bytes_sent_as_declared() -> None:
    """Issue 17: `application/cbor` (no encoder) was refused for the whole document; now that
    operation takes bytes and sends them with its declared content type."""
    body = {"content": {"application/cbor": {"schema": {"type": "string"}}}}
    blob = {"post": {"operationId": "put_blob", "requestBody": body, "responses": ok()}}
    op = only(build({"/blobs": blob}))
    assert op.body is not None
    assert op.body.kind == "binary" and op.body.type_hint == "bytes"
    assert op.body.content_type == "application/cbor"
    assert op.content_type_header == "application/cbor"


def test_a_fragment_or_query_in_a_path_key_is_not_sent() -> None:
    """`/tags/{arn}#tagKeys` and `/search?query={q}` keep their keys (which tell operations
    apart) but the client sends `/tags/{arn}` and `/search`."""
    arn = {"name": "arn", "in": "path", "required": True, "schema": {"type": "string"}}
    q = {"name": "q", "in": "query", "schema": {"type": "string"}}
    api = build(
        {
            "/tags/{arn}": {"post": {"operationId": "tag", "parameters": [arn], "responses": ok()}},
            "/tags/{arn}#tagKeys": {
                "delete": {"operationId": "untag", "parameters": [arn], "responses": ok()}
            },
            "/search?q={q}": {
                "get": {"operationId": "search", "parameters": [q], "responses": ok()}
            },
        }
    )
    sent = {op.python_name: (op.path, op.request_path) for op in api.operations}
    assert sent == {
        "search": ("/search?q={q}", "/search"),
        "tag": ("/tags/{arn}", "/tags/{arn}"),
        "untag": ("/tags/{arn}#tagKeys", "/tags/{arn}"),
    }


def test_methods_that_collide_are_numbered_and_non_ascii_ids_named_from_the_path() -> None:
    """Issue 17: `getPet`/`get_pet` were refused; '取得' made the method `operation`."""
    api = build(
        {
            "/a": {"get": {"operationId": "getPet", "tags": ["pets"], "responses": ok()}},
            "/b": {"get": {"operationId": "get_pet", "tags": ["pets"], "responses": ok()}},
            "/c": {"get": {"operationId": "getPet_", "tags": ["pets"], "responses": ok()}},
            "/pets/{id}": {
                "get": {
                    "operationId": "取得",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": ok(),
                }
            },
        }
    )
    names = {op.operation_id: op.python_name for op in api.operations}
    assert names == {
        "getPet": "get_pet_2",
        "get_pet": "get_pet",
        "getPet_": "get_pet_3",
        "取得": "get_pets_id",
    }
