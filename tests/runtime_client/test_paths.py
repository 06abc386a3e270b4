"""Path parameters are percent-encoded and can never change which endpoint is called."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from typing import ClassVar
from urllib.parse import unquote

import httpx
import pytest
from acme_client._runtime._encoding import build_path
from hypothesis import given, settings
from hypothesis import strategies as st

from .helpers import API_KEY, Client, Recorder, make_client

TEMPLATE = "/v1/boms/{bom_id}/lines/{bom_line_id}/"

CASES = [
    ("..", "%2E%2E"),
    (".", "%2E"),
    ("...", "..."),  # not a dot-segment: left alone
    ("../x", "..%2Fx"),
    ("a/b", "a%2Fb"),
    ("a b", "a%20b"),
    ("a?b=1", "a%3Fb%3D1"),
    ("a#frag", "a%23frag"),
    ("100%", "100%25"),
    ("IM60640MOX6H", "IM60640MOX6H"),
    ("ünï€", "%C3%BCn%C3%AF%E2%82%AC"),
    ("%2E%2E", "%252E%252E"),
    ("a;b,c", "a%3Bb%2Cc"),
]


@pytest.mark.parametrize(("value", "encoded"), CASES)
def test_path_param_is_encoded_as_one_segment_on_the_wire(value: str, encoded: str) -> None:
    rec = Recorder()
    client = make_client(rec)
    client.request("GET", TEMPLATE, path_params={"bom_id": value, "bom_line_id": "L1"})
    raw_path = rec.last.url.raw_path  # exactly what httpx writes in the request line
    assert raw_path == f"/v1/boms/{encoded}/lines/L1/".encode()
    assert rec.last.url.query == b""


def test_httpx_would_remove_literal_dot_segments() -> None:
    """Why ``..`` must be encoded: httpx normalises a literal one away."""
    assert httpx.URL("https://h.test/v1/boms/../lines/").raw_path == b"/v1/lines/"
    assert httpx.URL("https://h.test/v1/boms/%2E%2E/lines/").raw_path == b"/v1/boms/%2E%2E/lines/"


@pytest.mark.parametrize("bad", ["", None])
def test_empty_or_missing_values_are_refused(bad: object) -> None:
    with pytest.raises(ValueError, match="bom_id"):
        build_path(TEMPLATE, {"bom_id": bad, "bom_line_id": "x"})


def test_missing_and_unknown_params_are_refused() -> None:
    with pytest.raises(ValueError, match="bom_line_id"):
        build_path(TEMPLATE, {"bom_id": "x"})
    with pytest.raises(ValueError, match="typo"):
        build_path(TEMPLATE, {"bom_id": "x", "bom_line_id": "y", "typo": 1})
    with pytest.raises(ValueError):
        build_path("/v1/org/", {"x": 1})
    assert build_path("/v1/org/", {}) == "/v1/org/"


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1))
def test_any_value_round_trips_and_keeps_the_path_shape(value: str) -> None:
    path = build_path(TEMPLATE, {"bom_id": value, "bom_line_id": "L"})
    url = httpx.URL("https://h.test" + path)
    segments = url.raw_path.decode("ascii").split("/")
    assert segments[:3] == ["", "v1", "boms"] and segments[4:] == ["lines", "L", ""]
    assert unquote(segments[3]) == value
    assert url.query == b"" and url.fragment == ""


class _Capture(http.server.BaseHTTPRequestHandler):
    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Capture.seen.append(self.path)  # the raw request target, as received
        body = json.dumps({"ok": True}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Capture)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    _Capture.seen = []
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_real_server_receives_the_encoded_path(server: str) -> None:
    with Client(api_key=API_KEY, base_url=server, max_retries=0, timeout=5.0) as client:
        for value in ["..", "../../admin", "a/b", "x?y#z", "."]:
            client.request("GET", TEMPLATE, path_params={"bom_id": value, "bom_line_id": "L"})
    assert _Capture.seen == [
        "/v1/boms/%2E%2E/lines/L/",
        "/v1/boms/..%2F..%2Fadmin/lines/L/",
        "/v1/boms/a%2Fb/lines/L/",
        "/v1/boms/x%3Fy%23z/lines/L/",
        "/v1/boms/%2E/lines/L/",
    ]
