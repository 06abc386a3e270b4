"""The API key never shows: not in reprs, log records, exception messages or tracebacks."""

from __future__ import annotations

import logging
import socket
import traceback
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from acme_client._runtime import APIError, SchemaMismatch

from .helpers import (
    API_KEY,
    AsyncClient,
    Client,
    Recorder,
    json_response,
    make_async_client,
    make_client,
    page,
    run,
)
from .models import BOM, Supplier


def assert_hidden(text: str) -> None:
    assert API_KEY not in text
    assert "SECRET" not in text


def formatted(exc: BaseException) -> str:
    plain = "".join(traceback.format_exception(exc))
    with_locals = "".join(
        traceback.TracebackException.from_exception(exc, capture_locals=True).format()
    )
    assert "Traceback" in plain and "Traceback" in with_locals
    return plain + with_locals + str(exc) + repr(exc) + repr(exc.args)


def raised(call: Callable[[], Any]) -> BaseException:
    try:
        call()
    except Exception as exc:
        return exc
    raise AssertionError("expected an exception")


def test_client_reprs() -> None:
    for client in (make_client(Recorder()), make_async_client(Recorder())):
        assert repr(client).endswith("api_key='***')")
        assert_hidden(repr(client))
        assert_hidden(str(client))
        assert_hidden(repr(vars(client)))
        assert_hidden(repr(client._auth))
    owned = Client(api_key=API_KEY)
    assert_hidden(repr(vars(owned)) + repr(vars(owned._client)))
    owned.close()


def test_log_records_never_contain_the_key(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, every level
    rec = Recorder(
        json_response(503, {}),
        json_response(200, {"id": "5b7d2a5e-39a4-4a7e-9a38-1f2f4f0c0e11", "name": None}),
        json_response(401, {"detail": "Invalid key."}),
        httpx.ConnectError("refused"),
        json_response(200, page([{"id": "00000000-0000-4000-8000-000000000001", "x": 1}], None)),
    )
    found: list[SchemaMismatch] = []
    client = make_client(rec, max_retries=1, on_schema_mismatch=found.append)
    client.request("GET", "/v1/boms/b/", cast_to=BOM)
    with pytest.raises(APIError):
        client.request("GET", "/v1/org/")
    client.request_page("GET", "/v1/suppliers/", item_type=Supplier)
    assert found  # the schema logger did log
    assert any(r.name == "acme_client.http" and r.levelno == logging.DEBUG for r in caplog.records)
    assert len(caplog.records) >= 5
    for record in caplog.records:
        assert_hidden(record.getMessage())
        assert_hidden(repr(record.args))
        assert_hidden(repr(record.__dict__))
    assert_hidden(caplog.text)


def test_status_error_text_and_traceback() -> None:
    client = make_client(Recorder(json_response(401, {"detail": "Invalid key."})))
    exc = raised(lambda: client.request("GET", "/v1/org/"))
    assert "Invalid key." in str(exc)
    assert_hidden(formatted(exc))


def test_a_server_echoing_the_header_is_scrubbed_from_the_message() -> None:
    def echo(request: httpx.Request) -> httpx.Response:
        return json_response(403, {"detail": f"Key {request.headers['Authorization']} denied"})

    client = make_client(Recorder(echo))
    exc = raised(lambda: client.request("GET", "/v1/org/"))
    assert "Key Api-Key *** denied" in str(exc)
    assert_hidden(str(exc))


def test_connection_and_timeout_errors() -> None:
    for error in (httpx.ConnectError("refused"), httpx.ReadTimeout("slow")):
        client = make_client(Recorder(error), max_retries=1)
        exc = raised(lambda client=client: client.request("GET", "/v1/org/"))
        assert_hidden(formatted(exc))


def test_real_connection_refused_on_loopback() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = Client(api_key=API_KEY, base_url=f"http://127.0.0.1:{port}", max_retries=1)
    client._sleep = lambda seconds: None  # type: ignore[method-assign]
    exc = raised(lambda: client.request("POST", "/v1/boms/", json={"name": "x"}))
    assert isinstance(exc, APIError)
    assert_hidden(formatted(exc))
    client.close()


def test_validation_error_traceback() -> None:
    client = make_client(Recorder(json_response(200, {"name": 1})))
    exc = raised(lambda: client.request("GET", "/v1/boms/b/", cast_to=BOM, strict=True))
    assert_hidden(formatted(exc))


def test_constructor_errors_do_not_show_the_key() -> None:
    for kwargs in (
        {"max_retries": -1},
        {"base_url": "nope://x"},
        {"http_client": httpx.AsyncClient()},
    ):
        exc = raised(lambda kwargs=kwargs: Client(api_key=API_KEY, **kwargs))
        assert_hidden(formatted(exc))
    exc = raised(lambda: Client(api_key=API_KEY + "\n"))  # malformed key
    assert isinstance(exc, ValueError) and "newline" in str(exc)
    assert_hidden(formatted(exc))
    exc = raised(lambda: AsyncClient(api_key=API_KEY, max_retries=-1))
    assert_hidden(formatted(exc))


def test_async_errors_do_not_show_the_key() -> None:
    async def main() -> BaseException:
        client = make_async_client(Recorder(httpx.ConnectError("refused")), max_retries=1)
        try:
            await client.request("POST", "/v1/boms/", json={})
        except APIError as exc:
            return exc
        raise AssertionError("expected an exception")

    assert_hidden(formatted(run(main())))


def test_secret_cannot_be_pickled() -> None:
    import pickle

    client = make_client(Recorder())
    with pytest.raises(TypeError):
        pickle.dumps(client._api_key)
