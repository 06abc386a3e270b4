"""Generation figures: cold and warm `generate`, `check`, and the peak memory of the whole
process tree, on our spec and on a synthetic spec of 1,000 operations (`tests/scaling.py`).

Every figure is the wall time of a fresh `python -m generator` process, as a user or CI waits
for it. Cold: the output directory is removed first. Warm: the tree of the previous run is on
disk and one operation's summary changed (two variants alternate at the same path, as a spec
edited in place). Check: the tree on disk is unchanged. Memory: the largest sum of the
resident set sizes of the command's process and every process it started, sampled every
10 ms during the cold run (Linux /proc; elsewhere the row is left out).

    python -m bench.generation [--runs N]                # this checkout's figures
    python -m bench.generation --ab OTHER_SOURCE_DIR     # A/B against another checkout, alternated

In A/B mode each round runs every measurement once for this checkout and once for the other
(whose `generator/` and `templates/` are imported from OTHER_SOURCE_DIR), alternating which
goes first, so the machine's drift during the runs falls on both alike.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUR_SPEC = ROOT / "spec" / "cofactr-platform.yaml"
SYNTHETIC_OPERATIONS = 1000
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_SAMPLE_SECONDS = 0.01


@dataclass(frozen=True)
class Workload:
    """A spec to generate from, and the two spellings of one line a warm run alternates."""

    name: str
    spec_text: str
    line: str
    other_line: str


def workloads(spec: Path = OUR_SPEC) -> list[Workload]:
    """Our spec (or `spec`: its warm run changes the summary "Gets a Bom" if it has one), and
    the synthetic spec."""
    import yaml

    from tests.scaling import synthesise

    synthetic = yaml.safe_dump(synthesise(SYNTHETIC_OPERATIONS), sort_keys=False)
    return [
        Workload(
            "our spec",
            spec.read_text(encoding="utf-8"),
            "summary: Gets a Bom\n",
            "summary: Gets one Bom\n",
        ),
        Workload(
            f"synthetic {SYNTHETIC_OPERATIONS}-operation spec",
            synthetic,
            "summary: List widgets.\n",
            "summary: List the widgets.\n",
        ),
    ]


def _env(source: Path, work: Path) -> dict[str, str]:
    # Bytecode is cached as in any normal install (pip compiled the dependencies' at install).
    env = {**os.environ, "PYTHONPATH": str(_importable(source, work))}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _importable(source: Path, work: Path) -> Path:
    """A directory whose `generator` package is `source`'s, templates included.

    The installed package's templates are its subpackage `generator._templates`; under an
    editable install a finder maps that name onto the installing checkout's templates/, so
    `PYTHONPATH=source` alone would pair `source`'s code with this checkout's templates.
    Here `generator/` holds links to `source/generator/*` and `_templates` links to
    `source/templates`: Python's path finder, consulted before the editable one, finds both.
    """
    package = work / "importable" / "generator"
    shutil.rmtree(package.parent, ignore_errors=True)
    package.mkdir(parents=True)
    for entry in sorted((source / "generator").iterdir()):
        if entry.name != "__pycache__":
            (package / entry.name).symlink_to(entry.resolve())
    if not (package / "_templates").exists():
        (package / "_templates").symlink_to((source / "templates").resolve())
    return package.parent


def tree_rss(root: int) -> int:
    """The resident bytes of `root`'s process group (it runs in a session of its own, so that
    is the process and everything it started). Only pids from `root` up are read: the
    children are younger (pid wrap-around during a run is not accounted for)."""
    members: dict[int, tuple[int, int, int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit() or int(entry.name) < root:
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        # after the command name: state ppid pgrp ...; vsize and rss are the 23rd and 24th
        # fields of the line
        if int(fields[2]) == root:
            members[int(entry.name)] = (int(fields[1]), int(fields[20]), int(fields[21]))
    return distinct_pages(members) * _PAGE


def distinct_pages(members: dict[int, tuple[int, int, int]]) -> int:
    """The resident pages of processes {pid: (parent pid, virtual size, resident pages)},
    leaving out a child that still shares its parent's address space. Python starts a
    program with vfork: until the child runs the program, it reports its parent's memory as
    its own, and a sample taken then would count the parent twice. Such a child has exactly
    its parent's virtual size and resident pages."""
    return sum(
        pages
        for pid, (parent, size, pages) in members.items()
        if members.get(parent, (0, -1, -1))[1:] != (size, pages)
    )


