"""The spec is clean under Redocly CLI's recommended rules (spec/redocly.yaml says which rules
are off and why): no error and no warning."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from .conftest import ROOT


@pytest.mark.slow
def test_redocly_recommended_rules_pass(node_modules: Path) -> None:
    result = subprocess.run(
        [
            str(node_modules / ".bin" / "redocly"),
            "lint",
            "spec/cofactr-platform.yaml",
            "--config",
            "spec/redocly.yaml",
            "--format",
            "json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["totals"] == {"errors": 0, "warnings": 0, "ignored": 0}, report["problems"]
