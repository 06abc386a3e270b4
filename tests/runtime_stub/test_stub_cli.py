"""The stub's command line refuses what cannot work with one line and exit code 2, before
starting anything: a port out of range, a limit that is not positive, an unknown log level, a
spec or state database it cannot use. (Starting and serving: test_stub_process.py.)"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path
from typing import Any

import pytest

from .fixture_spec import fixture_spec
from .runtime import PACKAGE, RUNTIME


@pytest.fixture(autouse=True)
def no_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """A command line these tests refuse must not get as far as serving (which would not
    return): the server fails the test instead."""
    cli = importlib.import_module(PACKAGE + "._runtime.cli")

    def run(self: Any, *args: Any, **kwargs: Any) -> None:
        pytest.fail("the stub started a server")

    monkeypatch.setattr(cli._AnnouncingServer, "run", run)


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (["--port", "99999"], "argument --port: '99999' is not a port (0 to 65535)"),
        (["--port", "eighty"], "argument --port: 'eighty' is not an integer"),
        (["--max-body-bytes", "-5"], "argument --max-body-bytes: '-5' is not a positive integer"),
        (["--max-body-bytes", "0"], "argument --max-body-bytes: '0' is not a positive integer"),
        (["--rate-limit", "-1"], "argument --rate-limit: '-1' is not a positive number"),
        (["--rate-limit", "nan"], "argument --rate-limit: 'nan' is not a positive number"),
        (["--rate-limit", "inf"], "argument --rate-limit: 'inf' is not a positive number"),
        (["--log-level", "loud"], "argument --log-level: invalid choice: 'loud'"),
    ],
)
def test_a_bad_value_is_refused_in_one_line(
    arguments: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        RUNTIME.main(["--api-key", "k", *arguments], spec=fixture_spec())
    assert exited.value.code == 2
    error = capsys.readouterr().err
    assert says in error and "Traceback" not in error
    # named as it is run: `python -m <stub package>`, not `__main__.py`
    assert error.splitlines()[0].startswith("usage: python -m acme_stub ")


def test_a_spec_it_cannot_read_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing, broken, listed = (
        tmp_path / "missing.json",
        tmp_path / "broken.json",
        tmp_path / "list.json",
    )
    broken.write_text("{not json", encoding="utf-8")
    listed.write_text("[]", encoding="utf-8")
    for path, says in (
        (missing, f"error: cannot read --spec {missing}: No such file or directory"),
        (broken, f"error: --spec {broken} is not a JSON document"),
        (listed, f"error: --spec {listed} is not an OpenAPI document"),
    ):
        assert RUNTIME.main(["--api-key", "k", "--spec", str(path)]) == 2
        error = capsys.readouterr().err
        assert error.startswith(says) and error.count("\n") == 1, error


def test_a_state_database_it_cannot_open_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "no such directory" / "state.sqlite"
    assert RUNTIME.main(["--api-key", "k", "--db", str(db)], spec=fixture_spec()) == 2
    error = capsys.readouterr().err
    assert error == f"error: cannot use the state database {db}: unable to open database file\n"
    assert not db.parent.exists()  # nothing made on the way


def test_credential_query_values_are_redacted_in_log_records() -> None:
    """What the access log filter does to uvicorn's records (test_stub_process.py runs it in
    a real server): query values of credential names, and of the spec's API-key schemes."""
    redaction = importlib.import_module(PACKAGE + "._runtime.redaction")
    spec = {
        "components": {"securitySchemes": {"q": {"type": "apiKey", "in": "query", "name": "sig"}}}
    }
    names = redaction.secret_params(spec, "X-Token")
    assert {"sig", "x-token", "api_key", "token"} <= names
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5", "GET", "/a/?sig=1&X-Token=2&keep=3&sig", "1.1", 200),
        None,
    )
    scope = {"type": "http", "query_string": b"api_key=4&page=2"}
    trace = logging.LogRecord(
        "uvicorn.asgi", 5, __file__, 1, "%s [%d] Started scope=%s", ("ASGI", 1, scope), None
    )
    for item in (record, trace):
        assert redaction.RedactSecrets(names).filter(item)
    assert record.getMessage() == (
        '127.0.0.1:5 - "GET /a/?sig=[redacted]&X-Token=[redacted]&keep=3&sig HTTP/1.1" 200'
    )
    assert "b'api_key=[redacted]&page=2'" in trace.getMessage()
    assert scope["query_string"] == b"api_key=4&page=2"  # uvicorn's own scope is left alone
