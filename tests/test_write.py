"""The write stage: all-or-nothing swaps, locking, and refusing what is not ours."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import pipeline
from generator import write as writer
from generator.errors import GenerationLockedError

from .conftest import run_cli, snapshot


def test_generate_refuses_to_replace_what_it_did_not_make(mini_spec: Path, tmp_path: Path) -> None:
    """`--out` pointing at someone else's directory (`--out .` by mistake) or at a file: exit
    2, the path and the files at stake named, nothing replaced, nothing left beside it."""
    theirs = tmp_path / "theirs"
    (theirs / "src").mkdir(parents=True)
    (theirs / "notes.txt").write_text("precious")
    (theirs / "src" / "app.py").write_text("print('mine')\n")
    a_file = tmp_path / "a_file"
    a_file.write_text("also precious")
    before = snapshot(theirs)
    for out, expected in ((theirs, "notes.txt, src/app.py"), (a_file, "is not a directory")):
        result = run_cli("generate", "--spec", str(mini_spec), "--out", str(out))
        assert result.returncode == 2, result.stdout + result.stderr
        assert "Traceback" not in result.stderr
        assert str(out) in result.stderr and expected in result.stderr, result.stderr
        assert "nothing written" in result.stderr
    assert snapshot(theirs) == before
    assert a_file.read_text() == "also precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file", "spec", "theirs"]


def test_a_foreign_directory_is_not_read_and_only_its_first_files_are_listed(
    mini_spec: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--out ~` by mistake: nothing is read from the directory, and the refusal stops
    looking after six files it would lose."""
    from generator.errors import OutputDirectoryError

    theirs = tmp_path / "home"
    theirs.mkdir()
    for number in range(50):
        (theirs / f"file{number:02}.txt").write_text("mine")
    listed: list[str] = []
    files_under = writer._files_under

    def counted(directory: Path) -> Iterator[str]:
        for path in files_under(directory):
            listed.append(path)
            yield path

    monkeypatch.setattr(writer, "_files_under", counted)
    with pytest.raises(OutputDirectoryError) as caught:
        pipeline.generate(mini_spec, theirs)
    assert len(listed) == 6, listed  # the refusal's walk, and no read of the tree before it
    assert str(caught.value).count(".txt") == 5 and "and more" in str(caught.value)
    assert sorted(p.name for p in theirs.iterdir()) == [f"file{n:02}.txt" for n in range(50)]


def test_an_output_that_cannot_be_written_exits_2_with_the_reason(
    mini_spec: Path, tmp_path: Path
) -> None:
    """An operating-system error while writing (here: the output's parent is a file) is the
    output's problem, said as such, not "an unsupported construct or a generator bug"."""
    blocker = tmp_path / "a_file"
    blocker.write_text("in the way")
    out = blocker / "sub" / "generated"
    result = run_cli("generate", "--spec", str(mini_spec), "--out", str(out))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "generator bug" not in result.stderr
    assert f"cannot write {out}" in result.stderr and "Not a directory" in result.stderr
    assert blocker.read_text() == "in the way"


