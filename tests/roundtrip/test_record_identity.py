"""The stub simulates an API whose records are named in less regular ways, driven through the
generated client: a record whose identifier is not named like its path parameter
(`BundleID` for `/bundles/{id}`) and a collection nested under a parent the API gives no
create."""

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


def _param(name: str, kind: str = "string") -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": kind}}


def _document(schemas: dict[str, Any], paths: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "Records", "version": "1.0.0"},
        "components": {
            "schemas": schemas,
            "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}},
        },
        "security": [{"key": []}],
        "paths": paths,
    }


BUNDLE = {
    "type": "object",
    "required": ["BundleID", "Name"],
    "properties": {
        "BundleID": {"type": "string", "readOnly": True},
        "Name": {"type": "string"},
    },
}
_BUNDLE = {"$ref": "#/components/schemas/Bundle"}
BUNDLES = _document(
    {"Bundle": BUNDLE},
    {
        "/bundles": {
            "post": {
                "operationId": "createBundle",
                "tags": ["bundles"],
                "requestBody": {"required": True, "content": _json(_BUNDLE)},
                "responses": _ok(_BUNDLE, "201"),
            },
        },
        "/bundles/{id}": {
            "parameters": [_param("id")],
            "get": {"operationId": "getBundle", "tags": ["bundles"], "responses": _ok(_BUNDLE)},
        },
    },
)


def test_a_record_is_found_by_the_identifier_it_names_differently(tmp_path: Path) -> None:
    with running(tmp_path, BUNDLES, "bundles_named") as api, api.client(api_key=KEY_A) as client:
        made = client.bundles.create_bundle(name="first")
        client.bundles.create_bundle(name="second")
        assert made.BundleID
        found = client.bundles.get_bundle(made.BundleID)
        assert (found.BundleID, found.Name) == (made.BundleID, "first")


NOTE = {
    "type": "object",
    "required": ["id", "text"],
    "properties": {"id": {"type": "integer", "readOnly": True}, "text": {"type": "string"}},
}
_NOTE = {"$ref": "#/components/schemas/Note"}
USERS = _document(
    {"Note": NOTE, "User": {"type": "object", "properties": {"login": {"type": "string"}}}},
    {
        "/users/{login}": {
            "parameters": [_param("login")],
            "get": {
                "operationId": "getUser",
                "tags": ["users"],
                "responses": _ok({"$ref": "#/components/schemas/User"}),
            },
        },
        "/users/{login}/notes": {
            "parameters": [_param("login")],
            "get": {
                "operationId": "listNotes",
                "tags": ["users"],
                "responses": _ok({"type": "array", "items": _NOTE}),
            },
            "post": {
                "operationId": "createNote",
                "tags": ["users"],
                "requestBody": {"required": True, "content": _json(_NOTE)},
                "responses": _ok(_NOTE, "201"),
            },
        },
        "/users/{login}/notes/{id}": {
            "parameters": [_param("login"), _param("id", "integer")],
            "get": {"operationId": "getNote", "tags": ["users"], "responses": _ok(_NOTE)},
        },
    },
)


def test_children_of_a_parent_without_a_create_are_kept_under_that_parent(
    tmp_path: Path,
) -> None:
    with running(tmp_path, USERS, "users_given") as api, api.client(api_key=KEY_A) as client:
        ada = client.users.create_note("ada", text="hello")
        client.users.create_note("bob", text="other")
        assert [n.text for n in client.users.list_notes("ada")] == ["hello"]
        assert [n.text for n in client.users.list_notes("bob")] == ["other"]
        assert client.users.list_notes("cy") == []
        assert client.users.get_note("ada", ada.id).text == "hello"
        with pytest.raises(Exception, match="404"):
            client.users.get_note("bob", ada.id)


GROUP = {
    "type": "object",
    "required": ["id", "displayName"],
    "properties": {
        "id": {"type": "string", "readOnly": True},
        "displayName": {"type": "string"},
    },
}
_GROUP = {"$ref": "#/components/schemas/Group"}
GROUPS = _document(
    {"Group": GROUP},
    {
        "/Groups": {
            "post": {
                "operationId": "createGroup",
                "tags": ["groups"],
                "requestBody": {"required": True, "content": _json(_GROUP)},
                "responses": _ok(_GROUP, "201"),
            },
        },
        "/Groups/{groupKey}": {
            "parameters": [_param("groupKey", "integer")],
            "get": {"operationId": "getGroup", "tags": ["groups"], "responses": _ok(_GROUP)},
        },
    },
)


