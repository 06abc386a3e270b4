"""Shared fixtures: paths and a way to run the CLI as users do (a real process)."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent

# libyaml's loader and dumper where PyYAML has them: the same data and text as the pure-Python
# ones, faster on the real spec (load 0.12 s instead of 0.65 s, dump 0.11 s instead of 0.36 s).
_YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_YAML_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def load_yaml(text: str) -> Any:
    """`yaml.safe_load`, faster."""
    return yaml.load(text, Loader=_YAML_LOADER)


def dump_yaml(data: Any, **options: Any) -> str:
    """`yaml.safe_dump` to a string, faster."""
    return str(yaml.dump(data, Dumper=_YAML_DUMPER, **options))


FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_configure(config: pytest.Config) -> None:
    """Ctrl-C (SIGINT) reaches the suite's processes as it reaches a command run in a terminal.

    A shell starts a command in the background (`make test &` in a script, some CI runners)
    with SIGINT ignored, and an ignored signal stays ignored across fork and exec: every
    process the tests start would inherit it, Python would install no KeyboardInterrupt
    handler there, and the tests that send a child a Ctrl-C would see nothing happen (the
    stub's start-up one never ends, `interrupts.held` never delivers). Here, in the pytest
    process and each xdist worker, before any test starts a process, SIGINT gets Python's
    usual handler; children then start with the default disposition."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file under `directory`, by relative path."""
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def run_cli(
    *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m generator ARGS` in a subprocess, with the repo importable from any cwd."""
    full_env = {**os.environ, **(env or {})}
    full_env["PYTHONPATH"] = str(ROOT) + os.pathsep + full_env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def mini_spec(tmp_path: Path) -> Path:
    """A private copy of the small fixture spec that a test may edit."""
    target = tmp_path / "spec" / "mini.yaml"
    target.parent.mkdir()
    target.write_bytes((FIXTURES / "specs" / "mini.yaml").read_bytes())
    return target


@pytest.fixture(scope="session")
def node_modules() -> Path:
    """The repository's npm dev tools (Redocly CLI, openapi-diff, example specs), installed
    from package-lock.json when missing or out of date.

    Test workers run in parallel (pytest-xdist): an exclusive flock on package-lock.json
    makes one worker install while the others wait, instead of two `npm ci` runs deleting
    each other's node_modules/."""
    lock_file = ROOT / "package-lock.json"
    wanted = json.loads(lock_file.read_text())["packages"][""]["devDependencies"]
    installed = ROOT / "node_modules"

    def current() -> bool:
        for name, version in wanted.items():
            manifest = installed / name / "package.json"
            if not manifest.is_file() or json.loads(manifest.read_text())["version"] != version:
                return False
        return True

    fd = os.open(lock_file, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        if not current():
            npm = shutil.which("npm")
            if npm is None:
                pytest.skip("npm is needed for the pinned JavaScript tools (package-lock.json)")
            result = subprocess.run(
                [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=600,
            )
            assert result.returncode == 0, result.stderr
    finally:
        os.close(fd)  # closing the descriptor releases the lock
    assert current()
    return installed


EXAMPLES_PACKAGE = "@readme/oas-examples"


@pytest.fixture(scope="session")
def examples(node_modules: Path) -> Path:
    """The pinned `@readme/oas-examples` package: public OpenAPI documents we did not write."""
    manifest = node_modules / EXAMPLES_PACKAGE / "package.json"
    wanted = json.loads((ROOT / "package.json").read_text())["devDependencies"][EXAMPLES_PACKAGE]
    assert json.loads(manifest.read_text())["version"] == wanted
    return node_modules / EXAMPLES_PACKAGE


# The modules that take longest (`pytest --durations=0`), longest first. `make test` hands
# whole modules to its workers in collection order (pytest-xdist, `--dist loadfile`): started
# last, one of these would run on alone while the other workers sit idle.
_LONGEST_FIRST = (
    "tests/test_public_corpus.py",
    "tests/e2e/test_contract.py",
    "tests/test_realworld_corpus.py",
    "tests/test_minimal_diffs.py",
    "tests/test_write.py",
    "tests/test_cli.py",
    "tests/test_bad_specs.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        module = item.path.relative_to(ROOT).as_posix()
        return _LONGEST_FIRST.index(module) if module in _LONGEST_FIRST else len(_LONGEST_FIRST)

    items.sort(key=rank)  # stable: the order within a module, and of the rest, is kept