def run(command: list[str], *, cwd: Path, env: dict[str, str], memory: bool) -> tuple[float, int]:
    """(wall seconds, peak resident bytes of the process tree, 0 when not sampled)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    peak = 0
    if memory and Path("/proc/self/stat").exists():
        while process.poll() is None:
            peak = max(peak, tree_rss(process.pid))
            time.sleep(_SAMPLE_SECONDS)
    _, stderr = process.communicate()
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {process.returncode}:\n{stderr.decode()}")
    return seconds, peak


class Measurer:
    """The measurements of one checkout (`source`) on one workload, in a directory of its own."""

    def __init__(self, source: Path, workload: Workload, work: Path) -> None:
        self.env = _env(source, work)
        self.work = work
        self.spec = work / "spec" / "spec.yaml"
        self.spec.parent.mkdir(parents=True, exist_ok=True)
        self.workload = workload
        self.spec.write_text(workload.spec_text, encoding="utf-8")
        self.out = work / "out" / "generated"
        self._variant = 0

    def _command(self, verb: str) -> list[str]:
        spec, out = str(self.spec), str(self.out)
        return [sys.executable, "-m", "generator", verb, "--spec", spec, "--out", out]

    def cold(self) -> tuple[float, int]:
        shutil.rmtree(self.out.parent, ignore_errors=True)
        self.spec.write_text(self.workload.spec_text, encoding="utf-8")
        return run(self._command("generate"), cwd=self.work, env=self.env, memory=True)

    def warm(self) -> float:
        """One summary changed since the tree on disk was made (a cold run makes it first)."""
        if not self.out.exists():
            self.cold()
        self._variant += 1
        text = self.workload.spec_text
        if self._variant % 2:
            text = text.replace(self.workload.line, self.workload.other_line, 1)
        self.spec.write_text(text, encoding="utf-8")
        return run(self._command("generate"), cwd=self.work, env=self.env, memory=False)[0]

    def check(self) -> float:
        if not self.out.exists():
            self.cold()
        return run(self._command("check"), cwd=self.work, env=self.env, memory=False)[0]


def measure_once(measurer: Measurer, *, cold_only: bool = False) -> dict[str, float]:
    seconds, peak = measurer.cold()
    sample = {"cold": seconds, "peak_mib": peak / 2**20}
    if not cold_only:
        sample |= {"warm": measurer.warm(), "check": measurer.check()}
    return sample


METRICS = {
    "cold": ("generate, cold (empty output dir)", "s"),
    "warm": ("generate, warm (one summary changed)", "s"),
    "check": ("check (unchanged tree)", "s"),
    "peak_mib": ("peak memory of the process tree, cold generate", "MiB"),
}


def rows(source: Path, runs: int, work: Path, *, spec: Path = OUR_SPEC) -> list[dict[str, object]]:
    """`make bench`'s rows: each metric on each workload, median of `runs` after a warm-up."""
    found: list[dict[str, object]] = []
    for index, workload in enumerate(workloads(spec)):
        measurer = Measurer(source, workload, work / f"generation-{index}")
        measure_once(measurer)  # warm-up: bytecode, page cache
        samples = [measure_once(measurer) for _ in range(runs)]
        for key, (label, unit) in METRICS.items():
            values = [s[key] for s in samples if key != "peak_mib" or s[key] > 0]
            if not values:
                continue
            found.append(
                {
                    "name": f"cofactr-codegen {label}, {workload.name}",
                    "value": statistics.median(values),
                    "unit": unit,
                    "runs": len(values),
                    "min": min(values),
                    "compare_to": None,
                }
            )
    return found


def ab(first: Path, other: Path, rounds: int, work: Path, *, cold_only: bool = False) -> None:
    """Print A (`first`) against B (`other`), alternated round by round."""
    sources = {"A": first.resolve(), "B": other.resolve()}
    results: dict[tuple[str, str], list[dict[str, float]]] = {}
    measurers = {
        (label, workload.name): Measurer(source, workload, work / f"{label}-{index}")
        for index, workload in enumerate(workloads())
        for label, source in sources.items()
    }
    for measurer in measurers.values():
        measure_once(measurer, cold_only=cold_only)  # warm-up
    for round_number in range(rounds):
        order = ("A", "B") if round_number % 2 == 0 else ("B", "A")
        for workload in workloads():
            for label in order:
                sample = measure_once(measurers[(label, workload.name)], cold_only=cold_only)
                results.setdefault((label, workload.name), []).append(sample)
                print(f"round {round_number + 1} {label} {workload.name}: {sample}", flush=True)
    print()
    print(f"A = {sources['A']}\nB = {sources['B']}\nmedians of {rounds} alternated rounds\n")
    print(f"{'workload':<32} {'metric':<48} {'A':>10} {'B':>10} {'A/B':>6}")
    for workload in workloads():
        for key, (label, unit) in METRICS.items():
            if key not in results[("A", workload.name)][0]:
                continue
            a = statistics.median(s[key] for s in results[("A", workload.name)])
            b = statistics.median(s[key] for s in results[("B", workload.name)])
            ratio = f"{a / b:.2f}" if b else ""
            print(
                f"{workload.name:<32} {label:<48} {a:>8.2f}{unit[:1]:>2} {b:>8.2f}{unit[:1]:>2}"
                f" {ratio:>6}"
            )


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generation")
    parser.add_argument("--runs", type=int, default=5, help="runs (or A/B rounds)")
    parser.add_argument("--ab", type=Path, metavar="OTHER_SOURCE_DIR")
    parser.add_argument("--source", type=Path, default=ROOT, help="the checkout to measure (A)")
    parser.add_argument("--cold-only", action="store_true", help="A/B: cold runs only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.ab is not None:
            ab(args.source, args.ab, args.runs, Path(tmp), cold_only=args.cold_only)
        else:
            for row in rows(args.source.resolve(), args.runs, Path(tmp)):
                print(f"{row['name']:<90} {row['value']:>10.2f} {row['unit']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
