"""`MismatchRecorder`: answers that did not fit their schema become JSON lines for
`verify --from-records`; answers that fit, headers and query strings never do."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from acme_client._runtime import MismatchRecorder, ResponseValidationError, SchemaMismatch

from .helpers import (
    API_KEY,
    BASE_URL,
    Recorder,
    json_response,
    make_async_client,
    make_client,
    page,
    run,
)
from .models import Supplier

GOOD = {"id": "00000000-0000-4000-8000-000000000001", "name": "Acme"}
BAD = {"id": "00000000-0000-4000-8000-000000000002", "name": 7, "rating": 5}


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_lenient_mismatch_is_recorded_and_passed_on(tmp_path: Path) -> None:
    path = tmp_path / "answers.jsonl"
    found: list[SchemaMismatch] = []
    rec = Recorder(json_response(200, GOOD), json_response(200, BAD))
    client = make_client(rec, on_schema_mismatch=MismatchRecorder(path, then=found.append))
    client.request("GET", "/v1/suppliers/{id}/", path_params={"id": "s1"}, cast_to=Supplier)
    assert not path.exists()  # an answer that fits is not recorded
    client.request(
        "GET",
        "/v1/suppliers/{id}/",
        path_params={"id": "s 2"},
        query={"api_key": "in-the-query"},
        cast_to=Supplier,
    )
    assert {m.location for m in found} == {"name", "rating"}
    assert _lines(path) == [
        {"body": BAD, "method": "GET", "path": "/v1/suppliers/s 2/", "status": 200}
    ]
    text = path.read_text(encoding="utf-8")
    assert API_KEY not in text and "in-the-query" not in text


def test_a_strict_failure_is_recorded_then_raised(tmp_path: Path) -> None:
    path = tmp_path / "answers.jsonl"
    rec = Recorder(json_response(200, page([GOOD, BAD], None)))
    client = make_client(rec, on_schema_mismatch=MismatchRecorder(path))
    with pytest.raises(ResponseValidationError):
        client.request_page("GET", "/v1/suppliers/", item_type=Supplier, strict=True)
    [line] = _lines(path)
    assert (line["method"], line["path"], line["status"]) == ("GET", "/v1/suppliers/", 200)
    assert line["body"]["results"][1] == BAD


def test_the_path_is_relative_to_a_base_url_with_a_path(tmp_path: Path) -> None:
    path = tmp_path / "answers.jsonl"
    rec = Recorder(json_response(201, BAD))
    client = make_async_client(
        rec, base_url=BASE_URL + "/api/", on_schema_mismatch=MismatchRecorder(path)
    )
    run(client.request("POST", "/v1/suppliers/", json={"name": "x"}, cast_to=Supplier))
    assert rec.last.url.path == "/api/v1/suppliers/"
    assert _lines(path)[0]["path"] == "/v1/suppliers/"
    assert _lines(path)[0]["status"] == 201


def test_a_file_that_cannot_be_written_is_logged_once_and_calls_go_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    recorder = MismatchRecorder(tmp_path / "missing-folder" / "answers.jsonl")
    client = make_client(Recorder(json_response(200, BAD)), on_schema_mismatch=recorder)
    caplog.set_level(logging.WARNING)
    for _ in range(2):
        supplier = client.request("GET", "/v1/suppliers/x/", cast_to=Supplier)
        assert supplier.name == 7  # type: ignore[comparison-overlap]
    cannot = [r for r in caplog.records if "cannot record" in r.getMessage()]
    assert len(cannot) == 1
