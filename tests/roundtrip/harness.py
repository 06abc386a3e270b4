"""A small document generated into a temporary directory, its stub run as a real process and
its client imported: what the round-trip tests drive.

Each test names its own package, so clients of different documents never share a module.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

from generator import pipeline
from tests.e2e.server import KEY_A, StubProcess

__all__ = ["KEY_A", "Running", "running"]


class Running:
    """The stub process of a generated document and the client module talking to it."""

    def __init__(self, stub: StubProcess, client: ModuleType, client_class: str) -> None:
        self.stub = stub
        self.module = client
        self.client_class: Any = getattr(client, client_class)

    def client(self, **kwargs: Any) -> Any:
        """A sync client of the generated package aimed at the stub (retries off)."""
        kwargs.setdefault("max_retries", 0)
        return self.client_class(base_url=self.stub.url, **kwargs)


@contextmanager
def running(tmp_path: Path, spec: dict[str, Any], package: str, *extra: str) -> Iterator[Running]:
    """Generate `spec` as `package`, start its stub (seeded with KEY_A), import its client."""
    document = tmp_path / f"{package}.json"
    document.write_text(json.dumps(spec))
    out = tmp_path / package
    pipeline.generate(document, out, package_name=package)
    stub = StubProcess(
        tmp_path, tmp_path / f"{package}.sqlite", *extra, package=f"{package}_stub", pythonpath=out
    )
    sys.path.insert(0, str(out))
    try:
        module = importlib.import_module(package)
        client_class = next(name for name in module._client.__all__ if not name.startswith("Async"))
        yield Running(stub, module, client_class)
    finally:
        sys.path.remove(str(out))
        for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
            del sys.modules[name]
        stub.stop()
