"""Large documents: what generating from them, and using what was generated, costs.

Three workloads: the largest document of the corpus's even half that is in the range the
generator is built for (the first of `LARGE_DOCUMENTS`; Microsoft Graph's two, of 11,422 and
22,361 operations, are ten times beyond it), a mid-size one of many small schemas, where our
own stages weigh most against datamodel-code-generator's (the second), and the synthetic spec
of `SYNTHETIC_OPERATIONS` operations (`tests/scaling.py`). For each, in one run:

- `generate`, cold: wall time, CPU time and peak memory of the whole process tree (every
  process it started, sampled every 10 ms, `generation.tree_rss`);
- datamodel-code-generator alone on the same document, with the options our models stage
  gives it (`generator.models.generate.model_options`) and black + isort, as its users run it;
- openapi-python-client (its pinned version, in a venv of its own: `corpus.peer.install`);
- importing the generated client package, and importing it then making the first call of an
  operation (a mock transport answers), each in a fresh process;
- the stub's start: from the command to its "listening" line.

CPU time is shown beside wall time because the machine is shared: under load the wall time
of a niced process says more about the neighbours than about the program. The corpus is
`bench.corpus.source`'s cache, `$CORPUS_CACHE` or `.corpus-cache/` (fetched with npm when
absent; without npm the document's rows are skipped, saying so).

    python -m bench.large [--runs N] [--only document|synthetic] [--no-peer]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .generation import tree_rss

ROOT = Path(__file__).resolve().parent.parent
LARGE_DOCUMENTS = ("api/amazonaws.com/ec2.json", "api/googleapis.com/compute.json")
SYNTHETIC_OPERATIONS = 2000
_TIMEOUT = 3600.0
_SAMPLE_SECONDS = 0.01
Row = dict[str, object]

_DMCG = """
import sys
from pathlib import Path
from datamodel_code_generator import generate
from datamodel_code_generator.format import Formatter
from generator.models.generate import model_options
generate(Path(sys.argv[1]), output=Path(sys.argv[2]), **model_options(),
         formatters=[Formatter.BLACK, Formatter.ISORT])
"""

# The first operation of the client's first resource (by name) whose required parameters are
# strings or string literals, called through a mock transport that answers `{}`: whatever that
# gives (a model, or an error saying `{}` is not one), the request was built and the answer
# parsed.
_FIRST_CALL = """
import ast, importlib, inspect, sys, httpx
package = importlib.import_module(sys.argv[1])
client_class = next(getattr(package, n) for n in sorted(package.__all__)
                    if not n.startswith("Async")
                    and hasattr(getattr(package, n), "api_key_env_var"))
answer = httpx.MockTransport(lambda request: httpx.Response(200, json={}))
client = client_class(api_key="k", http_client=httpx.Client(transport=answer), max_retries=0)

def value(annotation):
    if annotation == "str":
        return "1"
    if annotation.startswith("Literal[") and annotation.endswith("]"):
        first = ast.literal_eval(annotation[len("Literal["):-1])
        first = first[0] if isinstance(first, tuple) else first
        return first if isinstance(first, str) else None
    return None

for name in sorted(n for n, v in vars(client_class).items() if hasattr(v, "__set_name__")):
    resource = getattr(client, name)
    for method_name, method in sorted(inspect.getmembers(resource, inspect.ismethod)):
        parameters = inspect.signature(method).parameters.values()
        required = {p: value(p.annotation) for p in parameters if p.default is p.empty}
        if method_name.startswith("_") or None in required.values():
            continue
        try:
            method(*[v for p, v in required.items() if p.kind is p.POSITIONAL_OR_KEYWORD],
                   **{p.name: v for p, v in required.items() if p.kind is p.KEYWORD_ONLY})
        except Exception as exc:
            print(type(exc).__name__)
        sys.exit(0)
