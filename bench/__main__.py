"""`python -m bench [--runs N] [--spec FILE]`: one table of everything we measure, also as JSON.

Figures, not tests: nothing here asserts a time. Timings of commands are the wall time of a
fresh process (what a user or CI waits for), median of `--runs` runs after one warm-up run.
Ratios compare a row with the row it names in `compare_to`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
Row = dict[str, object]


def _env() -> dict[str, str]:
    # Bytecode is cached as in any normal install: the warm-up run writes our modules' .pyc
    # (pip compiled the dependencies' at install), even where the shell says not to.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _timed(
    commands: list[list[str]], *, cwd: Path, runs: int, before: Callable[[int], None] | None = None
) -> list[float]:
    """Run the commands in turn (cycling), `runs` timed runs after one warm-up."""
    samples = []
    for index in range(runs + 1):
        if before is not None:
            before(index)
        command = commands[index % len(commands)]
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, env=_env(), check=True, capture_output=True)
        if index:
            samples.append(time.perf_counter() - start)
    return samples


def _timed_alternately(
    first: list[str], second: list[str], *, cwd: Path, runs: int, before: Callable[[], None]
) -> tuple[list[float], list[float]]:
    """Two commands timed in alternation (`before` runs ahead of each), so that the machine's
    drift during the runs falls on both alike; one warm-up run of each."""
    samples: tuple[list[float], list[float]] = ([], [])
    for index in range(runs + 1):
        for command, into in ((first, samples[0]), (second, samples[1])):
            before()
            start = time.perf_counter()
            subprocess.run(command, cwd=cwd, env=_env(), check=True, capture_output=True)
            if index:
                into.append(time.perf_counter() - start)
    return samples


def _row(name: str, samples: list[float], compare_to: str | None = None) -> Row:
    return {
        "name": name,
        "value": statistics.median(samples),
        "unit": "s",
        "runs": len(samples),
        "min": min(samples),
        "compare_to": compare_to,
    }


def generation_benchmarks(spec: Path, runs: int, work: Path) -> list[Row]:
    py = sys.executable
    cold_out = work / "cold" / "generated"
    # Cold: an empty output directory. Timed in alternation with datamodel-code-generator
    # alone (models only), the comparison the pipeline's issue sets.
    cold, dmcg = _timed_alternately(
        [py, "-m", "generator", "generate", "--spec", str(spec), "--out", str(cold_out)],
        [
            str(VENV_BIN / "datamodel-codegen"),
            "--input",
            str(spec),
            "--input-file-type",
            "openapi",
            "--output-model-type",
            "pydantic_v2.BaseModel",
            "--output",
            str(work / "dmcg.py"),
            "--disable-timestamp",
            "--use-annotated",
            "--field-constraints",
            "--target-python-version",
            "3.11",
            "--formatters",
            "black",
            "isort",
        ],
        cwd=work,
        runs=runs,
        before=lambda: shutil.rmtree(cold_out.parent, ignore_errors=True),
    )
    # Warm: the tree of the previous run is on disk and one operation's summary changed
    # (the two variants alternate at the same path, as a spec edited in place).
    warm_out = work / "warm" / "generated"
    warm_spec = work / "warm" / "spec" / "cofactr-platform.yaml"
    warm_spec.parent.mkdir(parents=True, exist_ok=True)
    texts = [
        spec.read_text().replace("summary: Gets a Bom\n", f"summary: {summary}\n", 1)
        for summary in ("Gets a Bom", "Gets one Bom")
    ]
    command = [py, "-m", "generator", "generate", "--spec", str(warm_spec), "--out", str(warm_out)]
    warm = _timed(
        [command], cwd=work, runs=runs, before=lambda index: warm_spec.write_text(texts[index % 2])
    )
    check = _timed(
        [[py, "-m", "generator", "check", "--spec", str(warm_spec), "--out", str(warm_out)]],
        cwd=work,
        runs=runs,
    )
    cold_name = "cofactr-codegen generate (cold: empty output dir)"
    return [
        _row(cold_name, cold),
        _row("cofactr-codegen generate (warm: one summary changed)", warm, cold_name),
        _row("cofactr-codegen check (unchanged tree)", check, cold_name),
        _row("datamodel-code-generator alone (models only, black+isort)", dmcg, cold_name),
    ]


def _sections() -> list[Callable[[Path, int, Path], list[Row]]]:
    from .client_overhead import client_overhead
    from .peers import peer_generators
    from .stub_sql_isolation import stub_sql_isolation
    from .stub_throughput import stub_throughput

    return [
        generation_benchmarks,
        peer_generators,
        client_overhead,
        stub_throughput,
        stub_sql_isolation,
    ]


def _with_ratios(rows: list[Row]) -> list[Row]:
    by_name = {str(r["name"]): r for r in rows}
    for row in rows:
        reference = by_name.get(str(row.get("compare_to")))
        if reference is not None and isinstance(reference["value"], float) and reference["value"]:
            row["ratio"] = round(float(row["value"]) / reference["value"], 3)  # type: ignore[arg-type]
    return rows


def _print(rows: list[Row]) -> None:
    width = max(len(str(r["name"])) for r in rows)
    print(f"{'benchmark':<{width}}  {'median':>12}  {'ratio':>7}  compared with")
    for row in rows:
        value = float(row["value"])  # type: ignore[arg-type]
        shown = f"{value:.4f} s" if row["unit"] == "s" else f"{value:,.1f} {row['unit']}"
        if row["unit"] == "s" and value < 0.01:
            shown = f"{value * 1e6:.1f} us"
        ratio = row.get("ratio", "")
        print(f"{row['name']!s:<{width}}  {shown:>12}  {ratio!s:>7}  {row.get('compare_to') or ''}")


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--spec", type=Path, default=ROOT / "spec" / "cofactr-platform.yaml")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, default=ROOT / ".bench" / "results.json")
    args = parser.parse_args()
    spec = args.spec.resolve()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        for section in _sections():
            rows += section(spec, args.runs, Path(tmp))
    rows = _with_ratios(rows)
    _print(rows)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    shown = str(spec.relative_to(ROOT)) if spec.is_relative_to(ROOT) else str(spec)
    args.json.write_text(
        json.dumps({"spec": shown, "runs": args.runs, "results": rows}, indent=2) + "\n"
    )
    print(f"\nresults written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
