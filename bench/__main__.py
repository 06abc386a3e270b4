"""`python -m bench [--runs N] [--spec FILE]`: print a table of medians and write bench results JSON.

Every timing is the wall time of a fresh process (what a user or CI waits for), measured
`--runs` times after one warm-up run; the table shows the median and the ratio to ours.
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


def _timed(command: list[str], *, cwd: Path, runs: int) -> list[float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)  # warm-up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
        samples.append(time.perf_counter() - start)
    return samples


def generation_benchmarks(spec: Path, runs: int, work: Path) -> list[dict[str, object]]:
    out = work / "generated"
    py = sys.executable
    ours = _timed([py, "-m", "generator", "generate", "--spec", str(spec), "--out", str(out)], cwd=work, runs=runs)
    check = _timed([py, "-m", "generator", "check", "--spec", str(spec), "--out", str(out)], cwd=work, runs=runs)
    dmcg = _timed(
        [
            str(VENV_BIN / "datamodel-codegen"), "--input", str(spec), "--input-file-type", "openapi",
            "--output-model-type", "pydantic_v2.BaseModel", "--output", str(work / "dmcg_models.py"),
            "--disable-timestamp", "--use-annotated", "--field-constraints",
            "--target-python-version", "3.11",
        ],
        cwd=work, runs=runs,
    )
    base = statistics.median(ours)
    rows = [
        ("cofactr-codegen generate (models + client + stub)", ours),
        ("cofactr-codegen check (unchanged tree)", check),
        ("datamodel-code-generator alone (models only)", dmcg),
    ]
    return [
        {
            "name": name,
            "median_s": round(statistics.median(samples), 4),
            "min_s": round(min(samples), 4),
            "runs": len(samples),
            "ratio_to_generate": round(statistics.median(samples) / base, 3),
        }
        for name, samples in rows
    ]


from .client_overhead import client_overhead  # noqa: E402

SECTIONS: list[Callable[[Path, int, Path], list[dict[str, object]]]] = [
    generation_benchmarks,
    client_overhead,
]


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--spec", type=Path, default=ROOT / "spec" / "cofactr-platform.yaml")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, default=ROOT / ".bench" / "results.json")
    args = parser.parse_args()
    spec = args.spec.resolve()
    results: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for section in SECTIONS:
            results += section(spec, args.runs, work)
    width = max(len(str(r["name"])) for r in results)
    print(f"{'benchmark':<{width}}  {'median':>9}  {'min':>9}  {'ratio':>7}")
    for row in results:
        ratio = row.get("ratio_to_generate", row.get("ratio", ""))
        print(
            f"{row['name']!s:<{width}}  {row['median_s']!s:>8}s  {row['min_s']!s:>8}s  {ratio!s:>7}"
        )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"spec": str(spec.relative_to(ROOT)) if spec.is_relative_to(ROOT) else str(spec), "results": results}, indent=2) + "\n")
    print(f"\nresults written to {args.json}")
    shutil.rmtree(ROOT / ".bench" / "tmp", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
