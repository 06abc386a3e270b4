"""`check`: drift found and named, with a diff; the manifest's fast answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import pipeline
from generator import write as writer

from .conftest import load_yaml, run_cli


def test_generate_then_check_is_clean(mini_spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "generated"
    result = run_cli("generate", "--spec", str(mini_spec), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert (out / "cofactr_platform" / "models.py").is_file()
    assert (out / "cofactr_platform_stub" / "openapi.json").is_file()
    check = run_cli("check", "--spec", str(mini_spec), "--out", str(out))
    assert check.returncode == 0, check.stdout + check.stderr
    assert "up to date" in check.stdout


@pytest.mark.parametrize("damage", ["edit", "delete", "stray"])
def test_check_names_every_drifted_file(mini_spec: Path, tmp_path: Path, damage: str) -> None:
    out = tmp_path / "generated"
    pipeline.generate(mini_spec, out)
    target = out / "cofactr_platform" / "_client.py"
    if damage == "edit":
        target.write_text(target.read_text() + "# hand edit\n")
        label = "changed"
    elif damage == "delete":
        target.unlink()
        label = "missing"
    else:
        target = out / "cofactr_platform" / "notes.py"
        target.write_text("x = 1\n")
        label = "stray"
    result = run_cli("check", "--spec", str(mini_spec), "--out", str(out))
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{label}: {target}" in result.stdout
    if damage == "edit":
        assert "-# hand edit" in result.stdout  # the unified diff shows the change


def test_check_of_a_directory_without_the_manifest_reads_only_what_the_spec_produces(
    mini_spec: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`check --out ~` by mistake: the directory is not ours (no manifest), so what the spec
    does not produce is named as stray without being read into memory; a file of a name the
    spec produces is still compared, with a diff."""
    out = tmp_path / "generated"
    pipeline.generate(mini_spec, out)
    (out / ".codegen-manifest.json").unlink()
    client = out / "cofactr_platform" / "_client.py"
    client.write_text(client.read_text() + "# hand edit\n")
    for index in range(3):
        (out / "someone-elses" / str(index)).mkdir(parents=True)
        (out / "someone-elses" / str(index) / "data.bin").write_bytes(b"x" * 1000)
    read: list[str] = []
    read_bytes = Path.read_bytes

    def recording(path: Path) -> bytes:
        read.append(path.as_posix())
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", recording)
    result = pipeline.check(mini_spec, out)
    assert not [path for path in read if "someone-elses" in path]
    assert [path for path in read if path.endswith("cofactr_platform/_client.py")]
    assert result.changed == ("cofactr_platform/_client.py",)
    assert result.missing == (".codegen-manifest.json",)
    assert result.stray == tuple(f"someone-elses/{i}/data.bin" for i in range(3))
    assert "-# hand edit" in result.diff


def test_check_shows_a_diff_when_the_spec_changes(mini_spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "generated"
    pipeline.generate(mini_spec, out)
    text = mini_spec.read_text().replace(
        "operationId: list_pets", "operationId: list_pets\n      summary: List every pet"
    )
    mini_spec.write_text(text)
    result = run_cli("check", "--spec", str(mini_spec), "--out", str(out))
    assert result.returncode == 1
    assert '+        """List every pet' in result.stdout
    assert "changed: " in result.stdout and "resources/pets.py" in result.stdout


def test_check_says_plainly_when_the_generator_changed(mini_spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "generated"
    pipeline.generate(mini_spec, out)
    manifest = out / writer.MANIFEST_NAME
    text = manifest.read_text()
    import json as _json

    data = _json.loads(text)
    data["inputs"]["dependencies"] = data["inputs"]["dependencies"].replace("ruff==", "ruff==0.")
    data["inputs"]["generator_sha256"] = "0" * 64
    manifest.write_text(_json.dumps(data, indent=2, sort_keys=True) + "\n")
    result = run_cli("check", "--spec", str(mini_spec), "--out", str(out))
    assert result.returncode == 1
    assert "note: the generator's code changed since the output was made" in result.stdout
    notes = [line for line in result.stdout.splitlines() if "pinned dependencies" in line]
    assert len(notes) == 1
    assert notes[0].startswith(
        "note: the generator's pinned dependencies changed since the output was made: "
    )
    assert "ruff==0.0." in notes[0].split(" -> ")[0]


def test_pre_commit_hook_runs_the_check_command() -> None:
    hooks = load_yaml(
        (Path(__file__).resolve().parent.parent / ".pre-commit-hooks.yaml").read_text()
    )
    assert hooks[0]["entry"] == "cofactr-codegen check"
    assert hooks[0]["pass_filenames"] is False
