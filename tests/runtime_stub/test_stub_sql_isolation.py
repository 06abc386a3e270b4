"""Customer SQL cannot hurt other callers: CPU-burning queries run off the event loop, and
how many run at once is capped per API key (429) and in all (503).

The stub is a real uvicorn server on loopback (in a thread of this process, so the test can
stop the burning queries at the end as the app's shutdown does). Nothing here is timed: the
tests prove that requests were answered while the queries were known to be running. The
queries' own time limit, and every client timeout, is only a guard against a hang.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import uvicorn

from .fixture_spec import fixture_spec
from .runtime import RUNTIME, seed_two_orgs

pytestmark = pytest.mark.slow

SQL = "/v1/reporting/sql_query/"
BURN = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT max(x) FROM c"
HANG_GUARD_S = 60.0


class ThreadedStub:
    """The runtime's app over the fixture spec, served by uvicorn in a thread."""

    def __init__(self, **settings: Any) -> None:
        spec = fixture_spec()
        self.app = RUNTIME.create_app(
            spec,
            RUNTIME.build_routers(spec),
            RUNTIME.StubSettings(seed=seed_two_orgs(), **settings),
        )
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen()  # connections wait in the backlog until uvicorn accepts them
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(self.app, log_level="warning"))
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [sock]}, daemon=True
        )
        self.thread.start()

    def stop_queries(self) -> None:
        """What the app's shutdown does first: running queries stop (and answer 503)."""
        self.app.state.stub_engine.rt.workers.close()

    def stop(self) -> None:
        self.stop_queries()
        self.server.should_exit = True
        self.thread.join(timeout=HANG_GUARD_S)
        assert not self.thread.is_alive(), "the server did not stop"


def client(stub: ThreadedStub, key: str) -> httpx.Client:
    return httpx.Client(
        base_url=stub.url,
        headers={"Authorization": f"Api-Key {key}"},
        timeout=HANG_GUARD_S,
    )


def burn(stub: ThreadedStub, key: str, answers: list[int]) -> threading.Thread:
    """Start a query that burns a CPU until it is stopped; its status lands in ``answers``.
    While a probe holds the slot it needs, it is refused: it asks again until admitted."""

    def run() -> None:
        with client(stub, key) as http:
            while True:
                response = http.post(SQL, json={"query": BURN})
                if response.json().get("code") not in ("throttled", "unavailable"):
                    break
            answers.append(response.status_code)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def sql_status(http: httpx.Client, query: str = "SELECT 1") -> int:
    try:
        return http.post(SQL, json={"query": query}).status_code
    except httpx.TimeoutException:
        pytest.fail(f"no answer within {HANG_GUARD_S:g} s while other queries ran")


@pytest.fixture
def stub() -> Iterator[ThreadedStub]:
    server = ThreadedStub(sql_time_limit_s=2 * HANG_GUARD_S, sql_queries=3, sql_queries_per_key=2)
    yield server
    server.stop()


def test_burning_queries_do_not_stall_other_orgs(stub: ThreadedStub) -> None:
    answers: list[int] = []
    burners = [burn(stub, "key-a", answers) for _ in range(2)]
    burners.append(burn(stub, "key-a-sub", answers))
    with client(stub, "key-a") as a, client(stub, "key-b") as b:
        # Org B's query is refused with 503 exactly when all three burners are running.
        while (status := sql_status(b)) != 503:
            assert status == 200 and not answers, (status, answers)
        assert sql_status(a) == 429  # key-a has its two queries running
        boms = [b.get("/v1/boms/") for _ in range(20)]
        created = b.post("/v1/boms/", json={"name": "while A burns"})
        assert [r.status_code for r in boms] == [200] * 20 and created.status_code == 201
        # ... and the burners were running all along: still at the cap, none has answered.
        assert sql_status(b) == 503 and answers == []
        refused = b.post(SQL, json={"query": "SELECT 1"})
        assert refused.headers["retry-after"] == "1"
        assert refused.json() == {
            "detail": "The server is running as many SQL queries as it allows (3); retry shortly.",
            "code": "unavailable",
        }
    stub.stop_queries()
    for thread in burners:
        thread.join(timeout=HANG_GUARD_S)
    assert answers == [503, 503, 503]


def test_a_key_over_its_cap_gets_429_naming_the_limit(stub: ThreadedStub) -> None:
    answers: list[int] = []
    burners = [burn(stub, "key-a", answers) for _ in range(2)]
    with client(stub, "key-a") as a, client(stub, "key-b") as b:
        while (refused := a.post(SQL, json={"query": "SELECT 1"})).status_code != 429:
            assert refused.status_code == 200 and not answers
        assert refused.json() == {
            "detail": "Too many SQL queries running for this API key (at most 2 at once); "
            "retry when one has finished.",
            "code": "throttled",
        }
        assert sql_status(b) == 200  # another key is not held back by key-a's cap
    stub.stop_queries()
    for thread in burners:
        thread.join(timeout=HANG_GUARD_S)
    assert answers == [503, 503]
