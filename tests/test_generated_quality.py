"""Generated code meets the bar of hand-written code: mypy --strict and ruff clean, and it is
what the spec produces (no drift). Runs the real tools, as CI would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator import pipeline

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated"
BIN = Path(sys.executable).parent


def _run(*command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600)


def test_generated_tree_is_up_to_date() -> None:
    result = pipeline.check(ROOT / "spec" / "cofactr-platform.yaml", GENERATED)
    assert result.ok, f"generated/ drifted (run `make generate`):\n{result.diff[:5000]}"


@pytest.mark.slow
def test_mypy_strict_is_clean_on_generated_packages() -> None:
    result = _run(
        str(BIN / "mypy"),
        "--strict",
        "--python-version",
        "3.11",
        "--cache-dir",
        str(ROOT / ".mypy_cache"),
        "-p",
        "cofactr_platform",
        "-p",
        "cofactr_platform_stub",
        cwd=GENERATED,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_is_clean_on_generated_packages() -> None:
    result = _run(
        str(BIN / "ruff"),
        "check",
        "--no-cache",
        "--config",
        str(ROOT / "pyproject.toml"),
        str(GENERATED),
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_the_generator_itself_is_mypy_strict_and_ruff_clean() -> None:
    mypy = _run(
        str(BIN / "mypy"),
        "--strict",
        "--cache-dir",
        str(ROOT / ".mypy_cache"),
        "generator",
        cwd=ROOT,
    )
    assert mypy.returncode == 0, mypy.stdout
    ruff = _run(str(BIN / "ruff"), "check", "--no-cache", "generator", "tests", "bench", cwd=ROOT)
    assert ruff.returncode == 0, ruff.stdout
