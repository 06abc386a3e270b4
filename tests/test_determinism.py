"""Same inputs, same bytes: across processes, hash seeds, working directories and key order."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from generator.load import load_spec
from generator.pipeline import build_tree

from .conftest import FIXTURES, dump_yaml, load_yaml, run_cli


def _tree(directory: Path) -> dict[str, bytes]:
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def test_same_bytes_across_hash_seeds_and_working_directories(tmp_path: Path) -> None:
    spec = FIXTURES / "specs" / "mini.yaml"
    trees = []
    for seed, cwd in (("0", tmp_path), ("12345", Path("/"))):
        out = tmp_path / f"project-{seed}" / "generated"
        spec_copy = out.parent / "spec" / "mini.yaml"
        spec_copy.parent.mkdir(parents=True)
        spec_copy.write_bytes(spec.read_bytes())
        result = run_cli(
            "generate",
            "--spec",
            str(spec_copy),
            "--out",
            str(out),
            cwd=cwd,
            env={"PYTHONHASHSEED": seed},
        )
        assert result.returncode == 0, result.stderr
        trees.append(_tree(out))
    assert trees[0] == trees[1]


def _shuffled(value: Any, rng: random.Random) -> Any:
    if isinstance(value, dict):
        keys = list(value)
        rng.shuffle(keys)
        return {k: _shuffled(value[k], rng) for k in keys}
    if isinstance(value, list):
        return [_shuffled(v, rng) for v in value]
    return value


def test_key_order_does_not_change_the_output(tmp_path: Path) -> None:
    source = FIXTURES / "specs" / "mini.yaml"
    reference = build_tree(load_spec(source, display_path="spec.yaml"), "cofactr_platform")
    data = load_yaml(source.read_text())
    for seed in range(3):
        shuffled = tmp_path / f"shuffled-{seed}.yaml"
        shuffled.write_text(dump_yaml(_shuffled(data, random.Random(seed)), sort_keys=False))
        tree = build_tree(load_spec(shuffled, display_path="spec.yaml"), "cofactr_platform")
        # The manifest hashes the spec bytes, which differ; every generated file must not.
        differing = sorted(
            p for p in reference if p != ".codegen-manifest.json" and tree.get(p) != reference[p]
        )
        assert differing == [], f"seed {seed}: {differing}"
