"""The stub process as an integration partner meets it: tenancy, auth, limits, durability."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest

from .server import KEY_A, KEY_B, ORG_A, SUB_A1, StubProcess

pytestmark = pytest.mark.slow


def _client(url: str, key: str, **options: Any) -> Any:
    from cofactr_platform import CofactrClient

    return CofactrClient(api_key=key, base_url=url, **{"max_retries": 0, **options})


def test_orgs_are_isolated_and_sub_orgs_reachable(stub: StubProcess) -> None:
    from cofactr_platform import NotFoundError

    a, b = _client(stub.url, KEY_A), _client(stub.url, KEY_B)
    bom = a.boms.create_bom(name="Secret board")
    with pytest.raises(NotFoundError):  # 404, not 403: another org's record does not exist
        b.boms.get_bom(bom.id)
    with pytest.raises(NotFoundError):
        b.boms.update_bom(bom.id, name="stolen")
    assert bom.id not in {x.id for x in b.boms.list_boms()}
    in_sub = a.boms.create_bom(name="Sandbox board", org_id=SUB_A1)
    assert str(in_sub.org_id) == SUB_A1
    everything = {x.id for x in a.boms.list_boms()}
    assert {bom.id, in_sub.id} <= everything  # one key reaches its org and its sub-orgs
    only_sub = {x.id for x in a.boms.list_boms(org_id=SUB_A1)}
    assert in_sub.id in only_sub and bom.id not in only_sub  # org_id narrows to one org
    only_main = {x.id for x in a.boms.list_boms(org_id=ORG_A)}
    assert bom.id in only_main and in_sub.id not in only_main


def test_purchase_lookup_is_blended_only_when_asked(stub: StubProcess) -> None:
    from cofactr_platform import NotFoundError

    a = _client(stub.url, KEY_A)
    supplier = a.suppliers.create_supplier(name="Sub supplier", org_id=SUB_A1)
    po = a.purchases.create_purchase_order(supplier_id=supplier.id, x_org_id=SUB_A1)
    with pytest.raises(NotFoundError):
        a.purchases.update_purchase_order(po.id, notes="x", x_org_id=ORG_A)
    updated = a.purchases.update_purchase_order(po.id, notes="x", x_org_id=ORG_A, blended="true")
    assert updated.notes == "x"


def test_auth_failures(stub: StubProcess) -> None:
    from cofactr_platform import AuthenticationError

    with pytest.raises(AuthenticationError) as wrong:
        _client(stub.url, "not-a-key").boms.list_boms()
    assert wrong.value.status_code == 401 and "not-a-key" not in str(wrong.value)
    for header in (f"api-key {KEY_A}", f"Bearer {KEY_A}", KEY_A, f"Api-Key  {KEY_A}", ""):
        response = httpx.get(f"{stub.url}/v1/boms/", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert "detail" in response.json()
    assert httpx.get(f"{stub.url}/v1/boms/").status_code == 401
    assert (
        httpx.get(f"{stub.url}/v1/boms", headers={"Authorization": f"Api-Key {KEY_A}"}).status_code
        == 404
    )


def test_oversized_body_is_413(stub: StubProcess) -> None:
    from cofactr_platform import PayloadTooLargeError

    with pytest.raises(PayloadTooLargeError):
        _client(stub.url, KEY_A).boms.create_bom(name="x" * 10, metadata={"blob": "y" * 100_000})


def test_served_spec_is_the_source_spec(stub: StubProcess) -> None:
    import json

    served = httpx.get(f"{stub.url}/openapi.json").json()
    source = json.loads(
        (
            Path(__file__).resolve().parents[2]
            / "generated"
            / "cofactr_platform_stub"
            / "openapi.json"
        ).read_text()
    )
    assert (
        served == source
        and len([1 for p in served["paths"].values() for m in p if m != "parameters"]) == 104
    )


def test_rate_limit_answers_429_and_the_client_retries(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from cofactr_platform import RateLimitError

    server = StubProcess(tmp_path, tmp_path / "limited.sqlite", "--rate-limit", "5")
    try:
        impatient = _client(server.url, KEY_A)
        with pytest.raises(RateLimitError) as limited:
            for _ in range(50):
                impatient.tags.list_tags()
        assert limited.value.response.headers.get("Retry-After")
        patient = _client(server.url, KEY_A, max_retries=5)
        caplog.set_level(logging.INFO)
        for _ in range(15):
            patient.tags.list_tags()  # every call succeeds, waiting as Retry-After says
        assert any("retry" in r.getMessage().lower() for r in caplog.records)
        assert KEY_A not in caplog.text
    finally:
        server.stop()


def test_restart_keeps_every_record(tmp_path: Path) -> None:
    db = tmp_path / "durable.sqlite"
    first = StubProcess(tmp_path, db)
    created: dict[str, Any] = {}
    try:
        c = _client(first.url, KEY_A)
        bom = c.boms.create_bom(name="Persisted")
        created["bom"] = (bom.id, c.boms.create_bom_line(bom.id, part_id="ABC", quantity=3).id)
        created["tag"] = c.tags.create_tag(name="kept").id
        doc = c.stock_documents.create_stock_document(
            file=("a.txt", b"bytes!", "text/plain"), name="A", document_type="note"
        )
        created["doc"] = doc.id
    finally:
        first.stop()
    second = StubProcess(tmp_path, db)
    try:
        c = _client(second.url, KEY_A)
        bom_id, line_id = created["bom"]
        assert c.boms.get_bom(bom_id).name == "Persisted"
        assert c.boms.get_bom_line(bom_id, line_id).quantity == 3
        assert c.tags.get_tag(created["tag"]).name == "kept"
        assert c.stock_documents.download_stock_document(created["doc"]) == b"bytes!"
    finally:
        second.stop()


def test_kill_9_during_a_write_burst_loses_no_committed_record(tmp_path: Path) -> None:
    db = tmp_path / "burst.sqlite"
    server = StubProcess(tmp_path, db)
    acknowledged: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def writer(n: int) -> None:
        from cofactr_platform import APIError

        c = _client(server.url, KEY_A, timeout=5.0)
        i = 0
        while not stop.is_set():
            try:
                tag = c.tags.create_tag(name=f"w{n}-{i}")
            except APIError:
                return  # the server died mid-request: this write was never acknowledged
            with lock:
                acknowledged.append(str(tag.id))
            i += 1

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    while True:
        with lock:
            if len(acknowledged) >= 60:
                break
        threading.Event().wait(0.01)
    server.kill()
    stop.set()
    for t in threads:
        t.join(timeout=30)
    restarted = StubProcess(tmp_path, db)
    try:
        c = _client(restarted.url, KEY_A)
        present = {str(t.id) for t in c.tags.list_tags(limit=1000)}
        missing = [i for i in acknowledged if i not in present]
        assert missing == [], f"{len(missing)} acknowledged writes lost"
    finally:
        restarted.stop()


_CTRL_C_WHILE_FASTAPI_LOADS = """
import builtins, runpy, signal, sys

real_import = builtins.__import__

def interrupted_import(name, *args, **kwargs):
    if name == "fastapi":
        signal.raise_signal(signal.SIGINT)  # where a real Ctrl-C would land
    return real_import(name, *args, **kwargs)

builtins.__import__ = interrupted_import
sys.argv = ["cofactr_platform_stub", "--port", "0", "--api-key", "k"]
runpy.run_module("cofactr_platform_stub", run_name="__main__", alter_sys=True)
"""


def test_ctrl_c_while_the_stub_loads_is_one_line(tmp_path: Path) -> None:
    """The stub takes about a second to load FastAPI and its app; a Ctrl-C meanwhile (in a
    pyo3 extension's import it would be a Rust panic) is held back until they have loaded,
    then ends it with one line and exit 130."""
    import os
    import subprocess
    import sys

    from .server import GENERATED

    completed = subprocess.run(
        [sys.executable, "-c", _CTRL_C_WHILE_FASTAPI_LOADS],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(GENERATED)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.stderr.splitlines() == ["Stub server interrupted while starting"]
    assert completed.returncode == 130
