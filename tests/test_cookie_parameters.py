"""Cookie parameters (`in: cookie`): the client sends them in one `Cookie` header, encoded so
no value can end its cookie early; the stub validates them like any other parameter.

The fixture spec (tests/fixtures/specs/cookies.yaml) declares a required cookie with a length
limit, an optional enum whose values hold a space and a `;`, and a path-item cookie.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from generator import pipeline

from .conftest import FIXTURES

PACKAGE = "cookie_api"
KEY = "cookie-test-key"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("cookies") / "generated"
    pipeline.generate(FIXTURES / "specs" / "cookies.yaml", out, package_name=PACKAGE)
    sys.path.insert(0, str(out))
    yield out
    sys.path.remove(str(out))
    for name in [m for m in sys.modules if m.split(".")[0] in (PACKAGE, PACKAGE + "_stub")]:
        del sys.modules[name]


@pytest.fixture(scope="module")
def api(generated: Path) -> ModuleType:
    return importlib.import_module(PACKAGE)


@pytest.fixture(scope="module")
def stub(generated: Path) -> Iterator[TestClient]:
    """The generated stub in process, with one API key."""
    stub_package = importlib.import_module(PACKAGE + "_stub")
    settings = importlib.import_module(PACKAGE + "_stub._runtime").StubSettings(api_keys=[KEY])
    with TestClient(stub_package.create_app(settings), base_url="https://cookies.example.com") as c:
        yield c


def _sent_cookie(api: ModuleType, **kwargs: Any) -> str | None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"ok": True})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    with api.CookieClient(api_key=KEY, http_client=http, max_retries=0) as client:
        client.things.list_things(**kwargs)
    return seen[0].headers.get("cookie")


def test_the_client_sends_given_cookies_in_one_encoded_header(api: ModuleType) -> None:
    assert _sent_cookie(api, session="abc") == "session=abc"
    sent = _sent_cookie(api, session="a b;c=d,e", theme="dark;x=1", tenant=7)
    # Spec order is not promised; the set of pairs is.
    assert sent is not None
    assert sorted(sent.split("; ")) == ["session=a%20b%3Bc=d%2Ce", "tenant=7", "theme=dark%3Bx=1"]


def test_the_signature_makes_the_required_cookie_required(api: ModuleType) -> None:
    with pytest.raises(TypeError, match="session"):
        _sent_cookie(api, theme="dark;x=1")


def _call_stub(api: ModuleType, stub: TestClient, **kwargs: Any) -> Any:
    with api.CookieClient(api_key=KEY, http_client=stub, max_retries=0) as client:
        return client.things.list_things(**kwargs)


def test_the_stub_accepts_valid_cookies_sent_by_the_client(
    api: ModuleType, stub: TestClient
) -> None:
    """A 400 would raise: the stub decoded `light%20mode` back into its enum value."""
    result = _call_stub(api, stub, session="a b;c", theme="light mode", tenant=3)
    assert isinstance(result, importlib.import_module(PACKAGE + ".models").ListThingsResponse)


@pytest.mark.parametrize(
    ("cookie", "field"),
    [
        ("", "session"),  # the required cookie is missing
        ("session=ab", "session"),  # shorter than minLength 3
        ("session=abc; theme=light", "theme"),  # not one of the enum values
        ("session=abc; tenant=0", "tenant"),  # below the path item's minimum
        ("session=abc; tenant=x", "tenant"),  # not an integer
    ],
)
def test_the_stub_rejects_a_missing_or_invalid_cookie_naming_it(
    stub: TestClient, cookie: str, field: str
) -> None:
    headers = {"Authorization": f"Api-Key {KEY}"}
    if cookie:
        headers["Cookie"] = cookie
    response = stub.get("/things/", headers=headers)
    assert response.status_code == 400, response.text
    assert field in response.json(), response.json()


def test_a_bad_cookie_surfaces_as_a_typed_client_error(api: ModuleType, stub: TestClient) -> None:
    with pytest.raises(api.BadRequestError) as caught:
        _call_stub(api, stub, session="ab")
    assert "session" in str(caught.value.body)
