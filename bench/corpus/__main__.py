"""`python -m bench.corpus`: our generator, and openapi-python-client beside it, on a sample of
real public OpenAPI documents (APIs.guru's directory, see source.py). A benchmark, not a test:
it reports how many documents generate, import and pass `mypy --strict`, and why the others
do not. The table is printed; every document's results go to `.bench/corpus.json`, and to
`.bench/corpus.jsonl` line by line as each finishes (journal.py), so a killed run keeps them."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from . import journal, ours, peer, report, roundtrip, source, typecheck

ROOT = Path(__file__).resolve().parents[2]
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__)
    parser.add_argument("--n", type=int, default=200, help="documents to sample (default 200)")
    parser.add_argument("--seed", type=int, default=17, help="the sample's seed (default 17)")
    parser.add_argument("--jobs", type=int, default=2, help="documents at once (default 2)")
    parser.add_argument(
        "--timeout", type=float, default=300, help="seconds a generator may take on a document"
    )
    parser.add_argument(
        "--document",
        action="append",
        default=[],
        help="run this document (`api/adafruit.com.json`) instead of a sample; repeatable",
    )
    parser.add_argument("--cache", type=Path, default=ROOT / ".corpus-cache")
    parser.add_argument(
        "--tarball", type=Path, help=f"a copy of {source.TARBALL} to use instead of fetching it"
    )
    parser.add_argument("--no-peer", action="store_true", help="skip openapi-python-client")
    parser.add_argument("--no-mypy", action="store_true", help="skip the mypy runs")
    parser.add_argument(
        "--no-roundtrip", action="store_true", help="skip the client-against-its-stub round trip"
    )
    parser.add_argument("--mypy-batch", type=int, default=25, help="documents per mypy run")
    parser.add_argument("--json", type=Path, default=ROOT / ".bench" / "corpus.json")
    parser.add_argument("--top", type=int, default=12, help="reasons shown per list")
    parser.add_argument(
        "--table-from",
        type=Path,
        help="print the table of an earlier run's JSON (or its .jsonl, even cut short) and stop",
    )
    return parser


def _operations(spec: Path) -> int:
    document = json.loads(spec.read_text(encoding="utf-8"))
    paths = document.get("paths") or {}
    return sum(
        1
        for item in paths.values()
        if isinstance(item, dict)
        for method in item
        if method in HTTP_METHODS
    )


def _one(
    document: str, root: Path, work: Path, args: argparse.Namespace, python: Path | None
) -> dict[str, Any]:
    spec = root / document
    package = ours.package_name(document)
    record: dict[str, Any] = {
        "document": document,
        "bytes": spec.stat().st_size,
        "operations": _operations(spec),
        "package": package,
    }
    record["ours"] = ours.generate(spec, work / "ours" / package, package, args.timeout)
    # a client that does not import is round-tripped too: its round trip fails, and counts
    if record["ours"]["outcome"] == "generated" and not args.no_roundtrip:
        record["roundtrip"] = roundtrip.run(work / "ours" / package, package, args.timeout)
    if python is not None:
        out = work / "peer" / ("opc" + package.removeprefix("api"))
        out.parent.mkdir(parents=True, exist_ok=True)
        record["peer"] = peer.generate(python, spec, out, args.timeout)
    return record


def _lanes(items: list[str], size: int, lanes: int) -> list[list[list[str]]]:
    """`items` cut in batches of `size`, dealt round-robin to `lanes` lanes."""
    batches = [items[i : i + size] for i in range(0, len(items), size)]
    return [batches[lane::lanes] for lane in range(lanes)]


def _typecheck(
    results: list[dict[str, Any]],
    work: Path,
    args: argparse.Namespace,
    python: Path | None,
    log: journal.Journal,
) -> None:
    """mypy over every generated package, batched, `--jobs` mypy processes at once; each lane
    keeps its own cache under the cache directory (two mypy processes must not share one)."""
    by_document = {r["document"]: r for r in results}

    def ours_lane(lane: int, batches: list[list[str]]) -> None:
        for batch in batches:
            outputs = {
                d: (by_document[d]["package"], work / "ours" / by_document[d]["package"])
                for d in batch
            }
            found = typecheck.check_ours(outputs, args.cache / f"mypy-ours-{lane}", 3600)
            for document in batch:
                _store(by_document[document]["ours"], found.get(document))
                log.write(by_document[document])

    def peer_lane(lane: int, batches: list[list[str]]) -> None:
        assert python is not None
        for batch in batches:
            outputs = {
                d: work / "peer" / ("opc" + by_document[d]["package"].removeprefix("api"))
                for d in batch
            }
            found = typecheck.check_peer(outputs, python, args.cache / f"mypy-peer-{lane}", 3600)
            for document in batch:
                _store(by_document[document]["peer"], found.get(document))
                log.write(by_document[document])

    ours_made = [r["document"] for r in results if r["ours"]["outcome"] == "generated"]
    peer_made = [r["document"] for r in results if r.get("peer", {}).get("outcome") == "generated"]
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = [
            pool.submit(ours_lane, i, lane)
            for i, lane in enumerate(_lanes(ours_made, args.mypy_batch, args.jobs))
        ]
        if python is not None:
            futures += [
                pool.submit(peer_lane, i, lane)
                for i, lane in enumerate(_lanes(peer_made, args.mypy_batch, args.jobs))
            ]
        for future in futures:
            future.result()


def _progress(record: dict[str, Any]) -> str:
    """One line for a finished document."""
    parts = [
        f"{name} {record[key]['outcome']} ({record[key]['seconds']} s)"
        for key, name in (("ours", "ours"), ("peer", "peer"))
        if key in record
    ]
    return f"{record['document']}: {', '.join(parts)}"


def _store(record: dict[str, Any], errors: list[str] | None) -> None:
    if errors is None:
        record["mypy_errors"] = None
        return
    record["mypy_errors"] = len(errors)
    record["mypy"] = errors[:30]


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.table_from:
        earlier = journal.read(args.table_from)
        print(report.table(earlier, earlier["results"], top=args.top))
        return 0
    args.cache = args.cache.resolve()
    odd = [d for d in args.document if not source.in_even_half(d)]
    if odd:
        print(f"not in the even half (kept for an independent check): {odd}", file=sys.stderr)
        return 2
    try:
        tarball = args.tarball.resolve() if args.tarball else source.fetch(args.cache)
        source.verify(tarball)
    except (source.CorpusError, OSError) as exc:
        print(f"corpus: {exc}", file=sys.stderr)
        return 2
    root = source.even_half(tarball, args.cache)
    half = source.documents(root)
    chosen = sorted(args.document) or source.sample(half, args.n, args.seed)
    python, peer_note = None, ""
    if not args.no_peer:
        try:
            python = peer.install(args.cache)
        except peer.PeerUnavailable as exc:
            peer_note = f"not installed: {exc}"
    else:
        peer_note = "skipped (--no-peer)"
    meta = {
        "package": f"{source.PACKAGE}@{source.VERSION}",
        "documents_in_half": len(half),
        "seed": args.seed,
        "n": args.n,
        "jobs": args.jobs,
        "timeout": args.timeout,
        "peer_version": peer.VERSION,
        "peer_note": peer_note,
        "sample": "chosen" if args.document else "random",
    }
    log = journal.Journal(args.json.with_suffix(".jsonl"), meta)
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="corpus-") as tmp:
        work = Path(tmp)
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            futures = {pool.submit(_one, d, root, work, args, python): d for d in chosen}
            for done, future in enumerate(as_completed(futures), 1):
                record = future.result()
                results.append(record)
                log.write(record)
                print(f"[{done}/{len(chosen)}] {_progress(record)}", file=sys.stderr, flush=True)
        results.sort(key=lambda r: r["document"])
        if not args.no_mypy:
            print("mypy --strict over the generated packages...", file=sys.stderr, flush=True)
            _typecheck(results, work, args, python, log)
    print(report.table(meta, results, top=args.top))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({**meta, "results": results}, indent=1, sort_keys=True) + "\n")
    log.close()
    print(f"\nevery document's results: {args.json} (and {log.path}, written as they came)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
