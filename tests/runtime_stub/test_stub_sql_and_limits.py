"""Customer SQL (read-only, own org, limits), body size limits, rate limits."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from .conftest import KEY_B, AppMaker, StubClient, auth
from .runtime import ORG_A, ORG_A_SUB

SQL = "/v1/reporting/sql_query/"


def sql(
    client: StubClient, query: str, key: str = "key-a", org: str | None = None
) -> httpx.Response:
    url = SQL + (f"?org_id={org}" if org else "")
    response: httpx.Response = client.post(url, json={"query": query}, headers=auth(key))
    return response


def test_sql_sees_only_the_callers_orgs(client: StubClient) -> None:
    client.post("/v1/boms/", json={"name": "mine"}, headers=auth())
    client.post(f"/v1/boms/?org_id={ORG_A_SUB}", json={"name": "sandbox"}, headers=auth())
    client.post("/v1/boms/", json={"name": "theirs"}, headers=auth(KEY_B))
    response = sql(client, "SELECT name, org_id FROM boms ORDER BY name")
    assert response.status_code == 200
    body = response.json()
    assert body["columns"] == ["name", "org_id"]
    assert body["rows"] == [["mine", ORG_A], ["sandbox", ORG_A_SUB]]
    assert body["row_count"] == 2 and body["truncated"] is False
    narrowed = sql(client, "select name from boms", org=ORG_A).json()
    assert narrowed["rows"] == [["mine"]]
    theirs = sql(client, "select count(*) from boms", key=KEY_B).json()
    assert theirs["rows"] == [[1]]
    joined = sql(
        client,
        "WITH x AS (SELECT json_extract(_record, '$.name') AS n FROM boms) SELECT upper(n) FROM x",
    ).json()
    assert sorted(joined["rows"]) == [["MINE"], ["SANDBOX"]]


@pytest.mark.parametrize(
    "query",
    [
        "DELETE FROM boms",
        "INSERT INTO boms (id) VALUES ('x')",
        "UPDATE boms SET name = 'x'",
        "PRAGMA table_info(boms)",
        "ATTACH DATABASE ':memory:' AS other",
        "SELECT * FROM sqlite_master",
        "SELECT * FROM records",
        "SELECT 1; DELETE FROM boms",
        "DROP TABLE boms",
        "CREATE TABLE t (x)",
        "SELECT * FROM pragma_table_info('boms')",
        "",
    ],
)
def test_sql_refuses_anything_but_select(client: StubClient, query: str) -> None:
    client.post("/v1/boms/", json={"name": "keep"}, headers=auth())
    response = sql(client, query)
    assert response.status_code == 400, response.text
    assert "query" in response.json()
    assert sql(client, "select count(*) from boms").json()["rows"] == [[1]]


def test_sql_row_and_time_limits(make_client: AppMaker) -> None:
    client = make_client(sql_row_limit=3, sql_time_limit_s=0.2)
    for i in range(5):
        client.post("/v1/boms/", json={"name": f"b{i}"}, headers=auth())
    limited = sql(client, "select name from boms").json()
    assert limited["row_count"] == 3 and limited["truncated"] is True
    forever = sql(
        client,
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT max(x) FROM c",
    )
    assert forever.status_code == 400
    assert "time limit" in forever.json()["query"][0]


def test_body_over_limit_by_content_length(make_client: AppMaker) -> None:
    client = make_client(max_body_bytes=100)
    small = client.post("/v1/boms/", json={"name": "x" * 10}, headers=auth())
    assert small.status_code == 201
    big = client.post("/v1/boms/", json={"name": "x" * 200}, headers=auth())
    assert big.status_code == 413 and big.json()["code"] == "too_large"
    assert client.get("/v1/boms/", headers=auth()).json()["count"] == 1


def test_chunked_body_over_limit(make_client: AppMaker) -> None:
    client = make_client(max_body_bytes=100)
    chunks_seen: list[int] = []

    def stream() -> Iterator[bytes]:  # no Content-Length: httpx sends it chunked
        for _ in range(50):
            chunks_seen.append(1)
            yield b'{"name": "' + b"x" * 10

    response = client.post(
        "/v1/boms/", content=stream(), headers={**auth(), "Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert client.get("/v1/boms/", headers=auth()).json()["count"] == 0


def test_rate_limit_answers_429_with_retry_after(make_client: AppMaker) -> None:
    client = make_client(rate_limit=1)
    assert client.get("/v1/boms/", headers=auth()).status_code == 200
    throttled = client.get("/v1/boms/", headers=auth())
    assert throttled.status_code == 429
    assert throttled.headers["retry-after"] == "1"
    assert throttled.json()["detail"] == "Request was throttled. Expected available in 1 second."
    # per key: another key still has its token
    assert client.get("/v1/boms/", headers=auth(KEY_B)).status_code == 200
    assert json.loads(throttled.text)["code"] == "throttled"
