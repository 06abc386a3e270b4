"""Other people's specs: well-known public OpenAPI documents we did not write generate a client
and a stub that import, and the stub answers a request with 2xx. (`mypy --strict` over these and
the rest of the package's documents runs once, in test_public_corpus.py.)

The documents come, at test time, from a pinned npm package that ships them,
`@readme/oas-examples` (exact version in package.json, hash in package-lock.json), installed
with `npm ci` (the shared `node_modules` fixture) when node_modules/ does not have it yet:

* `3.0/petstore.json`: the classic Swagger Petstore, OpenAPI 3.0;
* `3.1/petstore.json`: the same API as OpenAPI 3.1;
* `3.1/train-travel.json`: Bump.sh's Train Travel API, OpenAPI 3.1 (webhooks, links);
* `3.1/readme.json`: ReadMe's own API, OpenAPI 3.1;
* `3.0/star-trek.json`: STAPI, the Star Trek API, a real API of 120 operations and 222 schemas.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generator import pipeline
from generator.validate import HTTP_METHODS

# name -> (file in the package, Python package name, OpenAPI major.minor, at least N operations)
SPECS = {
    "petstore-3.0": ("3.0/json/petstore.json", "petstore30", "3.0", 19),
    "petstore-3.1": ("3.1/json/petstore.json", "petstore31", "3.1", 19),
    "train-travel-3.1": ("3.1/json/train-travel.json", "train_travel", "3.1", 7),
    "readme-3.1": ("3.1/json/readme.json", "readme_api", "3.1", 50),
    "star-trek-3.0": ("3.0/json/star-trek.json", "stapi", "3.0", 100),
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
def generated(examples: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each spec generated into its own output directory (project/generated)."""
    outputs = {}
    for name, (file, package, _version, _count) in SPECS.items():
        out = tmp_path_factory.mktemp(name) / "generated"
        pipeline.generate(examples / file, out, package_name=package)
        outputs[name] = out
    return outputs


@pytest.mark.parametrize("name", sorted(SPECS))
def test_the_document_is_what_we_think(examples: Path, name: str) -> None:
    file, _package, version, count = SPECS[name]
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
    file, package, _version, _count = SPECS[name]
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
    out = generated["train-travel-3.1"]
    client = (out / "train_travel" / "_client.py").read_text()
    stub = (out / "train_travel_stub" / "app.py").read_text()
    assert 'auth_header: ClassVar[str] = "Authorization"' in client
    assert 'auth_scheme: ClassVar[str] = "Bearer"' in client
    assert 'KEY_HEADER = KeyHeader("Authorization", "Bearer")' in stub
