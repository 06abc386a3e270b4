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


def test_black_formats_every_file_in_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """black formats a text a second time when its first pass changes anything. The templates
    lay out code as black does, and the models reach black's whole-file pass with their long
    blocks formatted, so on the real spec that pass changes nothing in any file: a template
    edit that breaks this slows every run."""
    from generator import format as formatter
    from generator.load import load_spec

    black, _isort, mode, _config = formatter._tools()
    seen: list[str] = []
    twice: list[str] = []
    original = formatter.format_source

    def watched(path: str, text: str, *, foreign: bool = False) -> str:
        seen.append(path)
        prepared = formatter.prepare(text, foreign=foreign)
        if black.format_str(prepared, mode=mode) != prepared:
            twice.append(path)
        return original(path, text, foreign=foreign)

    monkeypatch.setattr(formatter, "format_source", watched)
    monkeypatch.setattr(formatter, "_worker_count", lambda: 1)  # in process: see every call
    pipeline.build_tree(load_spec(ROOT / "spec" / "cofactr-platform.yaml"), "cofactr_platform")
    assert "cofactr_platform/models.py" in seen and len(seen) > 40
    assert twice == []