def test_a_record_named_by_an_integer_parameter_gets_a_number(tmp_path: Path) -> None:
    with running(tmp_path, GROUPS, "groups_numbered") as api, api.client(api_key=KEY_A) as client:
        made = client.groups.create_group(display_name="admins")
        assert made.id.isdigit()
        assert client.groups.get_group(int(made.id)).displayName == "admins"


_SUMMARY = {
    "type": "object",
    "properties": {"accountId": {"type": "string"}, "accountName": {"type": "string"}},
}
_INFORMATION = {
    "type": "object",
    "properties": {"accountIdGuid": {"type": "string"}, "accountName": {"type": "string"}},
}
_BRAND = {
    "type": "object",
    "properties": {"brandId": {"type": "string", "readOnly": True}, "name": {"type": "string"}},
}
_ACCOUNT_ID = {"name": "accountId", "in": "path", "required": True, "schema": {"type": "string"}}
ANSWERED_ONLY: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Accounts", "version": "1.0.0"},
    "paths": {
        "/accounts": {
            "post": {
                "operationId": "postAccounts",
                "tags": ["accounts"],
                "requestBody": {"content": _json({"type": "object"})},
                "responses": {"201": {"description": "made", "content": _json(_SUMMARY)}},
            },
        },
        "/accounts/{accountId}": {
            "parameters": [_ACCOUNT_ID],
            "get": {
                "operationId": "getAccount",
                "tags": ["accounts"],
                "responses": {"200": {"description": "ok", "content": _json(_INFORMATION)}},
            },
        },
        "/accounts/{accountId}/brands": {
            "parameters": [_ACCOUNT_ID],
            "post": {
                "operationId": "createBrand",
                "tags": ["accounts"],
                "requestBody": {"content": _json(_BRAND)},
                "responses": {"201": {"description": "made", "content": _json(_BRAND)}},
            },
            "get": {
                "operationId": "getBrands",
                "tags": ["accounts"],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": _json({"type": "array", "items": _BRAND}),
                    }
                },
            },
        },
    },
}


def test_an_identifier_only_the_create_answers_names_the_record(tmp_path: Path) -> None:
    """DocuSign's accounts: the create answers `accountId`, the name of the item path's
    parameter, which the account read back (`accountInformation`) does not show. The stub
    names the record by it, so it is found by it (and children made under it); the corpus
    round trip reads the account back by the get's 2xx, and its brands under it."""
    with running(tmp_path, ANSWERED_ONLY, "answered_only") as api, api.client() as client:
        made = client.accounts.post_accounts(body={"accountName": "Acme"})
        assert made.accountId
        assert client.accounts.get_account(made.accountId).accountName == "Acme"
        with pytest.raises(Exception) as caught:
            client.accounts.get_account("someone-else")
        assert caught.value.response.status_code == 404  # type: ignore[attr-defined]
        brand = client.accounts.create_brand(made.accountId, name="Blue")
        assert [b.brandId for b in client.accounts.get_brands(made.accountId)] == [brand.brandId]
    spec = tmp_path / "answered_only.json"
    spec.write_text(json.dumps(ANSWERED_ONLY))
    pipeline.generate(spec, tmp_path / "out", package_name="answered_rt")
    result = roundtrip.run(tmp_path / "out", "answered_rt", timeout=300)
    assert (result["outcome"], result["failed"], result["collections_ok"]) == ("round-trip", {}, 2)


_USER = {
    "type": "object",
    "properties": {
        "id": {"type": "string"},
        "email": {"type": "string", "format": "email"},
        "firstName": {"type": "string"},
    },
}
_USER_EMAIL = {
    "name": "userEmail",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "format": "email"},
}
EMAIL_NAMED = _document(
    {"User": _USER},
    {
        "/users": {
            "post": {
                "operationId": "createUser",
                "tags": ["users"],
                "requestBody": {"content": _json({"$ref": "#/components/schemas/User"})},
                "responses": _ok({"$ref": "#/components/schemas/User"}, "201"),
            },
        },
        "/users/{userEmail}": {
            "parameters": [_USER_EMAIL],
            "get": {
                "operationId": "getUser",
                "tags": ["users"],
                "responses": _ok({"$ref": "#/components/schemas/User"}),
            },
        },
    },
)


def test_a_record_named_by_an_email_parameter_gets_an_address(tmp_path: Path) -> None:
    """iQualify's users, read at `/users/{userEmail}` (format `email`): a new user's name is
    an address, not a uuid the stub's own check of that parameter would refuse."""
    with running(tmp_path, EMAIL_NAMED, "email_named") as api, api.client(api_key=KEY_A) as c:
        made = c.users.create_user(first_name="Ada")
        assert made.id.endswith("@example.com")
        assert c.users.get_user(made.id).firstName == "Ada"
