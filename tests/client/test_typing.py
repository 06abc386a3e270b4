"""The generated client's types, as a user's `mypy --strict` sees them (typing_checks/*.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import GENERATED

pytestmark = pytest.mark.slow

CHECKS = Path(__file__).parent / "typing_checks"


@pytest.mark.parametrize("name", sorted(p.name for p in CHECKS.glob("*.py")))
def test_types_say_what_the_api_does(name: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            os.devnull,
            str(CHECKS / name),
        ],
        cwd=tmp_path,
        env={**os.environ, "MYPYPATH": str(GENERATED)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
