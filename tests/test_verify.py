"""`verify` against the truth server (tests/verify_truth.py): it finds every difference the
server was built with and nothing else; the overlay it writes, applied, makes a second run
confirm every operation it tries; the client regenerated with it round-trips."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from generator import pipeline
from generator.cli import main

from .conftest import FIXTURES, ROOT, run_cli
from .verify_truth import KEY, Truth, running

SPEC = FIXTURES / "verify" / "spec.yaml"
DATE = "2026-01-02"


@pytest.fixture
def truth() -> Iterator[Truth]:
    with running() as server:
        yield server


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI in this process (as `run_cli` gives it, without a process's start-up)."""
    out, err = io.StringIO(), io.StringIO()
    with (
        mock.patch.dict(os.environ, env or {}),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        code = main(list(args))
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())


def _verify(
    truth: Truth,
    *flags: str,
    key: str = KEY,
    cli: Callable[..., subprocess.CompletedProcess[str]] = _cli,
) -> subprocess.CompletedProcess[str]:
    return cli(
        "verify",
        "--base-url",
        truth.url,
        "--spec",
        str(SPEC),
        "--rate",
        "0",
        *flags,
        env={"COFACTR_API_KEY": key},
    )


def _report(path: Path) -> dict[str, Any]:
    return {op["operation_id"]: op for op in json.loads(path.read_text())["operations"]}


