"""A "truth" server: the API of `tests/fixtures/verify/spec.yaml` as it really answers, on
loopback, differing from that spec on purpose:

- `GET /v1/boms/` and `/v1/boms/{id}/`: `line_count` is sent as `lines_count` (a renamed
  field), `created_by` is extra, `quantity` is a string where the spec says integer, `notes`
  is null, and the second BOM's `status` is `archived` (a new enum value). The first call to
  the list answers 429 with `Retry-After: 0`.
- suppliers live at `/v1/vendors/`, not `/v1/suppliers/` (a different path);
- `/v1/programs/` does not exist (a missing operation);
- `/v1/reports/` answers 403 (a status the spec does not declare).

BOMs can be created (POST), updated (PATCH, answering the BOM as it is) and deleted; each
server has its own copy of them.

Anything else is a 404. Every request is recorded (method, path, auth header).
"""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

KEY = "truth-key-0f7c"

BOMS = [
    {
        "id": "b1",
        "name": "Main board",
        "lines_count": 3,
        "status": "approved",
        "quantity": "12",
        "notes": None,
        "created_by": "ada",
    },
    {
        "id": "b2",
        "name": "Aux board",
        "lines_count": 1,
        "status": "archived",
        "quantity": "1",
        "notes": "spare",
        "created_by": "bob",
    },
]


class Truth(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[tuple[str, str, str]] = []
        self.throttled = False
        self.lock = threading.Lock()
        self.boms = copy.deepcopy(BOMS)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: Truth

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = b"" if status == 204 else json.dumps(body).encode()
        self.send_response(status)
        if data:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _answer(self, method: str) -> None:
        path = self.path.split("?", 1)[0]
        with self.server.lock:
            self.server.requests.append((method, path, self.headers.get("Authorization", "")))
            first_list = path == "/v1/boms/" and not self.server.throttled
            if first_list:
                self.server.throttled = True
        if self.headers.get("Authorization") != f"Api-Key {KEY}":
            return self._send(401, {"detail": "Invalid API key."})
        if first_list:
            return self._send(429, {"detail": "Slow down."}, {"Retry-After": "0"})
        boms = self.server.boms
        if path == "/v1/boms/" and method == "POST":
            length = int(self.headers.get("Content-Length") or 0)
            sent = json.loads(self.rfile.read(length) or b"{}")
            bom = {**boms[0], "id": f"b{len(boms) + 1}", "name": sent.get("name"), "notes": None}
            boms.append(bom)
            return self._send(201, bom)
        if path == "/v1/boms/" and method == "GET":
            page = {"count": len(boms), "next": None, "previous": None, "results": boms}
            return self._send(200, page)
        for bom in list(boms):
            if path == f"/v1/boms/{bom['id']}/":
                if method == "DELETE":
                    boms.remove(bom)
                    return self._send(204, None)
                if method in ("GET", "PATCH"):
                    return self._send(200, bom)
        if method != "GET":
            return self._send(405, {"detail": f'Method "{method}" not allowed.'})
        if path == "/v1/vendors/":
            return self._send(200, [{"id": "s1", "name": "Digi"}])
        if path == "/v1/reports/":
            return self._send(403, {"detail": "Reporting is not enabled for this org."})
        return self._send(404, {"detail": "Not found."})

    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")

    def do_PATCH(self) -> None:
        self._answer("PATCH")

    def do_DELETE(self) -> None:
        self._answer("DELETE")


@contextmanager
def running() -> Iterator[Truth]:
    """The server, listening (its socket is bound and listening before this yields), served
    from a thread until the block ends."""
    server = Truth()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
