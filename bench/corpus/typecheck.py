"""`mypy --strict` over what the generators wrote, in batches (one mypy process reads the
pydantic, httpx and FastAPI stubs once per batch, not once per document), each error charged
to the document whose package it is in."""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from tests.mypy_tree import SHARED_RUNTIMES, one_runtime_tree

from . import proc

_ERROR = re.compile(r"^(?P<path>[^:\s][^:]*):\d+(?::\d+)?: error: (?P<message>.*)$")
_BLOCKING = "errors prevented further checking"
SHARED = "(shared runtime)"  # what errors in the shared runtime copies are charged to


def _mypy(
    packages: list[str], root: Path, cache: Path, timeout: float, python: Path | None
) -> proc.Finished:
    command = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cache)]
    if python is not None:  # the peer's code: its dependencies live in its own venv
        command += ["--python-executable", str(python)]
    command += [a for package in packages for a in ("-p", package)]
    return proc.run(command, timeout=timeout, env={**os.environ, "MYPYPATH": str(root)}, cwd=root)


def check(
    owners: dict[str, str],
    root: Path,
    cache: Path,
    timeout: float,
    python: Path | None = None,
    shared: Iterable[str] = (),
) -> dict[str, list[str]]:
    """mypy over the packages under `root`. `owners`: package -> document. Returns document ->
    its error lines (no entry: mypy could not say); errors in a `shared` package go to SHARED.
    A document whose error stops mypy (a syntax error) is taken out and the rest checked again.
    """
    by_package = {**owners, **{package: SHARED for package in shared}}
    pending = sorted(set(owners.values()))
    errors: dict[str, list[str]] = {}
    while pending:
        packages = [*shared, *(p for p, d in sorted(owners.items()) if d in pending)]
        finished = _mypy(packages, root, cache, timeout, python)
        found: dict[str, list[str]] = {}
        for line in finished.stdout.splitlines():
            match = _ERROR.match(line)
            if match:
                package = Path(match["path"]).parts[0]
                found.setdefault(by_package.get(package, SHARED), []).append(line)
        if finished.timed_out or (finished.code not in (0, 1) and not found):
            why = "timed out" if finished.timed_out else f"exit {finished.code}"
            tail = (finished.stderr + finished.stdout).strip().splitlines()[-1:] or [""]
            return {**errors, **{d: [f"mypy {why}: {tail[0]}"] for d in pending}}
        if _BLOCKING in finished.stdout:
            stopped = [d for d in pending if d in found]
            if not stopped:  # stopped by an error outside the documents' packages
                first = next(iter(found.values()), [finished.stdout.strip()])[0]
                return {**errors, **{d: [f"mypy stopped early: {first}"] for d in pending}}
            for document in stopped:
                errors[document] = found[document]
                pending.remove(document)
            continue
        errors.update({d: found.get(d, []) for d in pending})
        if SHARED in found:
            errors[SHARED] = found[SHARED]
        pending = []
    return errors


def check_ours(
    outputs: dict[str, tuple[str, Path]], cache: Path, timeout: float
) -> dict[str, list[str]]:
    """Our packages: `outputs` is document -> (client package, output directory)."""
    with tempfile.TemporaryDirectory(prefix="corpus-mypy-") as tmp:
        root = Path(tmp)
        packages, _own_runtime = one_runtime_tree(dict(outputs.values()), root)
        owners = {
            package + suffix: document
            for document, (package, _out) in outputs.items()
            for suffix in SHARED_RUNTIMES
        }
        shared = [p for p in packages if p in SHARED_RUNTIMES.values()]
        return check(owners, root, cache, timeout, shared=shared)


def check_peer(
    outputs: dict[str, Path], python: Path, cache: Path, timeout: float
) -> dict[str, list[str]]:
    """The peer's packages: `outputs` is document -> its package directory."""
    with tempfile.TemporaryDirectory(prefix="corpus-mypy-peer-") as tmp:
        root = Path(tmp)
        owners = {}
        for document, package_dir in outputs.items():
            shutil.copytree(package_dir, root / package_dir.name)
            owners[package_dir.name] = document
        return check(owners, root, cache, timeout, python=python)
