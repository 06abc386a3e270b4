"""Load the stub runtime as ``acme_stub._runtime`` (see conftest) and the tests' seed."""

from __future__ import annotations

import importlib
import sys
import types
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "stub"
PACKAGE = "acme_stub"

if PACKAGE not in sys.modules:
    _parent = types.ModuleType(PACKAGE)
    _parent.__path__ = [str(TEMPLATES)]
    _parent.__package__ = PACKAGE
    sys.modules[PACKAGE] = _parent
RUNTIME: Any = importlib.import_module(PACKAGE + "._runtime")

ORG_A = "aaaaaaaa-0000-4000-8000-000000000001"
ORG_A_SUB = "aaaaaaaa-0000-4000-8000-000000000002"
ORG_B = "bbbbbbbb-0000-4000-8000-000000000001"
USER_A = "aaaaaaaa-0000-4000-8000-00000000000a"

SEED: dict[str, Any] = {
    "orgs": [
        {
            "id": ORG_A,
            "name": "Org A",
            "users": [{"id": USER_A, "email": "ada@a.test", "first_name": "Ada", "last_name": "A"}],
            "api_keys": [{"key": "key-a", "name": "a"}],
            "sub_orgs": [
                {
                    "id": ORG_A_SUB,
                    "name": "Org A sandbox",
                    "api_keys": [{"key": "key-a-sub"}],
                }
            ],
        },
        {"id": ORG_B, "name": "Org B", "api_keys": [{"key": "key-b"}]},
    ]
}


def seed_two_orgs() -> Any:
    """Org A (key-a) with sub-org A-sub (key-a-sub), and org B (key-b)."""
    return RUNTIME.seed_from_dict(SEED)
