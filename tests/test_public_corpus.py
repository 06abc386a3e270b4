"""Every OpenAPI document of the pinned npm package `@readme/oas-examples`: 54 documents we
did not write (OpenAPI 2.0, 3.0 and 3.1), each a showcase of some corner of the format.

Each one either generates a client and a stub that import and pass `mypy --strict`, or is
refused with located diagnostics for a reason listed below. Generating all of them found four
bugs that our own fixtures had not (a model field named like its type, an enum discriminator,
a path naming one parameter twice, a stub answer that is a bare string).
Five well-known ones are driven further, at the end (the stub answers a request).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generator import pipeline
from generator.document import HTTP_METHODS
from generator.errors import SpecError

# datamodel-code-generator notes formats it does not know ('int16', 'url'): expected here.
pytestmark = pytest.mark.filterwarnings("ignore:format of:UserWarning")

# document -> what the refusal says. Each is invalid, or valid OpenAPI we cannot turn into code.
# (parameters-style and the schema-validation ones generate with warnings since issue 17: a
# query string in a path key is not sent, a default that breaks its schema is dropped;
# circular-paths generates since its schema $refs into a request body are followed;
# schema-enums generates since an enum that lists a value twice reads it once, a warning.)
REFUSED = {
    "2.0/json/petstore.json": "Swagger 2.0 documents are not supported",
    "3.0/json/parameters-common.json": "names {id} more than once",
    "3.0/json/server-path-level.json": "path item $ref",
    # Its bad defaults are now warnings; what is left is invalid in 3.1 (draft-05/06/07
    # `$schema` dialects, a boolean `exclusiveMaximum`).
    "3.1/json/schema-validation-local.json": "Unknown JSON Schema dialect",
}


def _documents(examples: Path) -> list[str]:
    found = [
        p.relative_to(examples).as_posix()
        for version in ("2.0", "3.0", "3.1")
        for p in sorted((examples / version / "json").glob("*.json"))
    ]
    return [name for name in found if not name.startswith("2.0/") or name in REFUSED]


def _package(name: str) -> str:
    return "corpus_" + re.sub(r"[^a-z0-9]+", "_", name.removesuffix(".json").lower())


@pytest.fixture(scope="module")
def outcomes(
    examples: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path | SpecError]:
    """Each document generated into its own directory, or the SpecError that refused it."""
    root = tmp_path_factory.mktemp("corpus")
    results: dict[str, Path | SpecError] = {}
    for name in _documents(examples):
        out = root / _package(name) / "generated"
        try:
            pipeline.generate(examples / name, out, package_name=_package(name))
        except SpecError as exc:
            results[name] = exc
        else:
            results[name] = out
    return results


def test_the_corpus_is_what_we_think(outcomes: dict[str, Path | SpecError]) -> None:
    assert len(outcomes) == 54, sorted(outcomes)


def test_each_document_generates_or_is_refused_for_its_known_reason(
    outcomes: dict[str, Path | SpecError],
) -> None:
    refused = {name: r for name, r in outcomes.items() if isinstance(r, SpecError)}
    assert sorted(refused) == sorted(REFUSED), "a document changed sides: update REFUSED"
    for name, error in refused.items():
        messages = [d.format() for d in error.diagnostics]
        assert any(REFUSED[name] in m for m in messages), (name, messages)
        for diagnostic in error.diagnostics:
            assert diagnostic.file.endswith(Path(name).name), diagnostic.format()
            assert diagnostic.pointer.startswith("/"), diagnostic.format()


def _generated(outcomes: dict[str, Path | SpecError]) -> dict[str, Path]:
    return {name: out for name, out in outcomes.items() if isinstance(out, Path)}


def _search_path(generated: dict[str, Path]) -> str:
    """Every output directory, for PYTHONPATH or MYPYPATH."""
    return os.pathsep.join(str(out) for out in generated.values())


def test_every_client_and_stub_imports(outcomes: dict[str, Path | SpecError]) -> None:
    generated = _generated(outcomes)
    packages = [p for name in generated for p in (_package(name), _package(name) + "_stub")]
    script = "import importlib, sys\nfor p in sys.argv[1:]: importlib.import_module(p)\n"
    result = subprocess.run(
        [sys.executable, "-c", script, *packages],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONPATH": _search_path(generated)},
    )
    assert result.returncode == 0, result.stderr[-3000:]


def _without_header(path: Path) -> bytes:
    """A copied runtime file without the header naming its spec."""
    lines = path.read_bytes().splitlines(keepends=True)
    while lines and lines[0].startswith(b"#"):
        lines.pop(0)
    return b"".join(lines)


def _with_one_runtime(generated: dict[str, Path], root: Path) -> list[str]:
    """Each generated package copied under `root` with its `_runtime` replaced by a re-export
    of one shared copy (`corpus_runtime`, `corpus_stub_runtime`), after checking that every
    package's copy is the same code. mypy then analyses each runtime once, not once per
    package, and still checks every generated module against it (a wrong keyword or a name
    the runtime does not export is still an error). Returns the packages to check."""
    shared = {"": "corpus_runtime", "_stub": "corpus_stub_runtime"}
    reference: dict[str, dict[str, bytes]] = {}
    packages = []
    for name, out in sorted(generated.items()):
        for suffix, runtime_name in shared.items():
            package = _package(name) + suffix
            runtime = out / package / "_runtime"
            code = {
                p.relative_to(runtime).as_posix(): _without_header(p)
                for p in sorted(runtime.rglob("*.py"))
            }
            if runtime_name not in reference:
                reference[runtime_name] = code
                shutil.copytree(runtime, root / runtime_name)
            assert code == reference[runtime_name], f"{package}: its runtime is not the same code"
            shutil.copytree(
                out / package, root / package, ignore=shutil.ignore_patterns("_runtime")
            )
            (root / package / "_runtime").mkdir()
            (root / package / "_runtime" / "__init__.py").write_text(
                f"from {runtime_name} import *  # noqa: F403\n"
            )
            packages.append(package)
    return [*shared.values(), *packages]


@pytest.mark.slow
def test_mypy_strict_is_clean_on_every_generated_package(
    outcomes: dict[str, Path | SpecError], tmp_path: Path
) -> None:
    packages = _with_one_runtime(_generated(outcomes), tmp_path / "packages")
    args = [a for package in packages for a in ("-p", package)]
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"), *args],
        capture_output=True,
        text=True,
        timeout=1800,
        env={**os.environ, "MYPYPATH": str(tmp_path / "packages")},
    )
    assert result.returncode == 0, result.stdout[-5000:]
    assert "no issues found in" in result.stdout, result.stdout[-5000:]


_CALL_EVERY_OPERATION = """
import importlib, json, logging, re, sys
from fastapi.testclient import TestClient

