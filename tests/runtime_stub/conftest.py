"""Fixtures for the stub runtime: the runtime loaded as a generated package holds it, apps
over the fixture spec, and clients that fail the test if any response is a 500.

``templates/stub/_runtime`` is loaded as ``acme_stub._runtime``: a parent package whose
``__path__`` is ``templates/stub``, as in a generated ``<pkg>_stub/_runtime`` but under a
name that is not the real package's (so nothing can depend on the name).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from .fixture_spec import fixture_spec
from .runtime import RUNTIME, seed_two_orgs

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient

KEY_A = "key-a"
KEY_A_SUB = "key-a-sub"
KEY_B = "key-b"


class StubClient(TestClient):
    """A TestClient that records every status it sees."""

    statuses: list[int]

    def request(self, *args: Any, **kwargs: Any) -> Any:
        response = super().request(*args, **kwargs)
        self.statuses.append(response.status_code)
        return response


AppMaker = Callable[..., StubClient]


@pytest.fixture
def make_client() -> Iterator[AppMaker]:
    """Build a client over an app; after the test, no response may have been a 500."""
    made: list[StubClient] = []

    def make(spec: dict[str, Any] | None = None, **settings: Any) -> StubClient:
        spec = spec if spec is not None else fixture_spec()
        settings.setdefault("seed", seed_two_orgs())
        app = RUNTIME.create_app(
            spec, RUNTIME.build_routers(spec), RUNTIME.StubSettings(**settings)
        )
        client = StubClient(app)
        client.statuses = []
        made.append(client)
        return client

    yield make
    for client in made:
        assert 500 not in client.statuses, "the stub answered 500"


@pytest.fixture
def client(make_client: AppMaker) -> StubClient:
    """A client over the fixture spec with two orgs (A with a sub-org, and B)."""
    return make_client()


def auth(key: str = KEY_A) -> dict[str, str]:
    """The Authorization header for a key."""
    return {"Authorization": f"Api-Key {key}"}
