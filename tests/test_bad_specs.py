"""Bad input, each case its own file in tests/fixtures/bad_specs/: exit 2, a message naming the
file, the line and the JSON pointer where known, no traceback, and nothing written.

Each case carries its expectation: a YAML file starts with comment lines

    # <what the case is>
    # expect: <a substring of the message>      (one or more)
    # pointer: <the JSON pointer reported>      (may be empty)
    # line: <the line reported>                 (may be empty)
    # strict: true                              (a WARNING: exit 2 only with --strict)

and a file that cannot hold comments (JSON, binary, UTF-16, empty) has a sidecar
`<name>.expect.json` with the same keys. Files starting with `_` are helpers (the target of a
multi-file `$ref`), not cases.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from generator import pipeline

from .conftest import FIXTURES, run_cli

BAD_SPECS = FIXTURES / "bad_specs"
SIDECAR = ".expect.json"


def _cases() -> list[Path]:
    return sorted(
        p
        for p in BAD_SPECS.iterdir()
        if p.is_file() and not p.name.startswith("_") and not p.name.endswith(SIDECAR)
    )


def expectation(spec: Path) -> dict[str, Any]:
    """The case's expected message parts: {"expect": [...], "pointer": str, "line": int|None}."""
    sidecar = spec.with_name(spec.name + SIDECAR)
    if sidecar.exists():
        meta = json.loads(sidecar.read_text())
        return {
            "expect": list(meta["expect"]),
            "pointer": meta.get("pointer", ""),
            "line": meta.get("line"),
            "what": meta.get("what", ""),
            "strict": bool(meta.get("strict")),
        }
    text = spec.read_bytes().decode("utf-8", "replace").removeprefix("\ufeff")
    result: dict[str, Any] = {
        "expect": [],
        "pointer": "",
        "line": None,
        "what": "",
        "strict": False,
    }
    for index, line in enumerate(text.splitlines()):
        if not line.startswith("#"):
            break
        key, _, value = line[1:].strip().partition(":")
        value = value.strip()
        if index == 0:
            result["what"] = line[1:].strip()
        elif key == "expect" and value:
            result["expect"].append(value)
        elif key == "pointer":
            result["pointer"] = value
        elif key == "line" and value:
            result["line"] = int(value)
        elif key == "strict":
            result["strict"] = value == "true"
    return result


def _snapshot(directory: Path) -> dict[str, str]:
    """Every file and directory under `directory`, files by content hash."""
    return {
        p.relative_to(directory).as_posix(): (
            hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "<dir>"
        )
        for p in sorted(directory.rglob("*"))
    }


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An output tree generated once from the good fixture spec."""
    out = tmp_path_factory.mktemp("pristine") / "generated"
    pipeline.generate(FIXTURES / "specs" / "mini.yaml", out)
    return out


def test_the_corpus_is_complete() -> None:
    cases = _cases()
    assert len(cases) >= 30, [c.name for c in cases]
    for case in cases:
        expected = expectation(case)
        assert expected["expect"], f"{case.name} states no expected message"
        assert expected["what"], f"{case.name} does not say what it is"
    for sidecar in BAD_SPECS.glob(f"*{SIDECAR}"):
        assert sidecar.with_name(sidecar.name.removesuffix(SIDECAR)).is_file(), sidecar.name


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.name)
def test_bad_spec_exits_2_with_a_located_message_and_writes_nothing(
    case: Path, pristine: Path, tmp_path: Path
) -> None:
    out = tmp_path / "generated"
    shutil.copytree(pristine, out)
    spec_dir = tmp_path / "spec"
    spec_dir.mkdir()
    for helper in BAD_SPECS.glob("_*"):
        shutil.copyfile(helper, spec_dir / helper.name)
    spec = spec_dir / case.name
    shutil.copyfile(case, spec)
    before = _snapshot(tmp_path)
    expected = expectation(case)

    strict = ["--strict"] if expected["strict"] else []
    for command in ("generate", "check"):
        result = run_cli(command, "--spec", str(spec), "--out", str(out), *strict)
        stderr = result.stderr
        output = stderr + result.stdout
        assert result.returncode == 2, f"{command}: exit {result.returncode}\n{output}"
        assert "Traceback" not in stderr, stderr
        for part in expected["expect"]:
            assert part in stderr, f"{command}: {part!r} not in:\n{stderr}"
        # One diagnostic names the file, the line and the pointer together.
        location = f"spec/{case.name}"
        if expected["line"] is not None:
            location += f":{expected['line']}"
        location += ": warning" if expected["strict"] else ": error"
        if expected["pointer"]:
            location += f" at {expected['pointer']}: "
        assert location in stderr, f"{command}: {location!r} not in:\n{stderr}"
        # Nothing written: the output tree, the spec and their parent are as they were.
        assert _snapshot(tmp_path) == before, command


def test_an_unforeseen_failure_is_a_message_not_a_traceback(
    pristine: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Whatever a later stage raises on input no check foresaw, the CLI exits 2 with a message
    naming the spec, and writes nothing."""
    from generator import cli

    out = tmp_path / "generated"
    shutil.copytree(pristine, out)
    models = out / "cofactr_platform" / "models.py"
    models.write_text(models.read_text() + "# edited\n")  # so `check` cannot take its fast path
    before = _snapshot(tmp_path)

    def explode(*args: object, **kwargs: object) -> dict[str, bytes]:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(pipeline, "build_tree", explode)
    spec = FIXTURES / "specs" / "mini.yaml"
    for command in ("generate", "check"):
        assert cli.main([command, "--spec", str(spec), "--out", str(out)]) == 2
        stderr = capsys.readouterr().err
        assert f"{spec}: error: cannot generate from this spec: RecursionError" in stderr
        assert "nothing written" in stderr and "Traceback" not in stderr
        assert _snapshot(tmp_path) == before


@pytest.mark.parametrize(
    "case", [c for c in _cases() if expectation(c)["strict"]], ids=lambda p: p.name
)
def test_a_warning_case_generates_without_strict_and_says_so_once(
    case: Path, tmp_path: Path
) -> None:
    """The known deviations (issue 17) are WARNINGS: without --strict the document generates
    (exit 0), and the warning is printed once, located, saying what the client does instead."""
    out = tmp_path / "generated"
    spec = tmp_path / case.name
    shutil.copyfile(case, spec)
    expected = expectation(case)
    result = run_cli("generate", "--spec", str(spec), "--out", str(out))
    assert result.returncode == 0, result.stderr
    location = f"{case.name}:{expected['line']}: warning at {expected['pointer']}: "
    lines = [line for line in result.stderr.splitlines() if line.startswith(location)]
    assert len(lines) == 1, result.stderr
    for part in expected["expect"]:
        assert part in lines[0], (part, lines[0])
    assert "--strict makes warnings fatal" in result.stderr
    assert (out / "cofactr_platform" / "models.py").is_file()