logging.disable(logging.WARNING)  # the stubs log what a foreign spec leaves undocumented
failures, calls = [], 0
for package in sys.argv[1:]:
    stub = importlib.import_module(package + "_stub")
    settings = importlib.import_module(package + "_stub._runtime").StubSettings(api_keys=["k"])
    spec = stub.load_spec()
    auth = importlib.import_module(package + "_stub.app").KEY_HEADER.headers("k")
    with TestClient(stub.create_app(settings), raise_server_exceptions=False) as http:
        for path, item in sorted(spec.get("paths", {}).items()):
            for method in ("get", "post", "put", "patch", "delete"):
                if method not in item:
                    continue
                calls += 1
                answer = http.request(
                    method.upper(),
                    re.sub(r"\\{[^}]+\\}", "1", path),
                    headers={**auth, "Content-Type": "application/json"},
                    content=b"{}" if method in ("post", "put", "patch") else None,
                )
                if answer.status_code >= 500:
                    failures.append([package, method, path, answer.status_code])
print(json.dumps({"calls": calls, "failures": failures}))
"""


def test_every_stub_answers_every_operation_without_a_server_error(
    outcomes: dict[str, Path | SpecError],
) -> None:
    """Each operation once, path parameters `1`, bodies `{}`: a 4xx is a fine answer to that;
    a 5xx is the stub failing (its own response check turns a value it built wrong into one)."""
    generated = _generated(outcomes)
    result = subprocess.run(
        [sys.executable, "-c", _CALL_EVERY_OPERATION, *(_package(n) for n in generated)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONPATH": _search_path(generated)},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["calls"] > 500, report["calls"]
    assert report["failures"] == [], report["failures"]


# -- Five well-known documents, driven further ------------------------------------------------
# The client imports, and the stub, started on the document, answers a GET with 2xx:
#
# * `3.0/petstore.json`: the classic Swagger Petstore, OpenAPI 3.0;
# * `3.1/petstore.json`: the same API as OpenAPI 3.1;
# * `3.1/train-travel.json`: Bump.sh's Train Travel API, OpenAPI 3.1 (webhooks, links);
# * `3.1/readme.json`: ReadMe's own API, OpenAPI 3.1;
# * `3.0/star-trek.json`: STAPI, the Star Trek API, a real API of 120 operations and 222 schemas.

# name -> (file in the package, OpenAPI major.minor, at least N operations)
SPECS = {
    "petstore-3.0": ("3.0/json/petstore.json", "3.0", 19),
    "petstore-3.1": ("3.1/json/petstore.json", "3.1", 19),
    "train-travel-3.1": ("3.1/json/train-travel.json", "3.1", 7),
    "readme-3.1": ("3.1/json/readme.json", "3.1", 50),
    "star-trek-3.0": ("3.0/json/star-trek.json", "3.0", 100),
}


def _operations(spec: dict[str, object]) -> list[tuple[str, str, dict[str, object]]]:
    paths = spec.get("paths") or {}
    assert isinstance(paths, dict)
    return [
        (path, method, op)
        for path, item in paths.items()
        for method, op in item.items()
        if method in HTTP_METHODS
    ]


@pytest.fixture(scope="module")
def generated(outcomes: dict[str, Path | SpecError]) -> dict[str, Path]:
    """Each of the five as the corpus generated it (project/generated)."""
    outputs = {}
    for name, (file, _version, _count) in SPECS.items():
        out = outcomes[file]
        assert isinstance(out, Path), f"{file}: {out}"
        outputs[name] = out
    return outputs


@pytest.mark.parametrize("name", sorted(SPECS))
def test_the_document_is_what_we_think(examples: Path, name: str) -> None:
    file, version, count = SPECS[name]
    spec = json.loads((examples / file).read_text())
    assert str(spec["openapi"]).startswith(version)
    assert len(_operations(spec)) >= count


_SMOKE = textwrap.dedent("""
    import importlib, json, sys
    from fastapi.testclient import TestClient

    package, path = sys.argv[1], sys.argv[2]
    client = importlib.import_module(package)
    stub = importlib.import_module(package + "_stub")
    settings = importlib.import_module(package + "_stub._runtime").StubSettings(api_keys=["k"])
    assert client.__all__, "the client exports nothing"
    auth = importlib.import_module(package + "_stub.app").KEY_HEADER.headers("k")
    with TestClient(stub.create_app(settings)) as http:
        response = http.get(path, headers=auth)
    print(json.dumps({"status": response.status_code, "body": response.text[:200]}))
    """)


def _get_path(spec: dict[str, object]) -> str:
    """A GET operation to call: one without required parameters if there is one; path
    parameters filled with `1`."""
    gets = [(path, op) for path, method, op in _operations(spec) if method == "get"]
    assert gets, "no GET operation"

    def required(op: object) -> int:
        params = op.get("parameters") or [] if isinstance(op, dict) else []
        return sum(1 for p in params if isinstance(p, dict) and p.get("required"))

    path, _op = min(gets, key=lambda g: (required(g[1]), "{" in g[0], g[0]))
    return "".join("1" if part.startswith("{") else part for part in re.split(r"(\{[^}]+\})", path))


@pytest.mark.parametrize("name", sorted(SPECS))
def test_client_and_stub_import_and_the_stub_answers(
    examples: Path, generated: dict[str, Path], name: str
) -> None:
    file, _version, _count = SPECS[name]
    package = _package(file)
    spec = json.loads((examples / file).read_text())
    path = _get_path(spec)
    result = subprocess.run(
        [sys.executable, "-c", _SMOKE, package, path],
        cwd=generated[name],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(generated[name])},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert 200 <= answer["status"] < 300, f"GET {path}: {answer}"


def test_an_oauth2_spec_gets_a_bearer_client_and_stub(generated: dict[str, Path]) -> None:
    """Train Travel secures its operations with OAuth2: access tokens travel as
    `Authorization: Bearer <token>` (RFC 6750), in the client and the stub alike."""
    package = _package(SPECS["train-travel-3.1"][0])
    out = generated["train-travel-3.1"]
    client = (out / package / "_client.py").read_text()
    stub = (out / f"{package}_stub" / "app.py").read_text()
    assert 'auth_header: ClassVar[str] = "Authorization"' in client
    assert 'auth_scheme: ClassVar[str] = "Bearer"' in client
    assert 'KEY_HEADER = KeyHeader("Authorization", "Bearer")' in stub
