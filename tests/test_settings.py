"""Settings in the consumer's repository: the `[tool.cofactr-codegen]` table, flags over it,
the settings a manifest records, the command headers and drift messages print, and the CLI's
basics (`--version`, help, what `generate` reports)."""

from __future__ import annotations

import argparse
import json
import re
import subprocess
from importlib import metadata
from pathlib import Path

import pytest

from generator import pipeline
from generator import write as writer
from generator.cli import _parser, main

from .conftest import FIXTURES

TABLE = """\
[project]
name = "acme-app"
version = "1.0.0"

[tool.cofactr-codegen]
spec = "api/mini.yaml"
out = "third_party/cofactr"
package-name = "acme_cofactr"
client-class = "AcmePlatform"
api-key-env = "ACME_TOKEN"
"""


def _cli(
    cwd: Path, *args: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, list[str], str]:
    """The CLI in this process, run in `cwd`: (exit code, stdout lines, stderr)."""
    monkeypatch.chdir(cwd)
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


@pytest.fixture
def consumer(tmp_path: Path) -> Path:
    """A repository of the consumer's with settings in its pyproject.toml."""
    repo = tmp_path / "repo"
    (repo / "api").mkdir(parents=True)
    (repo / "api" / "mini.yaml").write_bytes((FIXTURES / "specs" / "mini.yaml").read_bytes())
    (repo / "pyproject.toml").write_text(TABLE)
    (repo / "src" / "app").mkdir(parents=True)
    return repo


def _manifest(out: Path) -> dict[str, object]:
    data = json.loads((out / writer.MANIFEST_NAME).read_text())
    assert isinstance(data, dict)
    return data


def _header_command(path: Path) -> str:
    """The regenerate command of a generated file's header, its wrapped lines joined."""
    lines = path.read_text().splitlines()
    assert lines[1].startswith("# Change the spec and regenerate:"), lines[:3]
    command = lines[1].removeprefix("# Change the spec and regenerate:").strip()
    if not command:  # too long for one line: one flag a line below, shell continuations
        parts = []
        for line in lines[2:]:
            assert len(line) <= 100 and line.startswith("#   "), line
            parts.append(line.removeprefix("#").strip().removesuffix("\\").strip())
            if not line.endswith("\\"):
                break
        command = " ".join(parts)
    return command


