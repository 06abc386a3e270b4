"""The command line: exit codes, one-line errors and warnings, Ctrl-C anywhere."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator import pipeline

from .conftest import run_cli, snapshot


def test_bad_spec_exits_2_with_location_and_writes_nothing(mini_spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "generated"
    pipeline.generate(mini_spec, out)
    before = snapshot(out)
    text = mini_spec.read_text().replace(
        "$ref: '#/components/schemas/User'", "$ref: '#/components/schemas/Nobody'"
    )
    mini_spec.write_text(text)
    result = run_cli("generate", "--spec", str(mini_spec), "--out", str(out))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "mini.yaml:" in result.stderr and "#/components/schemas/Nobody" in result.stderr
    assert "/components/schemas/Pet/properties/owner/$ref" in result.stderr
    assert snapshot(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["generated", "spec"]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("class", "is a Python keyword"),
        ("platform", "would shadow the standard library's module 'platform'"),
        ("json", "would shadow the standard library's module 'json'"),
        ("pydantic", "would shadow the 'pydantic' package the generated code imports"),
        ("Cofactr", "is not a valid lower-case package name"),
    ],
)
def test_a_package_name_that_cannot_work_is_refused(
    mini_spec: Path, tmp_path: Path, name: str, reason: str
) -> None:
    """`--package-name platform` would generate a package that hides the standard library's
    `platform` from everything on its path; `class` cannot be imported at all."""
    out = tmp_path / "generated"
    result = run_cli(
        "generate", "--spec", str(mini_spec), "--out", str(out), "--package-name", name
    )
    assert result.returncode == 2
    assert f"{name!r} {reason}" in result.stderr, result.stderr
    assert not out.exists()
    with pytest.raises(ValueError, match=reason):
        pipeline.generate(mini_spec, out, package_name=name)


def test_unreadable_spec_exits_2(tmp_path: Path) -> None:
    result = run_cli(
        "check", "--spec", str(tmp_path / "missing.yaml"), "--out", str(tmp_path / "out")
    )
    assert result.returncode == 2
    assert "missing.yaml" in result.stderr and "cannot read spec" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_model_generator_warning_is_one_line_about_the_spec(
    mini_spec: Path, tmp_path: Path
) -> None:
    """datamodel-code-generator warns about what pydantic cannot take; users see one line
    naming the spec, not a Python warning with a path into the venv and a source line. (A
    format it does not know is our own located warning: test_warnings.py.)"""
    text = mini_spec.read_text()
    marker = "\n  schemas:\n"
    assert marker in text
    mini_spec.write_text(
        text.replace(
            marker,
            marker + "    Window:\n      type: object\n      properties:\n"
            "        opens: {type: string, format: date-time, minLength: 1}\n"
            "        href: {type: string, format: url}\n",
            1,
        )
    )
    result = run_cli("generate", "--spec", str(mini_spec), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    library = [line for line in lines if line.startswith(f"{mini_spec}: warning: ")]
    assert len(library) == 1 and "min_length" in library[0] and "Window.opens" in library[0]
    ours = "warning at /components/schemas/Window/properties/href: format 'url' is not one"
    assert sum(ours in line for line in lines) == 1, result.stderr
    assert all("not understood" not in line for line in lines), result.stderr


_CTRL_C_AT = """
import argparse, builtins, runpy, signal, sys

class PanicException(BaseException):  # what a Rust extension (pyo3) may make of a Ctrl-C
    pass

def ctrl_c(panic=False):
    try:
        signal.raise_signal(signal.SIGINT)  # raises KeyboardInterrupt here, as a real one would
    except KeyboardInterrupt as exc:
        if panic:
            raise PanicException("failed to import the stdlib decimal module") from exc
        raise

where, argv = sys.argv[1], sys.argv[2:]
if where in ("import", "import-panic"):  # the pipeline's first third-party import
    real_import = builtins.__import__

    def interrupted_import(name, *args, **kwargs):
        if name == "yaml":
            ctrl_c(panic=where == "import-panic")
        return real_import(name, *args, **kwargs)

    builtins.__import__ = interrupted_import
elif where == "arguments":  # while the arguments are read
    def interrupted_parse(self, *args, **kwargs):
        ctrl_c()

    argparse.ArgumentParser.parse_args = interrupted_parse
elif where == "format":  # a plain Ctrl-C in a late stage, while the formatter works
    import generator.format

    def format_interrupted(*args, **kwargs):
        ctrl_c()

    generator.format.format_files = format_interrupted
else:  # once `generate` has begun
    import generator.pipeline

    class Finalised:
        def __del__(self):
            ctrl_c()

    real_load_spec = generator.pipeline.load_spec

    def load_spec_interrupted(*args, **kwargs):
        if where == "finaliser":  # where Python cannot raise it ("Exception ignored in ..."),
            Finalised()  # as when a Ctrl-C lands in importlib's weakref callback
        else:
            ctrl_c(panic=True)
        return real_load_spec(*args, **kwargs)

    generator.pipeline.load_spec = load_spec_interrupted
sys.argv = ["generator", *argv]
runpy.run_module("generator", run_name="__main__", alter_sys=True)
"""


@pytest.mark.parametrize(
    "where", ["import", "import-panic", "arguments", "finaliser", "panic-in-a-stage", "format"]
)
def test_a_ctrl_c_anywhere_is_one_line_and_nothing_written(
    where: str, mini_spec: Path, tmp_path: Path
) -> None:
    """The CLI's imports take a good part of a small run (more on a slow machine): a Ctrl-C
    while they load, or while the arguments are read, ends it like one later on, with exit 130
    and one line, not a traceback. So does one that lands in a finaliser, where Python would
    print it and carry on (the run stops before it writes), and one that an extension turns
    into an error of its own (jsonschema_rs panics when a Ctrl-C lands in its import). The
    SIGINT is raised where a real one would land, and goes through the CLI's handler."""
    import subprocess
    import sys

    from .conftest import ROOT

    out = tmp_path / "generated"
    command = [sys.executable, "-c", _CTRL_C_AT, where, "generate"]
    command += ["--spec", str(mini_spec), "--out", str(out)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    completed = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    if where in ("finaliser", "panic-in-a-stage", "format"):  # `generate` had begun
        outcome = "the output is the old tree or the new one, never a mix"
    else:
        outcome = "nothing written"
    assert completed.stderr.splitlines() == [f"cofactr-codegen: interrupted; {outcome}"]
    assert completed.returncode == 130
    assert not out.exists()  # a swallowed interrupt is raised again before the write


def test_the_console_script_is_the_guarded_entry_point() -> None:
    """`cofactr-codegen` starts where `python -m generator` does, so it gets the same handling
    of a Ctrl-C during the imports."""
    import tomllib

    from generator import __main__ as entry

    from .conftest import ROOT

    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    module, _, function = scripts["cofactr-codegen"].partition(":")
    assert (module, function) == (entry.__name__, entry.main.__name__)
