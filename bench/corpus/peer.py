"""openapi-python-client, the best-known Python peer, on the same documents: installed at its
pinned version into a venv of its own under the cache directory, so its dependencies never
touch ours. It exits 0 on most documents and drops what it cannot handle instead, printing a
WARNING per dropped endpoint: those are counted, with their reasons."""

from __future__ import annotations

import os
import subprocess
import venv
from pathlib import Path
from typing import Any

from . import proc

VERSION = "0.29.1"
# Its generated code imports dateutil: mypy needs the stubs to check that code (exact pin).
REQUIREMENTS = (f"openapi-python-client=={VERSION}", "types-python-dateutil==2.9.0.20261104")
_DROPPED = "Endpoint will not be generated."


class PeerUnavailable(Exception):
    """The peer could not be installed (its message says why)."""


def install(cache: Path) -> Path:
    """The peer's venv under `cache`, created once; returns its python."""
    env = cache / f"openapi-python-client-{VERSION}"
    python = env / "bin" / "python"
    stamp = env / ".installed"
    # (the stamp alone is not enough: a venv emptied or half made under the stamp crashed a
    # whole run at its next document)
    installed = stamp.is_file() and stamp.read_text() == "\n".join(REQUIREMENTS)
    if installed and python.is_file():
        return python
    venv.EnvBuilder(with_pip=True, clear=True).create(env)
    result = subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            *REQUIREMENTS,
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        raise PeerUnavailable(f"pip install {' '.join(REQUIREMENTS)}: {lines[-1:]}")
    stamp.write_text("\n".join(REQUIREMENTS))
    return python


def _dropped(stderr: str) -> list[str]:
    """Each endpoint it dropped, with the reason on the next non-empty line:
    `WARNING parsing POST /a within default. Endpoint will not be generated.`"""
    lines = stderr.splitlines()
    found = []
    for index, line in enumerate(lines):
        if _DROPPED in line:
            reason = next((n.strip() for n in lines[index + 1 :] if n.strip()), "")
            found.append(f"{line.removeprefix('WARNING parsing ').strip()} -> {reason}")
    return found


def _failure(output: str) -> str:
    """Why it failed, in one line: the post-generation ruff's complaint about the code it
    wrote, or the exception after a traceback (which it draws in a box), or the first line
    after its generic "Error(s) encountered" heading that is not a warning."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    if "ruff failed" in lines:
        after = lines[lines.index("ruff failed") + 1 :]
        return f"ruff failed on its output: {after[0].removeprefix('error: ') if after else ''}"
    box_ends = [index for index, line in enumerate(lines) if line.startswith("╰")]
    if box_ends:
        return " ".join(lines[box_ends[-1] + 1 :])[:300]
    skipped = ("Error(s) encountered", "If you believe", "Generating ", "WARNING")
    return next((line for line in lines if not line.startswith(skipped)), "-")[:300]


def generate(python: Path, spec: Path, out: Path, timeout: float) -> dict[str, Any]:
    """One document into `out` (the package itself: `--meta none`). Outcome `generated` (exit
    0, possibly without some endpoints), `failed` (it refused) or `crashed` (out of time)."""
    bin_dir = python.parent
    finished = proc.run(
        [
            # `python -m`, not the console script: a script's #! line names the python the
            # venv was made at, so a moved cache would leave it pointing nowhere
            *(str(python), "-m", "openapi_python_client", "generate", "--path", str(spec)),
            *("--output-path", str(out), "--meta", "none"),
        ],
        timeout=timeout,
        # its post-generation hook runs the ruff of its own venv
        env={**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"},
        cwd=out.parent,
    )
    dropped = _dropped(finished.stderr)
    result: dict[str, Any] = {
        "exit_code": finished.code,
        "seconds": round(finished.seconds, 2),
        "operations_dropped": len(dropped),
        "dropped": dropped[:50],
        "schemas_dropped": finished.stderr.count("Unable to process schema"),
    }
    if finished.timed_out:
        return {**result, "outcome": "crashed", "detail": f"timed out after {timeout:g} s"}
    if finished.code != 0 or not (out / "__init__.py").is_file():
        why = _failure(finished.stderr + "\n" + finished.stdout)
        return {**result, "outcome": "failed", "detail": f"exit {finished.code}: {why}"}
    return {**result, "outcome": "generated"}
