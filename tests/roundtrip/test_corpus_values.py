"""Values the round trip of `make corpus` builds and the stub answers with, on small documents
shaped as real ones are; each document is generated, its stub run as a real process and its
client driven by bench/corpus/roundtrip.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench.corpus import roundtrip
from generator import pipeline

from .harness import KEY_A, running

pytestmark = pytest.mark.slow


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _ok(schema: dict[str, Any], status: str = "200") -> dict[str, Any]:
    return {status: {"description": "ok", "content": _json(schema)}}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _described(name: str, text: str) -> dict[str, Any]:
    """A property as AWS documents write one: a `$ref` beside its description."""
    return {"allOf": [_ref(name), {"description": text}]}


def _param(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def _round_trip(tmp_path: Path, spec: dict[str, Any], package: str) -> dict[str, Any]:
    document = tmp_path / f"{package}.json"
    document.write_text(json.dumps(spec))
    out = tmp_path / "out"
    pipeline.generate(document, out, package_name=package)
    return roundtrip.run(out, package, timeout=300)


ALL_OF: dict[str, Any] = {
    "openapi": "3.0.0",
    "info": {"title": "Detectors", "version": "1.0.0"},
    "components": {
        "schemas": {
            "Name": {"type": "string", "pattern": "^[a-zA-Z0-9_-]+$", "minLength": 1},
            "Count": {"type": "integer", "minimum": 1},
            "Detector": {
                "type": "object",
                "required": ["name", "count", "state"],
                "properties": {
                    "name": _described("Name", "The detector's name."),
                    "count": _described("Count", "How many."),
                    "state": {"allOf": [_ref("State")], "description": "Its state."},
                },
            },
            "State": {
                "type": "object",
                "required": ["stateName"],
                "properties": {"stateName": _described("Name", "The state's name.")},
            },
        }
    },
    "paths": {
        "/detectors": {
            "post": {
                "operationId": "createDetector",
                "requestBody": {"required": True, "content": _json(_ref("Detector"))},
                "responses": _ok(_ref("Detector"), "201"),
            },
            "get": {
                "operationId": "listDetectors",
                "responses": _ok({"type": "array", "items": _ref("Detector")}),
            },
        },
    },
}


def test_an_all_of_value_satisfies_every_member(tmp_path: Path) -> None:
    """`allOf: [{$ref: a string}, {description}]` is a string in the bodies the round trip
    sends and in the stub's answers, not a null the stub then refuses."""
    result = _round_trip(tmp_path, ALL_OF, "all_of")
    assert result["failed"] == {}
    assert (result["outcome"], result["collections_ok"]) == ("round-trip", 1)


_CHARSET = "application/json; charset=utf-8"
DOCK = {
    "type": "object",
    "required": ["id", "name", "pickup"],
    "properties": {
        "id": {"type": "string", "readOnly": True},
        "name": {"type": "string"},
        "pickup": {
            "type": "object",
            "required": ["isPickupStore"],
            "properties": {"isPickupStore": {"type": "boolean"}},
        },
    },
}
CHARSET: dict[str, Any] = {
    "openapi": "3.0.0",
    "info": {"title": "Docks", "version": "1.0.0"},
    "components": {"schemas": {"Dock": DOCK}},
    "paths": {
        "/docks": {
            "post": {
                "operationId": "createDock",
                "requestBody": {
                    "required": True,
                    "content": {
                        _CHARSET: {
                            "schema": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {"name": {"type": "string"}},
                            }
                        }
                    },
                },
                "responses": {"201": {"description": "ok", "content": {_CHARSET: {}}}},
            },
            "get": {
                "operationId": "listDocks",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {_CHARSET: {"schema": {"type": "array", "items": _ref("Dock")}}},
                    }
                },
            },
        },
    },
}


CHARSET["paths"]["/stores"] = json.loads(
    json.dumps(CHARSET["paths"]["/docks"])
    .replace(_CHARSET, "*/*")
    .replace("createDock", "createStore")
    .replace("listDocks", "listStores")
)