def test_the_nearest_table_gives_every_setting_with_paths_relative_to_it(
    consumer: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _cli(
        consumer / "src" / "app", "generate", monkeypatch=monkeypatch, capsys=capsys
    )
    assert code == 0, err
    vendored = consumer / "third_party" / "cofactr"
    client = (vendored / "acme_cofactr" / "_client.py").read_text()
    assert "class AcmePlatform(SyncAPIClient):" in client
    assert "class AsyncAcmePlatform(AsyncAPIClient):" in client
    assert 'api_key_env_var: ClassVar[str] = "ACME_TOKEN"' in client
    assert (vendored / "acme_cofactr_stub" / "app.py").is_file()
    for path in (vendored / "acme_cofactr" / "_client.py", vendored / "pyproject.toml"):
        assert path.read_text().splitlines()[1] == (
            "# Change the spec and regenerate: cofactr-codegen generate "
            "(settings from pyproject.toml)"
        )
    manifest = _manifest(vendored)
    assert manifest["settings"] == {
        "spec": "api/mini.yaml",
        "out": "third_party/cofactr",
        "package-name": "acme_cofactr",
        "client-class": "AcmePlatform",
        "api-key-env": "ACME_TOKEN",
    }
    assert manifest["regenerate"] == "cofactr-codegen generate (settings from pyproject.toml)"
    written = len([p for p in vendored.rglob("*") if p.is_file()]) - 1  # the manifest aside
    assert out == [
        f"cofactr-codegen: 0 changed, {written} added, 0 removed in {vendored} ({written} files)"
    ]
    code, out, err = _cli(consumer, "check", monkeypatch=monkeypatch, capsys=capsys)
    assert (code, out) == (0, ["cofactr-codegen: third_party/cofactr is up to date"]), err


def test_flags_override_the_table_and_a_changed_setting_is_named_on_the_first_line(
    consumer: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _cli(
        consumer, "generate", "--package-name", "zeta_api", monkeypatch=monkeypatch, capsys=capsys
    )
    assert code == 0, err
    vendored = consumer / "third_party" / "cofactr"
    client = vendored / "zeta_api" / "_client.py"
    assert "class AcmePlatform(SyncAPIClient):" in client.read_text()  # the table's class
    assert _header_command(client) == (
        "cofactr-codegen generate --package-name zeta_api (other settings from pyproject.toml)"
    )
    code, out, err = _cli(consumer, "check", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 1, err
    assert out[0].startswith(
        "cofactr-codegen: third_party/cofactr was made with other settings (the package name "
        "was 'zeta_api', now 'acme_cofactr'): "
    ), out[0]
    assert out[0].endswith(
        "; regenerate with: cofactr-codegen generate (settings from pyproject.toml)"
    ), out[0]
    assert "stray: third_party/cofactr/zeta_api/_client.py" in out
    code, out, err = _cli(consumer, "generate", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0, err
    assert out[0] == "cofactr-codegen: note: the package name was 'zeta_api', now 'acme_cofactr'"
    assert not (vendored / "zeta_api").exists()


def test_diff_without_a_spec_compares_the_tables_spec(
    consumer: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run(["git", "init", "-q"], cwd=consumer, check=True)
    subprocess.run([*git, "add", "-A"], cwd=consumer, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "spec"], cwd=consumer, check=True)
    spec = consumer / "api" / "mini.yaml"
    spec.write_text(spec.read_text().replace("operationId: list_pets", "operationId: all_pets"))
    code, out, err = _cli(
        consumer / "src", "diff", "--base", "HEAD", monkeypatch=monkeypatch, capsys=capsys
    )
    assert code == 0, err
    assert "list_pets" in "\n".join(out)


def test_check_without_a_table_takes_what_flags_leave_open_from_the_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The output was made with flags; CI runs `check --out DIR` and forgets the others: the
    manifest supplies them, so it checks what was made, not the defaults. Paths in the command
    are relative to the repository's root (its `.git`)."""
    project = tmp_path / "project"
    (project / "specs").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    (project / "specs" / "mini.yaml").write_bytes((FIXTURES / "specs" / "mini.yaml").read_bytes())
    flags = ["--spec", "specs/mini.yaml", "--out", "vendor/api", "--package-name", "acme_cofactr"]
    code, _, err = _cli(
        project,
        "generate",
        *flags,
        "--client-class",
        "AcmeApi",
        monkeypatch=monkeypatch,
        capsys=capsys,
    )
    assert code == 0, err
    command = (
        "cofactr-codegen generate --spec specs/mini.yaml --out vendor/api "
        "--package-name acme_cofactr --client-class AcmeApi"
    )
    vendored = project / "vendor" / "api"
    assert _manifest(vendored)["regenerate"] == command
    assert _header_command(vendored / "acme_cofactr" / "models.py") == command
    code, out, err = _cli(
        project, "check", "--out", "vendor/api", monkeypatch=monkeypatch, capsys=capsys
    )
    assert (code, out) == (0, ["cofactr-codegen: vendor/api is up to date"]), err
    code, out, err = _cli(
        project / "vendor" / "api", "check", "--out", ".", monkeypatch=monkeypatch, capsys=capsys
    )
    assert (code, out) == (0, ["cofactr-codegen: . is up to date"]), err
    # A flag still wins, and what it changes is said first; the chosen class stays chosen.
    code, out, err = _cli(
        project,
        "check",
        "--out",
        "vendor/api",
        "--package-name",
        "beta_api",
        monkeypatch=monkeypatch,
        capsys=capsys,
    )
    assert code == 1, err
    # The key's variable was derived from the package name, so it follows it; the class was not.
    assert out[0].startswith(
        "cofactr-codegen: vendor/api was made with other settings (the package name was "
        "'acme_cofactr', now 'beta_api'; the API key's environment variable was 'ACME_API_KEY', "
        "now 'BETA_API_KEY'): "
    ), out[0]
    assert out[0].endswith(command.replace("acme_cofactr", "beta_api")), out[0]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('pacakge-name = "acme"', "unknown key 'pacakge-name'"),
        ('package-name = "Acme"', "package-name: the package name 'Acme' is not a valid"),
        ('client-class = "acme_client"', "client-class: the client class 'acme_client' is not"),
        ('client-class = "SyncPage"', "is a name the generated client package already uses"),
        ('api-key-env = "1KEY"', "api-key-env: the API key's environment variable '1KEY' is"),
        ("spec = 3", "spec must be a non-empty string, not 3"),
        ('spec = "a', "not valid TOML"),
    ],
)
def test_a_bad_table_is_refused_with_its_file_and_key(
    tmp_path: Path,
    table: str,
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "pyproject.toml").write_text(f"[tool.cofactr-codegen]\n{table}\n")
    code, out, err = _cli(tmp_path, "generate", monkeypatch=monkeypatch, capsys=capsys)
    assert (code, out) == (2, [])
    assert err.startswith(f"cofactr-codegen: {tmp_path / 'pyproject.toml'}: "), err
    assert message in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pyproject.toml"]


def test_generate_says_how_many_files_changed_were_added_and_removed(
    mini_spec: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out_dir = tmp_path / "generated"

    def snapshot() -> dict[str, bytes]:
        return {
            p.relative_to(out_dir).as_posix(): p.read_bytes()
            for p in out_dir.rglob("*")
            if p.is_file() and p.name != writer.MANIFEST_NAME
        }

    def run(*flags: str) -> str:
        before = snapshot() if out_dir.exists() else {}
        code, out, err = _cli(
            tmp_path,
            "generate",
            "--spec",
            "spec/mini.yaml",
            *flags,
            monkeypatch=monkeypatch,
            capsys=capsys,
        )
        assert code == 0, err
        after = snapshot()
        changed = sum(1 for p in before.keys() & after.keys() if before[p] != after[p])
        added, removed = len(after.keys() - before.keys()), len(before.keys() - after.keys())
        expected = (
            f"{changed} changed, {added} added, {removed} removed in generated ({len(after)} files)"
        )
        assert out[-1] == f"cofactr-codegen: {expected}"  # after a note per setting changed
        return expected

    assert run().startswith("0 changed, ")
    assert run().startswith("0 changed, 0 added, 0 removed")
    mini_spec.write_text(
        mini_spec.read_text().replace(
            "operationId: list_pets", "operationId: list_pets\n      summary: List every pet"
        )
    )
    changed = run()
    assert re.match(r"[1-9]\d* changed, 0 added, 0 removed", changed), changed
    renamed = run("--package-name", "other_api")
    assert re.match(r"\d+ changed, [1-9]\d* added, [1-9]\d* removed", renamed), renamed


def test_version_prints_the_installed_distributions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == f"cofactr-codegen {metadata.version('cofactr-codegen')}\n"


def test_every_command_and_flag_has_help() -> None:
    parser = _parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helped = {choice.dest: choice.help for choice in commands._choices_actions}
    assert sorted(helped) == ["check", "diff", "generate", "verify"]
    assert all(helped.values()), helped
    for name, command in [("cofactr-codegen", parser), *commands.choices.items()]:
        for action in command._actions:
            assert action.help and action.help != argparse.SUPPRESS, (name, action.dest)
    generate = commands.choices["generate"]
    flags = {option for action in generate._actions for option in action.option_strings}
    assert {"--spec", "--out", "--package-name", "--client-class", "--api-key-env"} <= flags


def test_what_tools_leave_in_the_output_is_neither_drift_nor_removed(
    mini_spec: Path, tmp_path: Path
) -> None:
    """`pip install ./generated` leaves build/ and *.egg-info; imports, mypy, ruff and pytest
    leave caches. `check` does not see them; `generate` keeps them where their directory is
    still there."""
    out = tmp_path / "generated"
    pipeline.generate(mini_spec, out)
    leftovers = {
        "build/lib/cofactr_platform/__init__.py": b"old copy",
        "dist/cofactr_platform-1.0-py3-none-any.whl": b"wheel",
        "cofactr_platform.egg-info/PKG-INFO": b"Name: cofactr-platform",
        "cofactr_platform/__pycache__/_client.cpython-311.pyc": b"\0",
        "cofactr_platform/resources/__pycache__/default.cpython-311.pyc": b"\0",
        ".mypy_cache/3.11/cache.json": b"{}",
        ".ruff_cache/CACHEDIR.TAG": b"x",
        ".pytest_cache/v/cache/lastfailed": b"{}",
    }
    for relative, data in leftovers.items():
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
        (out / relative).write_bytes(data)
    assert pipeline.check(mini_spec, out).ok
    client = out / "cofactr_platform" / "_client.py"
    client.write_text(client.read_text() + "# hand edit\n")
    result = pipeline.check(mini_spec, out)  # the slow path: every file compared
    assert (result.changed, result.missing, result.stray) == (
        ("cofactr_platform/_client.py",),
        (),
        (),
    )
    pipeline.generate(mini_spec, out)
    assert pipeline.check(mini_spec, out).ok
    for relative, data in leftovers.items():
        assert (out / relative).read_bytes() == data, relative
    # Renamed: the old package's caches go with it; the rest stays.
    pipeline.generate(mini_spec, out, package_name="other_api")
    assert not (out / "cofactr_platform").exists()
    kept = {r for r in leftovers if (out / r).is_file()}
    assert kept == {r for r in leftovers if not r.startswith("cofactr_platform/")}


def test_a_generated_package_may_not_be_named_like_a_leftover_directory(
    mini_spec: Path, tmp_path: Path
) -> None:
    with pytest.raises(ValueError, match="'build' is a directory tools leave in the output"):
        pipeline.generate(mini_spec, tmp_path / "generated", package_name="build")


def test_the_client_class_and_the_key_variable_default_to_the_package_names_first_word(
    mini_spec: Path, tmp_path: Path
) -> None:
    out = tmp_path / "generated"
    pipeline.generate(mini_spec, out, package_name="acme_cofactr")
    client = (out / "acme_cofactr" / "_client.py").read_text()
    assert "class AcmeClient(SyncAPIClient):" in client
    assert 'api_key_env_var: ClassVar[str] = "ACME_API_KEY"' in client
