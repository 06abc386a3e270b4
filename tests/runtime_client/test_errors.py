"""Each error status maps to its exception class, with the decoded body and a useful message."""

from __future__ import annotations

import httpx
import pytest
from acme_client._runtime import (
    APIError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
)

from .helpers import Recorder, json_response, make_client


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (413, PayloadTooLargeError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, InternalServerError),
        (502, InternalServerError),
        (503, InternalServerError),
        (418, APIStatusError),
        (302, APIStatusError),
    ],
)
def test_status_maps_to_class_with_body(status: int, cls: type[APIStatusError]) -> None:
    body = {"detail": f"status {status}", "code": "some_code"}
    client = make_client(Recorder(json_response(status, body)), max_retries=0)
    with pytest.raises(cls) as info:
        client.request("POST", "/v1/boms/", json={})
    error = info.value
    assert type(error) is cls
    assert isinstance(error, APIError)
    assert error.status_code == status
    assert error.body == body
    assert error.response.status_code == status
    assert error.request.method == "POST"
    assert f"status {status}" in str(error)
    assert str(status) in str(error) and "POST https://api.example.test/v1/boms/" in str(error)


def test_drf_field_errors_become_the_message() -> None:
    body = {
        "name": ["This field is required."],
        "quantity": ["Ensure this value is >= 0."],
    }
    client = make_client(Recorder(json_response(400, body)))
    with pytest.raises(BadRequestError) as info:
        client.request("POST", "/v1/boms/", json={})
    assert info.value.body == body
    assert info.value.message.endswith(
        "name: This field is required.; quantity: Ensure this value is >= 0."
    )


def test_non_field_errors_and_nested_errors() -> None:
    body = {
        "non_field_errors": ["Duplicate line."],
        "lines": [{"mpn": ["Unknown part."]}],
    }
    client = make_client(Recorder(json_response(400, body)))
    with pytest.raises(BadRequestError) as info:
        client.request("POST", "/v1/boms/", json={})
    assert "Duplicate line." in str(info.value)
    assert "lines: mpn: Unknown part." in str(info.value)


def test_text_and_empty_bodies() -> None:
    client = make_client(
        Recorder(httpx.Response(502, text="<html>Bad gateway</html>")), max_retries=0
    )
    with pytest.raises(InternalServerError) as info:
        client.request("GET", "/v1/boms/")
    assert info.value.body == "<html>Bad gateway</html>"
    assert "Bad gateway" in str(info.value)

    client = make_client(Recorder(httpx.Response(404)))
    with pytest.raises(NotFoundError) as info2:
        client.request("GET", "/v1/boms/x/")
    assert info2.value.body is None
    assert str(info2.value) == "404 Not Found for GET https://api.example.test/v1/boms/x/"


def test_long_bodies_are_truncated_in_the_message() -> None:
    client = make_client(Recorder(json_response(400, {"detail": "x" * 5000})))
    with pytest.raises(BadRequestError) as info:
        client.request("POST", "/v1/boms/")
    assert len(str(info.value)) < 700
    assert info.value.body == {"detail": "x" * 5000}


def test_rate_limit_error_carries_retry_after() -> None:
    client = make_client(
        Recorder(json_response(429, {"detail": "Throttled."}, {"Retry-After": "7"})),
        max_retries=0,
    )
    with pytest.raises(RateLimitError) as info:
        client.request("GET", "/v1/boms/")
    assert info.value.retry_after == 7.0
