"""Every operation of the spec, called once through the generated client (sync and async),
sends the method, path, query, headers and body the spec describes, and returns its type."""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, quote

import httpx
import pytest

from generator.ir.naming import python_identifier

from ..conftest import load_yaml
from .schema_values import minimal, resolve

API_KEY = "sk-live-0123456789abcdef"
METHODS = ("get", "put", "post", "delete", "patch")


@dataclass
class Case:
    operation_id: str
    method: str
    path: str
    tag: str
    params: list[dict[str, Any]]
    body: dict[str, Any] | None
    responses: dict[str, Any]


def _cases(spec: dict[str, Any]) -> list[Case]:
    cases = []
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                op = item[method]
                params = [
                    resolve(spec, p) for p in item.get("parameters", []) + op.get("parameters", [])
                ]
                cases.append(
                    Case(
                        op["operationId"],
                        method.upper(),
                        path,
                        op["tags"][0],
                        params,
                        resolve(spec, op.get("requestBody")),
                        op["responses"],
                    )
                )
    return cases


def _spec() -> dict[str, Any]:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    data: dict[str, Any] = load_yaml((root / "spec" / "cofactr-platform.yaml").read_text())
    return data


CASES = _cases(_spec())


def test_the_spec_has_104_operations() -> None:
    assert len(CASES) == 104


def _arguments(
    spec: dict[str, Any], case: Case
) -> tuple[list[str], dict[str, Any], dict[str, str], Any]:
    """Positional path values, keyword arguments, expected query and the body sent."""
    positional, kwargs, expected_query = [], {}, {}
    for p in case.params:
        if p["in"] == "path":
            positional.append(f"{p['name']}/../ü x")  # must be encoded, never change the path
    for p in case.params:
        if p["in"] in ("query", "header"):
            schema = resolve(spec, p.get("schema", {}))
            value: Any = minimal(spec, schema)
            if schema.get("type") == "integer":
                value = 7
            elif value is None or value == "":
                value = "v"
            kwargs[python_identifier(p["name"], fallback="param")] = value
            if p["in"] == "query":
                expected_query[p["name"]] = (
                    str(value).lower() if isinstance(value, bool) else str(value)
                )
    body: Any = None
    if case.body is not None:
        media, content = next(iter(case.body["content"].items()))
        schema = resolve(spec, content["schema"])
        if media == "multipart/form-data":
            body = {"file": b"%PDF-1.4 bytes", "name": "coc.pdf", "document_type": "certificate"}
        else:
            body = minimal(spec, schema)
            if isinstance(body, dict):
                body["probe_field"] = "sent as given"
        kwargs["body"] = body
    return positional, kwargs, expected_query, body


def _success(spec: dict[str, Any], case: Case) -> httpx.Response:
    status = min(s for s in case.responses if s.startswith("2"))
    response = resolve(spec, case.responses[status])
    content = response.get("content") or {}
    if not content:
        return httpx.Response(int(status))
    media, media_obj = next(iter(content.items()))
    if media == "application/octet-stream":
        return httpx.Response(
            int(status), content=b"\x00binary\xff", headers={"content-type": media}
        )
    return httpx.Response(int(status), json=minimal(spec, media_obj["schema"]))


def _expected_path(case: Case) -> str:
    return re.sub(r"\{([^}]+)\}", lambda m: quote(f"{m.group(1)}/../ü x", safe=""), case.path)


def _check(
    spec: dict[str, Any],
    case: Case,
    seen: list[httpx.Request],
    kwargs: dict[str, Any],
    expected_query: dict[str, str],
    body: Any,
    result: Any,
) -> None:
    assert len(seen) == 1
    request = seen[0]
    assert request.method == case.method
    assert request.url.raw_path.decode().split("?")[0] == _expected_path(case)
    query = {k: v[0] for k, v in parse_qs(request.url.query.decode()).items()}
    assert query == expected_query
    assert request.headers["authorization"] == f"Api-Key {API_KEY}"
    for p in case.params:
        if p["in"] == "header":
            assert request.headers[p["name"]] == str(kwargs[python_identifier(p["name"])])
    if case.body is None:
        assert request.content == b""
    elif "multipart/form-data" in case.body["content"]:
        assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
        assert b"%PDF-1.4 bytes" in request.content and b'name="document_type"' in request.content
    else:
        assert json.loads(request.content) == body
    status = min(s for s in case.responses if s.startswith("2"))
    content = resolve(spec, case.responses[status]).get("content") or {}
    if not content:
        assert result is None
    elif "application/octet-stream" in content:
        assert result == b"\x00binary\xff"
    else:
        schema = resolve(spec, content["application/json"]["schema"])
        if "results" in schema.get("properties", {}):
            assert result.count == 0 and result.results == []
        else:
            assert result is not None


@pytest.mark.parametrize("case", CASES, ids=[c.operation_id for c in CASES])
def test_sync_call_sends_what_the_spec_describes(spec: dict[str, Any], case: Case) -> None:
    from cofactr_platform import CofactrClient

    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return _success(spec, case)

    positional, kwargs, expected_query, body = _arguments(spec, case)
    with CofactrClient(
        api_key=API_KEY, http_client=httpx.Client(transport=httpx.MockTransport(handler))
    ) as client:
        method = getattr(getattr(client, python_identifier(case.tag)), case.operation_id)
        result = method(*positional, **kwargs)
    _check(spec, case, seen, kwargs, expected_query, body, result)


@pytest.mark.parametrize("case", CASES, ids=[c.operation_id for c in CASES])
def test_async_call_sends_what_the_spec_describes(spec: dict[str, Any], case: Case) -> None:
    from cofactr_platform import AsyncCofactrClient

    seen: list[httpx.Request] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return _success(spec, case)

    positional, kwargs, expected_query, body = _arguments(spec, case)

    async def main() -> Any:
        transport = httpx.MockTransport(handler)
        async with AsyncCofactrClient(
            api_key=API_KEY, http_client=httpx.AsyncClient(transport=transport)
        ) as client:
            method = getattr(getattr(client, python_identifier(case.tag)), case.operation_id)
            return await method(*positional, **kwargs)

    result = asyncio.run(main())
    _check(spec, case, seen, kwargs, expected_query, body, result)
