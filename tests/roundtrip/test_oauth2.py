"""OAuth2 client credentials: the generated client fetches its token from the token URL (the
stub serves it), keeps it while it is fresh, fetches a new one before it expires, and never
shows it; the stub answers 401 without a token and 2xx with the one it issued."""

from __future__ import annotations

import base64
import logging
from pathlib import Path
from urllib.parse import parse_qsl

import httpx
import pytest

from .documents import notes
from .harness import KEY_A, running

pytestmark = pytest.mark.slow

CLIENT_CREDENTIALS = {
    "type": "oauth2",
    "flows": {
        "clientCredentials": {
            "tokenUrl": "https://auth.example/oauth/token",
            "scopes": {"notes": "read and write notes"},
        }
    },
}


def _bearer(request: httpx.Request) -> str:
    word, _, token = request.headers["Authorization"].partition(" ")
    assert word == "Bearer"
    return token


def test_client_credentials_against_the_stub(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    spec = notes({"oauth": CLIENT_CREDENTIALS}, [{"oauth": ["notes"]}])
    caplog.set_level(logging.DEBUG)
    with running(tmp_path, spec, "oauth_cc") as api:
        token_url = f"{api.stub.url}/oauth/token"  # the spec's token URL, overridden
        sent: list[httpx.Request] = []
        http = httpx.Client(event_hooks={"request": [sent.append]})
        with api.client(
            client_id="notes-app", client_secret=KEY_A, token_url=token_url, http_client=http
        ) as client:
            created = client.notes.create_note(text="hello")
            assert client.notes.get_note(created.id).text == "hello"
            assert [n.text for n in client.notes.list_notes()] == ["hello"]

            fetch, *calls = sent
            assert (fetch.method, str(fetch.url)) == ("POST", token_url)
            assert parse_qsl(fetch.content.decode()) == [("grant_type", "client_credentials")]
            basic = base64.b64encode(f"notes-app:{KEY_A}".encode()).decode()
            assert fetch.headers["Authorization"] == f"Basic {basic}"
            assert len(calls) == 3  # one token for the three calls: cached
            token = _bearer(calls[0])
            assert token != KEY_A and {_bearer(c) for c in calls} == {token}

            # Shortly before the token expires (the stub's last an hour), a new one is fetched.
            source = client._auth.tokens["oauth"]
            refresh_at = source._refresh_at
            assert refresh_at is not None
            source.clock = lambda: refresh_at - 1.0
            client.notes.list_notes()
            assert len(sent) == 5 and _bearer(sent[-1]) == token
            source.clock = lambda: refresh_at
            client.notes.list_notes()
            refetch, call = sent[-2:]
            assert str(refetch.url) == token_url
            assert _bearer(call) not in (token, KEY_A)
            secrets = (KEY_A, token, _bearer(call))
            assert not any(s in repr(client) for s in secrets)
            # A copy with other options keeps the client credentials and shares the token.
            copy = client.with_options(timeout=30)
            before = len(sent)
            assert [n.text for n in copy.notes.list_notes()] == ["hello"]
            assert len(sent) == before + 1 and _bearer(sent[-1]) == _bearer(call)
            # No answer keeps a request with a credential, not even the token answer
            # before it in the auth flow (the client's Basic id:secret).
            source.forget()
            raw = client.notes.with_raw_response.list_notes()
            answers = (*raw.http_response.history, raw.http_response)
            assert len(answers) == 2 and str(answers[0].request.url) == token_url
            assert not any("Authorization" in a.request.headers for a in answers)

        with httpx.Client(base_url=api.stub.url) as raw:
            assert raw.get("/notes").status_code == 401
            assert raw.get("/notes", headers={"Authorization": "Bearer nope"}).status_code == 401
            answer = raw.get("/notes", headers={"Authorization": f"Bearer {_bearer(call)}"})
            assert answer.status_code == 200
            refused = raw.post(
                "/oauth/token",
                data={"grant_type": "client_credentials"},
                auth=("notes-app", "not-a-key"),
            )
            assert (refused.status_code, refused.json()["error"]) == (401, "invalid_client")

        with api.client(
            client_id="notes-app", client_secret="not-a-key", token_url=token_url
        ) as client:
            with pytest.raises(api.module.AuthenticationError) as caught:
                client.notes.list_notes()
            assert "/oauth/token" in str(caught.value) and "not-a-key" not in str(caught.value)
            assert "Authorization" not in caught.value.request.headers  # the basic pair

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert logged and not any(s in logged for s in (*secrets, "not-a-key"))