def test_answers_in_json_with_parameters_fit_their_schema(tmp_path: Path) -> None:
    """`application/json; charset=utf-8` and `*/*` are JSON to the stub as to the client: the
    list answers its records fitted to the declared items (`pickup` filled in), which the
    client's model requires."""
    result = _round_trip(tmp_path, CHARSET, "charset")
    assert result["failed"] == {}
    assert (result["outcome"], result["collections_ok"]) == ("round-trip", 2)


ACCOUNT = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {
        "id": {"type": "string", "readOnly": True},
        "name": {"type": "string"},
    },
}
EMBEDDED: dict[str, Any] = {
    "openapi": "3.0.0",
    "info": {"title": "Accounts", "version": "1.0.0"},
    "components": {
        "schemas": {
            "Account": ACCOUNT,
            # no `type`: JSON Schema lets a list through, the client's model wants an object
            "Accounts": {
                "properties": {
                    "_embedded": {
                        "properties": {"accounts": {"type": "array", "items": _ref("Account")}}
                    }
                }
            },
        }
    },
    "paths": {
        "/accounts": {
            "post": {
                "operationId": "createAccount",
                "tags": ["accounts"],
                "requestBody": {"required": True, "content": _json(_ref("Account"))},
                "responses": _ok(_ref("Account"), "201"),
            },
            "get": {
                "operationId": "listAccounts",
                "tags": ["accounts"],
                "responses": _ok(_ref("Accounts")),
            },
        },
        "/accounts/{id}": {
            "get": {
                "operationId": "getAccount",
                "tags": ["accounts"],
                "parameters": [_param("id")],
                "responses": _ok(_ref("Account")),
            }
        },
    },
}


def test_an_answer_whose_schema_has_properties_and_no_type_is_an_object(
    tmp_path: Path,
) -> None:
    """The stub answers an object where the schema has properties but no `type`, as the
    client's model reads it, not the plain list of its records."""
    with (
        running(tmp_path, EMBEDDED, "embedded") as api,
        api.client(api_key=KEY_A) as client,
    ):
        client.accounts.create_account(name="main")
        listed = client.accounts.list_accounts()
        assert type(listed).__name__ == "Accounts"


COLLECTION = {
    "type": "object",
    "required": ["id", "type"],
    "properties": {
        "id": {"type": "string", "readOnly": True},
        "type": {"type": "string"},
    },
}
LISTED_GET: dict[str, Any] = {
    "openapi": "3.0.0",
    "info": {"title": "Collections", "version": "1.0.0"},
    "components": {"schemas": {"Collection": COLLECTION}},
    "paths": {
        "/collections/": {
            "post": {
                "operationId": "createCollection",
                "requestBody": {"required": True, "content": _json(_ref("Collection"))},
                "responses": _ok(_ref("Collection"), "201"),
            },
        },
        "/collections/{id}/": {
            "get": {
                "operationId": "getCollection",
                "parameters": [_param("id")],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            # the client parses the first JSON media type by name: */*
                            "*/*": {"schema": {"type": "array", "items": _ref("Collection")}},
                            "application/json": {"example": {"id": "x", "type": "y"}},
                        },
                    }
                },
            }
        },
    },
}


def test_a_get_declared_as_a_list_answers_the_record_in_a_list(tmp_path: Path) -> None:
    """The stub answers the schema the client parses (`*/*` before an `application/json`
    that gives only an example), a get declared as a list of records holds the record, and
    the round trip finds it there."""
    result = _round_trip(tmp_path, LISTED_GET, "listed_get")
    assert result["failed"] == {}
    assert (result["outcome"], result["collections_ok"]) == ("round-trip", 1)


