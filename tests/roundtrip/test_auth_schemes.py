"""Every security scheme, sent by the generated client where the scheme says and checked the
same way by its stub: 401 without the credential (or with a wrong one), 2xx with it."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import httpx
import pytest

from .documents import notes
from .harness import KEY_A, running

pytestmark = pytest.mark.slow

OAUTH2 = {
    "type": "oauth2",
    "flows": {
        "authorizationCode": {
            "authorizationUrl": "https://auth.example/authorize",
            "tokenUrl": "https://auth.example/token",
            "scopes": {"notes": "read and write notes"},
        }
    },
}
OIDC = {"type": "openIdConnect", "openIdConnectUrl": "https://auth.example/.well-known/openid"}


def _basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


# name -> (scheme, how a raw request presents a key: (headers, params, cookies) for a key)
CASES: dict[str, tuple[dict[str, Any], Any]] = {
    "header": (
        {"type": "apiKey", "in": "header", "name": "X-Key"},
        lambda key: ({"X-Key": key}, {}, {}),
    ),
    "query": (
        {"type": "apiKey", "in": "query", "name": "api_key"},
        lambda key: ({}, {"api_key": key}, {}),
    ),
    "cookie": (
        {"type": "apiKey", "in": "cookie", "name": "session"},
        lambda key: ({}, {}, {"session": key}),
    ),
    "bearer": (
        {"type": "http", "scheme": "bearer"},
        lambda key: ({"Authorization": f"Bearer {key}"}, {}, {}),
    ),
    "basic": (
        {"type": "http", "scheme": "basic"},
        lambda key: ({"Authorization": _basic("ada", key)}, {}, {}),
    ),
    "oauth2": (OAUTH2, lambda key: ({"Authorization": f"Bearer {key}"}, {}, {})),
    "oidc": (OIDC, lambda key: ({"Authorization": f"Bearer {key}"}, {}, {})),
}


class Recorder:
    """An httpx client that keeps every request it sent, as sent (credentials included)."""

    def __init__(self) -> None:
        self.sent: list[httpx.Request] = []
        self.http = httpx.Client(event_hooks={"request": [self.sent.append]})


def _credentials(name: str) -> dict[str, str]:
    return {"username": "ada", "password": KEY_A} if name == "basic" else {"api_key": KEY_A}


def _raw(url: str, present: Any, key: str | None) -> int:
    headers, params, cookies = present(key) if key is not None else ({}, {}, {})
    with httpx.Client(base_url=url, cookies=cookies) as http:
        return http.get("/notes", headers=headers, params=params).status_code


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_client_sends_the_credential_where_the_scheme_says(tmp_path: Path, name: str) -> None:
    scheme, present = CASES[name]
    spec = notes({"auth": scheme}, [{"auth": ["notes"]}] if name == "oauth2" else [{"auth": []}])
    with running(tmp_path, spec, f"auth_{name}") as api:
        recorder = Recorder()
        with api.client(http_client=recorder.http, **_credentials(name)) as client:
            created = client.notes.create_note(text="hello")
            assert [note.text for note in client.notes.list_notes()] == ["hello"]
            assert client.notes.get_note(created.id).text == "hello"
        sent = recorder.sent[-1]
        headers, params, cookies = present(KEY_A)
        for header, value in headers.items():
            assert sent.headers[header] == value
        for param, value in params.items():
            assert sent.url.params[param] == value
        for cookie, value in cookies.items():
            assert f"{cookie}={value}" in sent.headers["Cookie"]
        assert KEY_A not in repr(client)

        assert _raw(api.stub.url, present, None) == 401
        assert _raw(api.stub.url, present, "wrong-key") == 401
        assert _raw(api.stub.url, present, KEY_A) == 200


def test_no_scheme_needs_no_credential(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with running(tmp_path, notes(), "auth_none") as api:
        monkeypatch.delenv(api.client_class.api_key_env_var, raising=False)
        with api.client() as client:
            created = client.notes.create_note(text="open")
            assert client.notes.get_note(created.id).text == "open"
        with httpx.Client(base_url=api.stub.url) as http:
            assert http.get("/notes").status_code == 200


def test_alternatives_and_an_operation_that_needs_none(tmp_path: Path) -> None:
    schemes = {
        "header": CASES["header"][0],
        "query": CASES["query"][0],
        "basic": CASES["basic"][0],
    }
    spec = notes(schemes, [{"query": []}, {"header": []}], list_security=[])
    with running(tmp_path, spec, "auth_alternatives") as api:
        recorder = Recorder()
        with api.client(api_key=KEY_A, http_client=recorder.http) as client:
            client.notes.create_note(text="either")
            assert [note.text for note in client.notes.list_notes()] == ["either"]
        create, listing = recorder.sent
        assert create.url.params["api_key"] == KEY_A  # the first alternative it can meet
        assert "X-Key" not in create.headers
        assert "api_key" not in listing.url.params  # security: [] sends no credential
        with httpx.Client(base_url=api.stub.url) as http:
            assert http.get("/notes").status_code == 200
            assert http.post("/notes", json={"text": "x"}).status_code == 401
            sent = http.post("/notes", json={"text": "x"}, headers={"X-Key": KEY_A})
            assert sent.status_code == 201
            sent = http.post("/notes", json={"text": "x"}, params={"api_key": KEY_A})
            assert sent.status_code == 201
            wrong = http.post("/notes", json={"text": "x"}, headers={"X-Key": "nope"})
            assert wrong.status_code == 401
