"""The stub as a real uvicorn process: state survives a restart and a ``kill -9``."""

from __future__ import annotations

import asyncio
import importlib
import os
import queue
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from .runtime import PACKAGE

ROOT = Path(__file__).resolve().parents[2]
KEY = "process-key"
HEADERS = {"Authorization": f"Api-Key {KEY}"}

pytestmark = pytest.mark.slow


class Server:
    """A running ``python -m tests.runtime_stub.launcher`` and the URL it printed."""

    def __init__(self, db: Path, *extra: str) -> None:
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.runtime_stub.launcher",
                "--port",
                "0",
                "--db",
                str(db),
                "--api-key",
                KEY,
                *extra,
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []

        def read() -> None:
            assert self.proc.stdout is not None
            for line in self.proc.stdout:
                self.output.append(line)
                self.lines.put(line)
            self.lines.put("")

        self.reader = threading.Thread(target=read, daemon=True)
        self.reader.start()
        line = self.wait_for("listening on http://")
        self.url = line.split("listening on ", 1)[1].split()[0]
        assert KEY not in "".join(self.output)

    def wait_for(self, text: str) -> str:
        """The next line of output that holds `text` (30 s only guard against a hang)."""
        deadline = time.monotonic() + 30
        while True:
            line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            if not line:
                raise AssertionError("the stub exited:\n" + "".join(self.output))
            if text in line:
                return line

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=15)
        self.reader.join(timeout=15)  # every line it printed is in `output`

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=15)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "stub.sqlite"


def test_state_survives_restart(db: Path) -> None:
    server = Server(db)
    try:
        with httpx.Client(base_url=server.url, headers=HEADERS, timeout=10) as http:
            boms = [http.post("/v1/boms/", json={"name": f"bom {i}"}).json() for i in range(10)]
            line = http.post(
                f"/v1/boms/{boms[0]['id']}/lines/", json={"part_id": "P1", "quantity": 3}
            ).json()
            doc = http.post(
                "/v1/stock_documents/",
                data={"name": "d", "document_type": "t"},
                files={"file": ("d.bin", b"\x00\x01\x02", "application/octet-stream")},
            ).json()
            patched = http.patch(f"/v1/boms/{boms[1]['id']}/", json={"version": "B"}).json()
    finally:
        server.stop()
    # uvicorn shuts down gracefully on SIGTERM (then raises it again: the stub exits 0)
    assert server.proc.returncode == 0, "".join(server.output)
    assert "Traceback" not in "".join(server.output)

    server = Server(db)
    try:
        with httpx.Client(base_url=server.url, headers=HEADERS, timeout=10) as http:
            for bom in boms[2:]:
                assert http.get(f"/v1/boms/{bom['id']}/").json() == bom
            assert http.get(f"/v1/boms/{boms[1]['id']}/").json() == patched
            assert http.get(f"/v1/boms/{boms[0]['id']}/lines/{line['id']}/").json() == line
            assert http.get(f"/v1/stock_documents/{doc['id']}/download/").content == b"\x00\x01\x02"
            assert http.get("/v1/boms/").json()["count"] == 10
            assert http.get("/openapi.json").status_code == 200
    finally:
        server.stop()


def test_ctrl_c_stops_the_server_cleanly(db: Path) -> None:
    """Ctrl-C is how a developer stops the stub: a graceful shutdown, exit 0, no traceback
    (uvicorn raises the KeyboardInterrupt again after its shutdown), and the state kept."""
    server = Server(db)
    try:
        with httpx.Client(base_url=server.url, headers=HEADERS, timeout=10) as http:
            bom = http.post("/v1/boms/", json={"name": "kept"}).json()
    finally:
        server.proc.send_signal(signal.SIGINT)
        server.proc.wait(timeout=15)
    assert server.proc.returncode == 0, "".join(server.output)
    assert "Traceback" not in "".join(server.output)
    server = Server(db)
    try:
        with httpx.Client(base_url=server.url, headers=HEADERS, timeout=10) as http:
            assert http.get(f"/v1/boms/{bom['id']}/").json() == bom
    finally:
        server.stop()


