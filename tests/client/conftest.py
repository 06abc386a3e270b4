"""Tests of the generated client: import it from generated/, as a user who vendors it would."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..conftest import load_yaml

ROOT = Path(__file__).resolve().parents[2]
GENERATED = ROOT / "generated"


@pytest.fixture(scope="session", autouse=True)
def generated_on_path() -> Iterator[None]:
    sys.path.insert(0, str(GENERATED))
    yield
    sys.path.remove(str(GENERATED))


@pytest.fixture(scope="session")
def spec() -> dict[str, Any]:
    data: dict[str, Any] = load_yaml((ROOT / "spec" / "cofactr-platform.yaml").read_text())
    return data
