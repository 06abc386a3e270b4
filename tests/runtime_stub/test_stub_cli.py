"""The stub's command line refuses what cannot work with one line and exit code 2, before
starting anything: a port out of range, a limit that is not positive, an unknown log level, a
spec or state database it cannot use. (Starting and serving: test_stub_process.py.)"""

from __future__ import annotations

import importlib
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

    def run(self: Any) -> None:
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
