"""Many generated packages in one `mypy --strict` run, with the hand-written runtime analysed
once instead of once per package.

Each package's `_runtime` (client and stub) is the same code, copied verbatim under a header
naming its spec. The tree built here holds one shared copy of each runtime (`corpus_runtime`,
`corpus_stub_runtime`) and every package with its `_runtime` replaced by a re-export of that
copy, after checking the package's copy is the same code. mypy still checks every generated
module against the runtime (a wrong keyword, or a name the runtime does not export, is still an
error); it just reads the runtime once. A package whose runtime is not the shared code is
copied whole, runtime and all, and named in the result.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

# suffix of the package (client, stub) -> the shared runtime's package name
SHARED_RUNTIMES = {"": "corpus_runtime", "_stub": "corpus_stub_runtime"}


def _without_header(path: Path) -> bytes:
    """A copied runtime file without the header comment naming its spec."""
    lines = path.read_bytes().splitlines(keepends=True)
    while lines and lines[0].startswith(b"#"):
        lines.pop(0)
    return b"".join(lines)


def _code(runtime: Path) -> dict[str, bytes]:
    return {p.relative_to(runtime).as_posix(): _without_header(p) for p in runtime.rglob("*.py")}


def one_runtime_tree(outputs: Mapping[str, Path], root: Path) -> tuple[list[str], list[str]]:
    """`outputs`: client package name -> the output directory holding it and its `<name>_stub`.
    Builds the tree under `root` (a directory for MYPYPATH and mypy's working directory).
    Returns the packages to check (`mypy -p` each), shared runtimes first, and the packages
    whose runtime differed from the shared code and was copied whole."""
    reference: dict[str, dict[str, bytes]] = {}
    packages: list[str] = []
    own_runtime: list[str] = []
    for name, out in sorted(outputs.items()):
        for suffix, shared in SHARED_RUNTIMES.items():
            package = name + suffix
            runtime = out / package / "_runtime"
            code = _code(runtime)
            if shared not in reference:
                reference[shared] = code
                shutil.copytree(runtime, root / shared)
            if code != reference[shared]:
                shutil.copytree(out / package, root / package)
                own_runtime.append(package)
            else:
                shutil.copytree(
                    out / package, root / package, ignore=shutil.ignore_patterns("_runtime")
                )
                (root / package / "_runtime").mkdir()
                (root / package / "_runtime" / "__init__.py").write_text(
                    f"from {shared} import *  # noqa: F403\n"
                )
            packages.append(package)
    return [*sorted(reference), *packages], own_runtime