def test_generate_takes_back_its_own_tree_whose_manifest_was_deleted(
    mini_spec: Path, tmp_path: Path
) -> None:
    """A directory without the manifest is ours again when every file in it is one the run
    writes; with the manifest, files it no longer writes are ours to remove (`check` names
    them as stray first)."""
    out = tmp_path / "generated"
    pipeline.generate(mini_spec, out)
    fresh = snapshot(out)
    (out / writer.MANIFEST_NAME).unlink()
    result = run_cli("generate", "--spec", str(mini_spec), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert snapshot(out) == fresh
    (out / "stray.txt").write_text("left by hand")
    assert run_cli("generate", "--spec", str(mini_spec), "--out", str(out)).returncode == 0
    assert snapshot(out) == fresh


@pytest.mark.parametrize("step", ["file-written", "staged", "swapped"])
def test_interrupted_write_leaves_old_or_new_tree(
    mini_spec: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    out = tmp_path / "generated"
    pipeline.generate(mini_spec, out)
    old = snapshot(out)
    mini_spec.write_text(mini_spec.read_text().replace("title: Mini", "title: Mini Two"))
    new = pipeline.build_tree(
        pipeline.load_spec(mini_spec, display_path=pipeline.display_path(mini_spec, out)),
        pipeline.plan(mini_spec, out),
    )

    class Killed(BaseException):
        pass

    def kill_at(name: str) -> None:
        if name == step:
            raise Killed

    monkeypatch.setattr(writer, "on_step", kill_at)
    with pytest.raises(Killed):
        pipeline.generate(mini_spec, out)
    after = snapshot(out)
    assert after in (old, new)
    assert after == (new if step == "swapped" else old)
    # The staging copy is removed even when interrupted.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["generated", "spec"]


def test_leftovers_of_a_killed_run_are_recovered(mini_spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "generated"
    pipeline.generate(mini_spec, out)
    old = snapshot(out)
    # A run killed between the two renames of the fallback path: the tree sits under its old name.
    out.rename(tmp_path / ".generated.codegen-old-123-1")
    (tmp_path / ".generated.codegen-staging-123-1").mkdir()
    pipeline.generate(mini_spec, out)
    assert snapshot(out) == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["generated", "spec"]


def test_concurrent_generate_waits_then_fails_clearly(mini_spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "generated"
    fd = os.open(tmp_path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with pytest.raises(GenerationLockedError, match="another cofactr-codegen run"):
            writer.write_tree(out, {"a.txt": b"x"}, wait_seconds=0.2)
    finally:
        os.close(fd)
    assert not out.exists()


@pytest.mark.slow
def test_kill_9_at_any_moment_leaves_the_old_tree_or_the_new_one(
    mini_spec: Path, tmp_path: Path
) -> None:
    """A real SIGKILL of `generate` at each step of the write (the first, middle and last file
    staged, the whole tree staged, the swap done), and before it has done anything: the output
    is the old tree up to the swap and the new one after it, never a mix; what a killed run
    leaves beside it is hidden and removed by the next run. The process says when it stands at
    the step (tests/paused_generate.py), so no kill depends on how fast the machine is."""
    import subprocess
    import sys

    from .conftest import ROOT
    from .paused_generate import PAUSED

    out = tmp_path / "generated"
    original = mini_spec.read_text()
    variant = original.replace("title: Mini", "title: Mini Two")
    mini_spec.write_text(variant)
    pipeline.generate(mini_spec, out)
    new = snapshot(out)
    mini_spec.write_text(original)
    pipeline.generate(mini_spec, out)
    old = snapshot(out)
    assert old != new
    files = len(new)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    arguments = ["generate", "--spec", str(mini_spec), "--out", str(out)]
    kill_points: list[tuple[str | None, int, list[dict[str, bytes]]]] = [
        ("file-written", 1, [old]),
        ("file-written", files // 2, [old]),
        ("file-written", files, [old]),
        ("staged", 1, [old]),
        ("swapped", 1, [new]),
        # As soon as it exists: most likely before any line of ours has run, but a busy machine
        # may let it run on before the kill.
        (None, 0, [old, new]),
    ]
    for step, count, expected in kill_points:
        if snapshot(out) != old:
            mini_spec.write_text(original)
            pipeline.generate(mini_spec, out)
        mini_spec.write_text(variant)
        command = [sys.executable, "-m", "generator", *arguments]
        if step is not None:
            command[2:3] = ["tests.paused_generate", step, str(count), "--"]
        process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        assert process.stdout is not None
        if step is not None:
            said = process.stdout.readline().strip()  # blocks until the process stands there
            assert said == PAUSED, f"generate ended before {step} #{count}"
        process.kill()
        process.wait()
        process.stdout.close()
        assert snapshot(out) in expected, f"killed at {step} #{count}: not the tree expected"
        leftovers = [p.name for p in tmp_path.iterdir() if p.name not in ("generated", "spec")]
        assert all(".codegen-" in name and name.startswith(".") for name in leftovers), leftovers
    pipeline.generate(mini_spec, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["generated", "spec"]
