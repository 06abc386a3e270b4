"""Another org's latency while customer SQL burns the CPU: the generated stub on loopback, org
B's `GET /v1/org/` timed alone, then while org A runs as many CPU-bound recursive queries as
its key may (two, each until the 2 s time limit). The queries run in worker threads at the
lowest CPU priority (`_runtime/offload.py`); the ratio shows what is left of their cost.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SQL = "/v1/reporting/sql_query/"
BURN = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT max(x) FROM c"
SEED = {
    "orgs": [
        {"name": "A", "api_keys": [{"key": "bench-key-a"}]},
        {"name": "B", "api_keys": [{"key": "bench-key-b"}]},
    ]
}


def _start(work: Path) -> tuple[subprocess.Popen[str], str]:
    seed = work / "seed.json"
    seed.write_text(json.dumps(SEED))
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cofactr_platform_stub",
            "--port",
            "0",
            "--db",
            str(work / "sql.sqlite"),
            "--seed",
            str(seed),
        ],
        cwd=work,
        env={**os.environ, "PYTHONPATH": str(ROOT / "generated")},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if "listening on http://" in line:
            return proc, line.split("listening on ", 1)[1].split()[0]
    raise RuntimeError("the stub did not start")


def _timed_gets(http: httpx.Client, keep_going: threading.Event | None, count: int) -> list[float]:
    samples = []
    while len(samples) < count or (keep_going is not None and keep_going.is_set()):
        start = time.perf_counter()
        http.get("/v1/org/").raise_for_status()
        samples.append(time.perf_counter() - start)
        if keep_going is None and len(samples) >= count:
            break
    return samples


def _burning(url: str) -> list[float]:
    """B's GETs while A's two queries run (from when both are known to run until one ends)."""
    running = threading.Event()
    running.set()

    def burn() -> None:
        with httpx.Client(base_url=url, headers={"Authorization": "Api-Key bench-key-a"}) as a:
            # Refused while the probe below holds the key's slot: ask again until admitted.
            while a.post(SQL, json={"query": BURN}, timeout=60).status_code == 429:
                pass
        running.clear()

    threads = [threading.Thread(target=burn) for _ in range(2)]
    for thread in threads:
        thread.start()
    with httpx.Client(base_url=url, headers={"Authorization": "Api-Key bench-key-a"}) as a:
        while a.post(SQL, json={"query": "SELECT 1"}, timeout=60).status_code != 429:
            pass  # both burners are admitted once a third query of A's key is refused
    with httpx.Client(base_url=url, headers={"Authorization": "Api-Key bench-key-b"}) as b:
        samples = _timed_gets(b, running, 1)
    for thread in threads:
        thread.join()
    return samples


def stub_sql_isolation(spec: Path, runs: int, work: Path) -> list[dict[str, object]]:
    del spec, runs
    proc, url = _start(work)
    try:
        with httpx.Client(base_url=url, headers={"Authorization": "Api-Key bench-key-b"}) as b:
            _timed_gets(b, None, 20)  # warm-up
            idle = _timed_gets(b, None, 200)
        busy = _burning(url)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    idle_name = "stub, another org's GET, median (idle)"
    rows: list[dict[str, object]] = [
        {"name": idle_name, "value": statistics.median(idle), "unit": "s", "runs": len(idle)},
        {
            "name": "stub, another org's GET, median while 2 SQL queries burn",
            "value": statistics.median(busy),
            "unit": "s",
            "runs": len(busy),
            "compare_to": idle_name,
        },
        {
            "name": "stub, another org's GET, 95th percentile while 2 SQL queries burn",
            "value": statistics.quantiles(busy, n=20)[-1],
            "unit": "s",
            "runs": len(busy),
            "compare_to": idle_name,
        },
    ]
    return rows
