"""Golden records: the rendered output of each fixture spec, checked in under tests/golden/.

`make golden` (python -m tests.golden update) is the only way they change; the test suite
compares against them and prints a diff. Copied runtime modules and the manifest are left out:
they are the same for every spec and are tested on their own.
"""

from __future__ import annotations

import difflib
import shutil
import sys
from pathlib import Path

from generator.load import load_spec
from generator.pipeline import build_tree

ROOT = Path(__file__).resolve().parent
FIXTURE_SPECS = ROOT / "fixtures" / "specs"
GOLDEN = ROOT / "golden"


def fixture_names() -> list[str]:
    return sorted(p.stem for p in FIXTURE_SPECS.glob("*.yaml"))


def render_fixture(name: str) -> dict[str, bytes]:
    spec = load_spec(
        FIXTURE_SPECS / f"{name}.yaml", display_path=f"tests/fixtures/specs/{name}.yaml"
    )
    files = build_tree(spec, "cofactr_platform")
    return {
        path: data
        for path, data in files.items()
        if "/_runtime/" not in path and not path.startswith(".codegen-manifest")
    }


def golden_tree(name: str) -> dict[str, bytes]:
    root = GOLDEN / name
    if not root.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def diff_against_golden(name: str) -> str:
    """Empty when the fixture renders exactly its golden record; else a readable diff."""
    expected, actual = golden_tree(name), render_fixture(name)
    out = []
    for path in sorted(set(expected) | set(actual)):
        old = expected.get(path, b"").decode().splitlines(keepends=True)
        new = actual.get(path, b"").decode().splitlines(keepends=True)
        if path not in expected:
            out.append(f"new file not in golden record: {path}\n")
        elif path not in actual:
            out.append(f"golden file no longer produced: {path}\n")
        out.extend(difflib.unified_diff(old, new, f"golden/{name}/{path}", f"rendered/{path}"))
    return "".join(out)


def update() -> None:
    for name in fixture_names():
        target = GOLDEN / name
        shutil.rmtree(target, ignore_errors=True)
        for path, data in sorted(render_fixture(name).items()):
            (target / path).parent.mkdir(parents=True, exist_ok=True)
            (target / path).write_bytes(data)
        print(f"golden: wrote tests/golden/{name}/")


if __name__ == "__main__":
    if sys.argv[1:] != ["update"]:
        sys.exit("usage: python -m tests.golden update")
    update()
