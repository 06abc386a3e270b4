"""Peer generators on the same spec: openapi-python-client (client + models), installed in a
venv of its own under .bench/ so its dependencies never touch ours."""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OPC_VERSION = "0.29.1"


def _opc() -> Path:
    env = ROOT / ".bench" / f"opc-{OPC_VERSION}"
    binary = env / "bin" / "openapi-python-client"
    if not binary.exists():
        venv.EnvBuilder(with_pip=True, clear=True).create(env)
        subprocess.run(
            [
                str(env / "bin" / "python"),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                f"openapi-python-client=={OPC_VERSION}",
            ],
            check=True,
        )
    return binary


def peer_generators(spec: Path, runs: int, work: Path) -> list[dict[str, object]]:
    binary = _opc()
    samples = []
    for index in range(runs + 1):  # the first run warms caches and is not counted
        out = work / f"opc-{index}"
        start = time.perf_counter()
        result = subprocess.run(
            [
                str(binary),
                "generate",
                "--path",
                str(spec),
                "--output-path",
                str(out),
                "--overwrite",
                "--meta",
                "none",
            ],
            capture_output=True,
            text=True,
        )
        elapsed = time.perf_counter() - start
        if result.returncode != 0:
            print(
                f"openapi-python-client failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}",
                file=sys.stderr,
            )
            return []
        if index:
            samples.append(elapsed)
        shutil.rmtree(out, ignore_errors=True)
    return [
        {
            "name": f"openapi-python-client {OPC_VERSION} generate (client + models)",
            "value": statistics.median(samples),
            "unit": "s",
            "runs": len(samples),
            "compare_to": "cofactr-codegen generate, cold (empty output dir), our spec",
        }
    ]
