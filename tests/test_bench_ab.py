"""`python -m bench.generation --ab OTHER`: the other checkout runs with its own code and its own
templates, even under an editable install of this checkout (whose finder maps the templates
package onto this checkout's templates/)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from bench.generation import _env

ROOT = Path(__file__).resolve().parent.parent


def test_the_other_checkout_brings_its_own_templates(tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(ROOT / "generator", other / "generator", ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copytree(ROOT / "templates", other / "templates", ignore=shutil.ignore_patterns("*.pyc"))
    (other / "templates" / "only-in-other.txt").write_text("B\n", encoding="utf-8")
    script = (
        "import generator\n"
        "from generator import resources\n"
        "print(generator.__file__)\n"
        "print(resources.template('only-in-other.txt').read_text(), end='')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env=_env(other, tmp_path / "work"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    imported_from, template_text = result.stdout.splitlines()
    assert Path(imported_from).resolve().is_relative_to(other.resolve()), imported_from
    assert template_text == "B"
