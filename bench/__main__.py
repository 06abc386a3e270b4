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
from dataclasses import dataclass
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


def _row(name: str, samples: list[float], compare_to: str | None = None) -> Row:
    return {
        "name": name,
        "value": statistics.median(samples),
        "unit": "s",
        "runs": len(samples),
        "min": min(samples),
        "compare_to": compare_to,
    }


OUR_COLD = "cofactr-codegen generate, cold (empty output dir), our spec"


def generation_benchmarks(spec: Path, runs: int, work: Path) -> list[Row]:
    """Cold and warm `generate`, `check` and peak memory on our spec and on the synthetic
    1,000-operation spec (bench/generation.py), and datamodel-code-generator alone on our
    spec (models only), the comparison the pipeline's issue set."""
    from .generation import rows

    found = rows(ROOT, runs, work, spec=spec)
    dmcg = _timed(
        [
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
            ]
        ],
        cwd=work,
        runs=runs,
    )
    for row in found:
        if (
            row["name"] != OUR_COLD
            and str(row["name"]).endswith(", our spec")
            and row["unit"] == "s"
        ):
            row["compare_to"] = OUR_COLD
    return [
        *found,
        _row("datamodel-code-generator alone (models only, black+isort)", dmcg, OUR_COLD),
    ]


@dataclass(frozen=True)
class Section:
    """A group of rows, and the programs it needs that `make bench` cannot install itself."""

    name: str
    measure: Callable[[Path, int, Path], list[Row]]
    needs: tuple[str, ...] = ()


def _sections() -> list[Section]:
    from .client_overhead import client_overhead
    from .large import large_documents
    from .peers import peer_generators
    from .stub_sql_isolation import stub_sql_isolation
    from .stub_throughput import stub_throughput

    return [
        Section("generation", generation_benchmarks),
        Section("peer generators", peer_generators),  # installs its own venv under .bench/
        Section("client overhead", client_overhead),
        Section("stub throughput", stub_throughput, needs=("wrk", "npm")),  # Prism via npm
        Section("stub SQL isolation", stub_sql_isolation),
        Section("large documents", large_documents),  # the corpus via npm, its peer's venv
    ]


def _skipped(name: str, reason: str) -> Row:
    return {"name": f"{name}: skipped ({reason})", "value": None, "unit": "", "compare_to": None}


def with_ratios(rows: list[Row]) -> list[Row]:
    by_name = {str(r["name"]): r for r in rows}
    for row in rows:
        reference = by_name.get(str(row.get("compare_to")))
        if reference is not None and isinstance(reference["value"], float) and reference["value"]:
            row["ratio"] = round(float(row["value"]) / reference["value"], 3)  # type: ignore[arg-type]
    return rows


def print_rows(rows: list[Row]) -> None:
    width = max(len(str(r["name"])) for r in rows)
    print(f"{'benchmark':<{width}}  {'median':>12}  {'ratio':>7}  compared with")
    for row in rows:
        if row["value"] is None:
            print(str(row["name"]))
            continue
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
    sections = _sections()
    missing = {s.name: [tool for tool in s.needs if shutil.which(tool) is None] for s in sections}
    for name, tools in missing.items():  # said first, not after minutes of measuring
        if tools:
            print(f"make bench: {name} skipped: needs {', '.join(tools)} on PATH", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        for section in sections:
            if missing[section.name]:
                rows.append(_skipped(section.name, f"needs {', '.join(missing[section.name])}"))
                continue
            try:
                rows += section.measure(spec, args.runs, Path(tmp))
            except (OSError, subprocess.CalledProcessError) as exc:  # an install that failed
                print(f"make bench: {section.name} failed: {exc}", file=sys.stderr)
                rows.append(_skipped(section.name, f"failed: {exc}"))
    rows = with_ratios(rows)
    print_rows(rows)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    shown = str(spec.relative_to(ROOT)) if spec.is_relative_to(ROOT) else str(spec)
    args.json.write_text(
        json.dumps({"spec": shown, "runs": args.runs, "results": rows}, indent=2) + "\n"
    )
    print(f"\nresults written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
