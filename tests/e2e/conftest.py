"""End-to-end fixtures: the generated client on sys.path, a stub process per module."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from .server import GENERATED, KEY_A, StubProcess


@pytest.fixture(scope="session", autouse=True)
def generated_on_path() -> Iterator[None]:
    sys.path.insert(0, str(GENERATED))
    yield
    sys.path.remove(str(GENERATED))


@pytest.fixture(scope="module")
def stub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StubProcess]:
    workdir = tmp_path_factory.mktemp("stub")
    server = StubProcess(workdir, workdir / "stub.sqlite", "--max-body-bytes", "65536")
    yield server
    server.stop()


@pytest.fixture
def client(stub: StubProcess) -> Iterator[object]:
    from cofactr_platform import CofactrClient

    with CofactrClient(api_key=KEY_A, base_url=stub.url, max_retries=0) as c:
        yield c
