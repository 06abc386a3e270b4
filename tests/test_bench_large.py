"""`bench.large`'s cold rows are cold: every run starts without an output tree."""

from __future__ import annotations

import sys
from pathlib import Path

from bench import large


def test_every_cold_run_starts_without_the_tree_the_run_before_left(tmp_path: Path) -> None:
    out = tmp_path / "ours"
    # a command that fails if the tree exists, then leaves one, as `generate` does
    script = (
        "import pathlib, sys; out = pathlib.Path(sys.argv[1]); "
        "sys.exit(3) if out.exists() else (out.mkdir(), (out / 'models.py').write_text('x'))"
    )
    command = [sys.executable, "-c", script, str(out)]
    for _ in range(3):
        large.cold(command, out, cwd=tmp_path, env={})
    assert (out / "models.py").read_text() == "x"
