"""A generated client that does not import is a failed round trip, not a document left out of
the figure (as the README and `roundtrip.cell` say): `make corpus` round-trips every generated
document, and the round trip of one whose client cannot be imported fails with the reason.
Seed 2033's frankiefinancial.io client imports `ulid`, which the benchmark's environment does
not have; it was left out of the round-trip column."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest

from bench.corpus import __main__ as corpus
from bench.corpus import ours, roundtrip

from .documents import notes

pytestmark = pytest.mark.slow


def test_a_client_that_does_not_import_counts_as_a_failed_round_trip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "notes.json").write_text(json.dumps(notes()))
    generate = ours.generate

    def broken(spec: Path, out: Path, package: str, timeout: float) -> dict[str, Any]:
        """Generate for real, then make the client's package need a module nobody has."""
        result = generate(spec, out, package, timeout)
        init = out / package / "__init__.py"
        init.write_text("import a_module_nobody_installed\n" + init.read_text())
        return {**result, "imports": False, "import_error": "ModuleNotFoundError"}

    monkeypatch.setattr(ours, "generate", broken)
    args = argparse.Namespace(no_roundtrip=False, timeout=300.0)
    record = corpus._one("api/notes.json", tmp_path, tmp_path / "work", args, None)
    assert record["roundtrip"]["outcome"] == "failed"
    assert "a_module_nobody_installed" in record["roundtrip"]["detail"]
    documents, _ = roundtrip.cell([record])
    assert documents.split() == ["0", "/", "1", "0.0%"]
