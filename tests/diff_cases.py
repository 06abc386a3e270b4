"""The fixture pairs of `python -m generator diff`, built from a few base documents.

tests/fixtures/diff/cases.yaml names, for each kind of change, its base document and the
edits that make its old and its new version; `pair` builds them. `python -m tests.diff_cases
DIR` writes every pair out as DIR/<case>/{old,new}.yaml (for openapi-diff, see docs/diff.md).
"""

from __future__ import annotations

import copy
import sys
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DIFF_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "diff"


@cache
def cases() -> dict[str, dict[str, Any]]:
    loaded = yaml.safe_load((DIFF_FIXTURES / "cases.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


@cache
def _base(name: str) -> dict[str, Any]:
    loaded = yaml.safe_load((DIFF_FIXTURES / f"{name}.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _edited(document: dict[str, Any], edits: list[dict[str, Any]]) -> dict[str, Any]:
    document = copy.deepcopy(document)
    for edit in edits:
        *parents, last = edit["at"]
        holder: Any = document
        for key in parents:
            holder = holder[key]
        if "set" in edit:
            if isinstance(holder, list) and last == len(holder):
                holder.append(copy.deepcopy(edit["set"]))
            else:
                holder[last] = copy.deepcopy(edit["set"])
        elif "move" in edit:
            holder[edit["move"]] = holder.pop(last)
        elif edit.get("remove") is True:
            del holder[last]
        else:
            raise ValueError(f"an edit sets, moves or removes: {edit}")
    return document


def pair(case: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The old and the new document of a case."""
    spec = cases()[case]
    base = _base(spec.get("base", "base"))
    return _edited(base, spec.get("old", [])), _edited(base, spec.get("new", []))


def write_pair(case: str, directory: Path) -> tuple[Path, Path]:
    """The case's documents as `directory/<case>/old.yaml` and `new.yaml`."""
    paths = []
    for name, document in zip(("old", "new"), pair(case), strict=True):
        path = directory / case / f"{name}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
        paths.append(path)
    return paths[0], paths[1]


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m tests.diff_cases DIR")
    for name in cases():
        write_pair(name, Path(sys.argv[1]))