def test_sigterm_stops_the_server_cleanly_with_exit_0(db: Path) -> None:
    """SIGTERM is how a service manager or a container stops the stub: a graceful shutdown
    and exit 0, as for Ctrl-C (before: 143, killed by the signal uvicorn raised again)."""
    server = Server(db)
    with httpx.Client(base_url=server.url, headers=HEADERS, timeout=10) as http:
        assert http.post("/v1/boms/", json={"name": "kept"}).status_code == 201
    server.stop()
    assert server.proc.returncode == 0, "".join(server.output)
    assert "Traceback" not in "".join(server.output)


def test_a_port_in_use_is_one_line_and_exit_2(db: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        launcher = [sys.executable, "-m", "tests.runtime_stub.launcher"]
        result = subprocess.run(
            [*launcher, "--port", str(port), "--db", str(db), "--api-key", KEY],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2, result.stderr
    assert result.stderr == f"error: cannot listen on 127.0.0.1:{port}: Address already in use\n"
    assert result.stdout == ""


def test_kill_9_during_a_write_burst_loses_no_answered_write(db: Path) -> None:
    server = Server(db)
    answered: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()
    enough = threading.Event()  # 150 writes answered, or a writer gave up

    def writer(n: int) -> None:
        try:
            with httpx.Client(base_url=server.url, headers=HEADERS, timeout=5) as http:
                i = 0
                while not stop.is_set():
                    response = http.post("/v1/boms/", json={"name": f"w{n}-{i}"})
                    if response.status_code == 201:
                        with lock:
                            answered.append(response.json()["id"])
                            if len(answered) >= 150:
                                enough.set()
                    i += 1
        except httpx.HTTPError:
            pass  # the kill: this writer is done
        finally:
            enough.set()  # however a writer ends (an error too), the test does not hang

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    reached = enough.wait(timeout=300)  # the timeout only guards against a hang
    server.kill()  # mid-burst: the writers are still sending
    stop.set()
    for thread in threads:
        thread.join(timeout=10)
    assert reached and len(answered) >= 150

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    server = Server(db)
    try:
        with httpx.Client(base_url=server.url, headers=HEADERS, timeout=10) as http:
            missing = [i for i in answered if http.get(f"/v1/boms/{i}/").status_code != 200]
            assert missing == []
            assert http.get("/v1/boms/?limit=1").json()["count"] >= len(answered)
    finally:
        server.stop()


def test_cli_refuses_to_start_without_keys(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tests.runtime_stub.launcher", "--port", "0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k != "STUB_API_KEY"},
    )
    assert result.returncode == 2 and "--api-key" in result.stderr


def test_keys_in_the_query_string_are_redacted_in_the_access_log(db: Path) -> None:
    """The stub reads keys from a header only, but a key sent as `?api_key=` used to be
    written to the access log at --log-level info."""
    secret = "s3cret-in-the-url"
    server = Server(db, "--log-level", "info")
    try:
        with httpx.Client(base_url=server.url, headers=HEADERS, timeout=10) as http:
            assert http.get("/v1/boms/", params={"limit": 5, "api_key": secret}).status_code == 200
            http.get(
                f"/v1/boms/?Token={secret}&x=1&API%5FKEY={secret}&Authorization=Api-Key+{secret}"
            )
        server.wait_for("Authorization=")  # the access log line of the last request
    finally:
        server.stop()
    output = "".join(server.output)
    assert secret not in output
    assert "/v1/boms/?limit=5&api_key=[redacted]" in output
    assert "?Token=[redacted]&x=1&API%5FKEY=[redacted]&Authorization=[redacted]" in output


def test_accepted_connections_send_without_waiting_for_acks() -> None:
    """asyncio turns Nagle's algorithm off only on accepted sockets whose protocol is TCP, and
    an accepted socket inherits the listening socket's: bound with protocol 0, every response
    body waited for the client's delayed ACK of its headers (40 ms a request on Linux)."""
    cli = importlib.import_module(PACKAGE + "._runtime.cli")

    async def nodelay_of_an_accepted_connection() -> int:
        accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        class Probe(asyncio.Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                sock = transport.get_extra_info("socket")
                accepted.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))

        with cli._bind("127.0.0.1", 0) as listening:
            server = await asyncio.get_running_loop().create_server(Probe, sock=listening)
            port = listening.getsockname()[1]
            async with server:
                _reader, writer = await asyncio.open_connection("127.0.0.1", port)
                try:
                    return await asyncio.wait_for(accepted, 30)
                finally:
                    writer.close()

    assert asyncio.run(nodelay_of_an_accepted_connection()) != 0
