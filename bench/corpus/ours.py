"""Our generator on one document, as a user runs it: the CLI in a process of its own, then the
two packages it wrote imported in another."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

from . import proc

ROOT = Path(__file__).resolve().parents[2]
_IMPORT_BOTH = "import importlib, sys\nfor p in sys.argv[1:]: importlib.import_module(p)\n"


def package_name(document: str) -> str:
    """A package name for a document (`api/amazonaws.com/acm.json` -> `api_amazonaws_com_acm`):
    readable in mypy's output and unique within the corpus."""
    slug = re.sub(r"[^a-z0-9]+", "_", document.removesuffix(".json").lower()).strip("_")
    return slug if slug.startswith("api_") else "api_" + slug


def _env(**extra: str) -> dict[str, str]:
    env = {**os.environ, **extra}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # the dependencies' bytecode, as in any install
    return env


def _error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": error" in line]


def generate(spec: Path, out: Path, package: str, timeout: float) -> dict[str, Any]:
    """Generate, and import what was generated. Outcome `generated` (exit 0), `refused`
    (exit 2, with its ERROR lines) or `crashed` (any other exit, or out of time)."""
    finished = proc.run(
        [
            *(sys.executable, "-m", "generator", "generate", "--spec", str(spec)),
            *("--out", str(out), "--package-name", package),
        ],
        timeout=timeout,
        env=_env(PYTHONPATH=str(ROOT)),
        cwd=ROOT,
    )
    errors = _error_lines(finished.stderr)
    result: dict[str, Any] = {
        "exit_code": finished.code,
        "seconds": round(finished.seconds, 2),
        "warnings": sum(1 for line in finished.stderr.splitlines() if ": warning" in line),
    }
    if finished.timed_out:
        return {**result, "outcome": "crashed", "detail": f"timed out after {timeout:g} s"}
    if finished.code == 2 and errors:
        return {**result, "outcome": "refused", "detail": errors[0], "errors": errors[:50]}
    if finished.code != 0:
        tail = [line for line in finished.stderr.splitlines() if line.strip()][-1:] or ["-"]
        return {**result, "outcome": "crashed", "detail": f"exit {finished.code}: {tail[0]}"}
    imported = proc.run(
        # The client loads its models on first use: its import alone would not build them.
        [sys.executable, "-c", _IMPORT_BOTH, package, f"{package}.models", f"{package}_stub"],
        timeout=timeout,
        env=_env(PYTHONPATH=str(out)),
        cwd=out,
    )
    result["outcome"] = "generated"
    result["imports"] = imported.code == 0
    if imported.code != 0:
        lines = [line for line in imported.stderr.splitlines() if line.strip()]
        result["import_error"] = lines[-1].strip() if lines else f"exit {imported.code}"
    return result
