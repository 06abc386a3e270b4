"""Determinism under pressure: any order of the keys of every mapping (paths, schemas,
properties, responses, ... recursively) gives the same bytes for every generated file.

Lists are never reordered (parameters, tags, enum, required, oneOf keep their meaning by
position). `.codegen-manifest.json` is left out: it records the hash of the spec's bytes.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.load import load_spec
from generator.pipeline import build_tree

from .conftest import FIXTURES, ROOT, dump_yaml

SPECS = [ROOT / "spec" / "cofactr-platform.yaml", *sorted((FIXTURES / "specs").glob("*.yaml"))]
MANIFEST = ".codegen-manifest.json"
_reference: dict[Path, dict[str, bytes]] = {}


def _build(path: Path, previous: dict[str, bytes] | None = None) -> dict[str, bytes]:
    # The same display path for every variant: headers name the spec. With `previous`, a file
    # whose rendered text equals the reference's reuses its formatting (black is deterministic
    # and tested on its own); a file that renders differently is formatted and compared.
    spec = load_spec(path, display_path="spec/spec.yaml")
    return build_tree(spec, "cofactr_platform", previous)


def _reference_tree(spec: Path) -> dict[str, bytes]:
    if spec not in _reference:
        _reference[spec] = _build(spec)
    return _reference[spec]


def reorder(value: Any, rng: random.Random) -> Any:
    """A copy of `value` with the keys of every mapping in a random order; lists as they are."""
    if isinstance(value, dict):
        keys = list(value)
        rng.shuffle(keys)
        return {key: reorder(value[key], rng) for key in keys}
    if isinstance(value, list):
        return [reorder(item, rng) for item in value]
    return value


def test_reorder_moves_keys_and_keeps_lists() -> None:
    data = {"b": 1, "a": {"y": [3, 1, 2], "x": {"q": 0, "p": 0}}, "c": 2}
    orders = {
        (tuple(r), tuple(r["a"]), tuple(r["a"]["x"]))
        for r in (reorder(data, random.Random(seed)) for seed in range(20))
    }
    assert len(orders) > 1
    assert all(reorder(data, random.Random(s))["a"]["y"] == [3, 1, 2] for s in range(5))
    assert reorder(data, random.Random(1)) == data


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name)
@settings(
    max_examples=5,
    deadline=None,
    derandomize=False,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rng=st.randoms(use_true_random=False))
def test_any_key_order_gives_the_same_bytes(spec: Path, rng: random.Random, tmp_path: Path) -> None:
    reference = _reference_tree(spec)
    data = load_spec(spec).data  # read as the generator reads it (no YAML timestamps)
    shuffled = tmp_path / f"reordered-{spec.name}"
    shuffled.write_text(
        dump_yaml(reorder(data, rng), sort_keys=False, allow_unicode=True, width=10_000),
        encoding="utf-8",
    )
    tree = _build(shuffled, previous=reference)
    assert sorted(tree) == sorted(reference), "the set of generated files changed"
    differing = sorted(p for p in reference if p != MANIFEST and tree[p] != reference[p])
    assert differing == [], f"key order changed {differing}"
