"""Contract run: schemathesis against the generated stub running as a real process, reading
the SOURCE spec (spec/cofactr-platform.yaml, not the stub's own /openapi.json), every check
on, bounded in examples and time. Scoped exceptions and their reasons: schemathesis.toml."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .server import KEY_A, ROOT, StubProcess

pytestmark = pytest.mark.slow

MAX_EXAMPLES = os.environ.get("CONTRACT_MAX_EXAMPLES", "5")
# Only a guard against a hang: 600 s for the default 5 examples, in proportion for more
# (with 100, the run took 26 minutes on a busy 2-core machine).
HANG_GUARD_S = 600 * max(1.0, int(MAX_EXAMPLES) / 5)


def test_schemathesis_finds_no_failure(tmp_path: Path) -> None:
    server = StubProcess(tmp_path, tmp_path / "contract.sqlite")
    try:
        result = subprocess.run(
            [
                str(Path(sys.executable).parent / "st"),
                "--config-file",
                str(ROOT / "schemathesis.toml"),
                "run",
                str(ROOT / "spec" / "cofactr-platform.yaml"),
                "--url",
                server.url,
                "--header",
                f"Authorization: Api-Key {KEY_A}",
                "--max-examples",
                MAX_EXAMPLES,
                "--seed",
                "20261125",
                "--no-shrink",
            ],
            # Bounded by examples, not by --max-time: given a time budget, schemathesis keeps
            # fuzzing until it is spent. The timeout is only a safety net.
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=HANG_GUARD_S,
        )
    finally:
        server.stop()
    print(result.stdout[-4000:])  # schemathesis's summary, shown by `pytest -rP`
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-5000:]
    assert "104 passed" in result.stdout or "Tested: 104" in result.stdout
    assert KEY_A not in result.stdout
