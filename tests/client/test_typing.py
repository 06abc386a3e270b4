"""The generated client's types, as a user's `mypy --strict` sees them (typing_checks/*.py,
checked in one mypy run: the generated package is analysed once)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import GENERATED

pytestmark = pytest.mark.slow

CHECKS = Path(__file__).parent / "typing_checks"


def test_types_say_what_the_api_does(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            os.devnull,
            *sorted(str(p) for p in CHECKS.glob("*.py")),
        ],
        cwd=tmp_path,
        env={**os.environ, "MYPYPATH": str(GENERATED)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
