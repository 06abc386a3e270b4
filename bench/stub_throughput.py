"""Stub throughput on loopback: requests/s for a GET and a POST, measured with wrk, for our
stub and for Stoplight Prism (a widely used mock server) serving the same spec.

Prism is stateless (it answers from the spec's examples); ours validates the request, checks
the key, reads or writes SQLite and validates its response. The ratio shows what that costs.
Needs `wrk` (Debian package) and npm; `make bench` installs Prism under .bench/prism, and skips
these rows, saying so before it starts, where either program is missing.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRISM_VERSION = "5.16.0"
KEY = "bench-key"
DURATION = "5s"
TAG_BODY = json.dumps({"name": "bench"})


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port}")


def _prism() -> Path:
    prefix = ROOT / ".bench" / "prism"
    binary = prefix / "node_modules" / ".bin" / "prism"
    if not binary.exists():
        prefix.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "npm",
                "install",
                "--silent",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(prefix),
                f"@stoplight/prism-cli@{PRISM_VERSION}",
            ],
            check=True,
        )
    return binary


def _wrk(url: str, *, post: bool, work: Path) -> float:
    script = work / ("post.lua" if post else "get.lua")
    lines = [f'wrk.headers["Authorization"] = "Api-Key {KEY}"']
    if post:
        lines += [
            'wrk.method = "POST"',
            f"wrk.body = {json.dumps(TAG_BODY)}",
            'wrk.headers["Content-Type"] = "application/json"',
        ]
    script.write_text("\n".join(lines) + "\n")
    result = subprocess.run(
        ["wrk", "-t1", "-c16", "-d", DURATION, "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    if non_2xx:
        raise RuntimeError(f"{url}: {non_2xx.group(1)} error responses\n{result.stdout}")
    match = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    assert match, result.stdout
    return float(match.group(1))


def _ours(work: Path) -> tuple[float, float]:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "generated")}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cofactr_platform_stub",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--db",
            str(work / "bench.sqlite"),
            "--api-key",
            KEY,
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(port)
        import httpx

        base = f"http://127.0.0.1:{port}"
        tag = httpx.post(
            f"{base}/v1/tags/", json={"name": "t"}, headers={"Authorization": f"Api-Key {KEY}"}
        ).json()
        get = _wrk(f"{base}/v1/tags/{tag['id']}/", post=False, work=work)
        post = _wrk(f"{base}/v1/tags/", post=True, work=work)
        return get, post
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)


def _theirs(work: Path) -> tuple[float, float]:
    port = _free_port()
    proc = subprocess.Popen(
        [
            str(_prism()),
            "mock",
            str(ROOT / "spec" / "cofactr-platform.yaml"),
            "-p",
            str(port),
            "-h",
            "127.0.0.1",
            "--errors",
            "false",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(port)
        base = f"http://127.0.0.1:{port}"
        get = _wrk(f"{base}/v1/tags/3fa85f64-5717-4562-b3fc-2c963f66afa6/", post=False, work=work)
        post = _wrk(f"{base}/v1/tags/", post=True, work=work)
        return get, post
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)


def stub_throughput(spec: Path, runs: int, work: Path) -> list[dict[str, object]]:
    del spec, runs  # `make bench` checks first that wrk and npm are on PATH
    with tempfile.TemporaryDirectory(dir=work) as tmp:
        ours_get, ours_post = _ours(Path(tmp))
    with tempfile.TemporaryDirectory(dir=work) as tmp:
        prism_get, prism_post = _theirs(Path(tmp))
    rows: list[dict[str, object]] = []
    for label, ours, theirs in (("GET", ours_get, prism_get), ("POST", ours_post, prism_post)):
        prism_name = f"Prism {PRISM_VERSION} mock, {label} one tag (stateless)"
        rows.append(
            {"name": prism_name, "value": theirs, "unit": "req/s", "runs": 1, "compare_to": None}
        )
        rows.append(
            {
                "name": f"cofactr stub, {label} one tag (SQLite, validated)",
                "value": ours,
                "unit": "req/s",
                "runs": 1,
                "compare_to": prism_name,
            }
        )
    return rows
