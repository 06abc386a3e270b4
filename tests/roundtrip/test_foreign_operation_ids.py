"""A document whose operationIds are those of Cofactr's own behaviours (Airflow's `get_user`,
`GET /users/{username}`): the stub serves them as any record of the document, not as
Cofactr's org users, so a user created through `POST /users` is read back."""

from __future__ import annotations

from pathlib import Path

import pytest

from .documents import document, json_content, ok, path_param
from .harness import running

pytestmark = pytest.mark.slow

_USER = {
    "type": "object",
    "properties": {"username": {"type": "string"}, "email": {"type": "string"}},
}
_REF = {"$ref": "#/components/schemas/User"}
AIRFLOW_USERS = document(
    {"User": _USER},
    {
        "/users": {
            "post": {
                "operationId": "post_user",
                "tags": ["users"],
                "requestBody": {"required": True, "content": json_content(_REF)},
                "responses": ok(_REF),
            },
        },
        "/users/{username}": {
            "parameters": [path_param("username")],
            "get": {"operationId": "get_user", "tags": ["users"], "responses": ok(_REF)},
        },
    },
)


def test_an_operation_named_like_a_cofactr_behaviour_serves_its_own_records(
    tmp_path: Path,
) -> None:
    with running(tmp_path, AIRFLOW_USERS, "airflow_users") as api, api.client() as client:
        client.users.post_user(username="ada", email="ada@example.com")
        assert client.users.get_user("ada").email == "ada@example.com"