sys.exit("no operation whose required parameters are strings")
"""


@dataclass(frozen=True)
class Measured:
    wall: float  # seconds
    cpu: float  # user + system seconds of the process and the children it waited for
    peak_mib: float  # 0 when not sampled


def _env(**extra: str) -> dict[str, str]:
    env = {**os.environ, **extra}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # bytecode cached, as in any install
    return env


def measure(command: list[str], *, cwd: Path, env: dict[str, str]) -> Measured:
    """Run `command` in a session of its own to the end, sampling its tree's memory."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            start_new_session=True,
        )
        peak = 0
        while process.poll() is None:
            peak = max(peak, tree_rss(process.pid))
            if time.perf_counter() - start > _TIMEOUT:
                os.killpg(process.pid, signal.SIGKILL)
            time.sleep(_SAMPLE_SECONDS)
        wall = time.perf_counter() - start
        errors.seek(0)
        stderr = errors.read().decode("utf-8", "replace")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        tail = [line for line in stderr.splitlines() if line.strip()][-1:] or ["-"]
        raise RuntimeError(f"{' '.join(command[:3])} exited {process.returncode}: {tail[0]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measured(wall, cpu, peak / 2**20)


def stub_start(package: str, out: Path) -> Measured:
    """From `python -m <package>_stub` to its "listening" line (wall and CPU time)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", f"{package}_stub", "--port", "0", "--api-key", "bench-key"],
        cwd=out,
        env=_env(PYTHONPATH=str(out)),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        for line in process.stdout:  # the line it prints once it listens, or EOF
            if b"listening" in line:
                break
        wall = time.perf_counter() - start
        with open(f"/proc/{process.pid}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        process.wait()
    return Measured(wall, cpu, 0)


def _operations(document: dict[str, object]) -> int:
    paths = document.get("paths")
    methods = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
    if not isinstance(paths, dict):
        return 0
    return sum(1 for item in paths.values() if isinstance(item, dict) for m in item if m in methods)


def _workloads(work: Path, only: str | None) -> list[tuple[str, Path | str]]:
    """(name, spec) of each workload; a spec that cannot be had is the reason instead."""
    import yaml

    from tests.scaling import synthesise

    from .corpus import source

    found: list[tuple[str, Path | str]] = []
    if only in (None, "document"):
        cache = Path(os.environ.get("CORPUS_CACHE", ROOT / ".corpus-cache")).resolve()
        for document in LARGE_DOCUMENTS:
            try:
                spec = source.even_half(source.fetch(cache), cache) / document
                count = _operations(json.loads(spec.read_text(encoding="utf-8")))
                found.append((f"{Path(document).name} ({count:,} operations)", spec))
            except (source.CorpusError, OSError, subprocess.SubprocessError) as exc:
                found.append((document, f"the corpus: {exc}"))
    if only in (None, "synthetic"):
        synthetic = work / f"synthetic-{SYNTHETIC_OPERATIONS}.yaml"
        synthetic.write_text(yaml.safe_dump(synthesise(SYNTHETIC_OPERATIONS), sort_keys=False))
        found.append((f"synthetic {SYNTHETIC_OPERATIONS:,}-operation spec", synthetic))
    return found


def _peer(cache: Path) -> Path | None:
    from .corpus import peer

    try:
        return peer.install(cache)
    except peer.PeerUnavailable as exc:
        print(f"bench.large: openapi-python-client not installed: {exc}", file=sys.stderr)
        return None


def _rows(
    label: str, samples: list[Measured], workload: str, compare: str | None, *, memory: bool
) -> list[Row]:
    """Wall, CPU (and peak memory) rows, medians; `compare` names the rows they compare with."""
    metrics: list[tuple[str, str, Callable[[Measured], float]]] = [
        ("", "s", lambda m: m.wall),
        (" CPU time", "CPU s", lambda m: m.cpu),
    ]
    if memory:
        metrics.append((" peak memory (process tree)", "MiB", lambda m: m.peak_mib))
    return [
        {
            "name": f"{label}{suffix}, {workload}",
            "value": statistics.median(get(s) for s in samples),
            "unit": unit,
            "runs": len(samples),
            "min": min(get(s) for s in samples),
            "compare_to": f"{compare}{suffix}, {workload}" if compare else None,
        }
        for suffix, unit, get in metrics
    ]


OURS = "cofactr-codegen generate, cold"
DMCG = "datamodel-code-generator alone (same options, black+isort)"
IMPORT = "generated client: import"


def cold(command: list[str], out: Path, *, cwd: Path, env: dict[str, str]) -> Measured:
    """`measure` of a `generate` into `out` with no tree there: a tree left by the run before
    would make it a warm run (models and formatted files taken from disk)."""
    shutil.rmtree(out, ignore_errors=True)
    return measure(command, cwd=cwd, env=env)


def _workload_rows(
    workload: str, spec: Path, runs: int, work: Path, peer_python: Path | None
) -> list[Row]:
    """Every measurement of one workload; one that fails is a row saying so, and the others
    are still made. Each row is also printed to stderr once measured."""
    package = "large_api"
    out = work / "ours"
    ours_env, client_env = _env(PYTHONPATH=str(ROOT)), _env(PYTHONPATH=str(out))
    generate = [sys.executable, "-m", "generator", "generate", "--spec", str(spec)]
    generate += ["--out", str(out), "--package-name", package]
    dmcg = [sys.executable, "-c", _DMCG, str(spec), str(work / "dmcg.py")]
    steps: list[tuple[str, str | None, bool, Callable[[], Measured]]] = [
        (OURS, DMCG, True, lambda: cold(generate, out, cwd=work, env=ours_env)),
        (DMCG, None, True, lambda: measure(dmcg, cwd=work, env=ours_env)),
        (
            IMPORT,
            None,
            True,
            lambda: measure([sys.executable, "-c", f"import {package}"], cwd=out, env=client_env),
        ),
        (
            "generated client: import and first call",
            IMPORT,
            False,
            lambda: measure([sys.executable, "-c", _FIRST_CALL, package], cwd=out, env=client_env),
        ),
        ("generated stub: start (until it listens)", None, False, lambda: stub_start(package, out)),
    ]
    if peer_python is not None:
        steps += _peer_steps(spec, work, peer_python)
    rows: list[Row] = []
    for label, compare, memory, step in steps:
        try:
            found = _rows(label, [step() for _ in range(runs)], workload, compare, memory=memory)
        except (RuntimeError, OSError) as exc:
            found = [{"name": f"{label}, {workload}: failed ({exc})", "value": None, "unit": ""}]
        for row in found:
            print(f"bench.large: {row['name']}: {row['value']} {row['unit']}", file=sys.stderr)
        rows += found
    return rows


def _peer_steps(
    spec: Path, work: Path, python: Path
) -> list[tuple[str, str | None, bool, Callable[[], Measured]]]:
    from .corpus import peer

    bin_dir = python.parent
    out = work / "opc" / "opc_client"
    # `-m`, not its console script: a venv that was moved keeps scripts of a stale shebang
    command = [str(python), "-m", "openapi_python_client", "generate", "--path", str(spec)]
    command += ["--output-path", str(out), "--meta", "none", "--overwrite"]
    out.parent.mkdir(parents=True, exist_ok=True)
    env = _env(PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")  # its ruff hook
    import_command = [str(python), "-c", "import opc_client"]
    name = f"openapi-python-client {peer.VERSION}"
    return [
        (f"{name} generate", DMCG, True, lambda: measure(command, cwd=out.parent, env=env)),
        (
            f"{name}: client import",
            IMPORT,
            True,
            lambda: measure(import_command, cwd=out.parent, env=env),
        ),
    ]


def large_documents(
    spec: Path, runs: int, work: Path, *, only: str | None = None, peers: bool = True
) -> list[Row]:
    """`make bench`'s large-document section: one run of each measurement (they take minutes;
    `python -m bench.large --runs N` for medians)."""
    del spec, runs  # its own workloads, each measured once
    return _measure_all(1, work, only=only, peers=peers)


def _measure_all(runs: int, work: Path, *, only: str | None, peers: bool) -> list[Row]:
    rows: list[Row] = []
    cache = Path(os.environ.get("CORPUS_CACHE", ROOT / ".corpus-cache")).resolve()
    peer_python = _peer(cache) if peers else None
    for index, (workload, spec) in enumerate(_workloads(work, only)):
        skipped = {"value": None, "unit": "", "compare_to": None}
        if isinstance(spec, str):
            rows.append({"name": f"large documents, {workload}: skipped ({spec})", **skipped})
            continue
        place = work / f"large-{index}"
        place.mkdir(parents=True, exist_ok=True)
        print(f"bench.large: {workload}...", file=sys.stderr, flush=True)
        rows += _workload_rows(workload, spec, runs, place, peer_python)
    return rows


def main() -> int:
    from .__main__ import print_rows, with_ratios

    parser = argparse.ArgumentParser(prog="python -m bench.large", description=__doc__)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--only", choices=("document", "synthetic"))
    parser.add_argument("--no-peer", action="store_true", help="skip openapi-python-client")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rows = _measure_all(args.runs, Path(tmp), only=args.only, peers=not args.no_peer)
    print_rows(with_ratios(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
