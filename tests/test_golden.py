"""Each fixture spec renders exactly its golden record (update with `make golden`)."""

from __future__ import annotations

import pytest

from .golden import diff_against_golden, fixture_names, golden_tree


@pytest.mark.parametrize("name", fixture_names())
def test_fixture_matches_golden_record(name: str) -> None:
    assert golden_tree(name), f"no golden record for {name}: run `make golden`"
    diff = diff_against_golden(name)
    assert diff == "", (
        f"output differs from tests/golden/{name} (run `make golden` if intended):\n{diff}"
    )
