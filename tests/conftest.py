"""Shared fixtures: paths and a way to run the CLI as users do (a real process)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def run_cli(
    *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m generator ARGS` in a subprocess, with the repo importable from any cwd."""
    full_env = {**os.environ, **(env or {})}
    full_env["PYTHONPATH"] = str(ROOT) + os.pathsep + full_env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def mini_spec(tmp_path: Path) -> Path:
    """A private copy of the small fixture spec that a test may edit."""
    target = tmp_path / "spec" / "mini.yaml"
    target.parent.mkdir()
    target.write_bytes((FIXTURES / "specs" / "mini.yaml").read_bytes())
    return target