HOOK = {
    "type": "object",
    "required": ["url", "filter"],
    "properties": {
        "url": {"type": "string"},
        "filter": {"type": "array", "items": {"type": "string", "enum": ["A.CREATE", "A.UPDATE"]}},
    },
}
ZONE = {
    "type": "object",
    "required": ["Name"],
    "properties": {"Id": {"type": "string", "readOnly": True}, "Name": {"type": "string"}},
}
BODIES: dict[str, Any] = {
    "openapi": "3.0.0",
    "info": {"title": "Bodies", "version": "1.0.0"},
    "components": {"schemas": {"Hook": HOOK, "Zone": ZONE}},
    "paths": {
        "/zones": {
            "post": {
                "operationId": "createZone",
                # an XML body: the client sends it raw, as bytes
                "requestBody": {"required": True, "content": {"text/xml": {"schema": ZONE}}},
                "responses": _ok(_ref("Zone"), "201"),
            },
        },
        "/zones/{Id}": {
            "get": {
                "operationId": "getZone",
                "parameters": [_param("Id")],
                "responses": _ok(_ref("Zone")),
            }
        },
        "/records": {
            "post": {
                "operationId": "createRecord",
                "requestBody": {"required": True, "content": _json(_ref("Zone"))},
                "responses": {
                    "201": {"description": "ok", "content": {"application/xml": {"schema": ZONE}}}
                },
            },
            "get": {
                "operationId": "listRecords",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/xml": {"schema": {"type": "array", "items": ZONE}}
                        },
                    }
                },
            },
        },
        "/records/{Id}": {
            "get": {
                "operationId": "getRecord",
                "parameters": [_param("Id")],
                "responses": {
                    "200": {"description": "ok", "content": {"application/xml": {"schema": ZONE}}}
                },
            }
        },
        "/hooks": {
            "post": {
                "operationId": "createHook",
                "requestBody": {
                    "required": True,
                    "content": {"application/x-www-form-urlencoded": {"schema": _ref("Hook")}},
                },
                "responses": {"201": {"description": "ok"}},
            },
            "get": {
                "operationId": "listHooks",
                "responses": _ok({"type": "array", "items": _ref("Hook")}),
            },
        },
    },
}


def test_bodies_are_built_in_the_media_type_the_client_sends(tmp_path: Path) -> None:
    """The round trip builds each body as its client method takes it: bytes for a media type
    sent raw (XML here), and in a form a required list with an item (a form cannot send an
    empty one: its field would be missing). Where the reads answer XML, which the client
    returns as bytes, no record can be named: not checkable, not a failure."""
    result = _round_trip(tmp_path, BODIES, "bodies")
    assert result["failed"] == {}
    assert result["unchecked"] == {
        "/records/": "the read answers raw bytes, which the client does not parse"
    }
    assert (result["outcome"], result["collections_ok"]) == ("round-trip", 2)


CUSTOMER = {
    "type": "object",
    "properties": {"id": {"type": "string", "readOnly": True}, "name": {"type": "string"}},
}
ENVELOPE: dict[str, Any] = {
    "openapi": "3.0.0",
    "info": {"title": "Envelopes", "version": "1.0.0"},
    "components": {
        "schemas": {
            "Customer": CUSTOMER,
            "Created": {
                "type": "object",
                "required": ["status_code", "data"],
                "properties": {
                    "status_code": {"type": "integer"},
                    "data": {
                        "type": "object",
                        "required": ["id"],
                        "properties": {"id": {"type": "string"}},
                    },
                },
            },
            "One": {"type": "object", "properties": {"customer": _ref("Customer")}},
        }
    },
    "paths": {
        "/customers": {
            "post": {
                "operationId": "createCustomer",
                "requestBody": {"required": True, "content": _json(_ref("Customer"))},
                "responses": _ok(_ref("Created"), "201"),
            },
        },
        "/customers/{id}": {
            "get": {
                "operationId": "getCustomer",
                "parameters": [_param("id")],
                "responses": _ok(_ref("One")),
            }
        },
    },
}


def test_a_record_is_answered_inside_its_envelope(tmp_path: Path) -> None:
    """Where an answer wraps the record (`{"status_code", "data": {"id"}}`, `{"customer":
    {...}}`: the record has none of the envelope's properties, one of which is an object), the
    stub puts the record in it rather than a placeholder, and the round trip reads it there."""
    result = _round_trip(tmp_path, ENVELOPE, "envelope")
    assert result["failed"] == {}
    assert (result["outcome"], result["collections_ok"]) == ("round-trip", 1)