def _differences(op: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {(d["kind"], d["pointer"], json.dumps(d["observed"])) for d in op["differences"]}


BOM_DIFFERENCES = {
    ("missing-field", "/line_count", "null"),
    ("unknown-field", "/lines_count", '"integer"'),
    ("unknown-field", "/created_by", '"string"'),
    ("wrong-type", "/quantity", '"string"'),
    ("unexpected-null", "/notes", "null"),
}


def test_verify_finds_every_difference_and_nothing_else(truth: Truth, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    result = _verify(truth, "--report", str(report))
    assert result.returncode == 1, result.stdout + result.stderr
    ops = _report(report)
    assert {name: (op["verdict"], op["status"]) for name, op in ops.items()} == {
        "list_boms": ("mismatch", 200),
        "get_bom": ("mismatch", 200),
        "list_suppliers": ("absent", 404),  # the API has it at /v1/vendors/
        "list_programs": ("absent", 404),  # the API has none
        "list_reports": ("mismatch", 403),
        "create_bom": ("not-tried", None),
        "update_bom": ("not-tried", None),
        "delete_bom": ("not-tried", None),
    }
    assert _differences(ops["list_boms"]) == {
        (kind, "/results/0" + where, observed) for kind, where, observed in BOM_DIFFERENCES
    } | {("new-enum-value", "/results/1/status", '"archived"')}
    assert _differences(ops["get_bom"]) == BOM_DIFFERENCES
    (status,) = ops["list_reports"]["differences"]
    assert (status["kind"], status["expected"], status["observed"]) == (
        "undeclared-status",
        ["200"],
        403,
    )
    wrong = next(d for d in ops["get_bom"]["differences"] if d["kind"] == "wrong-type")
    assert (wrong["expected"], wrong["schema"]) == (
        "integer",
        "/components/schemas/Bom/properties/quantity",
    )
    assert "read-only" in ops["create_bom"]["reason"]
    # Read-only, the 429's Retry-After waited out and asked again, the item GET with the id
    # the list returned; the key sent and never shown.
    assert [(m, p) for m, p, _ in truth.requests] == [
        ("GET", "/v1/boms/"),
        ("GET", "/v1/boms/"),
        ("GET", "/v1/programs/"),
        ("GET", "/v1/reports/"),
        ("GET", "/v1/suppliers/"),
        ("GET", "/v1/boms/b1/"),
    ]
    assert {auth for _, _, auth in truth.requests} == {f"Api-Key {KEY}"}
    assert KEY not in result.stdout + result.stderr + report.read_text()
    assert "| `get_bom` | GET | `/v1/boms/{bom_id}/` | mismatch | 200 |" in result.stdout


def test_the_written_overlay_makes_a_second_verify_confirm_what_it_tries(
    truth: Truth, tmp_path: Path
) -> None:
    fix, again = tmp_path / "fix.yaml", tmp_path / "fix-again.yaml"
    assert _verify(truth, "--write-overlay", str(fix), "--date", DATE).returncode == 1
    assert _verify(truth, "--write-overlay", str(again), "--date", DATE).returncode == 1
    assert fix.read_bytes() == again.read_bytes()  # deterministic
    text = fix.read_text()
    assert "x-provenance-source: VERIFY" in text
    assert f"x-provenance-date: '{DATE}'" in text
    assert "remove: true" in text  # line_count is no longer required; nothing else removed
    assert text.count("remove: true") == 1

    report = tmp_path / "second.json"
    second = _verify(truth, "--overlay", str(fix), "--report", str(report))
    assert second.returncode == 0, second.stdout + second.stderr
    ops = _report(report)
    assert {name: op["verdict"] for name, op in ops.items()} == {
        "list_boms": "confirmed",
        "get_bom": "confirmed",
        "list_reports": "confirmed",
        "list_suppliers": "not-tried",  # deprecated by the overlay, with a note
        "list_programs": "not-tried",
        "create_bom": "not-tried",
        "update_bom": "not-tried",
        "delete_bom": "not-tried",
    }
    assert "earlier verify found it absent" in ops["list_programs"]["reason"]

    diff = run_cli("diff", str(SPEC), str(SPEC), "--overlay", str(fix))
    assert diff.returncode == 0, diff.stderr
    assert "`lines_count`" in diff.stdout
    assert "list_programs" in diff.stdout


_ROUND_TRIP = """
import sys
from truth_api import TruthClient
with TruthClient(api_key=sys.argv[2], base_url=sys.argv[1], max_retries=3) as client:
    boms = list(client.boms.list_boms())
    bom = client.boms.get_bom("b1")
print(len(boms), bom.id, bom.lines_count, bom.quantity, bom.notes, boms[1].status)
"""


@pytest.mark.slow
def test_the_client_regenerated_with_the_overlay_round_trips(truth: Truth, tmp_path: Path) -> None:
    fix = tmp_path / "fix.yaml"
    assert _verify(truth, "--write-overlay", str(fix), "--date", DATE).returncode == 1
    script = tmp_path / "round_trip.py"
    script.write_text(_ROUND_TRIP)

    def round_trip(out: Path) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PYTHONPATH": str(out)}
        return subprocess.run(
            [sys.executable, str(script), truth.url, KEY],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            cwd=ROOT,
        )

    before = tmp_path / "before"
    pipeline.generate(SPEC, before, package_name="truth_api")
    failed = round_trip(before)
    # the strict client refuses what the API really sends
    assert failed.returncode != 0 and "ResponseValidationError" in failed.stderr, failed.stderr
    after = tmp_path / "after"
    pipeline.generate(SPEC, after, package_name="truth_api", overlays=(fix,))
    done = round_trip(after)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["2", "b1", "3", "12", "None", "archived"]


def test_a_401_stops_verify_with_one_line(truth: Truth, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    result = _verify(truth, "--report", str(report), key="wrong-key-123", cli=run_cli)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "cofactr-codegen: verify: the API answered 401 Unauthorized; check COFACTR_API_KEY; "
        "stopped after 1 request(s)"
    ]
    assert "wrong-key-123" not in result.stdout + result.stderr
    assert len(truth.requests) == 1
    assert not report.exists()


def test_max_requests_bounds_the_walk(truth: Truth, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    result = _verify(truth, "--report", str(report), "--max-requests", "3")
    assert result.returncode == 1
    assert len(truth.requests) == 3
    ops = _report(report)
    assert ops["list_suppliers"]["verdict"] == "not-tried"
    assert ops["list_suppliers"]["reason"] == "--max-requests 3 reached"


@pytest.mark.parametrize(
    ("flags", "env", "words"),
    [
        ((), {"COFACTR_API_KEY": ""}, "set COFACTR_API_KEY"),
        (("--base-url", "ftp://x"), {"COFACTR_API_KEY": KEY}, "--base-url must be an http"),
        (("--overlay", "missing.yaml"), {"COFACTR_API_KEY": KEY}, "cannot read overlay"),
    ],
)
def test_bad_input_exits_2(
    truth: Truth, flags: tuple[str, ...], env: dict[str, str], words: str
) -> None:
    result = _cli("verify", "--base-url", truth.url, "--spec", str(SPEC), *flags, env=env)
    assert result.returncode == 2, result.stdout + result.stderr
    assert words in result.stderr
    assert truth.requests == []


def _records(path: Path) -> Path:
    """What a client would have recorded of the truth server's answers."""
    from .verify_truth import BOMS

    answers = [
        ("list_boms", 200, {"count": 2, "next": None, "previous": None, "results": BOMS}),
        ("get_bom", 200, BOMS[0]),
        ("list_suppliers", 404, {"detail": "Not found."}),
        ("list_programs", 404, {"detail": "Not found."}),
        ("list_reports", 403, {"detail": "Reporting is not enabled for this org."}),
    ]
    path.write_text(
        "".join(
            json.dumps({"operation_id": o, "status": s, "body": b}) + "\n" for o, s, b in answers
        )
    )
    return path


def test_from_records_gives_the_same_report_and_overlay_without_calling(
    truth: Truth, tmp_path: Path
) -> None:
    live_report, live_fix = tmp_path / "live.json", tmp_path / "live.yaml"
    flags = ("--date", DATE)
    _verify(truth, "--report", str(live_report), "--write-overlay", str(live_fix), *flags)
    report, fix = tmp_path / "records.json", tmp_path / "records.yaml"
    records = _records(tmp_path / "records.jsonl")
    result = _cli(
        "verify",
        "--from-records",
        str(records),
        "--spec",
        str(SPEC),
        "--report",
        str(report),
        "--write-overlay",
        str(fix),
        *flags,
        env={"COFACTR_API_KEY": ""},
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert fix.read_bytes() == live_fix.read_bytes()
    live, recorded = _report(live_report), _report(report)
    assert recorded["create_bom"]["reason"] == "no record of an answer"
    for write in ("create_bom", "update_bom", "delete_bom"):
        del live[write], recorded[write]
    assert recorded == live


_RECORDING = """
import sys
from truth_api import MismatchRecorder, TruthClient
from truth_api._runtime._errors import ResponseValidationError
recorder = MismatchRecorder(sys.argv[3])
with TruthClient(
    api_key=sys.argv[2], base_url=sys.argv[1], max_retries=3, on_schema_mismatch=recorder
) as client:
    for call in (lambda: list(client.boms.list_boms()), lambda: client.boms.get_bom("b1")):
        try:
            call()
        except ResponseValidationError:
            print("refused")
"""


@pytest.mark.slow
def test_what_the_generated_client_records_gives_the_live_verdicts(
    truth: Truth, tmp_path: Path
) -> None:
    """The loop without calling the API again: the strict client meets the truth server's
    answers in "production", records them, and `--from-records` judges them as verify did."""
    live = tmp_path / "live.json"
    assert _verify(truth, "--report", str(live)).returncode == 1
    out = tmp_path / "out"
    pipeline.generate(SPEC, out, package_name="truth_api")
    script, records = tmp_path / "use.py", tmp_path / "answers.jsonl"
    script.write_text(_RECORDING)
    used = subprocess.run(
        [sys.executable, str(script), truth.url, KEY, str(records)],
        env={**os.environ, "PYTHONPATH": str(out)},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert used.stdout.split() == ["refused", "refused"], used.stderr
    assert KEY not in records.read_text()
    report = tmp_path / "recorded.json"
    result = _cli(
        "verify", "--from-records", str(records), "--spec", str(SPEC), "--report", str(report)
    )
    assert result.returncode == 1, result.stdout + result.stderr
    recorded = _report(report)
    for name in ("list_boms", "get_bom"):
        assert recorded[name] == _report(live)[name]
    assert recorded["list_programs"]["reason"] == "no record of an answer"


def test_records_name_operations_by_method_and_path(tmp_path: Path) -> None:
    records = tmp_path / "records.jsonl"
    lines = [
        {"method": "get", "path": "/v1/boms/b%201/", "status": 200, "body": {}},
        {"method": "GET", "path": "/v1/boms/?limit=5", "status": 200, "body": {}},
    ]
    records.write_text("".join(json.dumps(line) + "\n" for line in lines))
    report = tmp_path / "report.json"
    result = _cli(
        "verify", "--from-records", str(records), "--spec", str(SPEC), "--report", str(report)
    )
    assert result.returncode == 1, result.stdout + result.stderr
    ops = _report(report)
    assert (ops["get_bom"]["verdict"], ops["list_boms"]["verdict"]) == ("mismatch", "mismatch")
    records.write_text(json.dumps({"method": "GET", "path": "/v2/nope/", "status": 200, "body": 1}))
    result = _cli("verify", "--from-records", str(records), "--spec", str(SPEC))
    assert result.returncode == 2
    assert f"{records}:1: error at /path: the spec has no operation for GET /v2/nope/" in (
        result.stderr
    )


def test_a_bad_record_is_located(tmp_path: Path) -> None:
    records = _records(tmp_path / "records.jsonl")
    records.write_text(records.read_text() + '{"operation_id": "nope", "status": 200, "body": 1}\n')
    result = _cli("verify", "--from-records", str(records), "--spec", str(SPEC))
    assert result.returncode == 2
    assert f"{records}:6: error at /operation_id: the spec has no operation 'nope'" in result.stderr


def test_allow_writes_walks_create_get_update_delete_and_cleans_up(
    truth: Truth, tmp_path: Path
) -> None:
    report = tmp_path / "report.json"
    result = _verify(truth, "--allow-writes", "--report", str(report))
    assert result.returncode == 1, result.stdout + result.stderr
    writes = [(m, p) for m, p, _ in truth.requests if (m, p) != ("GET", "/v1/boms/")][4:]
    assert writes == [
        ("POST", "/v1/boms/"),
        ("GET", "/v1/boms/b3/"),
        ("PATCH", "/v1/boms/b3/"),
        ("DELETE", "/v1/boms/b3/"),
    ]
    assert [bom["id"] for bom in truth.boms] == ["b1", "b2"]  # what it made, it removed
    ops = _report(report)
    assert (ops["create_bom"]["verdict"], ops["create_bom"]["status"]) == ("mismatch", 201)
    assert ops["create_bom"]["reason"] == ""
    assert {d["kind"] for d in ops["create_bom"]["differences"]} == {
        "missing-field",
        "unknown-field",
        "wrong-type",
        "unexpected-null",
    }
    assert (ops["update_bom"]["verdict"], ops["update_bom"]["status"]) == ("mismatch", 200)
    assert (ops["delete_bom"]["verdict"], ops["delete_bom"]["status"]) == ("confirmed", 204)
